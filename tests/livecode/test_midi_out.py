"""MIDI output on a private JACK server: frame-exact timing, panic, close, validation, clock."""

from __future__ import annotations

import time

import pytest

from jackserver import JackServer
from livecode.midi import (
    JackMidiOut,
    MidiClockOut,
    MidiPortError,
    MidiValueError,
    RtMidiOut,
    clock_times,
    open_output,
)
from livecode.midi import messages as msg
from midicapture import MidiCapture

SR = 48000


def note_ons(events: list[tuple[int, tuple[int, ...]]]) -> list[tuple[int, tuple[int, ...]]]:
    return [e for e in events if msg.is_note_on(e[1])]


@pytest.fixture()
def capture(jack_server: JackServer):
    with MidiCapture(jack_server.name) as cap:
        yield cap


def test_jack_native_notes_land_at_exact_frame_spacing(jack_server: JackServer, capture: MidiCapture) -> None:
    port = JackMidiOut("out", client_name="lc-midi-a", servername=jack_server.name)
    try:
        capture.connect_from(port.port_name)
        start = time.monotonic() + 0.2
        spacing = 0.125  # an eighth note at 120 BPM = 6000 frames at 48 kHz
        for i in range(12):
            port.note(1, 60 + i, 100, start=start + i * spacing, duration=0.05)
        events = capture.wait_for(count=24, timeout=4.0)
    finally:
        port.close()
    ons = note_ons(events)
    assert [e[1][1] for e in ons] == list(range(60, 72))
    gaps = [b[0] - a[0] for a, b in zip(ons, ons[1:])]
    assert gaps == [6000] * 11
    offs = [e for e in events if msg.is_note_off(e[1]) and e[1][1] == 60]
    assert offs and offs[0][0] - ons[0][0] == 2400  # 50 ms note length, exact in frames


def test_panic_sends_note_offs_and_all_notes_off_and_drops_pending(
    jack_server: JackServer, capture: MidiCapture
) -> None:
    port = JackMidiOut("out", client_name="lc-midi-b", servername=jack_server.name)
    try:
        capture.connect_from(port.port_name)
        now = time.monotonic()
        port.note(3, 64, 90, start=now + 0.02, duration=5.0)  # a long note still sounding at panic
        port.note(3, 67, 90, start=now + 3.0, duration=0.5)  # pending: must never be sent
        capture.wait_for(count=1, timeout=2.0)
        assert port.sounding() == [(3, 64)]
        port.panic()
        events = capture.wait_for(count=1 + 1 + 16, timeout=2.0)
        assert port.sounding() == []
    finally:
        port.close()
    kinds = [e[1] for e in events]
    assert msg.note_off(3, 64) in kinds
    assert sum(1 for k in kinds if k[0] & 0xF0 == 0xB0 and k[1] == 123) >= 16
    assert not any(k[:2] == (0x92, 67) for k in kinds)


def test_close_turns_off_every_sounding_note(jack_server: JackServer, capture: MidiCapture) -> None:
    port = JackMidiOut("out", client_name="lc-midi-c", servername=jack_server.name)
    capture.connect_from(port.port_name)
    port.note(1, 48, 100, start=time.monotonic(), duration=10.0)
    capture.wait_for(count=1)
    port.close()
    events = capture.wait_for(count=18, timeout=2.0)
    assert msg.note_off(1, 48) in [e[1] for e in events]
    with pytest.raises(MidiPortError, match="closed"):
        port.note(1, 48, 100, start=time.monotonic(), duration=0.1)


def test_rtmidi_jack_virtual_port_delivers_notes_and_panics(
    jack_server: JackServer, capture: MidiCapture
) -> None:
    port = RtMidiOut("rtout", api="jack", virtual=True, client_name="lc-rt")
    try:
        time.sleep(0.1)
        source = next(p.name for p in capture.client.get_ports(is_midi=True, is_output=True) if "rtout" in p.name)
        capture.connect_from(source)
        start = time.monotonic() + 0.05
        for i in range(4):
            port.note(2, 50 + i, 80, start=start + i * 0.05, duration=1.0)
        events = capture.wait_for(count=4, timeout=2.0)
        assert [e[1] for e in note_ons(events)] == [msg.note_on(2, 50 + i, 80) for i in range(4)]
        port.panic()
        events = capture.wait_for(count=4 + 4 + 16, timeout=2.0)
    finally:
        port.close()
    offs = {e[1][1] for e in events if msg.is_note_off(e[1])}
    assert offs >= {50, 51, 52, 53}


def _open_for_silence(kind: str, capture: MidiCapture, server: JackServer) -> JackMidiOut | RtMidiOut:
    """A JACK-native or an rtmidi-through-JACK port, connected to the capture."""
    if kind == "jack":
        port: JackMidiOut | RtMidiOut = JackMidiOut("out", client_name="lc-midi-s", servername=server.name)
        capture.connect_from(port.port_name)
        return port
    port = RtMidiOut("rtsilence", api="jack", virtual=True, client_name="lc-rt-s")
    time.sleep(0.1)
    capture.connect_from(next(p.name for p in capture.client.get_ports(is_midi=True, is_output=True)
                              if "rtsilence" in p.name))
    return port


