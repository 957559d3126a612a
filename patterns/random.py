"""Deterministic randomness: the reference generator (a pure function of time), the `rand`
signal it gives, and the random transformations (degradeBy, sometimesBy, someCyclesBy, ...).
`patterns.signals` builds the other random signals and choices on `rand`.

The generator is Strudel's: `x = t/300; s = trunc(frac(x) * 2**29)`, then an xorshift on
signed 32-bit integers; `rand(t) = abs(remainder(s, 2**29) / 2**29)`.

>>> time_to_rand(0), time_to_rand(0.25)
(0.0, 0.36975969187915325)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextvars import ContextVar
from fractions import Fraction
from typing import Any

from patterns.constructors import stack
from patterns.event import Event
from patterns.pattern import Pattern, reify
from patterns.register import register
from patterns.timespan import TimeSpan, sam, to_time

__all__ = [
    "xorwise",
    "time_to_int_seed",
    "int_seed_to_rand",
    "time_to_rand",
    "time_to_rands",
    "rand",
    "degradeByWith",
    "degradeBy",
    "degrade",
    "undegradeBy",
    "undegrade",
    "sometimesBy",
    "sometimes",
    "often",
    "rarely",
    "almostNever",
    "almostAlways",
    "always",
    "never",
    "someCyclesBy",
    "someCycles",
    "somecyclesBy",
    "seed",
    "seed_offset",
]

_SCALE = 536870912  # 2 ** 29
_GOLDEN = 0.6180339887498949
_SEED_OFFSET: ContextVar[float] = ContextVar("patterns_seed_offset", default=0.0)


def _int32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - 0x100000000 if x & 0x80000000 else x


def xorwise(x: int) -> int:
    """One xorshift step on a signed 32-bit integer.

    >>> xorwise(1)
    270369
    """
    a = _int32(x << 13) ^ x
    b = (a >> 17) ^ a
    return _int32(b << 5) ^ b


def time_to_int_seed(t: float | Fraction) -> int:
    """The integer seed of time `t` (300 cycles stretched over 2**29, then xorshifted).

    >>> time_to_int_seed(0)
    0
    """
    x = (float(t) + _SEED_OFFSET.get()) / 300
    frac = x - math.trunc(x)
    return xorwise(math.trunc(frac * _SCALE))


def int_seed_to_rand(seed: int) -> float:
    """A seed as a number in (-1, 1) (remainder with the sign of the dividend).

    >>> int_seed_to_rand(-268435456)
    -0.5
    """
    remainder = abs(seed) % _SCALE
    if seed < 0:
        remainder = -remainder
    return remainder / _SCALE


def time_to_rand(t: float | Fraction) -> float:
    """The random number in [0, 1) at time `t`.

    >>> round(time_to_rand(Fraction(1, 4)), 6)
    0.36976
    """
    return abs(int_seed_to_rand(time_to_int_seed(t)))


def time_to_rands(t: float | Fraction, count: int) -> list[float]:
    """`count` random numbers at time `t` (xorshift again for each further value).

    >>> len(time_to_rands(0.5, 3))
    3
    """
    seed = time_to_int_seed(t)
    out: list[float] = []
    for _ in range(count):
        out.append(int_seed_to_rand(seed))
        seed = xorwise(seed)
    return out


def _rand_query(span: TimeSpan) -> list[Event]:
    return [Event(None, span, time_to_rand(span.begin))]


rand = Pattern(_rand_query)
"""A uniform random signal in [0, 1), a pure function of time (sampled at the query's start:
`time_to_rand(begin)`)."""


def _degrade_by_with(with_pat: Any, amount: Any, pat: Pattern) -> Pattern:
    """Keep the events where `with_pat` (a 0..1 signal) is above `amount`.

    >>> from patterns.signals import rand
    >>> from patterns.constructors import sequence
    >>> len(degradeByWith(rand, 0, sequence(*"abcd")).first_cycle())
    3
    """
    x = float(to_time(amount)) if not isinstance(amount, float) else amount
    keep = reify(with_pat).filter_values(lambda v: v > x)
    return pat.fmap(lambda a: lambda _: a).app_left(keep)


def _degrade_by(amount: Any, pat: Pattern) -> Pattern:
    """Drop events at random: each is kept when rand(onset) > `amount`.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcdefgh").degradeBy(0.5).first_cycle()]
    ['b']
    """
    return _degrade_by_with(rand, amount, pat)


def _undegrade_by(amount: Any, pat: Pattern) -> Pattern:
    """The complement of `degradeBy(1 - amount)`: keeps the events it would drop.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcdefgh").undegradeBy(0.5).first_cycle()]
    ['a', 'c', 'd', 'e', 'f', 'g', 'h']
    """
    x = float(to_time(amount)) if not isinstance(amount, float) else amount
    keep = rand.fmap(lambda r: 1 - r).filter_values(lambda v: v >= x)
    return pat.fmap(lambda a: lambda _: a).app_left(keep)


def _degrade(pat: Pattern) -> Pattern:
    """`degradeBy(0.5)`.

    >>> from patterns.constructors import sequence
    >>> len(sequence(*"abcdefgh").degrade().first_cycle())
    1
    """
    return _degrade_by(0.5, pat)


def _undegrade(pat: Pattern) -> Pattern:
    """`undegradeBy(0.5)`.

    >>> from patterns.constructors import sequence
    >>> len(sequence(*"abcdefgh").undegrade().first_cycle())
    7
    """
    return _undegrade_by(0.5, pat)


def _sometimes_by(amount: Any, func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Apply `func` to each event with probability `amount` (rand < amount).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 0, 0, 0).sometimesBy(0.5, lambda p: p.fmap(lambda v: v + 1)).onsets(0, 1)]
    [1, 1, 1, 1]
    """
    x = float(to_time(amount))
    return stack(_degrade_by(x, pat), func(_undegrade_by(1 - x, pat)))


