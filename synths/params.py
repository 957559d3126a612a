"""Table-driven parameter specs shared by instruments, effects and faders.

Every instrument and effect declares its parameters as a `ParamTable` of `ParamSpec` rows
(name, default, range, unit, one-line doc). Values are validated at the boundary with a
`ParamError` that names the parameter, the owner and the allowed range.

>>> table = ParamTable("kick", [ParamSpec("decay", 0.4, 0.01, 4.0, "s", "amp decay")])
>>> table.validate({"decay": 0.5})
{'decay': 0.5}
>>> table.validate({"decay": 9})
Traceback (most recent call last):
...
synths.errors.ParamError: kick: decay=9 is out of range [0.01, 4.0] (s)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from synths.errors import ParamError

__all__ = ["ParamSpec", "ParamTable", "COMMON_VOICE_PARAMS"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter: name, default, inclusive range, unit and a one-line doc."""

    name: str
    default: float
    lo: float
    hi: float
    unit: str = ""
    doc: str = ""

    def check(self, value: object, owner: str) -> float:
        """Return `value` as a float, or raise `ParamError` naming this parameter.

        Booleans are switches (`accent`, `slide` from a `"t f"` pattern): True is 1, False is 0.

        >>> ParamSpec("slide", 0.0, 0.0, 1.0).check(True, "acid")
        1.0
        """
        if not isinstance(value, (int, float)):
            raise ParamError(f"{owner}: {self.name} must be a number, not {type(value).__name__}")
        number = float(value)
        if math.isnan(number) or not self.lo <= number <= self.hi:
            raise ParamError(
                f"{owner}: {self.name}={value!r} is out of range [{self.lo}, {self.hi}]"
                + (f" ({self.unit})" if self.unit else "")
            )
        return number


class ParamTable(Mapping[str, ParamSpec]):
    """An ordered, read-only table of `ParamSpec` rows owned by an instrument or effect."""

    def __init__(self, owner: str, specs: Iterable[ParamSpec]) -> None:
        self.owner = owner
        self._specs: dict[str, ParamSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"{owner}: duplicate parameter {spec.name!r}")
            self._specs[spec.name] = spec

    def __getitem__(self, name: str) -> ParamSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def extend(self, owner: str, specs: Iterable[ParamSpec]) -> ParamTable:
        """A new table with this one's rows followed by `specs` (which may override)."""
        merged = dict(self._specs)
        for spec in specs:
            merged[spec.name] = spec
        return ParamTable(owner, merged.values())

    def defaults(self) -> dict[str, float]:
        """Every parameter at its default value."""
        return {name: spec.default for name, spec in self._specs.items()}

    def validate(self, values: Mapping[str, object], *, strict: bool = True) -> dict[str, float]:
        """Check `values`; unknown names raise in strict mode and are dropped otherwise."""
        checked: dict[str, float] = {}
        for name, value in values.items():
            spec = self._specs.get(name)
            if spec is None:
                if strict:
                    known = ", ".join(sorted(self._specs))
                    raise ParamError(f"{self.owner}: unknown parameter {name!r} (known: {known})")
                continue
            checked[name] = spec.check(value, self.owner)
        return checked


COMMON_VOICE_PARAMS = ParamTable(
    "voice",
    [
        ParamSpec("note", 60.0, -24.0, 151.0, "MIDI", "pitch as a MIDI note number (fractional ok)"),
        ParamSpec("freq", 261.63, 1.0, 20000.0, "Hz", "pitch in Hz; wins over note"),
        ParamSpec("velocity", 1.0, 0.0, 1.0, "", "note velocity"),
        ParamSpec("gain", 1.0, 0.0, 4.0, "", "linear gain of the note"),
        ParamSpec("pan", 0.5, 0.0, 1.0, "", "0 left, 0.5 centre, 1 right (Strudel convention)"),
        ParamSpec("legato", 1.0, 0.0, 16.0, "", "held length as a multiple of the event's length"),
        ParamSpec("attack", 0.005, 0.0, 10.0, "s", "envelope attack"),
        ParamSpec("decay", 0.1, 0.0, 10.0, "s", "envelope decay"),
        ParamSpec("sustain", 0.8, 0.0, 1.0, "", "envelope sustain level"),
        ParamSpec("release", 0.05, 0.0, 20.0, "s", "envelope release"),
        ParamSpec("cutoff", 8000.0, 20.0, 20000.0, "Hz", "filter cutoff (alias lpf)"),
        ParamSpec("resonance", 0.1, 0.0, 1.0, "", "filter resonance, 0..1"),
        ParamSpec("detune", 0.0, -100.0, 100.0, "cents", "fine detune (spread for unison voices)"),
    ],
)
