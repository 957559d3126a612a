"""The MIDI messages one pattern event asks for, besides its note.

An event routed to MIDI (`.midi(port)`) may carry message controls; each becomes a message sent
at the event's onset, before its note, in this order: bank select (`midibank`), program change
(`progNum`), control change (`ccn`/`ccv`, or `ccname`/`ccv` through the device map), NRPN
(`nrpnn`/`nrpv`), RPN (`rpnn`/`rpnv`), pitch bend (`midibend`, -1..1), channel aftertouch
(`miditouch`, 0..1), sysex (`sysex`, hex text). Poly aftertouch (`polytouch`, 0..1) goes after
the note-on, on that note. An event with message controls and no `note`/`n` sends only the
messages (as in Strudel: `ccv("0 64 127").ccn(74).midi()` plays no notes).

>>> maps = DeviceMaps(user_dir=None)
>>> event_messages({"ccname": "cutoff", "ccv": 100, "progNum": 5}, 1, maps)
([(192, 5), (176, 74, 100)], False)
>>> event_messages({"note": 60, "midibend": 0.5}, 2, maps)
([(225, 0, 96)], True)
>>> event_messages({"ccn": 74}, 1, maps)
Traceback (most recent call last):
...
livecode.midi.errors.MidiValueError: ccn=74 needs ccv (the value to send)
"""

from __future__ import annotations

from collections.abc import Mapping

import livecode.midi.messages as msg
from livecode.midi.devicemaps import DeviceMaps
from livecode.midi.errors import MidiValueError
from livecode.midi.messages import Bytes

__all__ = ["MESSAGE_KEYS", "event_messages", "after_note", "unit_to_7bit"]

MESSAGE_KEYS = frozenset({"ccn", "ccv", "ccname", "progNum", "midibank", "nrpnn", "nrpv", "rpnn", "rpnv",
                          "midibend", "miditouch", "sysex"})
"""Controls that make an event send messages (an event with only these sends no note)."""


def unit_to_7bit(field: str, value: object) -> int:
    """0..1 to 0..127, naming the field when out of range.

    >>> unit_to_7bit("miditouch", 0.5)
    64
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise MidiValueError(f"{field}={value!r} is out of range 0..1")
    return round(float(value) * 127)


def _pair(params: Mapping[str, object], number_key: str, value_key: str) -> tuple[object, object] | None:
    number, value = params.get(number_key), params.get(value_key)
    if number is None and value is None:
        return None
    if number is None:
        raise MidiValueError(f"{value_key}={value!r} needs {number_key} (which one to set)")
    if value is None:
        raise MidiValueError(f"{number_key}={number!r} needs {value_key} (the value to send)")
    return number, value


def _control(params: Mapping[str, object], maps: DeviceMaps) -> tuple[int, object] | None:
    name = params.get("ccname")
    if name is not None:
        if not isinstance(name, str):
            raise MidiValueError(f"ccname must be a controller name, not {name!r}")
        device = params.get("mididevice")
        number = maps.cc_number(device if isinstance(device, str) else None, name)
        if params.get("ccv") is None:
            raise MidiValueError(f"ccname={name!r} needs ccv (the value to send)")
        return number, params["ccv"]
    pair = _pair(params, "ccn", "ccv")
    return (msg.check("control", pair[0]), pair[1]) if pair is not None else None


def _whole(field: str, value: object) -> int:
    if isinstance(value, float) and not value.is_integer():
        return round(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MidiValueError(f"{field} must be a number, not {value!r}")
    return int(value)


def event_messages(params: Mapping[str, object], channel: int, maps: DeviceMaps) -> tuple[list[Bytes], bool]:
    """The messages before the note, and whether the event plays a note (see module doc)."""
    out: list[Bytes] = []
    if "midibank" in params:
        out += msg.bank_select(channel, _whole("midibank", params["midibank"]))
    if "progNum" in params:
        out.append(msg.program_change(channel, _whole("progNum", params["progNum"])))
    control = _control(params, maps)
    if control is not None:
        out.append(msg.control_change(channel, control[0], _whole("ccv", control[1])))
    for number_key, value_key, build in (("nrpnn", "nrpv", msg.nrpn), ("rpnn", "rpnv", msg.rpn)):
        pair = _pair(params, number_key, value_key)
        if pair is not None:
            out += build(channel, _whole(number_key, pair[0]), _whole(value_key, pair[1]))
    if "midibend" in params:
        bend = params["midibend"]
        if isinstance(bend, bool) or not isinstance(bend, (int, float)):
            raise MidiValueError(f"midibend must be a number -1..1, not {bend!r}")
        out.append(msg.pitch_bend(channel, float(bend)))
    if "miditouch" in params:
        out.append(msg.channel_pressure(channel, unit_to_7bit("miditouch", params["miditouch"])))
    if "sysex" in params:
        text = params["sysex"]
        if not isinstance(text, str):
            raise MidiValueError(f"sysex must be hex text such as \"7E 7F 09 01\", not {text!r}")
        out.append(msg.parse_sysex(text))
    plays = "note" in params or "n" in params or not (MESSAGE_KEYS & params.keys())
    return out, plays


def after_note(params: Mapping[str, object], channel: int, note: int) -> list[Bytes]:
    """What follows the note-on: poly aftertouch on that note (`polytouch`, 0..1).

    >>> after_note({"polytouch": 1.0}, 1, 60)
    [(160, 60, 127)]
    """
    if "polytouch" not in params:
        return []
    return [msg.poly_pressure(channel, note, unit_to_7bit("polytouch", params["polytouch"]))]
