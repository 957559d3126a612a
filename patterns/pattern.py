"""The `Pattern` type: a pure function from a query span to events, plus its core algebra.

Everything else (transformations, constructors, signals) is built on the methods here:
query helpers, functor/applicative/monad operations, the joins that give patterned
arguments their meaning, and the raw time views (`fast_raw`, `early_raw`, `late_raw`,
`rev_raw`). Affine views (`affine_view`) compose fast/slow/early/late into one layer.

This module is the bottom of the package: it imports nothing above `timespan`, `event`,
`timemath`, `runaway` and `errors`. What sits higher attaches to it: `patterns.register`
makes each transformation a `Pattern` method (as Strudel's `register` does), and
`patterns.mini` installs itself as the parser `reify` uses for strings
(`set_string_parser`, Strudel's `setStringParser`) when the package is imported.

>>> p = pure("bd")
>>> [str(e) for e in p.query_arc(0, 2)]
["(0 → 1 | 0 → 1: 'bd')", "(1 → 2 | 1 → 2: 'bd')"]
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from patterns.errors import LivecodeError, PatternError
from patterns.event import Context, Event
from patterns.timemath import add, affine, div, frac, mul, sub, whole
from patterns.runaway import check_speed
from patterns.timespan import TimeSpan, TimeLike, make_span, same_span, to_time

__all__ = [
    "did_you_mean", "Pattern", "Query", "pure", "silence", "reify", "reify_all", "is_pure", "steady",
    "affine_view", "shift_events", "set_string_parser", "StringParser"]

Query = Callable[[TimeSpan], list[Event]]
_NO_VALUE = object()
_ONE = Fraction(1)
_ZERO = Fraction(0)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean: a, b?)` for the public names in `known` close to `name`, else "".

    >>> did_you_mean("fastt", ["fast", "slow", "_fast"])
    ' (did you mean: fast?)'
    """
    close = difflib.get_close_matches(name, [k for k in known if not k.startswith("_")], n=3)
    return f" (did you mean: {', '.join(close)}?)" if close else ""


