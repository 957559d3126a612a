"""Conditional transformations: every/firstOf, lastOf, when, whenT, within, whenmod, chunk,
chunkBack, fastChunk.

>>> from patterns.constructors import sequence
>>> from patterns.structure import rev
>>> [e.value for e in sequence(1, 2).every(2, rev).onsets(0, 2)]
[2, 1, 1, 2]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from patterns.constructors import sequence, stack
from patterns.event import Event
from patterns.pattern import Pattern, silence
from patterns.register import as_pattern, register
from patterns.runaway import to_count
from patterns.structure import _iter, _iter_back, when_pattern
from patterns.time_ops import _repeat_cycles
from patterns.timespan import TimeSpan, to_time

__all__ = [
    "every",
    "firstOf",
    "lastOf",
    "when",
    "when_pattern",
    "whenT",
    "within",
    "whenmod",
    "chunk",
    "chunkBack",
    "fastChunk",
    "fix",
    "unfix",
]

Transform = Callable[[Pattern], Pattern]


def _cycle_choice(
    count: int, chosen: Callable[[int], bool], func: Transform, pat: Pattern
) -> Pattern:
    """Per cycle c: func(pat) if chosen(c mod count) else pat (no time shift)."""
    if count <= 0:
        return pat
    q_true = func(pat).query
    q_false = pat.query

    def query(span: TimeSpan) -> list[Event]:
        cycle = span.begin.numerator // span.begin.denominator
        return (q_true if chosen(cycle % count) else q_false)(span)

    return Pattern(query, pat.steps).split_queries()


def _first_of(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` in the first of every `count` cycles (alias every).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2).firstOf(3, lambda p: p.fast(2)).first_cycle()]
    [1, 2, 1, 2]
    """
    return _cycle_choice(int(to_time(count)), lambda i: i == 0, func, pat)


