"""The tracks API: quantum, effect chain editing, mix, targets, validation at the boundary."""

from __future__ import annotations

from fractions import Fraction

import pytest

from livecode.errors import TrackError
from livecode.targets import Target, event_params, event_route, midi_note, note_name_to_midi
from livecode.tracks import StaticHost, Track, TrackTable, to_pattern

__all__: list[str] = []


def make(horizon: Fraction = Fraction(0)) -> tuple[Track, StaticHost]:
    host = StaticHost(horizon)
    return Track("d1", host), host


def test_swap_waits_for_the_quantum_after_the_horizon() -> None:
    track, host = make(Fraction(13, 4))
    assert (track >> "bd").swap_at == 4
    track.quant("beat")
    track >> "sd"                                           # the horizon is on a beat: from it
    assert track.swap_at is None and track.next_pattern is None
    assert [v for _, _, v in track.onsets(Fraction(13, 4), Fraction(9, 2))] == [{"s": "sd"}]
    track.quant(2)
    assert (track >> "hh").swap_at == 4
    with pytest.raises(TrackError, match="quant"):
        track.quant("fortnight")


def test_reassigning_before_the_swap_replaces_the_pending_pattern() -> None:
    track, host = make(Fraction(1, 2))
    track >> "bd"
    track >> "sd"
    values = [v for _, _, v in track.onsets(Fraction(1), Fraction(2))]
    assert values == [{"s": "sd"}]
    assert host.changes.count(("d1", "pattern")) == 2


def test_onsets_split_at_the_swap() -> None:
    track, host = make()
    track >> "bd*4"
    track.mark_good(Fraction(1, 2))
    host.at = Fraction(1, 2)
    track >> "sd*2"
    got = [(t, v["s"]) for t, _, v in track.onsets(Fraction(1, 2), Fraction(2))]  # type: ignore[index]
    assert got == [(Fraction(1, 2), "bd"), (Fraction(3, 4), "bd"), (Fraction(1), "sd"), (Fraction(3, 2), "sd")]


def test_effect_chain_add_update_move_remove_clear() -> None:
    track, host = make()
    track.fx("reverb", mix=0.3).fx("lpf", cutoff=800).fx("delay", time=0.5)
    track.fx("reverb", mix=0.5)                             # same kind: updated, not doubled
    assert [(s.kind, s.params) for s in track.effects] == [
        ("reverb", {"mix": 0.5}), ("lpf", {"cutoff": 800}), ("delay", {"time": 0.5})]
    track.fx_move("delay", 0)
    assert [s.kind for s in track.effects] == ["delay", "reverb", "lpf"]
    track.fx_remove(1)
    assert [s.kind for s in track.effects] == ["delay", "lpf"]
    with pytest.raises(TrackError, match="no effect 'chorus'"):
        track.fx_remove("chorus")
    track.fx_clear()
    assert track.effects == [] and host.changes.count(("d1", "chain")) == 7


def test_mix_and_target_validation() -> None:
    track, _ = make()
    with pytest.raises(TrackError, match=r"d1\.gain"):
        track.gain(40)
    with pytest.raises(TrackError, match=r"d1\.pan"):
        track.pan(-1)
    with pytest.raises(TrackError, match="channel"):
        track.midi("IAC", channel=17)
    with pytest.raises(TrackError, match="another track"):
        track.duck(track)
    track.midi("IAC", channel=2, engine=True)
    assert track.target == Target(engine=True, midi_port="IAC", midi_channel=2)
    track.engine()
    assert track.target == Target()


def test_fade_in_and_out_levels() -> None:
    track, host = make(Fraction(2))
    track.fade_out(4)
    assert track.level_at(Fraction(2)) == 1.0 and track.level_at(Fraction(4)) == 0.5
    assert track.level_at(Fraction(7)) == 0.0
    host.at = Fraction(8)
    track.fade_in(2)
    assert track.level_at(Fraction(9)) == 0.5 and track.level_at(Fraction(11)) == 1.0


def test_table_creates_on_first_use_and_checks_names() -> None:
    table = TrackTable(StaticHost())
    bass = table["bass"]
    assert table["bass"] is bass and "bass" in table
    with pytest.raises(TrackError, match="identifier"):
        table["not a name"]
    table["d1"].muted = True
    assert not table.audible(table["d1"]) and table.audible(bass)
    bass.soloed = True
    assert table.audible(bass) and not table.audible(table["d2"])


def test_what_follows_the_arrow() -> None:
    assert [e.value for e in to_pattern("bd sd").first_cycle()] == [{"s": "bd"}, {"s": "sd"}]  # type: ignore[attr-defined]
    assert [e.value for e in to_pattern(60).first_cycle()] == [60]  # type: ignore[attr-defined]
    with pytest.raises(TrackError, match="expected a pattern"):
        to_pattern(object())


def test_event_values_to_params_and_midi() -> None:
    assert event_params("bd:3") == {"s": "bd", "n": 3}
    assert event_params({"note": "eb3", "s": "pluck"}) == {"note": 51, "s": "pluck"}
    assert note_name_to_midi("a#2") == 46 and note_name_to_midi("c") == 48
    assert midi_note({"note": 60, "velocity": 1.0}) == (60, 127)
    assert midi_note({"n": 200 - 140}) == (60, 102)
    with pytest.raises(TrackError.__mro__[1], match="0..127"):
        midi_note({"note": 300})
    route = event_route({"midiport": "X", "midichan": 4}, Target())
    assert route == Target(engine=False, midi_port="X", midi_channel=4)


def test_default_midi_port_is_the_sessions() -> None:
    from livecode.outputs import Outputs

    class Port:
        def __init__(self, name: str) -> None:
            self.name = name
            self.notes: list[tuple[object, ...]] = []

        def note(self, *args: object) -> None:
            self.notes.append(args)

    opened: list[Port] = []

    def opener(name: str) -> Port:
        opened.append(Port(name))
        return opened[-1]

    out = Outputs(midi_opener=opener)
    out.send_midi(Target(False, "default", 2), 60, 100, 0.0, 0.1)
    assert opened == [] and "--midi-out" in out.drain()[0]
    out.default_port = "Synth"
    out.send_midi(Target(False, "default", 2), 60, 100, 0.0, 0.1)
    assert [p.name for p in opened] == ["Synth"] and opened[0].notes == [(2, 60, 100, 0.0, 0.1)]
