"""Continuous signals (events without a whole, sampled at the start of the query) and the
random signals and choices built on the reference generator (`rand` itself lives in
`patterns.random`, beside the generator, and is re-exported here).

>>> [round(e.value, 3) for e in sine.segment(4).first_cycle()]
[0.5, 1.0, 0.5, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from patterns.constructors import fastcat
from patterns.event import Event
from patterns.pattern import Pattern, is_pure, reify, silence
from patterns.random import rand, time_to_rand
from patterns.timespan import TimeSpan

__all__ = [
    "signal",
    "sine",
    "sine2",
    "cosine",
    "cosine2",
    "saw",
    "saw2",
    "isaw",
    "isaw2",
    "tri",
    "tri2",
    "square",
    "square2",
    "time",
    "rand",
    "rand2",
    "irand",
    "brand",
    "brandBy",
    "perlin",
    "perlinWith",
    "choose",
    "chooseWith",
    "chooseInWith",
    "chooseCycles",
    "randcat",
    "cycleChoose",
    "wchoose",
    "wchooseCycles",
    "wrandcat",
]


def signal(func: Callable[[Fraction], Any]) -> Pattern:
    """A continuous pattern whose value is `func(t)` at the start `t` of each query.

    >>> signal(lambda t: t * 2).query_arc(Fraction(1, 4), 1)[0].value
    Fraction(1, 2)
    """

    def query(span: TimeSpan) -> list[Event]:
        return [Event(None, span, func(span.begin))]

    return Pattern(query)


def _cycle_pos(t: Fraction) -> float:
    return float(t - (t.numerator // t.denominator))


sine2 = signal(lambda t: math.sin(2 * math.pi * float(t)))
"""A sine wave from -1 to 1, one period per cycle."""

sine = signal(lambda t: (math.sin(2 * math.pi * float(t)) + 1) / 2)
"""A sine wave from 0 to 1 (starts at 0.5)."""

cosine = sine.early_raw(Fraction(1, 4))
"""`sine` a quarter cycle earlier (starts at 1)."""

cosine2 = sine2.early_raw(Fraction(1, 4))
"""`sine2` a quarter cycle earlier."""

saw = signal(_cycle_pos)
"""A ramp from 0 up to 1 each cycle."""

saw2 = signal(lambda t: _cycle_pos(t) * 2 - 1)
"""A ramp from -1 up to 1 each cycle."""

isaw = signal(lambda t: 1 - _cycle_pos(t))
"""A ramp from 1 down to 0 each cycle."""

isaw2 = signal(lambda t: (1 - _cycle_pos(t)) * 2 - 1)
"""A ramp from 1 down to -1 each cycle."""

tri = fastcat(saw, isaw)
"""A triangle 0 → 1 → 0 each cycle."""

tri2 = fastcat(saw2, isaw2)
"""A triangle -1 → 1 → -1 each cycle."""

square = signal(lambda t: math.floor(_cycle_pos(t) * 2) % 2)
"""0 for the first half of each cycle, 1 for the second."""

square2 = signal(lambda t: (math.floor(_cycle_pos(t) * 2) % 2) * 2 - 1)
"""-1 for the first half of each cycle, 1 for the second."""

time = signal(lambda t: t)
"""The current time in cycles (a Fraction)."""

rand2 = signal(lambda t: time_to_rand(t) * 2 - 1)
"""`rand` scaled to [-1, 1)."""


def _irand(count: Any) -> Pattern:
    n = float(count)
    return rand.fmap(lambda r: math.trunc(r * n))


def irand(count: Any) -> Pattern:
    """Random integers 0 .. count-1 (`count` may be patterned).

    >>> [e.value for e in irand(8).segment(4).first_cycle()]
    [0, 2, 2, 1]
    """
    pat = reify(count)
    if is_pure(pat):
        return _irand(pat.pure_value)
    return pat.fmap(_irand).inner_join()


def brandBy(probability: Any) -> Pattern:
    """Random booleans, True with `probability`.

    >>> [e.value for e in brandBy(0.5).segment(4).first_cycle()]
    [True, True, True, True]
    """
    pat = reify(probability)
    if is_pure(pat):
        p = float(pat.pure_value)
        return rand.fmap(lambda r: r < p)
    return pat.fmap(lambda v: rand.fmap(lambda r: r < float(v))).inner_join()


brand = brandBy(0.5)
"""Random booleans (rand < 0.5)."""


def _smoother_step(x: float) -> float:
    return 6.0 * x**5 - 15.0 * x**4 + 10.0 * x**3


def perlinWith(pat: Any) -> Pattern:
    """Perlin noise driven by `pat` (usually time): smooth steps between random values at integers.

    >>> round(perlinWith(time.fmap(float)).segment(1).first_cycle()[0].value, 6)
    0.0
    """
    source = reify(pat)

    def value(t: Any) -> float:
        x = float(t)
        a = math.floor(x)
        ra = time_to_rand(a)
        rb = time_to_rand(a + 1)
        return ra + _smoother_step(x - a) * (rb - ra)

    return source.fmap(value)


perlin = perlinWith(time)
"""Smooth random noise in [0, 1), interpolating rand values at whole cycles."""


def chooseWith(pat: Any, *values: Any) -> Pattern:
    """Choose among `values` by a 0..1 pattern (structure from `pat`, outer join).

    >>> [e.value for e in chooseWith(saw.segment(2), "a", "b").first_cycle()]
    ['a', 'b']
    """
    items = [reify(v) for v in values]
    if not items:
        return silence
    n = len(items)
    return reify(pat).fmap(lambda r: items[min(int(math.floor(float(r) * n)), n - 1)]).outer_join()


def chooseInWith(pat: Any, *values: Any) -> Pattern:
    """Like chooseWith but with the structure of the chosen pattern (inner join).

    >>> [e.value for e in chooseInWith(saw.segment(1), "a b", "c").first_cycle()]
    ['a', 'b']
    """
    items = [reify(v) for v in values]
    if not items:
        return silence
    n = len(items)
    return reify(pat).fmap(lambda r: items[min(int(math.floor(float(r) * n)), n - 1)]).inner_join()


def choose(*values: Any) -> Pattern:
    """A continuous random choice among `values`; sample it with segment or struct.

    >>> [e.value for e in choose("a", "b", "c").segment(4).first_cycle()]
    ['a', 'b', 'a', 'a']
    """
    return chooseWith(rand, *values)


def chooseCycles(*values: Any) -> Pattern:
    """Pick one of the patterns at random each cycle (alias randcat).

    >>> [e.value for e in chooseCycles("a", "b").query_arc(0, 4)]
    ['a', 'b', 'b', 'a']
    """
    return chooseInWith(rand.segment(1), *values)


randcat = chooseCycles
cycleChoose = chooseCycles


def _weighted(pairs: tuple[Any, ...]) -> tuple[list[Pattern], list[float], float]:
    values: list[Pattern] = []
    bounds: list[float] = []
    total = 0.0
    for pair in pairs:
        value, weight = pair
        total += float(weight)
        values.append(reify(value))
        bounds.append(total)
    return values, bounds, total


def _wmatch(values: list[Pattern], bounds: list[float], total: float) -> Callable[[Any], Pattern]:
    def match(r: Any) -> Pattern:
        find = float(r) * total
        for value, bound in zip(values, bounds):
            if bound > find:
                return value
        return values[-1]

    return match


def wchoose(*pairs: Any) -> Pattern:
    """A continuous weighted random choice of (value, weight) pairs.

    >>> [e.value for e in wchoose(("a", 1), ("b", 3)).segment(4).first_cycle()]
    ['a', 'b', 'b', 'a']
    """
    values, bounds, total = _weighted(pairs)
    if not values:
        return silence
    return rand.fmap(_wmatch(values, bounds, total)).outer_join()


def wchooseCycles(*pairs: Any) -> Pattern:
    """Pick one of the (pattern, weight) pairs at random each cycle (alias wrandcat).

    >>> [e.value for e in wchooseCycles(("a", 1), ("b", 3)).query_arc(0, 4)]
    ['a', 'b', 'b', 'a']
    """
    values, bounds, total = _weighted(pairs)
    if not values:
        return silence
    return rand.segment(1).fmap(_wmatch(values, bounds, total)).inner_join()


wrandcat = wchooseCycles
