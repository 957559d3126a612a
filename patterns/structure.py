"""Structure: rev, revv, struct, segment, mask, invert, brak, press, pressBy, swingBy, swing,
iter, iterBack, palindrome, and the boolean-pattern helpers they share (`truthy`,
`struct_pattern`, `when_pattern`).

>>> from patterns.constructors import sequence
>>> [e.value for e in sequence("a", "b", "c").rev().onsets(0, 1)]
['c', 'b', 'a']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from collections.abc import Callable

from patterns.constructors import fastcat, slowcat, stack
from patterns.event import Event
from patterns.pattern import Pattern, pure, silence
from patterns.register import as_pattern, register
from patterns.runaway import to_count
from patterns.time_ops import _compress, _inside, late
from patterns.timespan import TimeSpan, to_time

__all__ = [
    "rev",
    "revv",
    "struct",
    "struct_pattern",
    "segment",
    "when_pattern",
    "mask",
    "invert",
    "inv",
    "brak",
    "press",
    "pressBy",
    "swingBy",
    "swing",
    "iter",
    "iterBack",
    "palindrome",
    "truthy",
]


def truthy(value: Any) -> bool:
    """Strudel's truthiness for boolean patterns: 0, False, None, "" and "~" are false.

    >>> truthy(1), truthy(0), truthy("t"), truthy(False)
    (True, False, True, False)
    """
    return bool(value) and value != "~"


def _rev(pat: Pattern) -> Pattern:
    """Reverse each cycle.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, [2, 3]).rev().onsets(0, 1)]
    [3, 2, 1]
    """
    return pat.rev_raw()


def _revv(pat: Pattern) -> Pattern:
    """Reverse time globally (negate time): cycle order reverses too (Strudel's revv).

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat("a", "b").revv().onsets(0, 2)]
    ['b', 'a']
    """
    query = pat.query

    def revv_query(span: TimeSpan) -> list[Event]:
        return [
            e.with_span(lambda s: TimeSpan(-s.end, -s.begin))
            for e in query(TimeSpan(-span.end, -span.begin))
        ]

    return Pattern(revv_query, pat.steps)


def struct_pattern(bools: Pattern, pat: Pattern) -> Pattern:
    """Events with the structure of `bools` (truthy events only) and values from `pat`.

    >>> from patterns.constructors import sequence
    >>> [str(e.whole) for e in struct_pattern(sequence(True, True), pure("a")).first_cycle()]
    ['0 → 1/2', '1/2 → 1']
    """
    query_b = bools.query
    query_v = pat.query

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for eb in query_b(span):
            if not truthy(eb.value):
                continue
            bpart = eb.part
            for ev in query_v(eb.whole if eb.whole is not None else bpart):
                part = bpart.intersection(ev.part)
                if part is not None:
                    out.append(Event(eb.whole, part, ev.value, ev.combine_context(eb)))
        return out

    return Pattern(query, bools.steps)


def _segment(count: Any, pat: Pattern) -> Pattern:
    """Sample the pattern into `count` discrete events per cycle (Strudel:
    `struct(pure(true).fast(count))`).

    >>> from patterns.signals import saw
    >>> [e.value for e in saw.segment(4).first_cycle()]
    [0.0, 0.25, 0.5, 0.75]
    """
    count = to_time(count)
    to_count(count, "segment")
    return struct_pattern(pure(True).fast_raw(count), pat).set_steps(count)


def when_pattern(
    bools: Pattern, func: Callable[[Pattern], Pattern], pat: Pattern
) -> Pattern:
    """Where the boolean pattern is true use func(pat), elsewhere pat (fragments by `bools`).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in when_pattern(sequence(True, False), lambda p: p.fmap(str), sequence(1, 2)).first_cycle()]
    ['1', 2]
    """
    true_pat = bools.filter_values(truthy)
    false_pat = bools.filter_values(lambda v: not truthy(v))
    with_pat = true_pat.fmap(lambda _: lambda y: y).app_right(func(pat))
    without_pat = false_pat.fmap(lambda _: lambda y: y).app_right(pat)
    return stack(with_pat, without_pat)


def _struct(bools: Any, pat: Pattern) -> Pattern:
    """Take the structure from a boolean pattern (falsy steps are dropped).

    >>> [str(e.whole.begin) for e in pure("a").struct("1 0 1 1").first_cycle()]
    ['0', '1/2', '3/4']
    """
    return struct_pattern(as_pattern(bools, "struct(bools, pat)"), pat)


def _mask(bools: Any, pat: Pattern) -> Pattern:
    """Keep only the parts of events where the boolean pattern is truthy (structure from pat).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence("a", "b").mask("1 0").first_cycle()]
    ['a']
    """
    query_b = as_pattern(bools, "mask(bools, pat)").query
    query_v = pat.query

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for ev in query_v(span):
            vpart = ev.part
            for eb in query_b(ev.whole if ev.whole is not None else vpart):
                if not truthy(eb.value):
                    continue
                part = vpart.intersection(eb.part)
                if part is not None:
                    out.append(Event(ev.whole, part, ev.value, eb.combine_context(ev)))
        return out

    return Pattern(query, pat.steps)


def _invert(pat: Pattern) -> Pattern:
    """Negate a boolean pattern.

    >>> [e.value for e in pure(True).invert().first_cycle()]
    [False]
    """
    return pat.fmap(lambda v: not truthy(v))


def _when_cycle(test: Any, func: Any, pat: Pattern) -> Pattern:
    """Per cycle: func(pat) where test(cycle) else pat."""
    transformed = func(pat)
    q_true, q_false = transformed.query, pat.query

    def query(span: TimeSpan) -> list[Event]:
        cycle = span.begin.numerator // span.begin.denominator
        return (q_true if test(cycle) else q_false)(span)

    return Pattern(query, pat.steps).split_queries()


def _brak(pat: Pattern) -> Pattern:
    """Squash every other cycle into its first half, shifted a quarter later (breakbeat feel).

    >>> from patterns.constructors import sequence
    >>> [str(e.whole) for e in sequence("a", "b").brak().query_arc(1, 2)]
    ['5/4 → 3/2', '3/2 → 7/4']
    """
    return when_pattern(
        slowcat(False, True), lambda x: fastcat(x, silence).late_raw(Fraction(1, 4)), pat
    )


def _press_by(amount: Any, pat: Pattern) -> Pattern:
    """Compress each event into the last (1 - amount) of its span.

    >>> [str(e.whole) for e in pure("a").pressBy(0.25).first_cycle()]
    ['1/4 → 1']
    """
    r = to_time(amount)
    return pat.fmap(lambda v: _compress(r, 1, pure(v))).squeeze_join()


def _press(pat: Pattern) -> Pattern:
    """`pressBy(0.5)`: each event moves to the second half of its span.

    >>> [str(e.whole) for e in pure("a").press().first_cycle()]
    ['1/2 → 1']
    """
    return _press_by(Fraction(1, 2), pat)


def _swing_by(amount: Any, divisions: Any, pat: Pattern) -> Pattern:
    """Delay the second half of each 1/divisions slice by `amount` × half a slice (Strudel:
    `inside(n, late(seq(0, amount / 2)))`; 1/3 gives a triplet swing).

    >>> from patterns.constructors import sequence
    >>> [str(e.whole.begin) for e in sequence(*"abcd").swingBy(Fraction(1, 3), 2).onsets(0, 1)]
    ['0', '1/3', '1/2', '5/6']
    """
    half = to_time(amount) / 2
    return _inside(divisions, lambda p: late(fastcat(0, half), p), pat)


def _swing(divisions: Any, pat: Pattern) -> Pattern:
    """`swingBy(1/3, divisions)`.

    >>> from patterns.constructors import sequence
    >>> len(sequence(*"abcd").swing(2).onsets(0, 1))
    4
    """
    return _swing_by(Fraction(1, 3), divisions, pat)


def _iter(times: Any, pat: Pattern) -> Pattern:
    """Start each cycle one 1/times later in the pattern (abcd, bcda, cdab, ...).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcd").iter(4).query_arc(1, 2)]
    ['b', 'c', 'd', 'a']
    """
    n = to_count(times, "iter")
    if n <= 0:
        return silence
    return slowcat(*[pat.early_raw(Fraction(i, n)) for i in range(n)]).set_steps(pat.steps)


def _iter_back(times: Any, pat: Pattern) -> Pattern:
    """Like iter, in the other direction (abcd, dabc, cdab, ...).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcd").iterBack(4).query_arc(1, 2)]
    ['d', 'a', 'b', 'c']
    """
    n = to_count(times, "iterBack")
    if n <= 0:
        return silence
    return slowcat(*[pat.late_raw(Fraction(i, n)) for i in range(n)]).set_steps(pat.steps)


def _palindrome(pat: Pattern) -> Pattern:
    """Play forwards, then backwards, every other cycle (Strudel: `lastOf(2, rev)`).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abc").palindrome().onsets(0, 2)]
    ['a', 'b', 'c', 'c', 'b', 'a']
    """
    return _when_cycle(lambda c: c % 2 == 1, _rev, pat)


rev = register("rev", _rev)
revv = register("revv", _revv)
struct = register("struct", _struct, patternify=False)
segment = register(["segment", "seg", "discretise"], _segment)
mask = register("mask", _mask, patternify=False)
invert = register(["invert", "inv"], _invert)
inv = invert
brak = register("brak", _brak)
press = register("press", _press)
pressBy = register("pressBy", _press_by)
swingBy = register("swingBy", _swing_by)
swing = register("swing", _swing)
iter = register("iter", _iter)  # noqa: A001 - Strudel's name
iterBack = register(["iterBack", "iterback"], _iter_back)
palindrome = register("palindrome", _palindrome)
