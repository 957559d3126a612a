"""Stereo width by mid/side: 0 mono, 1 unchanged, 2 twice as wide.

>>> Width.PARAMS["width"].default, Width.PARAMS["width"].hi
(1.0, 2.0)

Usage (not run as a doctest: it needs a running engine)::

    d3.fx("width", width=1.6)
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["Width"]


class Width(Effect):
    """Scale the side (L-R) signal by `width`: left = mid + w*side, right = mid - w*side.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("width", width=0)                      # fold to mono
    """

    KIND: ClassVar[str] = "width"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("width", 1.0, 0.0, 2.0, "", "0 mono, 1 unchanged, 2 extra wide"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._left = p.Sig(source[0])
        self._right = p.Sig(source[1]) if len(source) > 1 else self._left
        self._mid = (self._left + self._right) * 0.5
        self._side = (self._left - self._right) * 0.5 * self.p("width")
        return p.Mix([self._mid + self._side, self._mid - self._side], voices=2)
