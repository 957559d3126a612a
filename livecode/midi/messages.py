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
    "bank_select",
    "pitch_bend",
    "channel_pressure",
    "poly_pressure",
    "nrpn",
    "rpn",
    "sysex",
    "parse_sysex",
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
    "bank": (0, 16383),
    "bend": (0, 16383),
    "pressure": (0, 127),
    "parameter": (0, 16383),
    "data": (0, 16383),
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


def bank_select(channel: int, bank: int) -> list[Bytes]:
    """Bank select: CC 0 (MSB) then CC 32 (LSB); follow it with a program change.

    >>> bank_select(1, 130)
    [(176, 0, 1), (176, 32, 2)]
    """
    number = check("bank", bank)
    return [control_change(channel, 0, number >> 7), control_change(channel, 32, number & 0x7F)]


def pitch_bend(channel: int, bend: float) -> Bytes:
    """Pitch bend from -1.0 (full down) through 0.0 (centre, 8192) to 1.0 (full up).

    >>> pitch_bend(1, 0.0), pitch_bend(1, 1.0), pitch_bend(1, -1.0)
    ((224, 0, 64), (224, 127, 127), (224, 0, 0))
    >>> pitch_bend(1, 2)
    Traceback (most recent call last):
    ...
    livecode.midi.errors.MidiValueError: bend=2 is out of range -1..1
    """
    if isinstance(bend, bool) or not isinstance(bend, (int, float)) or not -1.0 <= bend <= 1.0:
        raise MidiValueError(f"bend={bend!r} is out of range -1..1")
    number = check("bend", min(16383, round(8192 + bend * 8192)))
    return (0xE0 | check("channel", channel) - 1, number & 0x7F, number >> 7)


def channel_pressure(channel: int, pressure: int) -> Bytes:
    """Channel aftertouch.

    >>> channel_pressure(2, 100)
    (209, 100)
    """
    return (0xD0 | check("channel", channel) - 1, check("pressure", pressure))


def poly_pressure(channel: int, note: int, pressure: int) -> Bytes:
    """Polyphonic (per-note) aftertouch.

    >>> poly_pressure(1, 60, 90)
    (160, 60, 90)
    """
    return (0xA0 | check("channel", channel) - 1, check("note", note), check("pressure", pressure))


def _parameter_number(channel: int, msb_cc: int, lsb_cc: int, parameter: int, value: int) -> list[Bytes]:
    number, data = check("parameter", parameter), check("data", value)
    return [control_change(channel, msb_cc, number >> 7), control_change(channel, lsb_cc, number & 0x7F),
            control_change(channel, 6, data >> 7), control_change(channel, 38, data & 0x7F)]


def nrpn(channel: int, parameter: int, value: int) -> list[Bytes]:
    """An NRPN write: CC 99/98 select the parameter (14 bits), CC 6/38 carry the value (14 bits).

    >>> nrpn(1, 300, 1000)
    [(176, 99, 2), (176, 98, 44), (176, 6, 7), (176, 38, 104)]
    """
    return _parameter_number(channel, 99, 98, parameter, value)


def rpn(channel: int, parameter: int, value: int) -> list[Bytes]:
    """An RPN write (CC 101/100, then CC 6/38); RPN 0 is pitch-bend range (value = semitones << 7).

    >>> rpn(1, 0, 12 << 7)
    [(176, 101, 0), (176, 100, 0), (176, 6, 12), (176, 38, 0)]
    """
    return _parameter_number(channel, 101, 100, parameter, value)


def sysex(data: bytes | list[int] | tuple[int, ...]) -> Bytes:
    """A system exclusive message: F0, the data bytes (0..127 each), F7 (added when missing).

    >>> sysex([0x7E, 0x7F, 0x09, 0x01])
    (240, 126, 127, 9, 1, 247)
    """
    body = [int(b) for b in data]
    if body and body[0] == 0xF0:
        body = body[1:]
    if body and body[-1] == 0xF7:
        body = body[:-1]
    if not body:
        raise MidiValueError("sysex: the message has no data bytes")
    for index, byte in enumerate(body):
        if not 0 <= byte <= 0x7F:
            raise MidiValueError(f"sysex: byte {index + 1} = {byte} is out of range 0..127")
    return (0xF0, *body, 0xF7)


def parse_sysex(text: str) -> Bytes:
    """A sysex message from hex text, as typed in a pattern: "F0 7E 7F 09 01 F7" or "7e7f0901".

    >>> parse_sysex("F0 7E 7F 09 01 F7")
    (240, 126, 127, 9, 1, 247)
    >>> parse_sysex("7e 7g")
    Traceback (most recent call last):
    ...
    livecode.midi.errors.MidiValueError: sysex: '7e 7g' is not hex bytes (e.g. "F0 7E 7F 09 01 F7")
    """
    compact = "".join(text.replace(",", " ").split())
    try:
        if len(compact) % 2:
            raise ValueError(compact)
        data = bytes.fromhex(compact)
    except ValueError:
        raise MidiValueError(f'sysex: {text!r} is not hex bytes (e.g. "F0 7E 7F 09 01 F7")') from None
    return sysex(list(data))
