"""Blending patterns: sew, stitch, wedge, euclidFull, euclidInv, trunc, stutter, plyWith,
spread, fastspread (Tidal's names and semantics).

>>> from patterns.constructors import sequence
>>> [e.value for e in sew("1 0", sequence("a", "b"), sequence("c", "d")).onsets(0, 1)]
['a', 'd']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from patterns.constructors import cat, fastcat, stack
from patterns.euclid import _euclid, euclid_struct
from patterns.layering import _echo_with
from patterns.pattern import Pattern, pure, reify, silence
from patterns.register import register
from patterns.structure import _mask, struct_pattern, truthy
from patterns.time_ops import _compress, _fast_gap, _zoom
from patterns.timespan import to_time
from patterns.runaway import to_count

__all__ = [
    "sew",
    "stitch",
    "wedge",
    "euclidInv",
    "euclidFull",
    "trunc",
    "stutter",
    "plyWith",
    "spread",
    "fastspread",
]

Transform = Callable[[Pattern], Pattern]


def sew(bools: Any, on_true: Any, on_false: Any) -> Pattern:
    """Play `on_true` where the boolean pattern is true, `on_false` elsewhere (structure from
    the two patterns, cut by the booleans).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sew("1 0", "a*4", "b*4").onsets(0, 1)]
    ['a', 'a', 'b', 'b']
    """
    bool_pat = reify(bools)
    inverted = bool_pat.fmap(lambda v: not truthy(v))
    return stack(_mask(bool_pat, reify(on_true)), _mask(inverted, reify(on_false)))


def stitch(bools: Any, on_true: Any, on_false: Any) -> Pattern:
    """The structure of the boolean pattern, values from `on_true` or `on_false`.

    >>> [e.value for e in stitch("1 0 1", "a", "b").onsets(0, 1)]
    ['a', 'b', 'a']
    """
    bool_pat = reify(bools)
    trues = bool_pat.filter_values(truthy)
    falses = bool_pat.filter_values(lambda v: not truthy(v)).fmap(lambda _: True)
    return stack(struct_pattern(trues, reify(on_true)), struct_pattern(falses, reify(on_false)))


def _wedge(amount: Any, first: Any, second: Pattern) -> Pattern:
    """Squash `first` into the first `amount` of each cycle and the pattern into the rest.

    >>> from patterns.constructors import sequence
    >>> [(str(e.whole.begin), e.value) for e in sequence("c", "d").wedge(0.25, "a").onsets(0, 1)]
    [('0', 'a'), ('1/4', 'c'), ('5/8', 'd')]
    """
    t = to_time(amount)
    if t <= 0:
        return second
    if t >= 1:
        return reify(first)
    return stack(_fast_gap(1 / t, reify(first)), _fast_gap(1 / (1 - t), second).late_raw(t))


def _euclid_inv(pulses: Any, steps: Any, pat: Pattern) -> Pattern:
    """Play on the steps the Euclidean rhythm leaves out.

    >>> [str(e.whole.begin) for e in pure("a").euclidInv(3, 4).onsets(0, 1)]
    ['3/4']
    """
    rhythm = euclid_struct(pulses, steps).fmap(lambda b: not b)
    return struct_pattern(rhythm.filter_values(bool), pat)


def _euclid_full(pulses: Any, steps: Any, other: Any, pat: Pattern) -> Pattern:
    """`euclid` for the pattern and `euclidInv` for `other`.

    >>> [e.value for e in pure("a").euclidFull(3, 4, "b").onsets(0, 1)]
    ['a', 'a', 'a', 'b']
    """
    return stack(_euclid(pulses, steps, pat), _euclid_inv(pulses, steps, reify(other)))


def _trunc(fraction: Any, pat: Pattern) -> Pattern:
    """Play only the first `fraction` of each cycle, silence for the rest.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(*"abcd").trunc(0.75).onsets(0, 1)]
    ['a', 'b', 'c']
    """
    t = to_time(fraction)
    if t <= 0:
        return silence
    if t >= 1:
        return pat
    return _compress(0, t, _zoom(0, t, pat))


def _stutter(count: Any, time: Any, pat: Pattern) -> Pattern:
    """`count` copies, each `time` later (echoWith without a function).

    >>> [str(e.whole.begin) for e in pure("a").stutter(3, 0.25).onsets(0, 1)]
    ['0', '1/4', '1/2']
    """
    return _echo_with(count, time, lambda p: p, pat)


def _ply_with(count: Any, func: Transform, pat: Pattern) -> Pattern:
    """Repeat each event `count` times, applying `func` once more to each repetition.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 10).plyWith(3, lambda p: p.fmap(lambda v: v * 2)).onsets(0, 1)]
    [1, 2, 4, 10, 20, 40]
    """
    n = to_count(count, "plyWith")
    if n <= 0:
        return silence

    def repeats(value: Any) -> Pattern:
        current = pure(value)
        steps = [current]
        for _ in range(n - 1):
            current = func(current)
            steps.append(current)
        return fastcat(*steps)

    return pat.squeeze_bind(repeats)


def spread(func: Callable[[Any, Pattern], Pattern], values: Sequence[Any], pat: Any) -> Pattern:
    """One cycle each of `func(value, pat)` for the values in turn (Tidal's spread, slowspread).

    >>> from patterns.time_ops import fast
    >>> [len(c) for c in (spread(fast, [1, 2], "a").query_arc(i, i + 1) for i in range(2))]
    [1, 2]
    """
    target = reify(pat)
    return cat(*[func(value, target) for value in values])


def fastspread(func: Callable[[Any, Pattern], Pattern], values: Sequence[Any], pat: Any) -> Pattern:
    """Like spread, all within one cycle.

    >>> from patterns.time_ops import fast
    >>> [str(e.whole.begin) for e in fastspread(fast, [1, 2], "a").onsets(0, 1)]
    ['0', '1/2', '3/4']
    """
    target = reify(pat)
    return fastcat(*[func(value, target) for value in values])


wedge = register("wedge", _wedge, plain=(1,))
euclidInv = register(["euclidInv", "einv"], _euclid_inv)
euclidFull = register("euclidFull", _euclid_full, plain=(2,))
trunc = register("trunc", _trunc)
stutter = register("stutter", _stutter)
plyWith = register(["plyWith", "plywith"], _ply_with)
