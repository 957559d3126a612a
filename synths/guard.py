"""`FiniteGuard`: notice within one block when a strip, a send bus or the master stops being finite.

One NaN or infinity anywhere in a recursive DSP object (a filter, a compressor's envelope, a
reverb's feedback) stays there for good, and summed into the master it silences everything. The
guard sums every watched signal into one pyo `Mix` and reads that sum's last sample once per block
in the engine's callback (a single C call): NaN or infinity in any watched signal makes the sum
non-finite. Only then does it read each signal to name the culprits. A poisoned recursive object
repeats its NaN in every sample, so it is caught at the block after it first went bad.

>>> import math
>>> finite((0.0, -1.5)), finite((math.nan, 0.0)), finite((math.inf,))
(True, False, False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from synths._pyo import pyo

__all__ = ["FiniteGuard", "finite", "last_samples"]


def finite(values: Iterable[float]) -> bool:
    """True when every value is a finite number."""
    return all(math.isfinite(value) for value in values)


def _streams(signal: Any) -> tuple[Any, ...]:
    return tuple(base._getStream() for base in signal.getBaseObjects())


def last_samples(signal: Any) -> tuple[float, ...]:
    """The last sample of every channel of pyo object `signal` (its previous block's end)."""
    return tuple(stream.getValue() for stream in _streams(signal))


class FiniteGuard:
    """Watches named pyo signals; `check()` names those whose last block ended non-finite.

    `watch(signals)` replaces the watched set (after every mixer rebuild); the sum it reads is
    created then, after the signals, so pyo computes it in the same block.
    """

    def __init__(self) -> None:
        self._signals: dict[str, tuple[Any, ...]] = {}
        self._sum: Any = None
        self._sum_streams: tuple[Any, ...] = ()

    def watch(self, signals: Mapping[str, Any]) -> None:
        """Watch `signals` (name -> pyo object) from the next block on."""
        self._signals = {name: _streams(signal) for name, signal in signals.items()}
        if signals:
            self._sum = pyo().Mix(list(signals.values()), voices=1)
            self._sum_streams = _streams(self._sum)
        else:
            self._sum, self._sum_streams = None, ()

    @property
    def names(self) -> list[str]:
        """The watched names."""
        return list(self._signals)

    def check(self) -> Sequence[str]:
        """The watched names whose last sample is not finite (cheap when all are)."""
        if all(math.isfinite(stream.getValue()) for stream in self._sum_streams):
            return ()
        return [name for name, streams in self._signals.items()
                if not all(math.isfinite(stream.getValue()) for stream in streams)]

    def close(self) -> None:
        """Stop watching."""
        if self._sum is not None:
            self._sum.stop()
        self.watch({})