@pytest.mark.parametrize("kind", ["jack", "rtmidi-jack"])
def test_silence_turns_sounding_notes_off_drops_queued_notes_keeps_the_clock(
    jack_server: JackServer, capture: MidiCapture, kind: str
) -> None:
    port = _open_for_silence(kind, capture, jack_server)
    try:
        now = time.monotonic()
        port.note(4, 60, 90, start=now + 0.02, duration=5.0)   # sounding at the hush
        port.note(4, 60, 90, start=now + 0.04, duration=5.0)   # the same key twice: two offs
        port.note(4, 67, 90, start=now + 0.6, duration=0.1)    # queued: must never arrive
        port.send_at(msg.CLOCK, now + 0.5)                     # queued clock: still goes out
        capture.wait_for(count=2, timeout=2.0)
        port.silence()
        time.sleep(0.9)
        events = capture.snapshot()
        assert port.sounding() == []
    finally:
        port.close()
    assert [data for _, data in events] == [msg.note_on(4, 60, 90)] * 2 + [msg.note_off(4, 60)] * 2 + [msg.CLOCK]


@pytest.mark.parametrize("kind", ["jack", "rtmidi-jack"])
def test_a_retraction_drops_the_notes_from_its_time_and_keeps_the_earlier_notes_offs(
    jack_server: JackServer, capture: MidiCapture, kind: str
) -> None:
    """`retract(when)` (the timeline restarted by an incoming Start): a note from `when` on never
    starts, nor does its note-off go out; a note started before keeps its note-off, even one
    queued after `when`; the clock keeps its pulses; what is sent after the call plays."""
    port = _open_for_silence(kind, capture, jack_server)
    try:
        now = time.monotonic()
        port.note(4, 60, 90, start=now + 0.02, duration=0.5)   # started before: its off stays
        port.note(4, 62, 90, start=now + 0.3, duration=0.1)    # retracted, off and all
        port.cc(4, 74, 10, when=now + 0.35)                     # retracted
        port.send_at(msg.CLOCK, now + 0.36)                     # a system message: stays
        capture.wait_for(count=1, timeout=2.0)
        port.retract(now + 0.2)
        port.note(4, 64, 90, start=now + 0.3, duration=0.12)   # the new timeline's note
        time.sleep(0.8)
        events = capture.snapshot()
        assert port.sounding() == []
    finally:
        port.close()
    assert [data for _, data in events][:5] == [msg.note_on(4, 60, 90), msg.note_on(4, 64, 90), msg.CLOCK,
                                                 msg.note_off(4, 64), msg.note_off(4, 60)]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda p: p.note(0, 60, 100, start=0.0, duration=0.1), "channel"),
        (lambda p: p.note(1, 128, 100, start=0.0, duration=0.1), "note"),
        (lambda p: p.note(1, 60, 200, start=0.0, duration=0.1), "velocity"),
        (lambda p: p.note(1, 60, 100, start=0.0, duration=-1.0), "duration"),
        (lambda p: p.cc(1, 74, 1.5, when=0.0), "value"),
        (lambda p: p.send_now((0x90, 200, 1)), "not valid MIDI"),
    ],
)
def test_bad_values_name_the_field(jack_server: JackServer, call, field: str) -> None:
    port = JackMidiOut("out", client_name="lc-midi-v", servername=jack_server.name)
    try:
        with pytest.raises(MidiValueError, match=field):
            call(port)
    finally:
        port.close()


def test_open_output_names_available_ports_when_missing(jack_server: JackServer) -> None:
    with pytest.raises(MidiPortError, match="no JACK MIDI input matching 'NoSuchSynth'"):
        open_output("NoSuchSynth", api="jack")
    with pytest.raises(MidiPortError, match="unknown MIDI api"):
        open_output("x", api="carrier-pigeon")


def test_open_output_jack_connects_to_named_destination(jack_server: JackServer, capture: MidiCapture) -> None:
    port = open_output("lc-capture:in", api="jack")
    try:
        port.note(10, 36, 127, start=time.monotonic() + 0.05, duration=0.05)
        events = capture.wait_for(count=2)
    finally:
        port.close()
    assert msg.note_on(10, 36, 127) in [e[1] for e in events]


def test_clock_times_are_24_per_quarter() -> None:
    pulses = clock_times(bpm=120.0, origin=0.0, begin=0.0, end=0.5)
    assert len(pulses) == 24
    assert pulses[1][1] == pytest.approx(0.5 / 24)
    later = clock_times(bpm=120.0, origin=0.0, begin=0.25, end=0.5)
    assert later[0][0] == 12


def test_midi_clock_out_pulses_are_frame_exact(jack_server: JackServer, capture: MidiCapture) -> None:
    port = JackMidiOut("clock", client_name="lc-midi-clk", servername=jack_server.name)
    try:
        capture.connect_from(port.port_name)
        clock = MidiClockOut(port)
        t0 = time.monotonic() + 0.1
        clock.start(t0, bpm=120.0)
        assert clock.send_window(t0 + 0.5) == 24
        clock.stop(t0 + 0.5)
        events = capture.wait_for(count=26, timeout=3.0)
    finally:
        port.close()
    assert events[0][1] == msg.START
    ticks = [f for f, m in events if m == msg.CLOCK]
    assert len(ticks) == 24
    assert {b - a for a, b in zip(ticks, ticks[1:])} <= {1000, 1001, 999}
    assert ticks[-1] - ticks[0] in (22999, 23000, 23001)
