"""Seeded random numbers for the generators: the project's xorshift, started from a seed.

A generator (motif, walk, Markov chain, drum variation) draws its choices from a `Stream`
made from its seed, so the same seed gives the same phrase on every run and every machine,
and the phrase, once made, loops as a pure function of time.

>>> a, b = Stream(7), Stream(7)
>>> [a.below(10) for _ in range(5)] == [b.below(10) for _ in range(5)]
True
>>> [Stream(7).below(10) for _ in range(2)], Stream(7, "rhythm").below(10) == Stream(7).below(10)
([2, 2], False)
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TypeVar

from patterns.errors import GeneratorError
from patterns.random import xorwise

__all__ = ["Stream", "check_seed"]

T = TypeVar("T")

_GOLDEN = 0x9E3779B1
_FALLBACK = 0x2545F491
_WARMUP = 3


def _int32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - 0x100000000 if x & 0x80000000 else x


def _fmix(x: int) -> int:
    """MurmurHash3's finaliser: spreads every bit of a seed over the whole state."""
    x &= 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & 0xFFFFFFFF
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & 0xFFFFFFFF
    return x ^ (x >> 16)


def check_seed(seed: object, where: str) -> int:
    """A seed as an int; GeneratorError for anything else (booleans too).

    >>> check_seed(3, "motif"), check_seed(-1, "motif")
    (3, -1)
    >>> check_seed("x", "motif")
    Traceback (most recent call last):
    ...
    patterns.errors.GeneratorError: motif: the seed must be a whole number, got 'x'
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise GeneratorError(f"{where}: the seed must be a whole number, got {seed!r}")
    return seed


class Stream:
    """A deterministic stream of random numbers from an integer `seed`; `salt` names an
    independent stream of the same seed (a generator's rhythm and its pitches).

    >>> s = Stream(1)
    >>> 0.0 <= s.random() < 1.0, s.chance(1.0), s.choice("abc") in "abc"
    (True, True, True)
    """

    __slots__ = ("_state",)

    def __init__(self, seed: int, salt: str = "") -> None:
        mixed = _int32(_fmix(check_seed(seed, "Stream") * _GOLDEN + zlib.crc32(salt.encode())))
        self._state = mixed or _FALLBACK
        for _ in range(_WARMUP):
            self._state = xorwise(self._state)

    def random(self) -> float:
        """The next number in [0, 1).

        >>> round(Stream(0).random(), 6)
        0.846285
        """
        self._state = xorwise(self._state) or _FALLBACK
        return (self._state & 0xFFFFFFFF) / 4294967296.0

    def below(self, count: int) -> int:
        """A whole number in [0, count).

        >>> all(0 <= Stream(5).below(3) < 3 for _ in range(10))
        True
        """
        if count < 1:
            raise GeneratorError(f"Stream.below: expected a positive count, got {count!r}")
        return min(count - 1, int(self.random() * count))

    def chance(self, probability: float) -> bool:
        """True with the given probability (0 never, 1 always).

        >>> Stream(2).chance(0.0), Stream(2).chance(1.0)
        (False, True)
        """
        return self.random() < probability

    def choice(self, items: Sequence[T]) -> T:
        """One of `items`, each equally likely.

        >>> Stream(3).choice([4])
        4
        """
        if not items:
            raise GeneratorError("Stream.choice: nothing to choose from")
        return items[self.below(len(items))]

    def weighted(self, weights: Sequence[float]) -> int:
        """An index into `weights`, chosen in proportion to them.

        >>> Stream(4).weighted([0, 1, 0])
        1
        """
        total = float(sum(weights))
        if total <= 0:
            raise GeneratorError(f"Stream.weighted: expected some positive weight, got {list(weights)!r}")
        target = self.random() * total
        for index, weight in enumerate(weights):
            target -= weight
            if target < 0 and weight > 0:
                return index
        return max(i for i, w in enumerate(weights) if w > 0)
