"""Layering: superimpose, layer, off, echo, echoWith/stutWith, stut, jux, juxBy.

>>> from patterns.constructors import sequence
>>> sorted(e.value for e in sequence(0, 2).superimpose(lambda p: p.fmap(lambda v: v + 12)).first_cycle())
[0, 2, 12, 14]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from patterns.constructors import stack
from patterns.controls import validate_control
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.register import register
from patterns.time_ops import late
from patterns.timespan import TimeSpan, to_time
from patterns.runaway import to_count

__all__ = [
    "superimpose",
    "layer",
    "off",
    "echo",
    "echoWith",
    "stutWith",
    "stut",
    "jux",
    "juxBy",
    "rolled",
    "rolledBy",
]

Transform = Callable[[Pattern], Pattern]


def _superimpose(funcs: Sequence[Transform], pat: Pattern) -> Pattern:
    """Stack the pattern with each function applied to it.

    >>> from patterns.constructors import sequence
    >>> len(sequence(0, 2).superimpose(lambda p: p, lambda p: p).first_cycle())
    6
    """
    return stack(pat, *[f(pat) for f in funcs])


def _layer(funcs: Sequence[Transform], pat: Pattern) -> Pattern:
    """Stack the results of each function (the original is not included).

    >>> from patterns.constructors import sequence
    >>> len(sequence(0, 2).layer(lambda p: p.fast(2)).first_cycle())
    4
    """
    return stack(*[f(pat) for f in funcs])


def _off(time: Any, func: Transform, pat: Pattern) -> Pattern:
    """Stack the pattern with a copy shifted `time` later and transformed by `func`.

    >>> from patterns.constructors import sequence
    >>> [str(e.whole.begin) for e in sequence(0).off(0.25, lambda p: p).onsets(0, 1)]
    ['0', '1/4']
    """
    return stack(pat, func(late(time, pat)))


def _echo_with(times: Any, time: Any, func: Transform, pat: Pattern) -> Pattern:
    """Tidal's stutWith: `times` layers, each `time` later than the previous and with `func`
    applied once more (layer i gets func applied i times; layer 0 is the original).

    >>> from patterns.constructors import sequence
    >>> sorted(e.value for e in sequence(0).echoWith(3, 0.125, lambda p: p.fmap(lambda v: v + 12)).onsets(0, 1))
    [0, 12, 24]
    """
    count = to_count(times, "echoWith")
    step = to_time(time)
    if count <= 1:
        return pat
    layers = [pat]
    current = pat
    for _ in range(count - 1):
        current = func(current.late_raw(step))
        layers.append(current)
    return stack(*layers)


def _set_gain(gain: float) -> Callable[[Any], Any]:
    """Set `gain` on a control map (Strudel's `pat.gain(x)`: set, not multiply); a plain value
    (not a control map yet) is left as it is. The gain is checked against its range here."""
    control = validate_control("gain", gain)

    def apply(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {**value, **control}
        return value

    return apply


def _echo(times: Any, time: Any, feedback: Any, pat: Pattern) -> Pattern:
    """`times` copies, copy i `time` × i later with its gain set to feedback**i (Strudel:
    `echoWith(times, time, (p, i) => p.gain(feedback ** i))`, so copy 0 has gain 1).

    >>> from patterns.pattern import pure
    >>> [e.value["gain"] for e in pure({"s": "bd"}).echo(3, 0.25, 0.5).onsets(0, 1)]
    [1.0, 0.5, 0.25]
    """
    count = to_count(times, "echo")
    step = to_time(time)
    fb = float(feedback)
    return stack(*[pat.late_raw(step * i).fmap(_set_gain(fb**i)) for i in range(count)])


def _stut(times: Any, feedback: Any, time: Any, pat: Pattern) -> Pattern:
    """`echo` with the last two arguments swapped: (times, feedback, time), as in Strudel.

    >>> from patterns.pattern import pure
    >>> [(str(e.whole.begin), e.value["gain"]) for e in pure({"s": "bd"}).stut(3, 0.5, 0.25).onsets(0, 1)]
    [('0', 1.0), ('1/4', 0.5), ('1/2', 0.25)]
    """
    return _echo(times, time, feedback, pat)


def _pan_shift(offset: float) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        if isinstance(value, dict):
            out = dict(value)
        else:
            out = {"value": value}
        out["pan"] = out.get("pan", 0.5) + offset
        return out

    return apply


def _jux_by(amount: Any, func: Transform, pat: Pattern) -> Pattern:
    """Original panned left by amount/2, func(original) panned right by amount/2.

    >>> from patterns.pattern import pure
    >>> sorted(e.value["pan"] for e in pure({"s": "a"}).juxBy(0.5, lambda p: p).first_cycle())
    [0.25, 0.75]
    """
    by = float(amount) / 2
    left = pat.fmap(_pan_shift(-by))
    right = func(pat.fmap(_pan_shift(by)))
    return stack(left, right)


def _jux(func: Transform, pat: Pattern) -> Pattern:
    """Original hard left (pan 0), func(original) hard right (pan 1).

    >>> from patterns.pattern import pure
    >>> sorted(e.value["pan"] for e in pure({"s": "a"}).jux(lambda p: p).first_cycle())
    [0.0, 1.0]
    """
    return _jux_by(1, func, pat)


def _rolled_by(amount: Any, pat: Pattern) -> Pattern:
    """Strum chords: the notes of events starting together start one after another, spread
    over `amount` of the event's duration (negative: from the top down).

    >>> from patterns.constructors import stack
    >>> [str(e.whole.begin) for e in stack("c", "e", "g").rolledBy(0.25).onsets(0, 1)]
    ['0', '1/12', '1/6']
    """
    t = to_time(amount)
    if t == 0:
        return pat
    query = pat.query

    def rolled_query(span: TimeSpan) -> list[Event]:
        events = query(span)
        groups: dict[Any, list[Event]] = {}
        for event in events:
            if event.whole is not None:
                groups.setdefault((event.whole.begin, event.whole.end), []).append(event)
        out: list[Event] = [e for e in events if e.whole is None]
        for (begin, end), group in groups.items():
            members = group if t > 0 else group[::-1]
            count = len(members)
            step = abs(t) * (end - begin) / count
            for index, event in enumerate(members):
                whole = TimeSpan(begin + step * index, end)
                part = event.part.intersection(whole)
                if part is not None:
                    out.append(Event(whole, part, event.value, event.context))
        return out

    return Pattern(rolled_query, pat.steps)


def _rolled(pat: Pattern) -> Pattern:
    """`rolledBy(1/4)`.

    >>> from patterns.constructors import stack
    >>> len(stack("c", "e").rolled().onsets(0, 1))
    2
    """
    return _rolled_by(Fraction(1, 4), pat)


superimpose = register("superimpose", _superimpose, variadic=True)
layer = register("layer", _layer, variadic=True)
off = register("off", _off, patternify=False)
echoWith = register(["echoWith", "echowith", "stutWith", "stutwith"], _echo_with)
stutWith = echoWith
echo = register("echo", _echo)
stut = register("stut", _stut)
juxBy = register(["juxBy", "juxby"], _jux_by)
rolledBy = register("rolledBy", _rolled_by)
rolled = register("rolled", _rolled)
jux = register("jux", _jux)

