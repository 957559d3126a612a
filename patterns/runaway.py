"""Runaway patterns, refused before any work: speed-ups, counts and densities past what can play.

A performer types `fast(1e9)`, `"bd*1e9"` or `chop(1e9)` by accident. Querying such a pattern
would not end, and everything sharing the process (the scheduler) would wait for it. These checks
cost nothing on honest patterns and raise `RunawayError` at once on runaways.

>>> check_speed(Fraction(16))
>>> to_count(4, "chop")
4
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol

from patterns.errors import RunawayError
from patterns.timespan import TimeLike, to_time

__all__ = ["MAX_SPEED", "MAX_COUNT", "MAX_DENSITY", "to_count", "check_speed", "check_density"]

MAX_SPEED = 10_000
"""The largest speed-up (`fast`, `*` in mini-notation, `slow` by its inverse) a pattern may have:
beyond it one cycle holds more events than anything can play, and a query would not end."""

MAX_COUNT = 10_000
"""The largest count of a transformation that makes that many copies or pieces (`chop`, `ply`,
`segment`, `iter`, `echo`, `run`, ...)."""

MAX_DENSITY = 100_000
"""Distinct onset times per cycle past which `check_density` calls a pattern a runaway."""

_WINDOWS = tuple(Fraction(1, 2**k) for k in (16, 12, 8))


def _onset(event: Any) -> bool:
    """An event that starts in the query (not a fragment of a longer one, not a signal)."""
    whole = event.whole
    return whole is not None and whole.begin == event.part.begin


class Queryable(Protocol):
    """Anything with a pattern's `query_arc`."""

    def query_arc(self, begin: Any, end: Any) -> list[Any]:
        """Events of the span [begin, end)."""


def to_count(value: TimeLike, name: str) -> int:
    """A count argument of `name` as an int (truncated toward zero), at most MAX_COUNT.

    >>> to_count(4, "chop"), to_count("3", "ply"), to_count(-2, "iter")
    (4, 3, -2)
    >>> to_count(1e9, "chop")
    Traceback (most recent call last):
    ...
    patterns.errors.RunawayError: chop(1e+09): a count above 10,000 is a runaway pattern
    """
    count = to_time(value)
    if abs(count) > MAX_COUNT:
        raise RunawayError(f"{name}({float(count):g}): a count above {MAX_COUNT:,} is a runaway pattern")
    return int(count)


def check_speed(scale: Fraction, name: str = "fast") -> None:
    """Refuse a time scale above MAX_SPEED (a pattern `scale` times faster than its source).

    >>> check_speed(Fraction(10**9))
    Traceback (most recent call last):
    ...
    patterns.errors.RunawayError: fast(1e+09): a speed-up above 10,000 is a runaway pattern
    """
    if scale > MAX_SPEED:
        raise RunawayError(f"{name}({float(scale):g}): a speed-up above {MAX_SPEED:,} is a runaway pattern")


def check_density(pattern: Queryable, at: Fraction = Fraction(0), limit: int = MAX_DENSITY) -> None:
    """Refuse a pattern with onsets at more than `limit` distinct times per cycle, looking
    through windows that grow from 1/65536 of a cycle at `at`, so the look costs little even
    when the pattern runs away (nested speed-ups each under MAX_SPEED,
    `"[bd*10000 sd]*10000"`). Onsets at one time (a chord) count once.

    >>> from patterns.mini import mini
    >>> check_density(mini("bd*16"))
    >>> check_density(mini("[bd*10000 sd]*10000"))
    Traceback (most recent call last):
    ...
    patterns.errors.RunawayError: about 200,015,872 events per cycle is a runaway pattern (at most 100,000)
    """
    for width in _WINDOWS:
        times = {event.whole.begin for event in pattern.query_arc(at, at + width) if _onset(event)}
        rate = int(len(times) / width)
        if rate > limit:
            raise RunawayError(f"about {rate:,} events per cycle is a runaway pattern (at most {limit:,})")
