"""Euclidean rhythms for the mini-notation's `(pulses, steps, rotation)` operator.

The rhythm itself comes from `patterns.euclid` (a negative pulse count inverts it, a rotation
turns it right, Strudel 1.2.6's direction); this module applies it to a pattern with one direct
query per cycle. Arguments may be patterns; they are joined the way Strudel joins patterned
arguments (inner join, structure from the first).

>>> "".join("x" if b else "." for b in euclid_bools(5, 8))
'x.xx.xx.'
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

from patterns.errors import PatternError
from patterns.euclid import euclid_bools as core_euclid_bools
from patterns.event import Event
from patterns.pattern import Pattern, is_pure, silence
from patterns.register import patternify_args
from patterns.timespan import TimeSpan

__all__ = ["euclid_bools", "euclid_struct", "euclid_pattern", "MAX_EUCLID_STEPS"]

MAX_EUCLID_STEPS = 10_000
"""Most steps a Euclidean rhythm may have."""


@lru_cache(maxsize=512)
def euclid_bools(pulses: int, steps: int, rotation: int = 0) -> tuple[bool, ...]:
    """The rhythm as booleans (`patterns.euclid.euclid_bools`, cached and size-checked).

    >>> "".join("x" if b else "." for b in euclid_bools(3, 8, 2))
    'x.x..x..'
    """
    if steps > MAX_EUCLID_STEPS:
        raise PatternError(f"euclid: at most {MAX_EUCLID_STEPS} steps, got {steps}")
    return tuple(core_euclid_bools(pulses, steps, rotation))


def euclid_struct(bools: tuple[bool, ...], pat: Pattern) -> Pattern:
    """`pat` sampled at the true steps of `bools` (one cycle long): the structure comes from
    the rhythm, the values from `pat`.

    >>> from patterns.pattern import pure
    >>> [str(e.whole) for e in euclid_struct((True, False, True, False), pure("a")).first_cycle()]
    ['0 → 1/4', '1/2 → 3/4']
    """
    count = len(bools)
    slots = [(Fraction(i, count), Fraction(i + 1, count)) for i, on in enumerate(bools) if on]
    if not slots:
        return silence
    query = pat.query

    def struct_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            begin = piece.begin
            cycle = Fraction(begin.numerator // begin.denominator)
            for slot_begin, slot_end in slots:
                whole = TimeSpan(cycle + slot_begin, cycle + slot_end)
                part = whole.intersection(piece)
                if part is None:
                    continue
                for event in query(whole):
                    inside = event.part.intersection(part)
                    if inside is not None:
                        out.append(Event(whole, inside, event.value, event.context))
        return out

    return Pattern(struct_query, Fraction(count))


def _struct_from_values(pulses: Any, steps: Any, rotation: Any, pat: Pattern) -> Pattern:
    """The euclid structure for plain argument values."""
    return euclid_struct(euclid_bools(_whole(pulses), _whole(steps), _whole(rotation)), pat)


def _whole(value: Any) -> int:
    """A numeric argument as an int (truncated, like Strudel's array lengths)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise PatternError(f"euclid: arguments must be numbers, got {value!r}")
    return int(value)


def euclid_pattern(
    pulses: Pattern, steps: Pattern, rotation: Pattern | None, pat: Pattern
) -> Pattern:
    """`pat(pulses, steps, rotation)` with patterned arguments.

    >>> from patterns.pattern import pure
    >>> len(euclid_pattern(pure(3), pure(8), None, pure("bd")).first_cycle())
    3
    """
    args = [pulses, steps] if rotation is None else [pulses, steps, rotation]
    if all(is_pure(a) for a in args):
        turn = 0 if rotation is None else rotation.pure_value
        return _struct_from_values(pulses.pure_value, steps.pure_value, turn, pat)
    if rotation is None:
        def func(p: Any, s: Any, q: Pattern) -> Pattern:
            return _struct_from_values(p, s, 0, q)

        return patternify_args(func, [None, None], [(0, pulses), (1, steps)], pat)
    return patternify_args(
        _struct_from_values, [None, None, None], [(0, pulses), (1, steps), (2, rotation)], pat
    )
