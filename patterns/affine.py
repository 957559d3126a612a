"""Affine time views: a pattern seen through t -> t * scale + offset. `fast`, `slow`, `early`
and `late` are such views (`Pattern.fast_raw`, `Pattern.early_raw`), and a view of a view is
composed into a single layer, so chains like `p.late(1/4).fast(2)` cost one mapping per event.

>>> from patterns.pattern import pure
>>> [str(e.whole.begin) for e in pure("a").early_raw(Fraction(1, 4)).fast_raw(Fraction(2)).onsets(0, 1)]
['3/8', '7/8']
"""

from __future__ import annotations

from fractions import Fraction

from patterns.event import Event
from patterns.pattern import Pattern
from patterns.timemath import add, affine, frac
from patterns.timespan import TimeSpan, make_span, same_span

__all__ = ["affine_view", "shift_events"]


def shift_events(events: list[Event], delta: Fraction) -> list[Event]:
    """`events` moved later by `delta` cycles (earlier when negative): whole and part both move,
    and an event whose whole equals its part keeps one shared span (the query hot path).

    >>> from patterns.pattern import pure
    >>> [str(e.whole) for e in shift_events(pure("a").first_cycle(), Fraction(1, 2))]
    ['1/2 → 3/2']
    """
    out: list[Event] = []
    for e in events:
        w = e.whole
        p = e.part
        part = make_span(add(p.begin, delta), add(p.end, delta))
        if w is None:
            mapped = None
        elif same_span(w, p):
            mapped = part
        else:
            mapped = make_span(add(w.begin, delta), add(w.end, delta))
        out.append(Event(mapped, part, e.value, e.context))
    return out


def affine_view(
    source: Pattern, scale: Fraction, offset: Fraction, steps: Fraction | None = None
) -> Pattern:
    """`source` seen through the time map t -> t * scale + offset (scale > 0). The result
    remembers the map in `.affine`, so `Pattern.fast_raw`/`early_raw` on it compose the maps
    into one layer instead of stacking two.

    >>> from patterns.pattern import pure
    >>> view = affine_view(pure("a"), Fraction(2), Fraction(1, 2))
    >>> [str(e.whole) for e in view.first_cycle()]
    ['-1/4 → 1/4', '1/4 → 3/4', '3/4 → 5/4']
    >>> view.affine[1:]
    (Fraction(2, 1), Fraction(1, 2))
    """
    query = source.query
    sn, sd = scale._numerator, scale._denominator
    back = -offset / scale  # u -> (u - offset) / scale = u / scale + back
    if sn == 1 and sd == 1:
        neg = -offset

        def shift_query(span: TimeSpan) -> list[Event]:
            return shift_events(query(make_span(add(span.begin, offset), add(span.end, offset))), neg)

        view = Pattern(shift_query, steps)
    elif offset._numerator == 0:

        def scale_query(span: TimeSpan) -> list[Event]:
            b, e = span.begin, span.end
            out: list[Event] = []
            for ev in query(
                make_span(
                    frac(b._numerator * sn, b._denominator * sd),
                    frac(e._numerator * sn, e._denominator * sd),
                )
            ):
                w = ev.whole
                p = ev.part
                pb, pe = p.begin, p.end
                part = make_span(
                    frac(pb._numerator * sd, pb._denominator * sn),
                    frac(pe._numerator * sd, pe._denominator * sn),
                )
                if w is None:
                    mapped = None
                elif same_span(w, p):
                    mapped = part
                else:
                    mapped = make_span(
                        frac(w.begin._numerator * sd, w.begin._denominator * sn),
                        frac(w.end._numerator * sd, w.end._denominator * sn),
                    )
                out.append(Event(mapped, part, ev.value, ev.context))
            return out

        view = Pattern(scale_query, steps)
    else:
        inverse = 1 / scale

        def affine_query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for ev in query(
                make_span(affine(span.begin, scale, offset), affine(span.end, scale, offset))
            ):
                w = ev.whole
                p = ev.part
                part = make_span(affine(p.begin, inverse, back), affine(p.end, inverse, back))
                if w is None:
                    mapped = None
                elif same_span(w, p):
                    mapped = part
                else:
                    mapped = make_span(affine(w.begin, inverse, back), affine(w.end, inverse, back))
                out.append(Event(mapped, part, ev.value, ev.context))
            return out

        view = Pattern(affine_query, steps)
    view.affine = (source, scale, offset)
    return view
