"""`Event` (Strudel's Hap): a value occupying a logical `whole` and a queried `part`.

>>> from fractions import Fraction as F
>>> e = Event(TimeSpan(F(0), F(1)), TimeSpan(F(0), F(1, 2)), "bd")
>>> e.has_onset(), e.value
(True, 'bd')
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from patterns.timespan import TimeSpan

__all__ = ["Event", "Context"]

Context = tuple[tuple[int, int], ...]
"""Source locations (begin_col, end_col) in the mini-notation that produced an event."""


class Event:
    """A value with a `whole` (its logical span, None for continuous signals), the `part` of
    it inside the query, and a `context` of source locations.

    >>> from fractions import Fraction as F
    >>> Event(TimeSpan(F(0), F(1)), TimeSpan(F(1, 2), F(1)), "sd").has_onset()
    False
    """

    __slots__ = ("whole", "part", "value", "context")

    def __init__(
        self, whole: TimeSpan | None, part: TimeSpan, value: Any, context: Context = ()
    ) -> None:
        self.whole = whole
        self.part = part
        self.value = value
        self.context = context

    def __repr__(self) -> str:
        return f"Event({self.whole!r}, {self.part!r}, {self.value!r})"

    def __str__(self) -> str:
        whole = "~" if self.whole is None else str(self.whole)
        return f"({whole} | {self.part}: {self.value!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (
            self.whole == other.whole
            and self.part == other.part
            and self.value == other.value
        )

    def __hash__(self) -> int:
        return hash((self.whole, self.part))

    def has_onset(self) -> bool:
        """Whether this fragment contains the start of its whole (the scheduler plays these).

        >>> from fractions import Fraction as F
        >>> Event(None, TimeSpan(F(0), F(1)), 0.5).has_onset()
        False
        """
        whole = self.whole
        return whole is not None and whole.begin == self.part.begin

    def whole_or_part(self) -> TimeSpan:
        """The whole, or the part for a continuous event.

        >>> from fractions import Fraction as F
        >>> Event(None, TimeSpan(F(0), F(1)), 1).whole_or_part()
        TimeSpan(Fraction(0, 1), Fraction(1, 1))
        """
        return self.whole if self.whole is not None else self.part

    def duration(self) -> Fraction:
        """Length of the whole (or part) in cycles.

        >>> from fractions import Fraction as F
        >>> Event(TimeSpan(F(0), F(1, 4)), TimeSpan(F(0), F(1, 4)), 1).duration()
        Fraction(1, 4)
        """
        span = self.whole_or_part()
        return span.end - span.begin

    def with_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Event:
        """A copy with `func` applied to whole and part.

        >>> from fractions import Fraction as F
        >>> e = Event(TimeSpan(F(0), F(1)), TimeSpan(F(0), F(1)), 1)
        >>> e.with_span(lambda s: s.with_time(lambda t: t * 2)).whole
        TimeSpan(Fraction(0, 1), Fraction(2, 1))
        """
        whole = None if self.whole is None else func(self.whole)
        return Event(whole, func(self.part), self.value, self.context)

    def with_value(self, func: Callable[[Any], Any]) -> Event:
        """A copy with `func` applied to the value.

        >>> from fractions import Fraction as F
        >>> Event(None, TimeSpan(F(0), F(1)), 2).with_value(lambda v: v + 1).value
        3
        """
        return Event(self.whole, self.part, func(self.value), self.context)

    def set_context(self, context: Context) -> Event:
        """A copy with another context.

        >>> from fractions import Fraction as F
        >>> Event(None, TimeSpan(F(0), F(1)), 2).set_context(((0, 1),)).context
        ((0, 1),)
        """
        return Event(self.whole, self.part, self.value, context)

    def combine_context(self, other: Event) -> Context:
        """This event's locations followed by `other`'s.

        >>> from fractions import Fraction as F
        >>> a = Event(None, TimeSpan(F(0), F(1)), 1, ((0, 1),))
        >>> a.combine_context(Event(None, TimeSpan(F(0), F(1)), 2, ((2, 3),)))
        ((0, 1), (2, 3))
        """
        if not other.context:
            return self.context
        if not self.context:
            return other.context
        return self.context + other.context

    def span_equals(self, other: Event) -> bool:
        """Whether both events have equal wholes (used to group chords).

        >>> from fractions import Fraction as F
        >>> s = TimeSpan(F(0), F(1))
        >>> Event(s, s, 1).span_equals(Event(s, s, 2))
        True
        """
        return self.whole == other.whole
