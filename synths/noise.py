"""Keyed white noise: a voice's noise depends on its track, instrument and slot, nothing else.

pyo's `Noise` seeds each generator from a process-wide count of the noise objects created before
it, so a track's hi-hats sounded different when another track was added before it, and a render
of some tracks could not reproduce their stems in the whole mix. Here every generator reads one
shared table holding the full cycle of pyo's cheap generator (the 16-bit linear congruential
sequence `s -> (15625 s + 1) mod 65536`, as `Noise.setType(1)` plays it: the same values, the same
period of 65,536 samples), each from its own start, which a hash of its *key* picks. A voice pool
names the key of every voice it builds (`noise_key("d1/Hat808/3")`); the n-th generator a voice
creates reads from the hash of `"<key>#n"`. The result is the same signal class as before, and the
noise of a track is the same whatever else the set holds or the process builds.

>>> table = lcg_cycle()
>>> len(table), float(table[0]), float(table[1])        # state 1 after 0, then 15626
(65536, -0.999969482421875, -0.52313232421875)
>>> start_of("d1/Hat808/3#0") == start_of("d1/Hat808/3#0"), start_of("a#0") != start_of("b#0")
(True, True)
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from synths._pyo import PerServer, pyo

__all__ = ["CYCLE", "lcg_cycle", "start_of", "noise_key", "keyed_noise", "NoiseTable"]

CYCLE = 65536
"""The period of the generator, in samples (its state is 16 bits)."""

_KEY: contextvars.ContextVar[tuple[str, list[int]] | None] = contextvars.ContextVar("noise_key", default=None)


@functools.cache
def lcg_cycle() -> np.ndarray:
    """The generator's whole cycle as float32 samples in [-1, 1): state 0's successor first."""
    states = np.empty(CYCLE, dtype=np.int64)
    state = 0
    for index in range(CYCLE):
        state = (state * 15625 + 1) & 0xFFFF
        states[index] = state
    return ((states - 0x8000) * 3.0517578125e-05).astype(np.float32)


def start_of(key: str) -> int:
    """Where in the cycle the generator named `key` starts (a stable hash, 0..65535)."""
    return zlib.crc32(key.encode()) % CYCLE


@contextlib.contextmanager
def noise_key(key: str) -> Iterator[None]:
    """Name the noise generators created inside: the n-th one reads from `start_of(f"{key}#{n}")`.

    >>> with noise_key("d1/Hat/0"):
    ...     _next_key(), _next_key()
    ('d1/Hat/0#0', 'd1/Hat/0#1')
    """
    token = _KEY.set((key, [0]))
    try:
        yield
    finally:
        _KEY.reset(token)


def _next_key() -> str:
    """The key of the next generator within `noise_key` (its name and rank), or "" outside one
    (`keyed_noise` then numbers it by the table's creation count, deterministic for one
    process's creation order)."""
    current = _KEY.get()
    if current is None:
        return ""
    key, count = current
    count[0] += 1
    return f"{key}#{count[0] - 1}"


class NoiseTable(PerServer):
    """The cycle as a pyo `DataTable`, built once per server, and a count for unnamed generators."""

    def __init__(self) -> None:
        self.table: Any = pyo().DataTable(size=CYCLE, init=lcg_cycle().tolist())
        self.unnamed = 0


def keyed_noise(mul: Any = 1.0, *, near: Any = None) -> Any:
    """White noise with one generator per channel of `mul`, each at the start its key picks
    (see the module doc). An `Osc` reading the table without interpolation at one sample per
    sample: the values of pyo's cheap `Noise`, at about the same cost. `near` is any pyo object
    on the same server (the voice's trigger) when `mul` is a number.

    Usage (not run as a doctest: it needs a running server)::

        with noise_key("d1/Snare/0"):
            keyed_noise(0.5, near=trig)      # -> < Instance of Osc class >
    """
    p = pyo()
    anchor = near if near is not None else mul if hasattr(mul, "_base_objs") else p.Sig(0.0)
    kept = NoiseTable.of(anchor)
    sr = anchor._base_objs[0].getServer().getSamplingRate()
    channels = len(mul) if isinstance(mul, (list, tuple)) or hasattr(mul, "_base_objs") else 1
    starts: list[float] = []
    for _ in range(max(1, channels)):
        key = _next_key()
        if not key:
            key = f"unnamed#{kept.unnamed}"
            kept.unnamed += 1
        starts.append(start_of(key) / CYCLE)
    return p.Osc(kept.table, freq=sr / CYCLE, phase=starts if len(starts) > 1 else starts[0], interp=1, mul=mul)
