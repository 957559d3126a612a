"""`Sleeper`: a voice's pyo objects stop while it is silent and wake for each note.

>>> Sleeper.MARGIN
0.05
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.order import streams_of

__all__ = ["Sleeper", "streams_of"]


class Sleeper:
    """Stops a voice's pyo objects while it is silent and wakes them for each note.

    pyo computes every playing object every block, sounding or not, so an idle pool of 16 voices
    would cost as much as 16 sounding ones. Each object's hidden helper streams (input faders,
    end triggers) sleep with it. `wake(seconds)` plays the voice's objects now and
    schedules their stop `seconds` later (plus a margin for block rounding); a later `wake`
    replaces the pending stop. Start/stop go through the C-level `_base_objs` (about 0.4 µs per
    object) and create nothing. Objects in `exclude` (the engine's trigger) are left alone.

    >>> Sleeper.MARGIN
    0.05
    """

    MARGIN: ClassVar[float] = 0.05

    def __init__(self, owner: object, exclude: Iterable[object] = ()) -> None:
        self._exclude = {id(obj) for obj in exclude}
        self._seen: set[int] = set()
        self.bases: list[Any] = []
        self._visit(owner, 0)
        del self._seen

    def _visit(self, value: object, depth: int) -> None:
        if id(value) in self._seen or id(value) in self._exclude:
            return
        self._seen.add(id(value))
        if isinstance(value, pyo().PyoObject):
            self.bases.extend(streams_of(value))
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._visit(item, depth)
        elif depth < 3 and _is_helper(value):
            for item in vars(value).values():
                self._visit(item, depth + 1)

    def sleep(self) -> None:
        """Stop every object now (the voice outputs silence and costs nothing)."""
        for base in self.bases:
            base.stop(0)

    def wake(self, seconds: float) -> None:
        """Play every object now and stop them all `seconds` (+ `MARGIN`) from now."""
        wait = max(seconds, 0.0) + self.MARGIN
        for base in self.bases:
            base.play(0, 0)
            base.stop(wait)


def _is_helper(value: object) -> bool:
    """Whether `value` is one of this package's helper objects (e.g. a `PhaseSweep`) to look into."""
    return type(value).__module__.startswith("synths.instruments") and hasattr(value, "__dict__")
