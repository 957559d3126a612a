"""Euclidean rhythms (Bjorklund's algorithm): euclid, euclidRot, euclidLegato, euclidLegatoRot.

Rotation follows Strudel 1.2.6: `euclidRot(3, 8, 2)` rotates the rhythm to the right
(Tidal's euclidOff rotates left; see docs/patterns.md).

>>> bjorklund(3, 8)
[True, False, False, True, False, False, True, False]
"""

from __future__ import annotations

from typing import Any

from patterns.constructors import fastcat, timecat
from patterns.pattern import Pattern, pure, silence
from patterns.register import register
from patterns.structure import struct_pattern

__all__ = [
    "bjorklund",
    "euclid_bools",
    "euclid",
    "euclidRot",
    "euclidOff",
    "euclidLegato",
    "euclidLegatoRot",
    "euclid_struct",
]


def bjorklund(pulses: int, steps: int) -> list[bool]:
    """Distribute `pulses` onsets as evenly as possible over `steps` steps.

    >>> [int(b) for b in bjorklund(5, 8)]
    [1, 0, 1, 1, 0, 1, 1, 0]
    """
    if steps <= 0:
        return []
    pulses = max(0, min(pulses, steps))
    ones: list[list[bool]] = [[True] for _ in range(pulses)]
    zeros: list[list[bool]] = [[False] for _ in range(steps - pulses)]
    i, j = pulses, steps - pulses
    while min(i, j) > 1:
        if i > j:
            ones, zeros = [a + b for a, b in zip(ones[:j], zeros)], ones[j:]
            i, j = j, i - j
        else:
            ones, zeros = [a + b for a, b in zip(ones, zeros[:i])], zeros[i:]
            i, j = i, j - i
    return [b for group in ones for b in group] + [b for group in zeros for b in group]


def euclid_bools(pulses: int, steps: int, rotation: int = 0) -> list[bool]:
    """The rhythm as booleans; negative pulses invert it; rotation moves it right.

    >>> [int(b) for b in euclid_bools(3, 8, 2)]
    [1, 0, 1, 0, 0, 1, 0, 0]
    >>> [int(b) for b in euclid_bools(-3, 8)]
    [0, 1, 1, 0, 1, 1, 0, 1]
    """
    invert = pulses < 0
    rhythm = bjorklund(abs(pulses), steps)
    if invert:
        rhythm = [not b for b in rhythm]
    if rhythm and rotation:
        r = -rotation % len(rhythm)
        rhythm = rhythm[r:] + rhythm[:r]
    return rhythm


def euclid_struct(pulses: Any, steps: Any, rotation: Any = 0) -> Pattern:
    """A boolean pattern of the rhythm: True on onsets, False elsewhere.

    >>> [e.value for e in euclid_struct(2, 4).first_cycle()]
    [True, False, True, False]
    """
    bools = euclid_bools(int(pulses), int(steps), int(rotation))
    if not bools:
        return silence
    return fastcat(*[pure(b) for b in bools])


def _euclid(pulses: Any, steps: Any, pat: Pattern) -> Pattern:
    """Play the pattern on a Euclidean rhythm of `pulses` onsets in `steps` steps.

    >>> [str(e.whole.begin) for e in pure("a").euclid(3, 8).first_cycle()]
    ['0', '3/8', '3/4']
    """
    return _euclid_rot(pulses, steps, 0, pat)


def _euclid_rot(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """`euclid` rotated right by `rotation` steps (Strudel's direction).

    >>> [str(e.whole.begin) for e in pure("a").euclidRot(3, 8, 2).first_cycle()]
    ['0', '1/4', '5/8']
    """
    rhythm = euclid_struct(pulses, steps, rotation)
    result = struct_pattern(rhythm.filter_values(bool), pat)
    return result.set_steps(int(steps))


def _euclid_off(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """Tidal's euclidOff: rotation to the left.

    >>> [str(e.whole.begin) for e in pure("a").euclidOff(3, 8, 2).first_cycle()]
    ['1/8', '1/2', '3/4']
    """
    return _euclid_rot(pulses, steps, -int(rotation), pat)


def _legato_query(bools: list[bool], pat: Pattern) -> Pattern:
    """Each onset lasts until the next; like Strudel, steps before the first onset are
    dropped and the last onset lasts until the end of the cycle."""
    weights: list[int] = []
    for b in bools:
        if b:
            weights.append(1)
        elif weights:
            weights[-1] += 1
    if not weights:
        return silence
    return struct_pattern(timecat(*[(w, True) for w in weights]), pat)


def _euclid_legato(pulses: Any, steps: Any, pat: Pattern) -> Pattern:
    """Like `euclid`, but each onset lasts until the next one.

    >>> [str(e.whole) for e in pure("a").euclidLegato(3, 8).first_cycle()]
    ['0 → 3/8', '3/8 → 3/4', '3/4 → 1']
    """
    return _legato_query(euclid_bools(int(pulses), int(steps)), pat)


def _euclid_legato_rot(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """`euclidLegato` with a rotation (Strudel's direction).

    >>> len(pure("a").euclidLegatoRot(3, 8, 1).first_cycle())
    3
    """
    return _legato_query(euclid_bools(int(pulses), int(steps), int(rotation)), pat)


euclid = register("euclid", _euclid)
euclidRot = register(["euclidRot", "euclidrot"], _euclid_rot)
euclidOff = register(["euclidOff", "eoff"], _euclid_off)
euclidLegato = register("euclidLegato", _euclid_legato)
euclidLegatoRot = register("euclidLegatoRot", _euclid_legato_rot)
