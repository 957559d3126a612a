"""Turning pattern event values into what the outputs take: engine params and MIDI notes.

A control pattern's value is a dict (`{"s": "bd", "n": 3, "gain": 0.8}`); a bare number is a
`note`, a bare string an `s` (`"bd:3"` means `s="bd", n=3`). Note names become MIDI numbers
(C4 = 60; a bare name is octave 3, as in Strudel). A note whose `unit` is "c" (`loopAt`,
`splice`: speed in cycles) needs the tempo: `cycle_units` adds the current `cps`.

>>> event_params({"s": "bd:3", "gain": 0.8})
{'s': 'bd', 'gain': 0.8, 'n': 3}
>>> event_params(60), event_params("sd")
({'note': 60}, {'s': 'sd'})
>>> midi_note({"note": "a4", "velocity": 0.5})
(69, 64)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from livecode.errors import TargetError

__all__ = [
    "Target",
    "event_params",
    "note_name_to_midi",
    "midi_note",
    "hold_seconds",
    "event_route",
    "midi_ports",
    "cycle_units",
    "ENGINE_ONLY_KEYS",
]

# Controls livecode consumes itself; they are not sent to the engine as voice params. `legato`
# is sent: the held length already includes it, and the sampler reads it as Strudel's `clip`
# (a sample is cut at the held length only when the pattern sets legato/clip).
ENGINE_ONLY_KEYS = frozenset({"midiport", "midichan", "midiengine", "mididevice", "midinudge",
                              "oscaddr", "oschost", "oscport", "oscshape", "oscengine"})

_NOTE_RE = re.compile(r"^([a-gA-G])([#sbf]*)(-?\d+)?$")
_STEPS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


@dataclass(slots=True)
class Target:
    """Where a track's events go: the engine, a MIDI port and channel, or both.

    >>> Target().describe(), Target(engine=False, midi_port="IAC", midi_channel=2).describe()
    ('engine', 'midi IAC ch2')
    """

    engine: bool = True
    midi_port: str | None = None
    midi_channel: int = 1
    midi_nudge: float = 0.0
    """Milliseconds every MIDI message of the track is shifted by (`d1.midi(..., nudge=12)`)."""
    midi_device: str | None = None
    """The device map `ccname` looks names up in (`d1.midi(..., device="minilogue")`)."""

    def describe(self) -> str:
        """A short human description."""
        parts = ["engine"] if self.engine else []
        if self.midi_port is not None:
            parts.append(f"midi {self.midi_port} ch{self.midi_channel}")
        return " + ".join(parts) or "nowhere"


def note_name_to_midi(name: str) -> float:
    """MIDI number of a note name: `c4` = 60, `eb3` = 51, `a#2` = 46, bare `c` = 48.

    >>> note_name_to_midi("c4"), note_name_to_midi("eb3"), note_name_to_midi("c")
    (60, 51, 48)
    """
    match = _NOTE_RE.match(name.strip())
    if match is None:
        raise TargetError(f"note: {name!r} is not a note name (expected e.g. c4, eb3, a#2)")
    letter, accidentals, octave = match.groups()
    value = _STEPS[letter.lower()]
    for acc in accidentals:
        value += 1 if acc in "#s" else -1
    return value + 12 * ((int(octave) if octave is not None else 3) + 1)


def _split_colon(params: dict[str, object]) -> None:
    sound = params.get("s")
    if isinstance(sound, str) and ":" in sound:
        name, _, index = sound.partition(":")
        params["s"] = name
        if index.lstrip("-").isdigit() and "n" not in params:
            params["n"] = int(index)


def event_params(value: object) -> dict[str, object]:
    """A fresh control dict for an event value (dict, number, string or (s, n) pair).

    >>> event_params(("bd", 2))
    {'s': 'bd', 'n': 2}
    >>> event_params({"note": "c4"})
    {'note': 60}
    """
    if isinstance(value, Mapping):
        params = dict(value)
    elif isinstance(value, bool):
        params = {"note": int(value)}
    elif isinstance(value, (int, float)):
        params = {"note": value}
    elif isinstance(value, str):
        params = {"s": value}
    elif isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str):
        params = {"s": value[0], "n": value[1]}
    else:
        params = {"value": value}
    _split_colon(params)
    note = params.get("note")
    if isinstance(note, str):
        params["note"] = note_name_to_midi(note)
    return params


def event_route(params: Mapping[str, object], default: Target) -> Target:
    """The target of one event: a `midiport` control (from `pattern.midi(...)`) overrides the track's.

    >>> event_route({"midiport": "IAC", "midichan": 3}, Target()).describe()
    'midi IAC ch3'
    """
    port = params.get("midiport")
    if not isinstance(port, str):
        return default
    channel = params.get("midichan", params.get("channel", 1))
    chan = int(channel) if isinstance(channel, (int, float)) and not isinstance(channel, bool) else 1
    if not 1 <= chan <= 16:
        raise TargetError(f"midi: channel must be 1..16, got {channel!r}")
    return Target(engine=bool(params.get("midiengine", False)), midi_port=port, midi_channel=chan)


def midi_ports(values: Iterable[object], target: Target) -> list[str]:
    """The MIDI ports these event values go to on a track whose target is `target`, in order of
    first use: each value's `midiport` (from `pattern.midi(...)`), else the track's port.

    >>> midi_ports([{"note": 60, "midiport": "IAC"}, 62, {"midiport": "IAC"}], Target(midi_port="synth"))
    ['IAC', 'synth']
    >>> midi_ports(["bd", {"s": "sd"}], Target())
    []
    """
    names: list[str] = []
    for value in values:
        port = value.get("midiport") if isinstance(value, Mapping) else None
        name = port if isinstance(port, str) else target.midi_port
        if name is not None and name not in names:
            names.append(name)
    return names


def hold_seconds(params: Mapping[str, object], event_seconds: float) -> float:
    """How long a note is held: the event's length times `legato` (default 1).

    >>> hold_seconds({"legato": 0.5}, 2.0)
    1.0
    """
    legato = params.get("legato", 1.0)
    factor = float(legato) if isinstance(legato, (int, float)) and not isinstance(legato, bool) else 1.0
    return max(0.0, event_seconds * factor)


def cycle_units(params: dict[str, object], cps: float) -> dict[str, object]:
    """Add the tempo `cps` to a note whose `unit` is "c" (its `speed` counts cycles); `params`
    is changed in place and returned. The sampler plays such a note at speed x file length x cps.

    >>> cycle_units({"s": "break", "speed": 0.5, "unit": "c"}, 0.5)
    {'s': 'break', 'speed': 0.5, 'unit': 'c', 'cps': 0.5}
    >>> cycle_units({"s": "bd"}, 0.5)
    {'s': 'bd'}
    """
    if params.get("unit") == "c":
        if isinstance(cps, bool) or not isinstance(cps, (int, float)) or not 0.0 < cps <= 100.0:
            raise TargetError(f"cycle_units: cps must be a number in (0, 100], got {cps!r}")
        params["cps"] = float(cps)
    return params


def midi_note(params: Mapping[str, object]) -> tuple[int, int]:
    """(note number, velocity 1..127) for a MIDI output; note from `note`, else `n` (default 60).

    Velocity is `velocity` (0..1, default 0.8) times `gain` (default 1).

    >>> midi_note({"n": 62, "gain": 0.5})
    (62, 51)
    """
    raw = params.get("note", params.get("n", 60))
    if isinstance(raw, str):
        raw = note_name_to_midi(raw)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise TargetError(f"midi: note must be a number or note name, got {raw!r}")
    number = int(round(raw))
    if not 0 <= number <= 127:
        raise TargetError(f"midi: note {number} is out of range 0..127")
    velocity = _number(params.get("velocity", 0.8)) * _number(params.get("gain", 1.0))
    return number, max(1, min(127, int(round(velocity * 127))))


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 1.0
    return float(value)