Transform = Callable[[Pattern], Pattern]


def _fixed_sometimes(amount: float, name: str) -> Callable[[Transform, Pattern], Pattern]:
    def apply(func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
        return _sometimes_by(amount, func, pat)

    apply.__doc__ = f"""`sometimesBy({amount}, func)`.

    >>> from patterns.constructors import sequence
    >>> len(sequence(0, 0, 0, 0).{name}(lambda p: p).first_cycle())
    4
    """
    return apply


def _always(func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Always apply `func` (`sometimesBy(1, func)`).

    >>> from patterns.pattern import pure
    >>> pure(1).always(lambda p: p.fmap(lambda v: v + 1)).first_cycle()[0].value
    2
    """
    return func(pat)


def _never(func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Never apply `func`: the pattern as it is.

    >>> from patterns.pattern import pure
    >>> pure(1).never(lambda p: p.fmap(lambda v: v + 1)).first_cycle()[0].value
    1
    """
    return pat


def _some_cycles_by(amount: Any, func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """Apply `func` to whole cycles with probability `amount` (rand sampled per cycle).

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat(0).someCyclesBy(0.5, lambda p: p.fmap(lambda v: v + 1)).onsets(0, 4)]
    [1, 0, 0, 1]
    """
    x = float(to_time(amount))

    def cycle_rand(e: Any) -> float:
        return time_to_rand(sam(e.whole_or_part().begin))

    return stack(
        pat.filter_events(lambda e: cycle_rand(e) >= x),
        func(pat.filter_events(lambda e: cycle_rand(e) < x)),
    )


def _some_cycles(func: Callable[[Pattern], Pattern], pat: Pattern) -> Pattern:
    """`someCyclesBy(0.5, func)`.

    >>> from patterns.constructors import cat
    >>> len(cat(0).someCycles(lambda p: p).query_arc(0, 4))
    4
    """
    return _some_cycles_by(0.5, func, pat)


def seed_offset(number: int) -> float:
    """The time offset (in cycles) that seed `number` adds to every random draw.

    >>> seed_offset(0), round(seed_offset(1), 3)
    (0.0, 185.41)
    """
    return (number * _GOLDEN * 300) % 300


def _seed(number: Any, pat: Pattern) -> Pattern:
    """Draw the pattern's randomness (rand, degradeBy, sometimes, `?`, `|`, shuffle, ...) from
    another seed; seed 0 is the reference generator. Still a pure function of time.

    >>> from patterns.signals import rand
    >>> [round(e.value, 3) for e in rand.segment(2).seed(1).first_cycle()]
    [0.317, 0.924]
    >>> [round(e.value, 3) for e in rand.segment(2).seed(0).first_cycle()]
    [0.0, 0.26]
    """
    offset = seed_offset(int(to_time(number)))
    query = pat.query

    def seeded(span: Any) -> list[Any]:
        token = _SEED_OFFSET.set(offset)
        try:
            return query(span)
        finally:
            _SEED_OFFSET.reset(token)

    return Pattern(seeded, pat.steps)


seed = register("seed", _seed)
degradeByWith = register("degradeByWith", _degrade_by_with, plain=(0,))
degradeBy = register("degradeBy", _degrade_by)
degrade = register("degrade", _degrade)
undegradeBy = register(["undegradeBy", "unDegradeBy"], _undegrade_by)
undegrade = register("undegrade", _undegrade)
sometimesBy = register("sometimesBy", _sometimes_by)
sometimes = register("sometimes", _fixed_sometimes(0.5, "sometimes"))
often = register("often", _fixed_sometimes(0.75, "often"))
rarely = register("rarely", _fixed_sometimes(0.25, "rarely"))
almostNever = register("almostNever", _fixed_sometimes(0.1, "almostNever"))
almostAlways = register("almostAlways", _fixed_sometimes(0.9, "almostAlways"))
always = register("always", _always)
never = register("never", _never)
someCyclesBy = register(["someCyclesBy", "somecyclesBy"], _some_cycles_by)
somecyclesBy = someCyclesBy
someCycles = register(["someCycles", "somecycles"], _some_cycles)
