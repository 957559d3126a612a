"""Fast exact arithmetic on `fractions.Fraction` times for the query hot path.

CPython's Fraction operators cost 1-2 µs each (type dispatch, normalisation through
`__new__`). These helpers work on the numerator/denominator integers directly and build
the result without re-validating it; they give exactly the Fractions the operators give.
All arguments must be `Fraction` instances (`to_time` makes them).

>>> a, b = Fraction(1, 3), Fraction(3, 4)
>>> add(a, b) == a + b, sub(a, b) == a - b, mul(a, b) == a * b, div(a, b) == a / b
(True, True, True, True)
>>> lt(a, b), floor(Fraction(-1, 2))
(True, -1)
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

__all__ = ["frac", "whole", "add", "sub", "mul", "div", "affine", "lt", "le", "eq", "floor", "ceil"]

_new = object.__new__


def frac(n: int, d: int) -> Fraction:
    """The Fraction n/d for d > 0, normalised.

    >>> frac(2, 4)
    Fraction(1, 2)
    """
    if d != 1:
        g = gcd(n, d)
        if g != 1:
            n //= g
            d //= g
    f = _new(Fraction)
    f._numerator = n
    f._denominator = d
    return f


def whole(n: int) -> Fraction:
    """The Fraction of an integer.

    >>> whole(3)
    Fraction(3, 1)
    """
    f = _new(Fraction)
    f._numerator = n
    f._denominator = 1
    return f


def add(a: Fraction, b: Fraction) -> Fraction:
    """a + b.

    >>> add(Fraction(1, 2), Fraction(1, 2))
    Fraction(1, 1)
    """
    ad = a._denominator
    bd = b._denominator
    if ad == bd:
        return frac(a._numerator + b._numerator, ad)
    return frac(a._numerator * bd + b._numerator * ad, ad * bd)


def sub(a: Fraction, b: Fraction) -> Fraction:
    """a - b.

    >>> sub(Fraction(1, 2), Fraction(1, 3))
    Fraction(1, 6)
    """
    ad = a._denominator
    bd = b._denominator
    if ad == bd:
        return frac(a._numerator - b._numerator, ad)
    return frac(a._numerator * bd - b._numerator * ad, ad * bd)


def mul(a: Fraction, b: Fraction) -> Fraction:
    """a * b.

    >>> mul(Fraction(2, 3), Fraction(3, 4))
    Fraction(1, 2)
    """
    return frac(a._numerator * b._numerator, a._denominator * b._denominator)


def div(a: Fraction, b: Fraction) -> Fraction:
    """a / b (b != 0).

    >>> div(Fraction(1, 2), Fraction(-1, 4))
    Fraction(-2, 1)
    """
    bn = b._numerator
    if bn < 0:
        return frac(-a._numerator * b._denominator, -a._denominator * bn)
    return frac(a._numerator * b._denominator, a._denominator * bn)


def affine(t: Fraction, scale: Fraction, offset: Fraction) -> Fraction:
    """t * scale + offset in one normalisation.

    >>> affine(Fraction(1, 2), Fraction(1, 3), Fraction(1, 4))
    Fraction(5, 12)
    """
    n = t._numerator * scale._numerator
    d = t._denominator * scale._denominator
    od = offset._denominator
    if od == 1:
        return frac(n + offset._numerator * d, d)
    return frac(n * od + offset._numerator * d, d * od)


def lt(a: Fraction, b: Fraction) -> bool:
    """a < b.

    >>> lt(Fraction(1, 3), Fraction(1, 2))
    True
    """
    return a._numerator * b._denominator < b._numerator * a._denominator


def le(a: Fraction, b: Fraction) -> bool:
    """a <= b.

    >>> le(Fraction(1, 2), Fraction(2, 4))
    True
    """
    return a._numerator * b._denominator <= b._numerator * a._denominator


def eq(a: Fraction, b: Fraction) -> bool:
    """a == b (both normalised).

    >>> eq(Fraction(1, 2), Fraction(2, 4))
    True
    """
    return a._numerator == b._numerator and a._denominator == b._denominator


def floor(a: Fraction) -> int:
    """The integer floor.

    >>> floor(Fraction(7, 2))
    3
    """
    return a._numerator // a._denominator


def ceil(a: Fraction) -> int:
    """The integer ceiling.

    >>> ceil(Fraction(7, 2))
    4
    """
    return -((-a._numerator) // a._denominator)
