"""Change-only, C-level setters for the pyo attributes a voice sets on every note.

`obj.freq = x` in pyo runs Python first: an argument check, a conversion to lists and a list
comprehension over the object's C streams (about 5 us each), then the C setter. A voice sets
dozens of such attributes per note, in the audio callback, with the GIL held and the block
waiting: at 128 frames a chord's notes cost more than the block (`docs/engine.md`, "What keeps
the live engine on time"). A `Setter` binds the C streams' setter once, and then sets a float
only when it differs from the last one it set, keeping the Python attribute (`obj._freq`, what
`obj.freq` reads) true.

Every write of that attribute must go through its `Setter` (another write leaves its memory of
the last value wrong); attributes set to a pyo object (a modulator) are not for it.

>>> class Stream:                     # stands in for a pyo C stream
...     def __init__(self): self.calls = []
...     def setFreq(self, x): self.calls.append(x)
>>> class Obj:                        # stands in for a pyo object with two channels
...     def __init__(self): self._freq, self._base_objs = 1000.0, [Stream(), Stream()]
>>> obj = Obj(); freq = Setter(obj, "freq")
>>> freq(440.0); freq(440.0); freq(1000.0)
>>> obj._freq, obj._base_objs[1].calls
(1000.0, [440.0, 1000.0])
>>> freq.each([100.0, 200.0]); obj._base_objs[1].calls[-1], obj._freq
(200.0, [100.0, 200.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Setter"]


class Setter:
    """Set float attribute `name` of pyo object `obj` on its C streams, only on a change (see
    the module doc)."""

    __slots__ = ("field", "last", "methods", "obj")

    def __init__(self, obj: Any, name: str) -> None:
        self.obj = obj
        self.field = f"_{name}"
        method = f"set{name[0].upper()}{name[1:]}"
        self.methods: list[Callable[[float], None]] = [getattr(base, method) for base in obj._base_objs]
        current = getattr(obj, self.field, None)
        self.last: float | None = float(current) if isinstance(current, (int, float)) else None

    def __call__(self, value: float) -> None:
        if value == self.last:
            return
        self.last = value
        setattr(self.obj, self.field, value)
        for method in self.methods:
            method(value)

    def each(self, values: list[float]) -> None:
        """One value per C stream, as `obj.<name> = values` (a list) does: stream k takes
        `values[k % len(values)]`. Sets every stream (no memory of lists)."""
        self.last = None
        setattr(self.obj, self.field, values)
        count = len(values)
        for index, method in enumerate(self.methods):
            method(values[index % count])
