"""Feel switches that keep the bar: `halftime()` and `doubletime()`.

A dance break often drops to half time (the backbeat moves from 2 and 4 to 3) or doubles up
(the backbeat on every "and"). Both work bar by bar, so a bar stays a cycle long and a program's
variations and fills keep their bars: `halftime()` stretches the first half of each bar over the
whole bar, `doubletime()` plays each bar twice, squeezed into its halves.

>>> from patterns.controls import s
>>> [(str(e.whole.begin), e.value["s"]) for e in s("bd sd bd sd").halftime().onsets(0, 1)]
[('0', 'bd'), ('1/2', 'sd')]
>>> [(str(e.whole.begin), e.value["s"]) for e in s("bd sd").doubletime().onsets(0, 1)]
[('0', 'bd'), ('1/4', 'sd'), ('1/2', 'bd'), ('3/4', 'sd')]
"""

from __future__ import annotations

import math
from fractions import Fraction

from patterns.event import Event
from patterns.pattern import Pattern
from patterns.register import register
from patterns.time_ops import zoom
from patterns.timespan import TimeSpan

__all__ = ["halftime", "doubletime"]

_HALF = Fraction(1, 2)


def _halftime(pat: Pattern) -> Pattern:
    """Half-time feel: the first half of each bar, stretched over the bar (`zoom(0, 1/2)`).

    >>> from patterns.controls import s
    >>> [str(e.whole.begin) for e in s("hh*8").halftime().onsets(0, 1)]
    ['0', '1/4', '1/2', '3/4']
    """
    return zoom(0, _HALF, pat)


def _doubletime(pat: Pattern) -> Pattern:
    """Double-time feel: each bar played twice as fast, once in each half of the same bar.

    >>> from patterns.controls import s
    >>> [str(e.whole.begin) for e in s("bd ~ sd ~").doubletime().onsets(0, 1)]
    ['0', '1/4', '1/2', '3/4']
    """
    query = pat.query

    def halves(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            cycle = Fraction(math.floor(piece.begin))
            for start in (cycle, cycle + _HALF):
                window = piece.intersection(TimeSpan(start, start + _HALF))
                if window is None:
                    continue
                inner = TimeSpan(cycle + (window.begin - start) * 2, cycle + (window.end - start) * 2)

                def halve(s: TimeSpan, start: Fraction = start) -> TimeSpan:
                    return TimeSpan(start + (s.begin - cycle) / 2, start + (s.end - cycle) / 2)

                for event in query(inner):
                    out.append(event.with_span(halve))
        return out

    return Pattern(halves, pat.steps)


halftime = register("halftime", _halftime)
doubletime = register("doubletime", _doubletime)
