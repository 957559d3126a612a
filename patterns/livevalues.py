"""Live values as continuous signals: a pattern that reads a controller's value when queried.

The pattern side stays pure: it reads a `ValueSource` handed to it (the session's control
values, written by MIDI and OSC inputs in `livecode.control`); it starts no thread and does no
I/O. `live_value(source, "cc74")` is Strudel's `midin`: a signal (0..1 for a CC) sampled at each
query, so `.range(200, 4000)` scales it and `.segment(16)` steps it.

>>> class Knobs:
...     def __init__(self): self.values = {"cc74": 0.25}
...     def value(self, name): return self.values.get(name)
>>> knobs = Knobs()
>>> cut = live_value(knobs, "cc74")
>>> cut.first_cycle()[0].value
0.25
>>> knobs.values["cc74"] = 1.0; cut.segment(2).first_cycle()[1].value
1.0
>>> live_value(knobs, "cc1", default=0.5).first_cycle()[0].value
0.5
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from patterns.errors import PatternError
from patterns.pattern import Pattern
from patterns.signals import signal

__all__ = ["ValueSource", "live_value"]


class ValueSource(Protocol):
    """Where live values come from: the latest value of a name, or None if none arrived yet."""

    def value(self, name: str) -> float | None:
        """The latest value of `name`."""
        ...


def live_value(source: ValueSource, name: str, default: float = 0.0) -> Pattern:
    """A continuous signal of `source`'s value for `name` (`default` until one arrives)."""
    if not isinstance(name, str) or not name:
        raise PatternError(f"live_value: name must be a non-empty string, got {name!r}")
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        raise PatternError(f"live_value: default must be a number, got {default!r}")

    def read(t: Fraction) -> float:
        value = source.value(name)
        return float(default) if value is None else value

    return signal(read)
