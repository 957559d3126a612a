"""What each kind of track change does to the outputs: one typed call per change
(`livecode.tracks.TrackHost`), on a session with a real (manual-mode) engine and recording MIDI
ports."""

from __future__ import annotations

from fractions import Fraction

from keepport import KeepPort
from livecode.midi import messages as msg
from livecode.session import Session
from livecode.tracks import StaticHost, Track

__all__: list[str] = []


def session_with_ports() -> tuple[Session, dict[str, KeepPort]]:
    session = Session.create(audio="manual")
    ports: dict[str, KeepPort] = {}
    session.outputs.opener = lambda name: ports.setdefault(name, KeepPort(name))
    return session, ports


def test_each_change_is_its_own_call() -> None:
    host = StaticHost()
    track = Track("d1", host)
    track.play("bd")
    track.fx("reverb", mix=0.2).gain(-3).pan(0.2).mute().unmute().midi("synth").engine()
    assert host.changes == [("d1", "pattern"), ("d1", "chain"), ("d1", "gain"), ("d1", "pan"), ("d1", "mute"),
                            ("d1", "mute"), ("d1", "target"), ("d1", "target")]


def test_a_track_moved_from_midi_to_the_engine_gets_its_pools_and_mix_at_once() -> None:
    session, _ = session_with_ports()
    with session:
        engine = session.manual_engine
        assert session.evaluate('d5.midi("synth")\nd5.gain(-6)\nd5.pan(0.25)').ok
        session.run_blocks(8)
        assert session.evaluate('d5 >> s("bd*2")').ok
        assert "d5" not in engine.describe()          # MIDI only: the engine holds nothing of it
        assert session.evaluate("d5.engine()").ok
        # at once, before any note of it is scheduled: its pools (so pyo's creation order keeps
        # it sample-exact, as for a new pattern) and its mix
        assert session.scheduler.stats.events == 0
        assert engine.describe()["d5"]["instruments"] == ["tr808_bd"]
        assert session.mirror.engine_tracks == {"d5": {"bd"}}
        session.run_blocks(2)
        values = engine.mixer.strip("d5").values
        assert (values["gain"], values["pan"]) == (-6.0, 0.25)
        assert session.messages() == []


def test_a_midi_target_change_retries_the_midi_link_and_asks_nothing_of_the_engine() -> None:
    session, ports = session_with_ports()
    with session:
        assert session.outputs.port("synth") is ports["synth"]
        assert session.evaluate('d4 >> note("c4")\nd4.midi("synth", channel=2)').ok
        relinks = ports["synth"].relinks
        assert session.evaluate('d4.midi("synth", channel=3)').ok
        assert ports["synth"].relinks == relinks + 1      # a `.midi(...)` line re-links what MIDI lost
        assert "d4" not in session.manual_engine.describe()


def test_mute_tells_no_output_what_was_sent_plays_out() -> None:
    session, ports = session_with_ports()
    with session:
        engine = session.manual_engine
        assert session.evaluate('d1 >> s("bd*16")\nd2 >> note("c4*16")\nd2.midi("synth")').ok
        session.run_blocks(40)                          # one lookahead of notes queued in each output
        pending = engine.stats()["pending"]
        sent = list(ports["synth"].sent)
        assert pending > 0 and sent
        assert session.evaluate("d1.mute()\nd2.mute()").ok
        assert engine.stats()["pending"] == pending     # nothing dropped: the queued notes play
        assert ports["synth"].cuts == 0 and ports["synth"].sent == sent
        horizon = session.scheduler.horizon
        session.run_blocks(200)
        assert engine.stats()["pending"] == 0           # they played, and no new one came
        notes_after = [m for m in ports["synth"].sent[len(sent):] if msg.is_note_on(m)]
        assert notes_after == [] and session.scheduler.horizon > horizon + Fraction(1, 4)
        assert session.evaluate("d1.unmute()").ok
        session.run_blocks(40)
        assert engine.stats()["pending"] > 0            # unmuted: the scheduler sends again
