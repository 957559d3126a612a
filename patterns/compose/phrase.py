"""A phrase: a finite list of timed values that loops, as a pattern.

Generators, drum programs and Markov chains compute a phrase once (a list of
``(begin, end, value)`` in cycles within ``[0, period)``), then play it for ever: the pattern
is a pure function of time and costs one pass over the phrase per period a query touches.

>>> from fractions import Fraction as F
>>> pat = loop_phrase([(F(0), F(1, 2), "a"), (F(1, 2), F(1), "b")], F(1))
>>> [(str(e.whole.begin), e.value) for e in pat.query_arc(1, 2)]
[('1', 'a'), ('3/2', 'b')]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import lru_cache
from typing import Any

from patterns.compose.rng import check_seed
from patterns.errors import PatternError
from patterns.event import Event
from patterns.pattern import Pattern, reify, silence
from patterns.timespan import TimeSpan, make_span

__all__ = ["PhraseEvent", "loop_phrase", "phrase_events", "per_seed"]

PhraseEvent = tuple[Fraction, Fraction, Any]
"""One value of a phrase: begin and end in cycles from the phrase start, and the value."""


def loop_phrase(events: Iterable[PhraseEvent], period: Fraction | int) -> Pattern:
    """Play `events` (times within ``[0, period)``) and repeat them every `period` cycles.

    >>> from fractions import Fraction as F
    >>> pat = loop_phrase([(F(0), F(2), "long")], 2)
    >>> [(str(e.whole), str(e.part)) for e in pat.query_arc(1, 2)]
    [('0 → 2', '1 → 2')]
    """
    length = Fraction(period)
    if length <= 0:
        raise PatternError(f"loop_phrase: the period must be positive, got {period!r}")
    items = sorted(events, key=lambda item: (item[0], item[1]))
    for begin, end, _ in items:
        if not 0 <= begin < end <= length:
            raise PatternError(f"loop_phrase: an event {begin}..{end} lies outside the period 0..{length}")
    if not items:
        return silence

    def query(span: TimeSpan) -> list[Event]:
        first = math.floor(span.begin / length)
        last = max(first + 1, math.ceil(span.end / length))
        out: list[Event] = []
        for index in range(first, last):
            offset = length * index
            for begin, end, value in items:
                whole = make_span(begin + offset, end + offset)
                part = whole.intersection(span)
                if part is not None:
                    out.append(Event(whole, part, value))
        return out

    return Pattern(query)


def phrase_events(pattern: Pattern, cycles: Fraction | int = 1) -> list[PhraseEvent]:
    """The onsets of `pattern` in ``[0, cycles)`` as a phrase (sorted by time).

    >>> from patterns.constructors import sequence
    >>> [(str(b), str(e), v) for b, e, v in phrase_events(sequence("a", "b"))]
    [('0', '1/2', 'a'), ('1/2', '1', 'b')]
    """
    found = [e for e in pattern.query_arc(0, cycles) if e.whole is not None and e.has_onset()]
    found.sort(key=lambda e: e.whole.begin)  # type: ignore[union-attr]
    return [(e.whole.begin, e.whole.end, e.value) for e in found]  # type: ignore[union-attr]


def per_seed(seed: Any, where: str, build: Callable[[int], Pattern]) -> Pattern:
    """`build(seed)` for a whole-number seed; for a patterned seed (`"<1 2>"`), each cycle
    plays the phrase of the seed in force at that time (phrases built once and kept).

    >>> from patterns.pattern import pure
    >>> [e.value for e in per_seed("<1 2>", "example", pure).query_arc(0, 2)]
    [1, 2]
    """
    if isinstance(seed, int) or isinstance(seed, bool):
        return build(check_seed(seed, where))
    cached = lru_cache(maxsize=64)(lambda value: build(check_seed(value, where)))
    result = reify(seed).fmap(cached).inner_join()
    result.first_cycle()  # a bad seed fails when the code runs, not when the cycle plays
    return result