class Pattern:
    """A pattern: `query(span)` returns the events active in `span`.

    `steps` is the number of steps per cycle (Strudel's tactus) when known, used by the
    stepwise functions (take, drop, pace, stepcat). Methods for every registered
    transformation (fast, rev, every, ...) are attached by `patterns.register`.

    >>> p = Pattern(lambda span: [Event(span, span, 1)])
    >>> p.query_arc(0, Fraction(1, 2))[0].value
    1
    """

    __slots__ = ("query", "steps", "pure_value", "affine", "__weakref__")

    def __init__(self, query: Query, steps: Fraction | None = None) -> None:
        self.query = query
        self.steps = steps
        self.pure_value: Any = _NO_VALUE
        self.affine: tuple[Pattern, Fraction, Fraction] | None = None

    def __getattr__(self, name: str) -> Any:
        """Only called for a name the pattern lacks: say which methods are close.

        >>> import patterns                  # registers every transformation as a method
        >>> patterns.pure(1).degradBy(0.5)
        Traceback (most recent call last):
        ...
        AttributeError: a pattern has no method 'degradBy' (did you mean: degradeBy, undegradeBy, degrade?)
        """
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"a pattern has no method {name!r}{did_you_mean(name, dir(type(self)))}")

    if TYPE_CHECKING:
        # `patterns.arithmetic` attaches these (they go through the registry, above this module):
        # `pat + 1` is `pat.add(1)`, `1 - pat` keeps the pattern's structure
        def __add__(self, other: Any) -> Pattern: ...
        def __radd__(self, other: Any) -> Pattern: ...
        def __sub__(self, other: Any) -> Pattern: ...
        def __rsub__(self, other: Any) -> Pattern: ...
        def __mul__(self, other: Any) -> Pattern: ...
        def __rmul__(self, other: Any) -> Pattern: ...
        def __truediv__(self, other: Any) -> Pattern: ...
        def __rtruediv__(self, other: Any) -> Pattern: ...
        def __mod__(self, other: Any) -> Pattern: ...
        def __rmod__(self, other: Any) -> Pattern: ...

    def __repr__(self) -> str:
        if self.pure_value is not _NO_VALUE:
            return f"pure({self.pure_value!r})"
        try:
            events = self.first_cycle()
        except LivecodeError as err:
            return f"Pattern[query fails: {err}]"
        shown = " ".join(str(e) for e in events[:8])
        more = " ..." if len(events) > 8 else ""
        return f"Pattern[{shown}{more}]"

    # ---------------------------------------------------------------- querying

    def query_arc(self, begin: TimeLike, end: TimeLike) -> list[Event]:
        """The events in [begin, end).

        >>> len(pure(1).query_arc(0, 3))
        3
        """
        return self.query(TimeSpan(to_time(begin), to_time(end)))

    def first_cycle(self) -> list[Event]:
        """The events of cycle 0.

        >>> [e.value for e in pure("a").first_cycle()]
        ['a']
        """
        return self.query(TimeSpan(Fraction(0), Fraction(1)))

    def onsets(self, begin: TimeLike, end: TimeLike) -> list[Event]:
        """The events in [begin, end) that start there, sorted by onset.

        >>> [str(e.whole.begin) for e in pure(1).onsets(0, 2)]
        ['0', '1']
        """
        events = [e for e in self.query_arc(begin, end) if e.has_onset()]
        events.sort(key=lambda e: e.part.begin)
        return events

    def split_queries(self) -> Pattern:
        """Split each query at cycle boundaries (for functions that work cycle by cycle).

        >>> len(pure(1).split_queries().query_arc(0, 2))
        2
        """
        query = self.query

        def split(span: TimeSpan) -> list[Event]:
            pieces = span.span_cycles()
            if len(pieces) == 1:
                return query(span)
            out: list[Event] = []
            for piece in pieces:
                out.extend(query(piece))
            return out

        return Pattern(split, self.steps)

    def with_query_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Pattern:
        """Transform the query span before querying.

        >>> p = pure(1).with_query_span(lambda s: s)
        >>> len(p.query_arc(0, 1))
        1
        """
        query = self.query
        return Pattern(lambda span: query(func(span)), self.steps)

    def with_query_time(self, func: Callable[[Fraction], Fraction]) -> Pattern:
        """Transform both ends of the query span.

        >>> str(pure(1).with_query_time(lambda t: t + Fraction(1, 2)).query_arc(0, 1)[0].part)
        '1/2 → 1'
        """
        query = self.query
        return Pattern(lambda span: query(TimeSpan(func(span.begin), func(span.end))), self.steps)

    def with_event_span(self, func: Callable[[TimeSpan], TimeSpan]) -> Pattern:
        """Transform the whole and part of every event.

        >>> p = pure(1).with_event_span(lambda s: s)
        >>> len(p.query_arc(0, 1))
        1
        """
        query = self.query

        def mapped(span: TimeSpan) -> list[Event]:
            return [
                Event(None if e.whole is None else func(e.whole), func(e.part), e.value, e.context)
                for e in query(span)
            ]

        return Pattern(mapped, self.steps)

    def with_event_time(self, func: Callable[[Fraction], Fraction]) -> Pattern:
        """Transform the times of every event.

        >>> str(pure(1).with_event_time(lambda t: t * 2).query_arc(0, 1)[0].whole)
        '0 → 2'
        """
        return self.with_event_span(lambda s: TimeSpan(func(s.begin), func(s.end)))

    def with_events(self, func: Callable[[list[Event]], list[Event]]) -> Pattern:
        """Transform the list of events each query returns.

        >>> len(pure(1).with_events(lambda es: es + es).query_arc(0, 1))
        2
        """
        query = self.query
        return Pattern(lambda span: func(query(span)), self.steps)

    def with_event(self, func: Callable[[Event], Event]) -> Pattern:
        """Transform each event.

        >>> pure(1).with_event(lambda e: e.with_value(str)).first_cycle()[0].value
        '1'
        """
        query = self.query
        return Pattern(lambda span: [func(e) for e in query(span)], self.steps)

    # ---------------------------------------------------------------- functor

    def fmap(self, func: Callable[[Any], Any]) -> Pattern:
        """Apply `func` to every value.

        >>> pure(2).fmap(lambda v: v * 10).first_cycle()[0].value
        20
        """
        query = self.query

        def mapped(span: TimeSpan) -> list[Event]:
            return [Event(e.whole, e.part, func(e.value), e.context) for e in query(span)]

        return Pattern(mapped, self.steps)

    with_value = fmap

    def filter_events(self, predicate: Callable[[Event], bool]) -> Pattern:
        """Keep the events for which `predicate` is true.

        >>> pure(1).filter_events(lambda e: False).first_cycle()
        []
        """
        query = self.query
        return Pattern(lambda span: [e for e in query(span) if predicate(e)], self.steps)

    def filter_values(self, predicate: Callable[[Any], bool]) -> Pattern:
        """Keep the events whose value satisfies `predicate`.

        >>> pure(3).filter_values(lambda v: v > 2).first_cycle()[0].value
        3
        """
        query = self.query
        return Pattern(lambda span: [e for e in query(span) if predicate(e.value)], self.steps)

    def remove_none(self) -> Pattern:
        """Drop events whose value is None.

        >>> pure(None).remove_none().first_cycle()
        []
        """
        return self.filter_values(lambda v: v is not None)

    def onsets_only(self) -> Pattern:
        """Keep only fragments that contain their onset.

        >>> len(pure(1).onsets_only().query_arc(Fraction(1, 2), 1))
        0
        """
        return self.filter_events(Event.has_onset)

    def discrete_only(self) -> Pattern:
        """Drop continuous events (those without a whole).

        >>> len(Pattern(lambda s: [Event(None, s, 1)]).discrete_only().first_cycle())
        0
        """
        return self.filter_events(lambda e: e.whole is not None)

    # ---------------------------------------------------------------- applicative

    def app_whole(
        self,
        whole_func: Callable[[TimeSpan | None, TimeSpan | None], TimeSpan | None],
        pat_value: Pattern,
    ) -> Pattern:
        """Apply the function values of self to the values of `pat_value`, wholes by `whole_func`.

        >>> f = pure(lambda v: v + 1)
        >>> f.app_whole(lambda a, b: a, pure(1)).first_cycle()[0].value
        2
        """
        query_f = self.query
        query_v = pat_value.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            values = query_v(span)
            for ef in query_f(span):
                for ev in values:
                    part = ef.part.intersection(ev.part)
                    if part is None:
                        continue
                    out.append(
                        Event(
                            whole_func(ef.whole, ev.whole),
                            part,
                            ef.value(ev.value),
                            ev.combine_context(ef),
                        )
                    )
            return out

        return Pattern(query)

    def app_both(self, pat_value: Pattern) -> Pattern:
        """Apply function values to values; structure from both sides (wholes intersect).

        >>> from patterns.constructors import sequence
        >>> p = sequence(1, 2).fmap(lambda a: lambda b: a + b).app_both(sequence(10, 20, 30))
        >>> [e.value for e in p.first_cycle()]
        [11, 21, 22, 32]
        """

        def whole_func(a: TimeSpan | None, b: TimeSpan | None) -> TimeSpan | None:
            if a is None or b is None:
                return None
            return a.intersection_e(b)

        return self.app_whole(whole_func, pat_value)

    def app_left(self, pat_value: Pattern) -> Pattern:
        """Apply function values to values; structure from the left (self).

        >>> from patterns.constructors import sequence
        >>> p = sequence(1, 2).fmap(lambda a: lambda b: a + b).app_left(sequence(10, 20, 30))
        >>> [e.value for e in p.first_cycle()]
        [11, 21, 22, 32]
        >>> [str(e.whole) for e in p.first_cycle()][:2]
        ['0 → 1/2', '0 → 1/2']
        """
        query_f = self.query
        query_v = pat_value.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for ef in query_f(span):
                func = ef.value
                efp = ef.part
                for ev in query_v(ef.whole if ef.whole is not None else efp):
                    part = efp.intersection(ev.part)
                    if part is not None:
                        out.append(Event(ef.whole, part, func(ev.value), ev.combine_context(ef)))
            return out

        return Pattern(query, self.steps)

    def app_right(self, pat_value: Pattern) -> Pattern:
        """Apply function values to values; structure from the right (`pat_value`).

        >>> from patterns.constructors import sequence
        >>> p = sequence(1, 2).fmap(lambda a: lambda b: a + b).app_right(sequence(10, 20, 30))
        >>> [e.value for e in p.first_cycle()]
        [11, 21, 22, 32]
        >>> [str(e.whole) for e in p.first_cycle()][:2]
        ['0 → 1/3', '1/3 → 2/3']
        """
        query_f = self.query
        query_v = pat_value.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for ev in query_v(span):
                evp = ev.part
                value = ev.value
                for ef in query_f(ev.whole if ev.whole is not None else evp):
                    part = evp.intersection(ef.part)
                    if part is not None:
                        out.append(Event(ev.whole, part, ef.value(value), ev.combine_context(ef)))
            return out

        return Pattern(query, pat_value.steps)

    # ---------------------------------------------------------------- monad

    def bind_whole(
        self,
        choose_whole: Callable[[TimeSpan | None, TimeSpan | None], TimeSpan | None],
        func: Callable[[Any], Pattern],
    ) -> Pattern:
        """Map values to patterns and flatten, choosing wholes with `choose_whole`.

        >>> pure(1).bind_whole(lambda a, b: a, lambda v: pure(v + 1)).first_cycle()[0].value
        2
        """
        query_outer = self.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for outer in query_outer(span):
                inner_pattern = func(outer.value)
                if not isinstance(inner_pattern, Pattern):
                    inner_pattern = reify(inner_pattern)
                for inner in inner_pattern.query(outer.part):
                    out.append(
                        Event(
                            choose_whole(outer.whole, inner.whole),
                            inner.part,
                            inner.value,
                            outer.combine_context(inner),
                        )
                    )
            return out

        return Pattern(query)

    def bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Flatten with wholes from both (intersection).

        >>> pure(1).bind(lambda v: pure(v * 3)).first_cycle()[0].value
        3
        """

        def whole_func(a: TimeSpan | None, b: TimeSpan | None) -> TimeSpan | None:
            if a is None or b is None:
                return None
            return a.intersection_e(b)

        return self.bind_whole(whole_func, func)

    def inner_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Flatten with wholes (structure) from the inner patterns.

        >>> from patterns.constructors import sequence
        >>> len(pure(1).inner_bind(lambda v: sequence(v, v)).first_cycle())
        2
        """
        query_outer = self.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for outer in query_outer(span):
                octx = outer.context
                inner_pattern = func(outer.value)
                if not isinstance(inner_pattern, Pattern):
                    inner_pattern = reify(inner_pattern)
                for inner in inner_pattern.query(outer.part):
                    ctx = inner.context
                    if octx:
                        ctx = octx + ctx if ctx else octx
                    out.append(Event(inner.whole, inner.part, inner.value, ctx))
            return out

        return Pattern(query)

    def outer_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """Flatten with wholes (structure) from the outer pattern.

        >>> from patterns.constructors import sequence
        >>> len(pure(1).outer_bind(lambda v: sequence(v, v)).first_cycle())
        2
        """
        return self.bind_whole(lambda a, b: a, func).set_steps(self.steps)

    def join(self) -> Pattern:
        """Flatten a pattern of patterns (plain values are reified), wholes from both.

        >>> pure(pure(5)).join().first_cycle()[0].value
        5
        """
        return self.bind(_identity)

    def inner_join(self) -> Pattern:
        """Flatten a pattern of patterns, structure from the inner patterns.

        >>> pure(pure(5)).inner_join().first_cycle()[0].value
        5
        """
        return self.inner_bind(_identity)

    def outer_join(self) -> Pattern:
        """Flatten a pattern of patterns, structure from the outer pattern.

        >>> pure(pure(5)).outer_join().first_cycle()[0].value
        5
        """
        return self.outer_bind(_identity)

    def squeeze_join(self) -> Pattern:
        """Flatten by fitting one cycle of each inner pattern into its outer event.

        >>> from patterns.constructors import sequence
        >>> p = sequence(pure(sequence(1, 2)), pure(3)).squeeze_join()
        >>> [str(e.whole) for e in p.first_cycle()]
        ['0 → 1/4', '1/4 → 1/2', '1/2 → 1']
        """
        query_outer = self.query

        def query(span: TimeSpan) -> list[Event]:
            out: list[Event] = []
            for outer in query_outer(span):
                ow = outer.whole
                if ow is None:
                    continue
                op = outer.part
                inner_query = reify(outer.value).query
                # focus: inner time u = (t - b) / d + sam(b); back: t = u * d + (b - sam(b) * d)
                b, e = ow.begin, ow.end
                d = sub(e, b)
                inv_d = div(_ONE, d)
                cycle = whole(b._numerator // b._denominator)
                to_inner = sub(cycle, mul(b, inv_d))
                to_outer = sub(b, mul(cycle, d))
                inner_span = make_span(
                    affine(op.begin, inv_d, to_inner), affine(op.end, inv_d, to_inner)
                )
                for inner in inner_query(inner_span):
                    iw = inner.whole
                    ip = inner.part
                    mapped = make_span(affine(ip.begin, d, to_outer), affine(ip.end, d, to_outer))
                    part = mapped.intersection(op)
                    if part is None:
                        continue
                    new_whole = None
                    if iw is not None:
                        new_whole = make_span(
                            affine(iw.begin, d, to_outer), affine(iw.end, d, to_outer)
                        ).intersection(ow)
                        if new_whole is None:
                            continue
                    out.append(Event(new_whole, part, inner.value, inner.combine_context(outer)))
            return out

        return Pattern(query)

    def squeeze_bind(self, func: Callable[[Any], Pattern]) -> Pattern:
        """`fmap(func).squeeze_join()`.

        >>> from patterns.constructors import sequence
        >>> len(pure(1).squeeze_bind(lambda v: sequence(v, v)).first_cycle())
        2
        """
        return self.fmap(func).squeeze_join()

    # ---------------------------------------------------------------- raw time ops

    def fast_raw(self, factor: Fraction) -> Pattern:
        """Speed up by a constant factor (0 gives silence, negative reverses each cycle).

        >>> [str(e.whole) for e in pure(1).fast_raw(Fraction(2)).first_cycle()]
        ['0 → 1/2', '1/2 → 1']
        """
        if factor == 0:
            return silence
        if factor < 0:
            return self.fast_raw(-factor).rev_raw()
        if factor == 1:
            return self
        check_speed(factor)
        if self.affine is not None:  # compose with the time map below: one layer, not two
            source, scale, offset = self.affine
            check_speed(mul(factor, scale))
            return affine_view(source, mul(factor, scale), offset, self.steps)
        return affine_view(self, factor, _ZERO, self.steps)

    def early_raw(self, offset: Fraction) -> Pattern:
        """Shift earlier by a constant number of cycles.

        >>> str(pure(1).early_raw(Fraction(1, 4)).first_cycle()[0].whole)
        '-1/4 → 3/4'
        """
        if offset == 0:
            return self
        if self.affine is not None:
            source, scale, inner_offset = self.affine
            return affine_view(source, scale, add(mul(offset, scale), inner_offset), self.steps)
        return affine_view(self, _ONE, offset, self.steps)

    def late_raw(self, offset: Fraction) -> Pattern:
        """Shift later by a constant number of cycles.

        >>> str(pure(1).late_raw(Fraction(1, 4)).first_cycle()[1].whole)
        '1/4 → 5/4'
        """
        return self.early_raw(-offset)

    def rev_raw(self) -> Pattern:
        """Reverse each cycle (the registered `rev` is this).

        >>> [str(e.whole) for e in pure(1).fast_raw(Fraction(3, 2)).rev_raw().first_cycle()]
        ['1/3 → 1', '-1/3 → 1/3']
        """
        query = self.query

        def rev_query(span: TimeSpan) -> list[Event]:
            begin = span.begin
            mirror = whole(2 * (begin._numerator // begin._denominator) + 1)  # t -> c + (c + 1 - t)
            out: list[Event] = []
            for e in query(make_span(sub(mirror, span.end), sub(mirror, begin))):
                w = e.whole
                p = e.part
                part = make_span(sub(mirror, p.end), sub(mirror, p.begin))
                if w is None:
                    mapped = None
                elif same_span(w, p):
                    mapped = part
                else:
                    mapped = make_span(sub(mirror, w.end), sub(mirror, w.begin))
                out.append(Event(mapped, part, e.value, e.context))
            return out

        return Pattern(rev_query, self.steps).split_queries()

    def focus_span(self, span: TimeSpan) -> Pattern:
        """Fit cycle(s) of this pattern into `span` (Strudel's focus), without a gap.

        >>> [str(e.whole) for e in pure(1).focus_span(TimeSpan(Fraction(1, 2), Fraction(1))).first_cycle()]
        ['0 → 1/2', '1/2 → 1']
        """
        begin, end = span.begin, span.end
        cycle = Fraction(begin.numerator // begin.denominator)
        return self.early_raw(cycle).fast_raw(1 / (end - begin)).late_raw(begin)

    def set_steps(self, steps: Fraction | int | None) -> Pattern:
        """Set the step count in place and return self (for freshly built patterns only).

        >>> pure(1).set_steps(3).steps
        Fraction(3, 1)
        """
        self.steps = None if steps is None else Fraction(steps)
        return self

    def with_steps(self, steps: Fraction | int | None) -> Pattern:
        """A copy with another step count.

        >>> pure(1).with_steps(4).steps
        Fraction(4, 1)
        """
        return Pattern(self.query, None if steps is None else Fraction(steps))


def _identity(x: Any) -> Any:
    return x


def _silence_query(span: TimeSpan) -> list[Event]:
    return []


silence = Pattern(_silence_query, Fraction(1))
"""The empty pattern."""


def pure(value: Any, context: Context = ()) -> Pattern:
    """A pattern repeating `value` once per cycle; its events carry `context` (source locations).

    >>> [str(e.whole) for e in pure("a").query_arc(Fraction(1, 2), 2)]
    ['0 → 1', '1 → 2']
    >>> pure("bd", ((3, 5),)).first_cycle()[0].context
    ((3, 5),)
    """

    def query(span: TimeSpan) -> list[Event]:
        begin, end = span.begin, span.end
        cycle = begin._numerator // begin._denominator
        last = -((-end._numerator) // end._denominator)  # ceil(end)
        if last <= cycle + 1:  # one cycle, or a point
            return [Event(make_span(whole(cycle), whole(cycle + 1)), span, value, context)]
        out: list[Event] = []
        cursor = begin
        while cycle < last:
            c1 = whole(cycle + 1)
            out.append(
                Event(
                    make_span(whole(cycle), c1),
                    make_span(cursor, c1 if cycle + 1 < last else end),
                    value,
                    context,
                )
            )
            cursor = c1
            cycle += 1
        return out

    pattern = Pattern(query, Fraction(1))
    pattern.pure_value = value
    return pattern


def steady(value: Any) -> Pattern:
    """A continuous pattern (no wholes) of one value.

    >>> steady(3).first_cycle()[0].whole is None
    True
    """
    return Pattern(lambda span: [Event(None, span, value)])


def is_pure(pattern: Pattern) -> bool:
    """Whether `pattern` was made by `pure` (its value is then `pattern.pure_value`).

    >>> is_pure(pure(1)), is_pure(silence)
    (True, False)
    """
    return pattern.pure_value is not _NO_VALUE


StringParser = Callable[[str], Pattern]
"""A function turning a string (mini-notation) into a pattern."""

_string_parser: list[StringParser] = []


def set_string_parser(parser: StringParser) -> None:
    """Make `reify` (and so every patterned argument) read strings with `parser` (Strudel's
    `setStringParser`). `patterns.mini` installs its `mini` here when it is imported, which
    importing any part of the package does.

    >>> from patterns.mini import mini
    >>> set_string_parser(mini)
    >>> [e.value for e in reify("a b").first_cycle()]
    ['a', 'b']
    """
    _string_parser[:] = [parser]


def reify(value: Any) -> Pattern:
    """Turn a value into a pattern: a str is mini-notation, a Pattern stays, else pure.

    >>> reify(3).first_cycle()[0].value
    3
    >>> [e.value for e in reify("bd sd").first_cycle()]
    ['bd', 'sd']
    """
    if isinstance(value, Pattern):
        return value
    if isinstance(value, str):
        if not _string_parser:
            raise PatternError(
                f"cannot read {value!r}: no mini-notation parser is installed (import patterns)"
            )
        return _string_parser[0](value)
    return pure(value)


def reify_all(values: Iterable[Any]) -> list[Pattern]:
    """`reify` each item.

    >>> len(reify_all([1, 2]))
    2
    """
    return [reify(v) for v in values]


def shift_events(events: list[Event], delta: Fraction) -> list[Event]:
    """`events` moved later by `delta` cycles (earlier when negative): whole and part both move,
    and an event whose whole equals its part keeps one shared span (the query hot path).

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
    """`source` seen through the time map t -> t * scale + offset (scale > 0). `fast`, `slow`,
    `early` and `late` are such views, and the result remembers its map in `.affine`, so
    `Pattern.fast_raw`/`early_raw` on it compose the maps into one layer instead of stacking
    two: chains like `p.late(1/4).fast(2)` cost one mapping per event.

    >>> view = affine_view(pure("a"), Fraction(2), Fraction(1, 2))
    >>> [str(e.whole) for e in view.first_cycle()]
    ['-1/4 → 1/4', '1/4 → 3/4', '3/4 → 5/4']
    >>> view.affine[1:]
    (Fraction(2, 1), Fraction(1, 2))
    >>> [str(e.whole.begin) for e in pure("a").early_raw(Fraction(1, 4)).fast_raw(Fraction(2)).onsets(0, 1)]
    ['3/8', '7/8']
    """
    if scale._numerator == scale._denominator:
        view = Pattern(_shift_query(source.query, offset), steps)
    elif offset._numerator == 0:
        view = Pattern(_scale_query(source.query, scale), steps)
    else:
        view = Pattern(_affine_query(source.query, scale, offset), steps)
    view.affine = (source, scale, offset)
    return view


def _shift_query(query: Query, offset: Fraction) -> Query:
    """The query of a view shifted earlier by `offset` (scale 1)."""
    neg = -offset

    def shift_query(span: TimeSpan) -> list[Event]:
        return shift_events(query(make_span(add(span.begin, offset), add(span.end, offset))), neg)

    return shift_query


def _scale_query(query: Query, scale: Fraction) -> Query:
    """The query of a view sped up by `scale` (offset 0), on integer numerators/denominators."""
    sn, sd = scale._numerator, scale._denominator

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

    return scale_query


def _affine_query(query: Query, scale: Fraction, offset: Fraction) -> Query:
    """The query of a view through t -> t * scale + offset."""
    inverse = 1 / scale
    back = -offset / scale  # u -> (u - offset) / scale = u / scale + back

    def affine_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for ev in query(make_span(affine(span.begin, scale, offset), affine(span.end, scale, offset))):
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

    return affine_query
