"""Strudel's stepwise functions, based on a pattern's step count (`Pattern.steps`): take, drop,
pace, expand.

>>> from patterns.constructors import sequence
>>> [e.value for e in sequence(*"abcde").take(2).first_cycle()]
['a', 'b']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from patterns.errors import PatternError
from patterns.pattern import Pattern, silence
from patterns.register import register
from patterns.time_ops import _zoom
from patterns.timespan import to_time

__all__ = ["take", "drop", "pace", "expand"]


def _steps_of(pat: Pattern, name: str) -> Fraction:
    if pat.steps is None:
        raise PatternError(f"{name}: the pattern has no step count (build it with a sequence)")
    return pat.steps


def _take(count: Any, pat: Pattern) -> Pattern:
    """Keep the first `count` steps (negative: the last), stretched to fill the cycle.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcde").take(-2).first_cycle()]
    ['d', 'e']
    """
    i = to_time(count)
    if i == 0:
        return silence
    steps = _steps_of(pat, "take")
    fraction = abs(i) / steps
    if fraction >= 1:
        return pat
    if i < 0:
        return _zoom(1 - fraction, 1, pat)
    return _zoom(0, fraction, pat)


def _drop(count: Any, pat: Pattern) -> Pattern:
    """Remove the first `count` steps (negative: the last), the rest filling the cycle.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcde").drop(2).first_cycle()]
    ['c', 'd', 'e']
    """
    i = to_time(count)
    steps = _steps_of(pat, "drop")
    if abs(i) >= steps:
        return silence
    if i < 0:
        return _take(steps + i, pat)
    return _take(-(steps - i), pat)


def _pace(target: Any, pat: Pattern) -> Pattern:
    """Play `target` steps per cycle, whatever the pattern's own step count.

    >>> from patterns.constructors import sequence
    >>> len(sequence(*"abc").pace(6).first_cycle())
    6
    """
    t = to_time(target)
    if pat.steps is None or pat.steps == 0:
        return pat
    if t == 0:
        return silence
    return pat.fast_raw(t / pat.steps).with_steps(t)


def _expand(factor: Any, pat: Pattern) -> Pattern:
    """Multiply the step count (the events do not change).

    >>> from patterns.constructors import sequence
    >>> sequence(*"ab").expand(2).steps
    Fraction(4, 1)
    """
    f = to_time(factor)
    return pat.with_steps(None if pat.steps is None else pat.steps * f)


take = register("take", _take)
drop = register("drop", _drop)
pace = register("pace", _pace)
expand = register("expand", _expand)
