"""Errors raised by the audio engine, all rooted at `LivecodeError`.

>>> issubclass(UnknownInstrumentError, LivecodeError)
True
"""

from __future__ import annotations

import errno as _errno
from pathlib import Path

from patterns.errors import LivecodeError

__all__ = [
    "LivecodeError",
    "SynthError",
    "EngineError",
    "AudioDeviceError",
    "UnknownInstrumentError",
    "UnknownEffectError",
    "ParamError",
    "RenderError",
    "RecordingWriteError",
    "MasteringError",
    "FormatError",
    "DiskFullError",
    "QCError",
    "TakeError",
]


class SynthError(LivecodeError):
    """Root of the audio engine's errors."""


class EngineError(SynthError):
    """The engine is not running, has died, or was asked something it cannot do."""


class AudioDeviceError(EngineError):
    """No usable audio backend or device; the message says how to render instead."""


class UnknownInstrumentError(SynthError, ValueError):
    """An `s` name that is neither a built-in instrument nor a loaded sample folder."""


class UnknownEffectError(SynthError, ValueError):
    """An effect kind that does not exist."""


class ParamError(SynthError, ValueError):
    """An unknown parameter, or a value of the wrong type or out of range; names the parameter."""


class RenderError(SynthError):
    """An offline render or a recording could not be written."""


class MasteringError(SynthError):
    """A master could not be made: an unknown preset, a silent input, a target out of reach.

    >>> str(MasteringError("unknown preset 'loud' (known: apple, broadcast, club, streaming)"))
    "unknown preset 'loud' (known: apple, broadcast, club, streaming)"
    """


class FormatError(SynthError, ValueError):
    """An audio file format, bit depth, sample rate or tag that cannot be written or read."""


class DiskFullError(FormatError):
    """An audio file could not be written because its folder's disk had no room for it (nothing
    is left of it: `write_audio` writes a hidden partial file and removes it).

    >>> str(DiskFullError(Path("mix.flac"), 31.4, 2.0))
    'disk full writing mix.flac (31.4 MB needed, 2.0 MB free); no file was left'
    """

    def __init__(self, path: Path, needed_mb: float, free_mb: float) -> None:
        self.path, self.needed_mb, self.free_mb = Path(path), needed_mb, free_mb
        super().__init__(f"disk full writing {self.path} ({needed_mb:.1f} MB needed, {free_mb:.1f} MB free); "
                         "no file was left")

    def __reduce__(self) -> tuple[type[DiskFullError], tuple[Path, float, float]]:
        """Pickled with its fields, so it crosses from a worker process (the default would call
        `__init__` with the message alone, and the pool would break)."""
        return type(self), (self.path, self.needed_mb, self.free_mb)


class QCError(SynthError):
    """A file could not be analysed (unreadable, empty, or too short to measure)."""


_DISK_FULL = {_errno.ENOSPC: "", _errno.EDQUOT: " (disk quota reached)", _errno.EFBIG: " (file size limit reached)"}


class RecordingWriteError(RenderError):
    """A recording file could not be written: the disk is full (ENOSPC, EDQUOT; EFBIG, a file size
    limit, counts as full) or another I/O error. The file keeps the audio written before, as a
    valid WAV (`seconds` long), or is removed when not even its header fitted (`seconds` None).

    >>> import errno
    >>> str(RecordingWriteError(Path("out.wav"), errno.ENOSPC, "No space left on device", 1.5))
    'disk full writing out.wav; it keeps the first 1.50 s as a valid WAV'
    >>> RecordingWriteError(Path("out.wav"), errno.ENOSPC, "No space left on device", None).disk_full
    True
    """

    def __init__(self, path: Path, errno: int | None, strerror: str, seconds: float | None) -> None:
        self.path = Path(path)
        self.errno = errno
        self.strerror = strerror
        self.seconds = seconds
        super().__init__(self._message())

    def __reduce__(self) -> tuple[type[RecordingWriteError], tuple[Path, int | None, str, float | None]]:
        """Pickled with its fields, so it crosses from a package's worker process."""
        return type(self), (self.path, self.errno, self.strerror, self.seconds)

    @property
    def disk_full(self) -> bool:
        """True for a full disk (or quota, or file size limit)."""
        return self.errno in _DISK_FULL

    @property
    def full_reason(self) -> str:
        """What filled up, for a message: "" (the disk), " (disk quota reached)", " (file size
        limit reached)"."""
        return _DISK_FULL.get(self.errno, "") if self.errno is not None else ""

    def _message(self) -> str:
        if self.errno in _DISK_FULL:
            head = f"disk full writing {self.path}{_DISK_FULL[self.errno]}"
        else:
            head = f"cannot write {self.path}: {self.strerror}"
        if self.seconds is None:
            return f"{head}; no file was left"
        return f"{head}; it keeps the first {self.seconds:.2f} s as a valid WAV"


class TakeError(SynthError, ValueError):
    """A take (a recorded file placed on the timeline) that cannot be loaded or placed, or an
    audio input or take recording that cannot start; the message names the file or the field.

    >>> str(TakeError("take: no such file 'vox.wav'"))
    "take: no such file 'vox.wav'"
    """
