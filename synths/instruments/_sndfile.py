"""A small ctypes bridge to the system's libsndfile, for formats pyo's bundled copy lacks (FLAC).

pyo's wheels ship a libsndfile built without FLAC/Ogg support; the system library (Debian's
`libsndfile1`) has them. `read_sound` decodes a file to float32 frames, `write_sound` encodes one
(used to make test files). Both raise `SynthError` when no system libsndfile is installed.

>>> FORMATS["flac"] == 0x170000 | 0x0002
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import numpy as np

from synths.errors import SynthError

__all__ = ["FORMATS", "read_sound", "write_sound", "available"]

FORMATS = {"wav": 0x010000 | 0x0006, "aiff": 0x020000 | 0x0006, "flac": 0x170000 | 0x0002}
"""libsndfile major|subtype codes used by `write_sound` (WAV/AIFF float, FLAC 16-bit)."""

_READ, _WRITE = 0x10, 0x20


class _Info(ctypes.Structure):
    _fields_ = [
        ("frames", ctypes.c_int64),
        ("samplerate", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("format", ctypes.c_int),
        ("sections", ctypes.c_int),
        ("seekable", ctypes.c_int),
    ]


_LIB: ctypes.CDLL | None = None


def _lib() -> ctypes.CDLL:
    """Load and describe the system libsndfile once."""
    global _LIB
    if _LIB is None:
        name = ctypes.util.find_library("sndfile")
        if name is None:
            raise SynthError("sampler: no system libsndfile found (install libsndfile1 to load FLAC)")
        lib = ctypes.CDLL(name)
        lib.sf_open.restype = ctypes.c_void_p
        lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_Info)]
        lib.sf_readf_float.restype = ctypes.c_int64
        lib.sf_readf_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        lib.sf_writef_float.restype = ctypes.c_int64
        lib.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        lib.sf_close.argtypes = [ctypes.c_void_p]
        lib.sf_strerror.restype = ctypes.c_char_p
        lib.sf_strerror.argtypes = [ctypes.c_void_p]
        _LIB = lib
    return _LIB


def available() -> bool:
    """Whether a system libsndfile can be used.

    >>> isinstance(available(), bool)
    True
    """
    try:
        _lib()
    except (SynthError, OSError):
        return False
    return True


def read_sound(path: str | Path) -> tuple[np.ndarray, int]:
    """Decode `path` into (frames x channels float32 array, sample rate).

    Usage (not run as a doctest: it needs a running engine or device)::

        frames, rate = read_sound("kick.flac")
        frames.shape, rate
        # -> ((9600, 1), 48000)
    """
    lib = _lib()
    info = _Info()
    handle = lib.sf_open(str(path).encode(), _READ, ctypes.byref(info))
    if not handle:
        raise SynthError(f"sampler: cannot read {path}: {lib.sf_strerror(None).decode(errors='replace')}")
    try:
        data = np.zeros((int(info.frames), int(info.channels)), dtype=np.float32)
        got = lib.sf_readf_float(handle, data.ctypes.data, info.frames)
    finally:
        lib.sf_close(handle)
    return data[: int(got)], int(info.samplerate)


def write_sound(path: str | Path, frames: np.ndarray, rate: int, kind: str = "flac") -> None:
    """Encode float `frames` (n or n x channels, in -1..1) to `path` as `kind` (flac/wav/aiff).

    Usage (not run as a doctest: it needs a running engine or device)::

        write_sound("tone.flac", np.zeros(4800, dtype=np.float32), 48000)
    """
    lib = _lib()
    data = np.ascontiguousarray(frames, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    info = _Info(0, int(rate), int(data.shape[1]), FORMATS[kind], 0, 0)
    handle = lib.sf_open(str(path).encode(), _WRITE, ctypes.byref(info))
    if not handle:
        reason = lib.sf_strerror(None).decode(errors="replace")
        raise SynthError(f"write_sound: cannot write {path}: {reason}")
    try:
        lib.sf_writef_float(handle, data.ctypes.data, data.shape[0])
    finally:
        lib.sf_close(handle)
