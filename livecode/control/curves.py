"""A controller's 0..1 position to a parameter's value: a range and a curve (lin, exp, log).

`lin` is straight; `exp` spends the first half of the travel on the low end (frequencies,
times: with a positive range it is geometric, 200..3200 Hz gives 800 Hz at the middle); `log` is
its mirror, quick at first (levels). `unmap` is the inverse, which soft takeover uses to compare
a knob with the value it would take over.

>>> Scale(200, 3200, "exp").map(0.5)
800.0
>>> Scale(0, 1).map(0.25), Scale(0, 1, "log").map(0.0)
(0.25, 0.0)
>>> round(Scale(200, 3200, "exp").unmap(800.0), 6)
0.5
>>> Scale(1, 0, "sine")
Traceback (most recent call last):
...
livecode.control.errors.MappingError: curve='sine' must be one of lin, exp, log
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from livecode.control.errors import MappingError

__all__ = ["Scale", "CURVES"]

CURVES = ("lin", "exp", "log")
_BEND = 100.0          # how far exp/log bend when the range crosses zero


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise MappingError(f"{field}={value!r} must be a finite number")
    return float(value)


@dataclass(frozen=True, slots=True)
class Scale:
    """Range `lo`..`hi` (may be reversed) and a curve."""

    lo: float = 0.0
    hi: float = 1.0
    curve: str = "lin"

    def __post_init__(self) -> None:
        _number("range low", self.lo)
        _number("range high", self.hi)
        if self.curve not in CURVES:
            raise MappingError(f"curve={self.curve!r} must be one of {', '.join(CURVES)}")

    @property
    def geometric(self) -> bool:
        """exp/log over a range of one sign: a true exponential."""
        return self.lo * self.hi > 0

    def map(self, x: float) -> float:
        """Position 0..1 (clamped) to value."""
        x = min(1.0, max(0.0, x))
        lo, hi = self.lo, self.hi
        if self.curve == "lin":
            return lo + (hi - lo) * x
        if self.curve == "exp":
            if self.geometric:
                return lo * (hi / lo) ** x
            return lo + (hi - lo) * (_BEND ** x - 1) / (_BEND - 1)
        if self.geometric:
            return _log_geo(lo, hi, x)
        return lo + (hi - lo) * math.log1p(x * (_BEND - 1)) / math.log(_BEND)

    def unmap(self, value: float) -> float:
        """Value to position 0..1 (the inverse of `map`), clamped."""
        lo, hi = self.lo, self.hi
        if hi == lo:
            return 0.0
        if self.curve == "lin":
            x = (value - lo) / (hi - lo)
        elif self.curve == "exp" and self.geometric:
            x = math.log(value / lo) / math.log(hi / lo) if value / lo > 0 else 0.0
        elif self.curve == "exp":
            x = math.log1p((value - lo) / (hi - lo) * (_BEND - 1)) / math.log(_BEND)
        elif self.geometric:
            x = _unlog_geo(lo, hi, value)
        else:
            x = (_BEND ** ((value - lo) / (hi - lo)) - 1) / (_BEND - 1)
        return min(1.0, max(0.0, x))


def _log_geo(lo: float, hi: float, x: float) -> float:
    """The mirror of the geometric exp: fast at first. lo + hi - exp-curve(1 - x)."""
    return lo + hi - lo * (hi / lo) ** (1 - x)


def _unlog_geo(lo: float, hi: float, value: float) -> float:
    rest = (lo + hi - value) / lo
    return 1 - math.log(rest) / math.log(hi / lo) if rest > 0 else 1.0
