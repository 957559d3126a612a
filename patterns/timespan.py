"""Rational time: `Time` (a Fraction of cycles) and `TimeSpan`, a half-open interval of it.

>>> span = TimeSpan(Fraction(1, 2), Fraction(5, 2))
>>> [str(s) for s in span.span_cycles()]
['1/2 → 1', '1 → 2', '2 → 5/2']
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Union

from patterns.errors import PatternArgumentError, PatternError
from patterns.timemath import whole

__all__ = [
    "Time",
    "TimeLike",
    "TimeSpan",
    "to_time",
    "sam",
    "next_sam",
    "cycle_pos",
    "make_span",
    "same_span",
]

Time = Fraction
TimeLike = Union[Fraction, int, float, str]

_ZERO = Fraction(0)
_ONE = Fraction(1)


def to_time(value: TimeLike) -> Fraction:
    """Convert a number or a "n/d" string to an exact Fraction of cycles.

    Floats are converted through their shortest decimal form, so 0.1 is 1/10.

    >>> to_time(0.25), to_time("1/3"), to_time(2)
    (Fraction(1, 4), Fraction(1, 3), Fraction(2, 1))
    >>> to_time("bd")
    Traceback (most recent call last):
    ...
    patterns.errors.PatternArgumentError: expected a number of cycles (int, float, Fraction or 'n/d'), got 'bd'
    """
    if type(value) is Fraction:
        return value
    try:
        if isinstance(value, float):
            return Fraction(repr(value))
        if isinstance(value, bool):
            raise TypeError("a boolean is not a time")
        return Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError):
        raise PatternArgumentError(
            f"expected a number of cycles (int, float, Fraction or 'n/d'), got {value!r}"
        ) from None


def sam(t: Fraction) -> Fraction:
    """The start of the cycle containing `t` (floor).

    >>> sam(Fraction(7, 2)), sam(Fraction(-1, 2))
    (Fraction(3, 1), Fraction(-1, 1))
    """
    return Fraction(t.numerator // t.denominator)


def next_sam(t: Fraction) -> Fraction:
    """The start of the next cycle after `t`'s cycle.

    >>> next_sam(Fraction(7, 2))
    Fraction(4, 1)
    """
    return Fraction(t.numerator // t.denominator + 1)


def cycle_pos(t: Fraction) -> Fraction:
    """The position of `t` within its cycle, in [0, 1).

    >>> cycle_pos(Fraction(7, 2))
    Fraction(1, 2)
    """
    return t - sam(t)


class TimeSpan:
    """A half-open span of time [begin, end) in cycles.

    >>> TimeSpan(Fraction(0), Fraction(1, 2)).intersection(TimeSpan(Fraction(1, 4), Fraction(1)))
    TimeSpan(Fraction(1, 4), Fraction(1, 2))
    """

    __slots__ = ("begin", "end")

    def __init__(self, begin: TimeLike, end: TimeLike) -> None:
        self.begin = begin if type(begin) is Fraction else to_time(begin)
        self.end = end if type(end) is Fraction else to_time(end)

    def __repr__(self) -> str:
        return f"TimeSpan({self.begin!r}, {self.end!r})"

    def __str__(self) -> str:
        return f"{self.begin} → {self.end}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeSpan):
            return NotImplemented
        return self.begin == other.begin and self.end == other.end

    def __hash__(self) -> int:
        return hash((self.begin, self.end))

    @property
    def duration(self) -> Fraction:
        """end - begin.

        >>> TimeSpan(Fraction(1, 4), Fraction(1)).duration
        Fraction(3, 4)
        """
        return self.end - self.begin

    def midpoint(self) -> Fraction:
        """The middle of the span.

        >>> TimeSpan(Fraction(0), Fraction(1)).midpoint()
        Fraction(1, 2)
        """
        return (self.begin + self.end) / 2

    def span_cycles(self) -> list[TimeSpan]:
        """Split at cycle boundaries; a zero-width span gives itself.

        >>> TimeSpan(Fraction(0), Fraction(2)).span_cycles()
        [TimeSpan(Fraction(0, 1), Fraction(1, 1)), TimeSpan(Fraction(1, 1), Fraction(2, 1))]
        """
        begin, end = self.begin, self.end
        first = begin._numerator // begin._denominator
        last_whole = -((-end._numerator) // end._denominator)  # ceil(end)
        if last_whole - first <= 1:  # one cycle (or a point)
            return [self]
        spans: list[TimeSpan] = []
        cursor = begin
        cycle = first + 1
        while cycle < last_whole:
            boundary = whole(cycle)
            spans.append(make_span(cursor, boundary))
            cursor = boundary
            cycle += 1
        spans.append(make_span(cursor, end))
        return spans

    def cycle_arc(self) -> TimeSpan:
        """The span shifted so its begin lies in cycle 0.

        >>> TimeSpan(Fraction(5, 2), Fraction(3)).cycle_arc()
        TimeSpan(Fraction(1, 2), Fraction(1, 1))
        """
        offset = sam(self.begin)
        return TimeSpan(self.begin - offset, self.end - offset)

    def with_time(self, func: Callable[[Fraction], Fraction]) -> TimeSpan:
        """Apply `func` to both ends.

        >>> TimeSpan(Fraction(1), Fraction(2)).with_time(lambda t: t * 2)
        TimeSpan(Fraction(2, 1), Fraction(4, 1))
        """
        return TimeSpan(func(self.begin), func(self.end))

    def with_end(self, func: Callable[[Fraction], Fraction]) -> TimeSpan:
        """Apply `func` to the end only.

        >>> TimeSpan(Fraction(1), Fraction(2)).with_end(lambda t: t + 1)
        TimeSpan(Fraction(1, 1), Fraction(3, 1))
        """
        return TimeSpan(self.begin, func(self.end))

    def with_cycle(self, func: Callable[[Fraction], Fraction]) -> TimeSpan:
        """Apply `func` to both ends relative to the cycle of `begin`.

        >>> TimeSpan(Fraction(3, 2), Fraction(2)).with_cycle(lambda t: t / 2)
        TimeSpan(Fraction(5, 4), Fraction(3, 2))
        """
        offset = sam(self.begin)
        return TimeSpan(offset + func(self.begin - offset), offset + func(self.end - offset))

    def intersection(self, other: TimeSpan) -> TimeSpan | None:
        """The overlap of two spans, or None (a point at the end of a span does not count).

        >>> TimeSpan(Fraction(0), Fraction(1)).intersection(TimeSpan(Fraction(1), Fraction(2))) is None
        True
        """
        sb, se, ob, oe = self.begin, self.end, other.begin, other.end
        sbn, sbd, obn, obd = sb._numerator, sb._denominator, ob._numerator, ob._denominator
        sen, sed, oen, oed = se._numerator, se._denominator, oe._numerator, oe._denominator
        if sbn * obd >= obn * sbd:
            begin, bn, bd = sb, sbn, sbd
        else:
            begin, bn, bd = ob, obn, obd
        if sen * oed <= oen * sed:
            end, en, ed = se, sen, sed
        else:
            end, en, ed = oe, oen, oed
        left = bn * ed
        right = en * bd
        if left > right:
            return None
        if left == right:
            if end is se and sbn * sed < sen * sbd:
                return None
            if en * oed == oen * ed and obn * oed < oen * obd:
                return None
        return make_span(begin, end)

    def intersection_e(self, other: TimeSpan) -> TimeSpan:
        """Like `intersection`, but raises PatternError when the spans do not meet.

        >>> TimeSpan(Fraction(0), Fraction(1)).intersection_e(TimeSpan(Fraction(0), Fraction(1, 2)))
        TimeSpan(Fraction(0, 1), Fraction(1, 2))
        """
        result = self.intersection(other)
        if result is None:
            raise PatternError(f"TimeSpan.intersection_e: {self} and {other} do not intersect")
        return result

    def contains(self, t: Fraction) -> bool:
        """Whether begin <= t < end.

        >>> TimeSpan(Fraction(0), Fraction(1)).contains(Fraction(1))
        False
        """
        return self.begin <= t < self.end


_new = object.__new__


def make_span(begin: Fraction, end: Fraction) -> TimeSpan:
    """A TimeSpan of two Fractions without conversion (the query hot path).

    >>> make_span(Fraction(0), Fraction(1))
    TimeSpan(Fraction(0, 1), Fraction(1, 1))
    """
    span = _new(TimeSpan)
    span.begin = begin
    span.end = end
    return span


def same_span(a: TimeSpan, b: TimeSpan) -> bool:
    """Whether two spans are equal (integer comparison, for the hot path).

    >>> same_span(make_span(Fraction(0), Fraction(1, 2)), TimeSpan(0, Fraction(2, 4)))
    True
    """
    if a is b:
        return True
    ab, ae, bb, be = a.begin, a.end, b.begin, b.end
    return (
        ab._numerator == bb._numerator
        and ab._denominator == bb._denominator
        and ae._numerator == be._numerator
        and ae._denominator == be._denominator
    )
