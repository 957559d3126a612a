"""Sample manipulation: chop, striate, slice, splice, loopAt (they set the `begin`, `end`,
`speed` and `unit` controls of control-map events).

>>> from patterns.pattern import pure
>>> [e.value for e in pure({"s": "break"}).chop(2).first_cycle()]
[{'s': 'break', 'begin': 0.0, 'end': 0.5}, {'s': 'break', 'begin': 0.5, 'end': 1.0}]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from patterns.constructors import slowcat
from patterns.errors import PatternArgumentError
from patterns.event import Event
from patterns.pattern import Pattern, pure, reify, silence
from patterns.register import register
from patterns.time_ops import subdivide
from patterns.timespan import TimeSpan, to_time
from patterns.runaway import to_count

__all__ = ["chop", "striate", "slice", "splice", "loopAt", "as_controls"]


def as_controls(value: Any) -> dict[str, Any]:
    """A value as a control map: dicts stay, anything else becomes `{"s": value}`.

    >>> as_controls("bd"), as_controls({"n": 1})
    ({'s': 'bd'}, {'n': 1})
    """
    return dict(value) if isinstance(value, dict) else {"s": value}


def _chop(count: Any, pat: Pattern) -> Pattern:
    """Cut each event into `count` parts, each playing the matching part of the sample.

    >>> from patterns.pattern import pure
    >>> len(pure({"s": "a"}).chop(4).first_cycle())
    4
    """
    n = to_count(count, "chop")
    if n <= 0:
        return silence

    def piece(value: Any, i: int) -> dict[str, Any]:
        controls = as_controls(value)
        begin = float(controls.get("begin", 0))
        width = float(controls.get("end", 1)) - begin
        controls["begin"] = begin + width * i / n
        controls["end"] = begin + width * (i + 1) / n
        return controls

    result = subdivide(n, pat, piece)
    if pat.steps is not None:
        result.steps = pat.steps * n
    return result


def _set_controls(slices: Pattern, pat: Pattern) -> Pattern:
    """Merge the control maps of `slices` into `pat`'s (structure from pat)."""
    return pat.fmap(lambda a: lambda b: {**as_controls(a), **b}).app_left(slices)


def _striate(count: Any, pat: Pattern) -> Pattern:
    """Interlace `count` slices: the first slice of every event, then the second, ...

    >>> from patterns.constructors import sequence
    >>> [e.value["begin"] for e in sequence({"s": "a"}, {"s": "b"}).striate(2).first_cycle()]
    [0.0, 0.0, 0.5, 0.5]
    """
    n = to_count(count, "striate")
    if n <= 0:
        return silence
    slices = slowcat(*[pure({"begin": i / n, "end": (i + 1) / n}) for i in range(n)])
    return _set_controls(slices, pat).fast_raw(Fraction(n))


def _slice_value(n: Any, i: Any, value: Any) -> dict[str, Any]:
    controls = as_controls(value)
    try:
        if isinstance(n, (list, tuple)):
            index = int(i)
            begin, end = n[index], n[index + 1]
        else:
            count = float(n)
            begin, end = float(i) / count, (float(i) + 1) / count
            if isinstance(i, int) and i == 0:
                begin = 0
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        raise PatternArgumentError(
            f"slice(count, index, pat): cannot take slice {i!r} of {n!r}"
        ) from None
    return {"begin": begin, "end": end, "_slices": n, **controls}


def _slice(count: Any, index: Any, pat: Any) -> Pattern:
    """Play slice `index` of `count` equal slices of each sample, with the index's structure.

    >>> from patterns.pattern import pure
    >>> [e.value["begin"] for e in pure({"s": "br"}).slice(4, "0 2").first_cycle()]
    [0, 0.5]
    """
    npat, ipat, opat = reify(count), reify(index), reify(pat)
    return npat.inner_bind(
        lambda n: ipat.outer_bind(
            lambda i: opat.outer_bind(lambda o: pure(_slice_value(n, i, o)))
        )
    )


def _splice(count: Any, index: Any, pat: Any) -> Pattern:
    """`slice`, with `speed` set so each slice fits its event (`unit` "c": cycles).

    >>> from patterns.pattern import pure
    >>> [e.value["speed"] for e in pure({"s": "br"}).splice(4, "0 1").first_cycle()]
    [0.5, 0.5]
    """
    sliced = _slice(count, index, pat)
    query = sliced.query

    def splice_query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for e in query(span):
            value = e.value
            duration = float(e.whole_or_part().duration)
            slices = value["_slices"]
            count_n = len(slices) - 1 if isinstance(slices, (list, tuple)) else float(slices)
            speed = (1 / count_n / duration) * value.get("speed", 1)
            new_value = {"speed": speed, "unit": "c", **value}
            out.append(Event(e.whole, e.part, new_value, e.context))
        return out

    return Pattern(splice_query).split_queries()


def _loop_at(factor: Any, pat: Pattern) -> Pattern:
    """Slow the pattern by `factor` and set `speed` so a sample spans `factor` cycles (Tidal:
    speed 1/factor with unit "c", independent of the tempo).

    >>> from patterns.pattern import pure
    >>> pure({"s": "br"}).loopAt(2).first_cycle()[0].value
    {'s': 'br', 'speed': 0.5, 'unit': 'c'}
    """
    f = to_time(factor)
    if f == 0:
        return silence
    ratio = 1 / float(f)

    def apply(value: Any) -> dict[str, Any]:
        controls = as_controls(value)
        controls["speed"] = controls.get("speed", 1) * ratio
        controls["unit"] = "c"
        return controls

    return pat.fmap(apply).fast_raw(1 / f)


chop = register("chop", _chop)
striate = register("striate", _striate)
slice = register("slice", _slice, patternify=False)  # noqa: A001 - Strudel's name
splice = register("splice", _splice, patternify=False)
loopAt = register(["loopAt", "loopat"], _loop_at)
