"""Flush denormal floats to zero in the audio thread, so silence costs what silence costs.

A recursive filter (an EQ band, a compressor's envelope, a reverb's comb) whose input stops
decays towards zero through denormal numbers, which x86 processors compute up to a hundred times
slower than normal ones: after `hush()` the engine used more CPU than while playing (47 % of a core
against 33 %, 16 tracks on this machine). Setting the SSE control register's flush-to-zero (FTZ)
and denormals-are-zero (DAZ) bits makes those values exactly 0, which is inaudible (they are
below -700 dBFS). The register belongs to a thread: the engine sets it from its block callback,
in the thread that computes the audio. glibc's `fesetenv` loads the register from the
environment it is given, so no compiled code is needed. On other machines nothing changes
(`flush_denormals()` returns False).

>>> with flushed() as on:
...     isinstance(on, bool)
True
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import platform
import struct
from collections.abc import Iterator

__all__ = ["flush_denormals", "flushed", "FTZ", "DAZ"]

FTZ = 0x8000
"""MXCSR bit 15: results that would be denormal are 0."""
DAZ = 0x0040
"""MXCSR bit 6: denormal inputs are read as 0."""

_MXCSR_OFFSET = 28           # glibc x86_64 fenv_t: the x87 environment (28 bytes), then mxcsr
_ENV_SIZE = 64               # larger than fenv_t (32 bytes): room to spare


@functools.cache
def _libm() -> ctypes.CDLL | None:
    """libm, looked up once: `find_library` runs `ldconfig` in a subprocess (about 3.6 ms), and
    a render enters `flushed()` for every few blocks (1,518 lookups cost 5.4 s of a 28 s render)."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    name = ctypes.util.find_library("m")
    try:
        return ctypes.CDLL(name) if name is not None else None
    except OSError:
        return None


def _get_env(libm: ctypes.CDLL) -> ctypes.Array[ctypes.c_uint8] | None:
    env = (ctypes.c_uint8 * _ENV_SIZE)()
    return env if libm.fegetenv(env) == 0 else None


def flush_denormals() -> bool:
    """Set FTZ and DAZ for the calling thread for good (x86_64 with glibc); True when set. For
    the engine's own audio thread; a caller's thread wants `flushed()`."""
    libm = _libm()
    env = _get_env(libm) if libm is not None else None
    if libm is None or env is None:
        return False
    mxcsr = struct.unpack_from("<I", bytes(env), _MXCSR_OFFSET)[0]
    struct.pack_into("<I", env, _MXCSR_OFFSET, mxcsr | FTZ | DAZ)
    if libm.fesetenv(env) != 0:
        return False
    check = _get_env(libm)
    return check is not None and bool(struct.unpack_from("<I", bytes(check), _MXCSR_OFFSET)[0] & FTZ)


@contextlib.contextmanager
def flushed() -> Iterator[bool]:
    """Flush denormals in the calling thread for the block, then put its floating-point state
    back (a manual or offline render computes in its caller's thread, whose numbers must stay
    IEEE outside the render).

    >>> import numpy as np
    >>> with flushed():
    ...     pass
    >>> float(np.float32(1e-39) * np.float32(1.0)) > 0.0      # denormals work again after it
    True
    """
    libm = _libm()
    saved = _get_env(libm) if libm is not None else None
    try:
        yield flush_denormals() if saved is not None else False
    finally:
        if libm is not None and saved is not None:
            libm.fesetenv(saved)
