"""Routing an event's MIDI message controls: order, messages-only events, nudge, bend glide,
bad values named."""

from __future__ import annotations

import pytest

from livecode.clock import ManualClock
from livecode.midi.errors import MidiValueError
from livecode.outputs import BEND_GLIDE, BEND_STEPS, ListSink
from livecode.scheduler import Onset
from livecode.targets import Target

__all__: list[str] = []


def route(sink: ListSink, params: dict[str, object], time: float = 0.0) -> None:
    sink.onset(Onset("d1", Target(engine=False), {"midiport": "x", **params}, time, round(time * 48000), 0.5),
               ManualClock())


def test_messages_come_before_the_note_and_poly_aftertouch_after() -> None:
    sink = ListSink()
    route(sink, {"note": 62, "midibank": 130, "progNum": 7, "ccn": 1, "ccv": 64, "nrpnn": 3, "nrpv": 5,
                 "miditouch": 1.0, "sysex": "7E7F0901", "polytouch": 0.5, "midichan": 3})
    kinds = [m for _, m, _ in sink.midi_messages]
    assert kinds == [(0xB2, 0, 1), (0xB2, 32, 2), (0xC2, 7), (0xB2, 1, 64), (0xB2, 99, 0), (0xB2, 98, 3),
                     (0xB2, 6, 0), (0xB2, 38, 5), (0xD2, 127), (0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7),
                     (0xA2, 62, 64)]
    assert [(n[2], n[1]) for n in sink.midi] == [(62, 3)]


def test_an_event_with_only_messages_plays_no_note_and_nudge_shifts_everything() -> None:
    sink = ListSink()
    route(sink, {"ccname": "cutoff", "ccv": 10, "mididevice": "minilogue", "midinudge": 12}, time=1.0)
    assert sink.midi == []
    (_, message, start), = sink.midi_messages
    assert message == (0xB0, 43, 10)
    assert start == pytest.approx(ManualClock().to_monotonic(1.0) + 0.012)


def test_pitch_bend_glides_from_the_last_value() -> None:
    sink = ListSink()
    route(sink, {"midibend": -1.0}, time=0.0)
    route(sink, {"midibend": 1.0}, time=1.0)
    bends = [(m, t) for _, m, t in sink.midi_messages]
    assert bends[0][0] == (0xE0, 0, 0)
    glide = bends[1:]
    assert len(glide) == BEND_STEPS and glide[-1][0] == (0xE0, 127, 127)
    values = [(m[2] << 7) | m[1] for m, _ in glide]
    assert values == sorted(values)
    assert glide[-1][1] - glide[0][1] == pytest.approx(BEND_GLIDE * (BEND_STEPS - 1) / BEND_STEPS)


@pytest.mark.parametrize(("params", "field"), [
    ({"midibend": 2}, "bend=2"), ({"ccn": 7}, "needs ccv"), ({"sysex": "zz"}, "sysex"),
    ({"miditouch": 3}, "miditouch=3"), ({"ccname": "wobble", "ccv": 1}, "'wobble' is not in the gm map"),
    ({"nrpnn": 99999, "nrpv": 1}, "parameter=99999")])
def test_bad_message_values_name_the_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(MidiValueError, match=field):
        route(ListSink(), params)


def test_the_track_nudge_and_device_apply_to_its_events() -> None:
    sink = ListSink()
    target = Target(engine=False, midi_port="x", midi_nudge=-8.0, midi_device="volca-keys")
    sink.onset(Onset("d1", target, {"ccname": "cutoff", "ccv": 5, "midinudge": 2}, 1.0, 48000, 0.5), ManualClock())
    (_, message, start), = sink.midi_messages
    assert message == (0xB0, 44, 5)                             # volca keys cutoff
    assert start == pytest.approx(ManualClock().to_monotonic(1.0) - 0.006)


def test_track_midi_validates_and_saves_nudge_and_device() -> None:
    from livecode.session import Session
    from livecode.setfile import set_text

    session = Session.create(audio="none")
    try:
        assert session.evaluate('d1.midi("synth", channel=2, nudge=12, device="minilogue")').ok
        assert 'd1.midi(\'synth\', channel=2, engine=False, nudge=12, device=\'minilogue\')' in set_text(session)
        bad = session.evaluate('d1.midi("synth", nudge=5000)')
        assert bad.error == "TrackError: d1.midi: nudge must be milliseconds in -1000..1000, got 5000"
    finally:
        session.close()
