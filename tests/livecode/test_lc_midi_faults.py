"""MIDI when things break, on private JACK servers with JACK-Client capture (no mocks):

* a destination whose JACK client closes and registers again mid-note is reconnected by name; it
  gets note-offs and CC 123 for what was sounding when it went, then notes again;
* a connection removed by hand (jack_disconnect) is reported once and left alone; re-sending the
  `.midi(...)` line reconnects it, note-offs first;
* a JACK server that dies: `reconnect_audio()`, typed in the prelude, brings back the engine and
  the MIDI port, and a re-sent `.midi(...)` line plays.

The port on its own is tested in test_midi_link.py, hush in test_lc_midi_hush.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import jack
import pytest

from jackserver import JackServer
from livecode.midi import messages as msg
from livecode.session import Session
from midicapture import Captured, MidiCapture
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def ons(events: list[Captured]) -> list[Captured]:
    return [e for e in events if msg.is_note_on(e[1])]


def collect(session: Session, into: list[str]) -> Callable[[], list[str]]:
    """A function that moves the session's new messages into `into` and returns `into`."""

    def drained() -> list[str]:
        into.extend(session.messages())
        return into

    return drained


def first_frame(events: list[Captured]) -> list[tuple[int, ...]]:
    """The messages written in the first frame captured."""
    return [data for frame, data in events if frame == events[0][0]]


def assert_release_then_notes(events: list[Captured], channel: int, notes: set[int]) -> None:
    """The first frame holds note-offs for `notes` and CC 123 on `channel`, nothing else; notes follow."""
    release = first_frame(events)
    wire = 0x80 | (channel - 1)
    assert {data[1] for data in release if data[0] == wire} == notes
    assert release[-1] == msg.all_notes_off(channel)
    assert all(data[0] == wire or data == msg.all_notes_off(channel) for data in release)
    assert ons(events) and ons(events)[0][0] > events[0][0]


@pytest.fixture()
def own_jack_env() -> Iterator[None]:
    saved = os.environ.get("JACK_DEFAULT_SERVER")
    yield
    if saved is None:
        os.environ.pop("JACK_DEFAULT_SERVER", None)
    else:
        os.environ["JACK_DEFAULT_SERVER"] = saved


def test_destination_that_restarts_mid_note_gets_offs_and_cc123_then_notes(jack_server: JackServer) -> None:
    capture = MidiCapture(jack_server.name, name="lc-m6-synth")
    said: list[str] = []
    with Session.create(audio="none", bpm=240) as session:
        messages = collect(session, said)
        try:
            assert session.evaluate('d3 >> note("c4 e4").legato(4).midi("lc-m6-synth", channel=3)').ok
            session.start()
            assert len(ons(capture.wait_for(count=6, timeout=5.0))) >= 3     # notes held 2 s: overlapping
            capture.close()                                                # the synth's client goes away
            assert wait_for(lambda: any("lost lc-m6-synth:in" in m for m in messages()))
            time.sleep(0.5)                                                # notes keep coming meanwhile
            capture = MidiCapture(jack_server.name, name="lc-m6-synth")   # ... and comes back
            events = capture.wait_for(count=12, timeout=5.0)
            assert wait_for(lambda: any("reconnected" in m for m in messages()))
        finally:
            capture.close()
    assert_release_then_notes(events, channel=3, notes={60, 64})
    lost = [m for m in said if "lost" in m]
    assert len(lost) == 1 and lost[0].startswith("midi 'lc-m6-synth': lost lc-m6-synth:in with ")
    offs = sum(1 for data in first_frame(events) if msg.is_note_off(data))
    assert f"with {offs} notes sounding" in lost[0]                    # what it held is what was released
    assert [m for m in said if "reconnected" in m] == [
        f"midi 'lc-m6-synth': reconnected to lc-m6-synth:in; note-offs for {offs} notes and CC 123 sent"]


def test_jack_disconnect_is_reported_and_resending_the_midi_line_reconnects(jack_server: JackServer) -> None:
    line = 'd3 >> note("c4 e4").legato(4).midi("lc-m6-patched", channel=2)'
    patchbay = jack.Client("lc-m6-patchbay", servername=jack_server.name, no_start_server=True)
    said: list[str] = []
    with MidiCapture(jack_server.name, name="lc-m6-patched") as capture, \
            Session.create(audio="none", bpm=240) as session:
        messages = collect(session, said)
        assert session.evaluate(line).ok
        session.start()
        assert len(ons(capture.wait_for(count=6, timeout=5.0))) >= 3
        source = session.outputs.ports["lc-m6-patched"].port_name  # type: ignore[attr-defined]
        patchbay.disconnect(source, "lc-m6-patched:in")
        assert wait_for(lambda: any("lost" in m for m in messages()))
        before = len(capture.snapshot())
        time.sleep(1.0)
        assert len(capture.snapshot()) == before                    # not reconnected behind the user's back
        assert session.evaluate(line).ok                            # the performer re-sends the line
        assert wait_for(lambda: any("reconnected" in m for m in messages()))
        events = capture.wait_for(count=before + 8, timeout=5.0)[before:]
    patchbay.close()
    assert_release_then_notes(events, channel=2, notes={60, 64})
    lost = [m for m in said if "lost" in m]
    assert len(lost) == 1 and "re-send the .midi(...) line" in lost[0]


def test_jack_dies_reconnect_audio_in_the_prelude_brings_midi_back(own_jack_env: None) -> None:
    first = JackServer(rate=48000, period=256).start()
    os.environ["JACK_DEFAULT_SERVER"] = first.name
    capture = MidiCapture(first.name, name="lc-m6-capture")
    session = Session.create(audio="jack", bpm=240, engine_options={"resolver": resolve_test_voice,
                                                                    "jackname": "lc-m6-engine"})
    line = 'd3 >> note("c4 e4").legato(4).midi("capture")'
    said: list[str] = []
    messages = collect(session, said)
    second: JackServer | None = None
    try:
        assert session.evaluate(line).ok
        session.start()
        assert len(ons(capture.wait_for(count=6, timeout=8.0))) >= 3
        first.stop()
        assert wait_for(lambda: session.status().engine_error is not None)
        assert wait_for(lambda: any("JACK server went away" in m for m in messages()))
        capture.close()
        second = JackServer(rate=48000, period=256, name=first.name).start()
        capture = MidiCapture(second.name, name="lc-m6-capture")
        result = session.evaluate("reconnect_audio()")
        assert result.ok, result.error
        assert session.evaluate(line).ok
        events = capture.wait_for(count=12, timeout=8.0)
        ports = capture.client.get_ports("livecode-midi", is_midi=True, is_output=True)
    finally:
        session.close()
        capture.close()
        if second is not None:
            second.stop()
        first.stop()
    assert ports                                                   # a livecode-midi port exists again
    assert_release_then_notes(events, channel=1, notes={60, 64})
    assert {data for _, data in ons(events)} == {msg.note_on(1, 60, 102), msg.note_on(1, 64, 102)}
    engine = [m for m in said if m.startswith("audio engine")]
    assert len(engine) == 1 and "reconnect_audio() to retry" in engine[0]
    lost = [m for m in said if "went away" in m]
    assert len(lost) == 1 and lost[0].startswith("midi 'capture': the JACK server went away with ")
    assert "reconnect_audio()" in lost[0]
