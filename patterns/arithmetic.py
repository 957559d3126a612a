"""Arithmetic on patterns: add, sub, mul, div, mod, pow with the variants `.out` (structure
from the argument), `.mix` (structure from both), `.squeeze` (argument squeezed into each
event) and `.squeezeOut`; and range, rangex, range2. Python operators (`+ - * / %`) on
patterns take the structure from the pattern (`pat + 1`, `10 - pat`).

Values: numbers combine as numbers, note names are converted to MIDI numbers first (c = 48),
control maps combine key by key (a bare number added to a control map changes nothing, as in
Strudel).

>>> from patterns.constructors import sequence
>>> [e.value for e in sequence(1, 2).add.squeeze(sequence(10, 20)).first_cycle()]
[11, 21, 12, 22]
>>> [e.value for e in (sequence(1, 2) * 10).first_cycle()]
[10, 20]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from patterns.errors import PatternArgumentError, PatternError
from patterns.pattern import Pattern, reify
from patterns.register import register, registry
from patterns.theory.notes import is_note, note_to_midi

__all__ = [
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "pow",
    "range",
    "rangex",
    "range2",
    "numeral",
    "combine_values",
]

BinOp = Callable[[Any, Any], Any]


def numeral(value: Any) -> Any:
    """A value as a number for arithmetic: numbers stay, numeric strings and note names convert.

    >>> numeral(3), numeral("2.5"), numeral("c4")
    (3, 2.5, 60)
    """
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    try:
        number = float(value)
    except ValueError:
        if is_note(value):
            return note_to_midi(value)
        raise PatternError(f"arithmetic: cannot use {value!r} as a number") from None
    return int(number) if number.is_integer() and "." not in value else number


def _mod(a: Any, b: Any) -> Any:
    return ((a % b) + b) % b


def _div(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        quotient = Fraction(a, b)
        return int(quotient) if quotient.denominator == 1 else a / b
    return a / b


def _plain(op: BinOp, name: str) -> BinOp:
    def apply(a: Any, b: Any) -> Any:
        if name == "add" and isinstance(a, str) and isinstance(b, str):
            try:
                return op(numeral(a), numeral(b))
            except PatternError:
                return a + b
        try:
            return op(numeral(a), numeral(b))
        except (TypeError, ZeroDivisionError) as err:
            raise PatternError(f"{name}: cannot combine {a!r} and {b!r} ({err})") from None

    return apply


def combine_values(op: BinOp, a: Any, b: Any) -> Any:
    """Apply `op` to two event values (dicts combine on their common keys).

    >>> combine_values(operator.add, {"note": 48, "s": "x"}, {"note": 12})
    {'note': 60, 's': 'x'}
    >>> combine_values(operator.add, {"n": 1}, 7)
    {'n': 1}
    """
    if isinstance(a, dict) or isinstance(b, dict):
        left = a if isinstance(a, dict) else {"value": a}
        right = b if isinstance(b, dict) else {"value": b}
        if len(right) == 1 and "value" in right:
            return left
        out = dict(left)
        out.update(right)
        for key in left.keys() & right.keys():
            out[key] = op(left[key], right[key])
        return out
    return op(a, b)


def _make_op(name: str, op: BinOp) -> None:
    plain = _plain(op, name)

    def values(a: Any, b: Any) -> Any:
        return combine_values(plain, a, b)

    def op_in(other: Any, pat: Pattern) -> Pattern:
        return pat.fmap(lambda a: lambda b: values(a, b)).app_left(reify(other))

    def op_out(other: Any, pat: Pattern) -> Pattern:
        return pat.fmap(lambda a: lambda b: values(a, b)).app_right(reify(other))

    def op_mix(other: Any, pat: Pattern) -> Pattern:
        return pat.fmap(lambda a: lambda b: values(a, b)).app_both(reify(other))

    def op_squeeze(other: Any, pat: Pattern) -> Pattern:
        arg = reify(other)
        return pat.fmap(lambda a: arg.fmap(lambda b: values(a, b))).squeeze_join()

    def op_squeeze_out(other: Any, pat: Pattern) -> Pattern:
        arg = reify(other)
        return arg.fmap(lambda b: pat.fmap(lambda a: values(a, b))).squeeze_join()

    op_in.__doc__ = f"""`{name}` values of the argument to the pattern's (structure from the left).

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(6, 4).{name}(2).first_cycle()]
    [{plain(6, 2)!r}, {plain(4, 2)!r}]
    """
    op_out.__doc__ = f"""`{name}` with the structure from the argument.

    >>> from patterns.pattern import pure
    >>> len(pure(6).{name}.out("2 2 2").first_cycle())
    3
    """
    op_mix.__doc__ = f"""`{name}` with structure from both sides (wholes intersect).

    >>> from patterns.constructors import sequence
    >>> len(sequence(6, 4).{name}.mix("2 2 2").first_cycle())
    4
    """
    op_squeeze.__doc__ = f"""`{name}` with a cycle of the argument squeezed into each event.

    >>> from patterns.constructors import sequence
    >>> len(sequence(6, 4).{name}.squeeze("2 2").first_cycle())
    4
    """
    op_squeeze_out.__doc__ = f"""`{name}` with the pattern squeezed into each argument event.

    >>> from patterns.constructors import sequence
    >>> len(sequence(6, 4).{name}.squeezeOut("2 2").first_cycle())
    4
    """
    base = register(name, op_in, patternify=False)
    register(f"{name}.in", op_in, patternify=False)
    register(f"{name}.out", op_out, patternify=False)
    register(f"{name}.mix", op_mix, patternify=False)
    register(f"{name}.squeeze", op_squeeze, patternify=False)
    register(f"{name}.squeezeOut", op_squeeze_out, patternify=False)
    globals()[name] = base


_make_op("add", operator.add)
_make_op("sub", operator.sub)
_make_op("mul", operator.mul)
_make_op("div", _div)
_make_op("mod", _mod)
_make_op("pow", operator.pow)

add: Any
sub: Any
mul: Any
div: Any
mod: Any
pow: Any  # noqa: A001 - Strudel's name


def _number(value: Any, where: str) -> float:
    """A value as a float for range mapping; a clear error for anything else."""
    number = numeral(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, (int, float, Fraction)):
        raise PatternArgumentError(f"{where}: expected a number, got {value!r}")
    return float(number)


def _range(low: Any, high: Any, pat: Pattern) -> Pattern:
    """Map a unipolar 0..1 pattern to low..high.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(0, 0.5, 1).range(1, 5).first_cycle()]
    [1.0, 3.0, 5.0]
    """
    lo, hi = _number(low, "range(low, high, pat)"), _number(high, "range(low, high, pat)")
    return pat.fmap(lambda v: _number(v, "range: the pattern's value") * (hi - lo) + lo)


def _rangex(low: Any, high: Any, pat: Pattern) -> Pattern:
    """Map 0..1 to low..high exponentially (for frequencies).

    >>> from patterns.constructors import sequence
    >>> [round(e.value) for e in sequence(0, 0.5, 1).rangex(100, 10000).first_cycle()]
    [100, 1000, 10000]
    """
    where = "rangex(low, high, pat)"
    low_value, high_value = _number(low, where), _number(high, where)
    if low_value <= 0 or high_value <= 0:
        raise PatternArgumentError(f"{where}: low and high must be above 0, got {low!r}, {high!r}")
    lo, hi = math.log(low_value), math.log(high_value)
    return pat.fmap(lambda v: math.exp(_number(v, "rangex: the pattern's value") * (hi - lo) + lo))


def _range2(low: Any, high: Any, pat: Pattern) -> Pattern:
    """Map a bipolar -1..1 pattern to low..high.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in sequence(-1, 0, 1).range2(1000, 1100).first_cycle()]
    [1000.0, 1050.0, 1100.0]
    """
    lo, hi = _number(low, "range2(low, high, pat)"), _number(high, "range2(low, high, pat)")
    return pat.fmap(lambda v: (_number(v, "range2: the pattern's value") + 1) / 2 * (hi - lo) + lo)


range = register("range", _range)  # noqa: A001 - Strudel's name
rangex = register("rangex", _rangex)
range2 = register("range2", _range2)


def _binary(name: str, swap: bool = False) -> Callable[[Pattern, Any], Pattern]:
    def method(self: Pattern, other: Any) -> Pattern:
        if swap:  # `10 - pat`: the structure still comes from the pattern
            return registry[f"{name}.out"].call_method(reify(other), (self,))
        return getattr(self, name)(other)

    return method


def _install_operators() -> None:
    """Attach `+ - * / %` and their reflections to `Pattern` (typed there, under TYPE_CHECKING)."""
    for name, method, reflected in (
        ("add", "__add__", "__radd__"),
        ("sub", "__sub__", "__rsub__"),
        ("mul", "__mul__", "__rmul__"),
        ("div", "__truediv__", "__rtruediv__"),
        ("mod", "__mod__", "__rmod__"),
    ):
        setattr(Pattern, method, _binary(name))
        setattr(Pattern, reflected, _binary(name, swap=True))


_install_operators()
