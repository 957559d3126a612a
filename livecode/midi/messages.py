"""Table-driven validation and encoding of the MIDI messages livecode sends.

The performer-facing channel is 1..16 (as on hardware and in Strudel's `midichan`); the wire uses
0..15. Every field is validated at the boundary with a `MidiValueError` that names it.

>>> note_on(1, 60, 100)
(144, 60, 100)
>>> control_change(10, 74, 127)
(185, 74, 127)
>>> note_on(17, 60, 100)
Traceback (most recent call last):
...
livecode.midi.errors.MidiValueError: channel=17 is out of range 1..16
"""

from __future__ import annotations

from livecode.midi.errors import MidiValueError

__all__ = [
    "Bytes",
    "FIELD_RANGES",
    "check",
    "note_on",
    "note_off",
    "control_change",
    "program_change",
    "all_notes_off",
    "CLOCK",
    "PPQN",
    "START",
    "STOP",
    "CONTINUE",
    "song_position",
    "is_note_on",
    "is_note_off",
    "is_channel_message",
]

Bytes = tuple[int, ...]

FIELD_RANGES: dict[str, tuple[int, int]] = {
    "channel": (1, 16),
    "note": (0, 127),
    "velocity": (0, 127),
    "control": (0, 127),
    "value": (0, 127),
    "program": (0, 127),
    "position": (0, 16383),
}

PPQN = 24
"""MIDI clock pulses (CLOCK messages) per quarter note."""
CLOCK: Bytes = (0xF8,)
START: Bytes = (0xFA,)
CONTINUE: Bytes = (0xFB,)
STOP: Bytes = (0xFC,)


def check(field: str, value: object) -> int:
    """Return `value` as an int within the field's range, or raise naming the field.

    >>> check("velocity", 64.0)
    64
    """
    lo, hi = FIELD_RANGES[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MidiValueError(f"{field} must be a number, not {type(value).__name__}")
    if isinstance(value, float) and not value.is_integer():
        raise MidiValueError(f"{field}={value!r} must be a whole number")
    number = int(value)
    if not lo <= number <= hi:
        raise MidiValueError(f"{field}={value!r} is out of range {lo}..{hi}")
    return number


def note_on(channel: int, note: int, velocity: int) -> Bytes:
    """A note-on message (velocity 0 is sent as a note-off by receivers)."""
    return (0x90 | check("channel", channel) - 1, check("note", note), check("velocity", velocity))


def note_off(channel: int, note: int, velocity: int = 0) -> Bytes:
    """A note-off message.

    >>> note_off(2, 61)
    (129, 61, 0)
    """
    return (0x80 | check("channel", channel) - 1, check("note", note), check("velocity", velocity))


def control_change(channel: int, control: int, value: int) -> Bytes:
    """A control-change message."""
    return (0xB0 | check("channel", channel) - 1, check("control", control), check("value", value))


def program_change(channel: int, program: int) -> Bytes:
    """A program-change message.

    >>> program_change(1, 5)
    (192, 5)
    """
    return (0xC0 | check("channel", channel) - 1, check("program", program))


def all_notes_off(channel: int) -> Bytes:
    """CC 123 (All Notes Off) on `channel`."""
    return control_change(channel, 123, 0)


def song_position(sixteenths: int) -> Bytes:
    """Song Position Pointer in MIDI beats (sixteenth notes).

    >>> song_position(130)
    (242, 2, 1)
    """
    pos = check("position", sixteenths)
    return (0xF2, pos & 0x7F, pos >> 7)


def is_note_on(message: Bytes) -> bool:
    """True for a note-on with a velocity above zero."""
    return len(message) == 3 and message[0] & 0xF0 == 0x90 and message[2] > 0


def is_note_off(message: Bytes) -> bool:
    """True for a note-off, or a note-on with velocity zero."""
    return len(message) == 3 and (
        message[0] & 0xF0 == 0x80 or (message[0] & 0xF0 == 0x90 and message[2] == 0)
    )


def is_channel_message(message: Bytes) -> bool:
    """True for a channel message (note, CC, program, pressure, pitch bend; status 0x80..0xEF),
    False for system messages such as clock, Start and Stop.

    >>> is_channel_message(note_on(1, 60, 100)), is_channel_message(CLOCK)
    (True, False)
    """
    return bool(message) and 0x80 <= message[0] <= 0xEF