def _last_of(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` in the last of every `count` cycles.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2).lastOf(2, lambda p: p.fast(2)).query_arc(1, 2)]
    [1, 2, 1, 2]
    """
    n = int(to_time(count))
    return _cycle_choice(n, lambda i: i == n - 1, func, pat)


def _when(bools: Any, func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` where the boolean pattern is true (Strudel), or in the cycles for which a
    predicate on the cycle number is true (Tidal: `when(lambda c: c % 4 == 0, f)`).

    >>> from patterns.constructors import sequence
    >>> tens = lambda p: p.fmap(lambda v: v * 10)
    >>> [e.value for e in sequence(1, 2).when("1 0", tens).first_cycle()]
    [10, 2]
    >>> [e.value for e in sequence(1, 2).when(lambda c: c == 1, tens).onsets(0, 2)]
    [1, 2, 10, 20]
    """
    if callable(bools) and not isinstance(bools, Pattern):
        return _when_t(bools, func, pat)
    return when_pattern(as_pattern(bools, "when(bools, func, pat)"), func, pat)


def _when_t(test: Callable[[int], bool], func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` in the cycles whose number satisfies `test` (Tidal's whenT on cycles).

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat(1).whenT(lambda c: c > 1, lambda p: p.fmap(str)).query_arc(0, 3)]
    [1, 1, '1']
    """
    q_true = func(pat).query
    q_false = pat.query

    def query(span: TimeSpan) -> list[Event]:
        cycle = span.begin.numerator // span.begin.denominator
        return (q_true if test(cycle) else q_false)(span)

    return Pattern(query, pat.steps).split_queries()


def _within(begin: Any, end: Any, func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` to the part of each cycle between `begin` and `end` (Tidal semantics:
    the transformed pattern's events whose onset falls in [begin, end)).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2, 3, 4).within(0, 0.5, lambda p: p.fast(2)).first_cycle()]
    [1, 2, 3, 4, 3, 4]
    """
    b, e = to_time(begin), to_time(end)

    def inside(ev: Event) -> bool:
        t = ev.whole_or_part().begin
        pos = t - (t.numerator // t.denominator)
        return b <= pos < e

    return stack(func(pat).filter_events(inside), pat.filter_events(lambda ev: not inside(ev)))


def _whenmod(modulo: Any, minimum: Any, func: Transform, pat: Pattern) -> Pattern:
    """Apply `func` in cycles where cycle mod `modulo` >= `minimum`.

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat(1).whenmod(4, 2, lambda p: p.fmap(str)).query_arc(0, 4)]
    [1, 1, '1', '1']
    """
    a = to_time(modulo)
    low = to_time(minimum)
    if a <= 0:
        return pat
    return _when_t(lambda c: (c % a) >= low, func, pat)


def _chunk_with(count: Any, func: Transform, pat: Pattern, back: bool, fast: bool) -> Pattern:
    n = to_count(count, "chunk")
    if n <= 0:
        return silence
    binary = sequence(*([True] + [False] * (n - 1)))
    binary = _iter(n, binary) if back else _iter_back(n, binary)
    if not fast:
        pat = _repeat_cycles(n, pat)
    return when_pattern(binary, func, pat)


def _chunk(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Divide each cycle into `count` parts and apply `func` to one part per cycle, in turn.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2).chunk(2, lambda p: p.fmap(lambda v: v * 10)).onsets(0, 2)]
    [10, 2, 1, 20]
    """
    return _chunk_with(count, func, pat, back=False, fast=False)


def _chunk_back(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Like chunk, cycling through the parts backwards.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2, 3).chunkBack(3, lambda p: p.fmap(lambda v: v * 10)).onsets(1, 2)]
    [1, 2, 30]
    """
    return _chunk_with(count, func, pat, back=True, fast=False)


def _fast_chunk(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Like chunk, without repeating source cycles.

    >>> from patterns.constructors import sequence
    >>> len(sequence(1, 2).fastChunk(2, lambda p: p).first_cycle())
    2
    """
    return _chunk_with(count, func, pat, back=False, fast=True)


def _matches(controls: Any) -> Callable[[Any], bool]:
    wanted = dict(controls) if isinstance(controls, dict) else {"s": controls}

    def test(value: Any) -> bool:
        return isinstance(value, dict) and all(value.get(k) == v for k, v in wanted.items())

    return test


def _fix(func: Transform, controls: Any, pat: Pattern) -> Pattern:
    """Apply `func` only to the events whose control map contains `controls` (a dict, or a
    sound name).

    >>> from patterns.constructors import sequence
    >>> quiet = lambda p: p.fmap(lambda v: {**v, "gain": 0.5})
    >>> [e.value for e in sequence({"s": "bd"}, {"s": "sd"}).fix(quiet, {"s": "sd"}).onsets(0, 1)]
    [{'s': 'bd'}, {'s': 'sd', 'gain': 0.5}]
    """
    test = _matches(controls)
    return stack(func(pat.filter_values(test)), pat.filter_values(lambda v: not test(v)))


def _unfix(func: Transform, controls: Any, pat: Pattern) -> Pattern:
    """Apply `func` to the events that do NOT match `controls`.

    >>> from patterns.constructors import sequence
    >>> len(sequence({"s": "bd"}, {"s": "sd"}).unfix(lambda p: p.fast(2), "bd").onsets(0, 1))
    3
    """
    test = _matches(controls)
    return stack(pat.filter_values(test), func(pat.filter_values(lambda v: not test(v))))


firstOf = register(["every", "firstOf"], _first_of)
every = firstOf
lastOf = register("lastOf", _last_of)
when = register("when", _when, patternify=False)
whenT = register("whenT", _when_t, patternify=False)
within = register("within", _within)
whenmod = register("whenmod", _whenmod)
chunk = register("chunk", _chunk)
chunkBack = register(["chunkBack", "chunkback"], _chunk_back)
fastChunk = register(["fastChunk", "fastchunk"], _fast_chunk)
fix = register("fix", _fix, patternify=False)
unfix = register("unfix", _unfix, patternify=False)

