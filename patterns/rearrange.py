"""Rearranging cycles: shuffle, scramble, pick, pickmod, inhabit, inhabitmod, squeeze, bite, rot.

>>> from patterns.constructors import sequence
>>> sorted(e.value for e in sequence(*"abcd").shuffle(4).first_cycle())
['a', 'b', 'c', 'd']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from patterns.event import Event
from patterns.errors import PatternArgumentError
from patterns.pattern import Pattern, is_pure, reify, silence
from patterns.random import time_to_rands
from patterns.register import register
from patterns.signals import rand, signal
from patterns.time_ops import _repeat_cycles, _zoom
from patterns.timespan import TimeSpan, sam, to_time
from patterns.runaway import to_count

__all__ = [
    "randrun", "shuffle", "scramble", "pick", "pickmod", "inhabit", "inhabitmod", "squeeze", "bite",
    "rot"]


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


def _round_half_up(number: float) -> int:
    """JavaScript's Math.round (halves go up: 2.5 -> 3, -2.5 -> -2), which Strudel's pick uses.

    >>> _round_half_up(2.5), _round_half_up(-2.5), _round_half_up(1.4)
    (3, -2, 1)
    """
    return math.floor(number + 0.5)


def _js_key(key: Any) -> str | None:
    """The property name JavaScript would look a value up by (`lookup[1]` finds key "1"), or
    None when there is none to try.

    >>> _js_key(1), _js_key(2.0), _js_key(0.5), _js_key(True), _js_key(None)
    ('1', '2', '0.5', 'true', None)
    """
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float) and math.isfinite(key):
        return str(int(key)) if key.is_integer() else repr(key)
    return None


def _lookup(table: Any, key: Any, modulo: bool, name: str) -> Pattern:
    """The pattern `key` picks: by name from a dict (a missing name picks silence), by index
    from a list (rounded as Math.round does, then wrapped or clamped)."""
    if isinstance(table, Mapping):
        try:
            found = table.get(key)
        except TypeError:  # an unhashable key names nothing
            return silence
        if found is None and not isinstance(key, str):
            found = table.get(_js_key(key))
        return silence if found is None else found
    size = len(table)
    try:
        index = _round_half_up(float(key))
    except (TypeError, ValueError, OverflowError):
        raise PatternArgumentError(f"{name}: index {key!r} is not a number") from None
    index = index % size if modulo else max(0, min(index, size - 1))
    return table[index]


def _prepare(lookup: Any, name: str) -> Any:
    """The lookup with every entry reified: a dict (by name) or a list (by index)."""
    if isinstance(lookup, Mapping):
        return {k: reify(v) for k, v in lookup.items()}
    if isinstance(lookup, (list, tuple)):
        return [reify(v) for v in lookup]
    raise PatternArgumentError(
        f"{name}(lookup, pat): lookup must be a list or a dict of patterns, got {lookup!r}"
    )


def _with_lookup(lookup: Any, name: str, build: Callable[[Any], Pattern]) -> Pattern:
    """`build(table)` for a plain lookup; a lookup given as a pattern (as Strudel patterns
    every argument: `pure({...})`, or one that changes, `cat({...}, {...})`) is read per event
    and inner-joined."""
    if not isinstance(lookup, Pattern):
        return build(_prepare(lookup, name))
    if is_pure(lookup):
        return build(_prepare(lookup.pure_value, name))
    built: dict[int, tuple[Any, Pattern]] = {}  # by the table's identity (dicts do not hash)

    def per_table(table: Any) -> Pattern:
        hit = built.get(id(table))
        if hit is not None and hit[0] is table:
            return hit[1]
        result = build(_prepare(table, name))
        if len(built) < 64:
            built[id(table)] = (table, result)  # holding the table keeps its id from reuse
        return result

    return lookup.fmap(per_table).inner_join()


def _picker(
    name: str, modulo: bool, join: Callable[[Pattern], Pattern]
) -> Callable[[Any, Pattern], Pattern]:
    """The function of `pick`-like transformations: look each value of the pattern up in the
    table, then join with `join`."""

    def apply(lookup: Any, pat: Pattern) -> Pattern:
        def build(table: Any) -> Pattern:
            if not table:
                return silence
            return join(pat.fmap(lambda key: _lookup(table, key, modulo, name)))

        return _with_lookup(lookup, name, build)

    return apply


def _pick(lookup: Any, pat: Pattern) -> Pattern:
    """Choose patterns from a list (by index, clamped) or a dict (by name); inner join. The
    lookup may itself be a pattern (`pure({...})`, or `cat` of lookups to change per cycle).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1).pick(["a", "b c"]).first_cycle()]
    ['a', 'c']
    """
    return _picker("pick", False, Pattern.inner_join)(lookup, pat)


def _pickmod(lookup: Any, pat: Pattern) -> Pattern:
    """Like pick, with list indices wrapping around.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(2).pickmod(["a", "b"]).first_cycle()]
    ['a']
    """
    return _picker("pickmod", True, Pattern.inner_join)(lookup, pat)


def _inhabit(lookup: Any, pat: Pattern) -> Pattern:
    """Squeeze a cycle of the named (or indexed, clamped) pattern into each event (alias
    pickSqueeze). The lookup may itself be a pattern, as in `pick`.

    >>> from patterns.constructors import sequence
    >>> from patterns.pattern import pure
    >>> [e.value for e in sequence("x").inhabit({"x": "a b"}).first_cycle()]
    ['a', 'b']
    >>> [e.value for e in sequence("x", "y").inhabit(pure({"x": "a b", "y": "c"})).first_cycle()]
    ['a', 'b', 'c']
    """
    return _picker("inhabit", False, Pattern.squeeze_join)(lookup, pat)


def _inhabitmod(lookup: Any, pat: Pattern) -> Pattern:
    """Like inhabit, with list indices wrapping around (alias pickmodSqueeze).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 3).inhabitmod(["a b", "c"]).first_cycle()]
    ['a', 'b', 'c']
    """
    return _picker("inhabitmod", True, Pattern.squeeze_join)(lookup, pat)


def _squeeze(lookup: Any, pat: Pattern) -> Pattern:
    """Squeeze a cycle of the chosen pattern into each event; indices wrap (Strudel and
    Tidal's `squeeze`).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1).squeeze(["a b", "c"]).first_cycle()]
    ['a', 'b', 'c']
    >>> [e.value for e in sequence(2).squeeze(["a b", "c"]).first_cycle()]
    ['a', 'b']
    """
    return _picker("squeeze", True, Pattern.squeeze_join)(lookup, pat)


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
        events.sort(key=lambda e: (e.whole_or_part().begin, e.part.begin))  # every whole is set
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
inhabit = register(["inhabit", "pickSqueeze"], _inhabit, patternify=False)
inhabitmod = register(["inhabitmod", "pickmodSqueeze"], _inhabitmod, patternify=False)
squeeze = register("squeeze", _squeeze, patternify=False)
bite = register("bite", _bite, patternify=False)
