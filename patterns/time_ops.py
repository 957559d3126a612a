"""Moving and scaling time: fast, slow, hurry, early, late, fastGap, compress, zoom, inside,
outside, ribbon, ply, linger, repeatCycles (`segment` is in `structure`, beside `struct`).

>>> from patterns.constructors import sequence
>>> [str(e.whole) for e in fast(2, sequence("a", "b")).first_cycle()][:2]
['0 → 1/4', '1/4 → 1/2']
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from patterns.event import Event
from patterns.pattern import Pattern, pure, silence
from patterns.register import register
from patterns.timemath import add, div, sub, whole
from patterns.timespan import TimeSpan, make_span, sam, to_time
from patterns.runaway import to_count

__all__ = [
    "fast",
    "slow",
    "hurry",
    "early",
    "late",
    "fastGap",
    "compress",
    "zoom",
    "inside",
    "outside",
    "ribbon",
    "ply",
    "linger",
    "repeatCycles",
    "compress_span",
    "subdivide",
]


def _fast(factor: Any, pat: Pattern) -> Pattern:
    """Speed a pattern up by `factor` (patterned); 0 gives silence.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence("a", "b").fast(2).first_cycle()]
    ['a', 'b', 'a', 'b']
    """
    return pat.fast_raw(to_time(factor))


def _slow(factor: Any, pat: Pattern) -> Pattern:
    """Slow a pattern down by `factor` (patterned); 0 gives silence.

    >>> [str(e.whole) for e in pure("a").slow(2).first_cycle()]
    ['0 → 2']
    """
    factor = to_time(factor)
    if factor == 0:
        return silence
    return pat.fast_raw(1 / factor)


def _early(offset: Any, pat: Pattern) -> Pattern:
    """Shift a pattern earlier by `offset` cycles (patterned).

    >>> [str(e.whole) for e in pure("a").early(0.25).first_cycle()][0]
    '-1/4 → 3/4'
    """
    return pat.early_raw(to_time(offset))


def _late(offset: Any, pat: Pattern) -> Pattern:
    """Shift a pattern later by `offset` cycles (patterned).

    >>> [str(e.whole) for e in pure("a").late(0.25).first_cycle()][1]
    '1/4 → 5/4'
    """
    return pat.early_raw(-to_time(offset))


def _multiply_speed(factor: Fraction) -> Any:
    number = float(factor) if factor.denominator != 1 else int(factor)

    def apply(value: Any) -> Any:
        if isinstance(value, dict):
            out = dict(value)
            out["speed"] = out.get("speed", 1) * number
            return out
        return value

    return apply


def _hurry(factor: Any, pat: Pattern) -> Pattern:
    """`fast` that also multiplies the `speed` control (samples play faster and higher).

    >>> pure({"s": "bd"}).hurry(2).first_cycle()[0].value
    {'s': 'bd', 'speed': 2}
    """
    factor = to_time(factor)
    return pat.fast_raw(factor).fmap(_multiply_speed(factor))


def _fast_gap(factor: Any, pat: Pattern) -> Pattern:
    """Play each cycle `factor` times faster, leaving the rest of the cycle silent.

    >>> [str(e.whole) for e in pure("a").fastGap(2).first_cycle()]
    ['0 → 1/2']
    """
    factor = to_time(factor)
    if factor <= 0:
        return silence
    query = pat.query
    one = Fraction(1)

    def gap_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            cycle = sam(piece.begin)
            bpos = min((piece.begin - cycle) * factor, one)
            epos = min((piece.end - cycle) * factor, one)
            if bpos >= 1:
                continue
            for e in query(TimeSpan(cycle + bpos, cycle + epos)):
                begin, end = e.part.begin, e.part.end
                ecycle = sam(begin)
                begin_pos = min((begin - ecycle) / factor, one)
                end_pos = min((end - ecycle) / factor, one)
                part = TimeSpan(ecycle + begin_pos, ecycle + end_pos)
                whole = None
                if e.whole is not None:
                    whole = TimeSpan(
                        part.begin - (begin - e.whole.begin) / factor,
                        part.end + (e.whole.end - end) / factor,
                    )
                out.append(Event(whole, part, e.value, e.context))
        return out

    return Pattern(gap_query, pat.steps)


def _compress(begin: Any, end: Any, pat: Pattern) -> Pattern:
    """Squeeze each cycle into the span [begin, end) of the cycle (0 <= begin <= end <= 1).

    >>> [str(e.whole) for e in pure("a").compress(0.25, 0.75).first_cycle()]
    ['1/4 → 3/4']
    """
    b, e = to_time(begin), to_time(end)
    if b > e or b > 1 or e > 1 or b < 0 or e < 0 or b == e:
        return silence
    return _fast_gap(1 / (e - b), pat).late_raw(b)


def compress_span(span: TimeSpan, pat: Pattern) -> Pattern:
    """`compress` with a span given in absolute time (its cycle is kept).

    >>> [str(e.whole) for e in compress_span(TimeSpan(Fraction(1, 2), Fraction(1)), pure(1)).first_cycle()]
    ['1/2 → 1']
    """
    cycle = sam(span.begin)
    return _compress(span.begin - cycle, span.end - cycle, pat).late_raw(cycle)


def _zoom(begin: Any, end: Any, pat: Pattern) -> Pattern:
    """Play only the span [begin, end) of each cycle, stretched to fill the cycle.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence("a", "b", "c", "d").zoom(0.25, 0.75).first_cycle()]
    ['b', 'c']
    """
    b, e = to_time(begin), to_time(end)
    if b >= e:
        return silence
    d = e - b
    query = pat.query

    def zoom_query(span: TimeSpan) -> list[Event]:
        inner = span.with_cycle(lambda t: t * d + b)
        out: list[Event] = []
        for ev in query(inner):
            out.append(
                ev.with_span(lambda s: s.with_cycle(lambda t: (t - b) / d))
            )
        return out

    steps = None if pat.steps is None else pat.steps * d
    return Pattern(zoom_query).split_queries().set_steps(steps)


def _inside(factor: Any, func: Any, pat: Pattern) -> Pattern:
    """Apply `func` inside a cycle scaled by `factor`: `inside(2, rev)` reverses each half.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(1, 2, 3, 4).inside(2, lambda p: p.fast(2)).first_cycle()]
    [1, 2, 3, 4, 1, 2, 3, 4]
    """
    factor = to_time(factor)
    return func(pat.fast_raw(1 / factor)).fast_raw(factor)


def _outside(factor: Any, func: Any, pat: Pattern) -> Pattern:
    """Apply `func` over `factor` cycles: `outside(2, rev)` reverses across two cycles.

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat("a", "b").outside(2, lambda p: p.fast(2)).first_cycle()]
    ['a', 'b']
    """
    return _inside(1 / to_time(factor), func, pat)


def _ribbon(offset: Any, cycles: Any, pat: Pattern) -> Pattern:
    """Loop `cycles` cycles of the pattern starting at cycle `offset`.

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat(0, 1, 2, 3).ribbon(1, 2).query_arc(0, 4)]
    [1, 2, 1, 2]
    """
    offset, cycles = to_time(offset), to_time(cycles)
    return _repeat_every(pat.early_raw(offset), cycles)


def _repeat_every(pat: Pattern, cycles: Fraction) -> Pattern:
    """Loop the first `cycles` cycles of a pattern (Strudel's ribbon via restart)."""
    if cycles <= 0:
        return silence
    query = pat.query

    def loop_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in _split_every(span, cycles):
            index = (piece.begin // cycles)
            shift = index * cycles
            for e in query(TimeSpan(piece.begin - shift, piece.end - shift)):
                out.append(e.with_span(lambda s: TimeSpan(s.begin + shift, s.end + shift)))
        return out

    return Pattern(loop_query)


def _split_every(span: TimeSpan, size: Fraction) -> list[TimeSpan]:
    if span.begin == span.end:
        return [span]
    pieces: list[TimeSpan] = []
    cursor = span.begin
    while cursor < span.end:
        boundary = (cursor // size + 1) * size
        end = boundary if boundary < span.end else span.end
        pieces.append(TimeSpan(cursor, end))
        cursor = end
    return pieces


def subdivide(count: int, pat: Pattern, value: Callable[[Any, int], Any] | None = None) -> Pattern:
    """Split each event's whole into `count` equal events (value(v, i) gives piece i's value);
    the same as squeezing a `count`-step sequence into each event, without building patterns.

    >>> [str(e.whole) for e in subdivide(2, pure("a")).first_cycle()]
    ['0 → 1/2', '1/2 → 1']
    """
    query = pat.query
    n = count

    def split_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for ev in query(span):
            w = ev.whole
            if w is None:
                continue
            p = ev.part
            wb = w.begin
            step = div(sub(w.end, wb), whole(n))
            start = wb
            for i in range(n):
                stop = add(start, step)
                piece = make_span(start, stop)
                part = piece.intersection(p)
                if part is not None:
                    v = ev.value if value is None else value(ev.value, i)
                    out.append(Event(piece, part, v, ev.context))
                start = stop
        return out

    return Pattern(split_query)


def _ply(factor: Any, pat: Pattern) -> Pattern:
    """Repeat each event `factor` times within its own span.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence("a", "b").ply(2).first_cycle()]
    ['a', 'a', 'b', 'b']
    """
    factor = to_time(factor)
    if factor.denominator == 1 and factor > 0:
        result = subdivide(to_count(factor, "ply"), pat)
    else:
        result = pat.fmap(lambda v: pure(v).fast_raw(factor)).squeeze_join()
    if pat.steps is not None:
        result.steps = pat.steps * factor
    return result


def _linger(fraction: Any, pat: Pattern) -> Pattern:
    """Repeat the first `fraction` of each cycle (a negative fraction: the last part).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 1, 2, 3).linger(0.25).first_cycle()]
    [0, 0, 0, 0]
    """
    t = to_time(fraction)
    if t == 0:
        return silence
    if t < 0:
        zoomed = _zoom(1 + t, 1, pat)
        factor = -t
    else:
        zoomed = _zoom(0, t, pat)
        factor = t
    return zoomed.fast_raw(1 / factor)


def _repeat_cycles(count: Any, pat: Pattern) -> Pattern:
    """Play each cycle `count` times.

    >>> from patterns.constructors import cat
    >>> [e.value for e in cat(0, 1).repeatCycles(2).query_arc(0, 4)]
    [0, 0, 1, 1]
    """
    n = to_count(count, "repeatCycles")
    if n <= 0:
        return silence
    query = pat.query

    def repeat_query(span: TimeSpan) -> list[Event]:
        cycle = sam(span.begin)
        source = Fraction(cycle.numerator // n)
        delta = cycle - source
        return [
            e.with_span(lambda s: TimeSpan(s.begin + delta, s.end + delta))
            for e in query(TimeSpan(span.begin - delta, span.end - delta))
        ]

    return Pattern(repeat_query, pat.steps).split_queries()


fast = register("fast", _fast)
slow = register("slow", _slow)
hurry = register("hurry", _hurry)
early = register(["early", "rotL"], _early)
late = register(["late", "rotR"], _late)
fastGap = register(["fastGap", "fastgap"], _fast_gap)
compress = register("compress", _compress)
zoom = register(["zoom", "zoomArc"], _zoom)
inside = register("inside", _inside)
outside = register("outside", _outside)
ribbon = register(["ribbon", "rib"], _ribbon)
ply = register("ply", _ply)
linger = register("linger", _linger)
repeatCycles = register("repeatCycles", _repeat_cycles)
