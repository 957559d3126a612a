"""Rearranging cycles: shuffle, scramble, pick, pickmod, inhabit, squeeze, bite.

>>> from patterns.constructors import sequence
>>> sorted(e.value for e in sequence(*"abcd").shuffle(4).first_cycle())
['a', 'b', 'c', 'd']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from patterns.event import Event
from patterns.errors import PatternArgumentError
from patterns.pattern import Pattern, reify, silence
from patterns.random import time_to_rands
from patterns.register import register
from patterns.signals import rand, signal
from patterns.time_ops import _repeat_cycles, _zoom
from patterns.timespan import TimeSpan, sam, to_time
from patterns.runaway import to_count

__all__ = ["randrun", "shuffle", "scramble", "pick", "pickmod", "inhabit", "squeeze", "bite", "rot"]


def randrun(count: int) -> Pattern:
    """A random permutation of 0 .. count-1 each cycle.

    >>> sorted(e.value for e in randrun(4).first_cycle())
    [0, 1, 2, 3]
    """
    n = to_count(count, "randrun")
    if n <= 0:
        return silence

    def value(t: Fraction) -> int:
        cycle = t.numerator // t.denominator
        rands = time_to_rands(cycle + 0.5, n)
        order = sorted(range(n), key=lambda i: rands[i])
        return order[math.floor((t - cycle) * n) % n]

    return signal(value).segment(n)


def _rearrange_with(ipat: Pattern, count: int, pat: Pattern) -> Pattern:
    parts = [
        _repeat_cycles(count, _zoom(Fraction(i, count), Fraction(i + 1, count), pat)).fast_raw(
            Fraction(count)
        )
        for i in range(count)
    ]
    return ipat.fmap(lambda i: parts[int(i)]).inner_join()


def _shuffle(count: Any, pat: Pattern) -> Pattern:
    """Play the `count` parts of each cycle in a random order, each exactly once.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcd").shuffle(4).first_cycle()]
    ['c', 'b', 'd', 'a']
    """
    n = to_count(count, "shuffle")
    if n <= 0:
        return silence
    return _rearrange_with(randrun(n), n, pat)


def _scramble(count: Any, pat: Pattern) -> Pattern:
    """Play `count` randomly chosen parts of each cycle (parts may repeat).

    >>> from patterns.constructors import sequence
    >>> len(sequence(*"abcd").scramble(4).first_cycle())
    4
    """
    n = to_count(count, "scramble")
    if n <= 0:
        return silence
    indices = rand.fmap(lambda r: math.trunc(r * n)).segment(n)
    return _rearrange_with(indices, n, pat)


def _lookup(table: Any, key: Any, modulo: bool, name: str) -> Pattern:
    if isinstance(table, Mapping):
        try:
            return table.get(key, silence)
        except TypeError:  # an unhashable key names nothing
            return silence
    size = len(table)
    try:
        index = round(float(key))
    except (TypeError, ValueError):
        raise PatternArgumentError(f"{name}: index {key!r} is not a number") from None
    index = index % size if modulo else max(0, min(index, size - 1))
    return table[index]


def _prepare(lookup: Any, name: str) -> Any:
    if isinstance(lookup, Mapping):
        return {k: reify(v) for k, v in lookup.items()}
    if isinstance(lookup, (list, tuple)):
        return [reify(v) for v in lookup]
    raise PatternArgumentError(
        f"{name}(lookup, pat): lookup must be a list or a dict of patterns, got {lookup!r}"
    )


def _pick(lookup: Any, pat: Pattern) -> Pattern:
    """Choose patterns from a list (by index, clamped) or a dict (by name); inner join.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1).pick(["a", "b c"]).first_cycle()]
    ['a', 'c']
    """
    table = _prepare(lookup, "pick")
    if not table:
        return silence
    return pat.fmap(lambda k: _lookup(table, k, False, "pick")).inner_join()


def _pickmod(lookup: Any, pat: Pattern) -> Pattern:
    """Like pick, with list indices wrapping around.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(2).pickmod(["a", "b"]).first_cycle()]
    ['a']
    """
    table = _prepare(lookup, "pickmod")
    if not table:
        return silence
    return pat.fmap(lambda k: _lookup(table, k, True, "pickmod")).inner_join()


def _inhabit(lookup: Any, pat: Pattern) -> Pattern:
    """Squeeze a cycle of the named (or indexed, wrapping) pattern into each event.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence("x").inhabit({"x": "a b"}).first_cycle()]
    ['a', 'b']
    """
    table = _prepare(lookup, "inhabit")
    if not table:
        return silence
    return pat.fmap(lambda k: _lookup(table, k, True, "inhabit")).squeeze_join()


def _squeeze(lookup: Any, pat: Pattern) -> Pattern:
    """Squeeze a cycle of the chosen pattern (index clamped) into each event.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1).squeeze(["a b", "c"]).first_cycle()]
    ['a', 'b', 'c']
    """
    table = _prepare(lookup, "squeeze")
    if not table:
        return silence
    return pat.fmap(lambda k: _lookup(table, k, False, "squeeze")).squeeze_join()


def _bite(count: Any, indices: Any, pat: Pattern) -> Pattern:
    """Cut each cycle into `count` pieces and play them in the order of the index pattern.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1, 2, 3).bite(2, "1 0").first_cycle()]
    [2, 3, 0, 1]
    """

    def piece(i: Any) -> Any:
        def with_n(n: Any) -> Pattern:
            size = to_time(n)
            if size <= 0:
                return silence
            a = (to_time(i) / size) % 1
            return _zoom(a, a + 1 / size, pat)

        return with_n

    return reify(indices).fmap(piece).app_left(reify(count)).squeeze_join()


def _rot(steps: Any, pat: Pattern) -> Pattern:
    """Shift the values of each cycle's events by `steps` places, keeping the structure (Tidal).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcd").rot(1).onsets(0, 1)]
    ['b', 'c', 'd', 'a']
    """
    shift = int(to_time(steps))
    query = pat.query

    def rot_query(span: TimeSpan) -> list[Event]:
        cycle = sam(span.begin)
        events = [e for e in query(TimeSpan(cycle, cycle + 1)) if e.whole is not None]
        events.sort(key=lambda e: (e.whole.begin, e.part.begin))
        if not events:
            return []
        count = len(events)
        out: list[Event] = []
        for index, event in enumerate(events):
            part = event.part.intersection(span)
            if part is not None:
                value = events[(index + shift) % count].value
                out.append(Event(event.whole, part, value, event.context))
        return out

    return Pattern(rot_query, pat.steps).split_queries()


rot = register("rot", _rot)
shuffle = register("shuffle", _shuffle)
scramble = register("scramble", _scramble)
pick = register("pick", _pick, patternify=False)
pickmod = register("pickmod", _pickmod, patternify=False)
inhabit = register("inhabit", _inhabit, patternify=False)
squeeze = register("squeeze", _squeeze, patternify=False)
bite = register("bite", _bite, patternify=False)
