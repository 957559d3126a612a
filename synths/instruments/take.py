"""Takes: a recorded WAV/FLAC/AIFF file played on the timeline, exact to the sample.

A take is an instrument bound to one file: `resolve("take=/abs/vox.wav")` gives its `Voice`
class (`take_class`). The file is decoded once per engine into one table per channel (shared by
every voice of every track that plays it) and resampled to the engine's rate if it differs.

A note plays one *segment* of the take: from `take_first` (the file index heard at the onset
sample, negative when the take starts later in the segment) for `take_count` samples, inside the
trimmed region `take_begin`..`take_end` with linear fades of `take_fadein`/`take_fadeout`
samples. livecode cuts a placed take into one segment per cycle, so a performer who jumps into
the middle of a take hears it from the right sample, and segments tile without a gap.

The voice computes the file index as a sample count from the trigger (`Count`) plus the
segment's first index latched at the trigger (`TrigVal`), and reads the table at that integer
index (`TableIndex`): nothing is interpolated or accumulated, so the index is exact. The gate
and the fades are functions of the same index. pyo's float32 signals hold integers exactly up
to 2**24, so a take may be at most `MAX_FRAMES` samples long (5 min 49 s at 48 kHz).

>>> segment_plan(first=-10, count=100, begin=0, end=1000)
(0, 90)
>>> segment_plan(first=950, count=100, begin=0, end=1000)
(950, 1000)
>>> segment_plan(first=2000, count=100, begin=0, end=1000)
(2000, 2000)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from synths._pyo import pyo
from synths.errors import TakeError
from synths.instruments._dsp import level_of
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.voice import Voice

__all__ = [
    "TAKE_PREFIX",
    "TAKE_SUFFIXES",
    "MAX_FRAMES",
    "TAKE_PARAMS",
    "TakeFile",
    "TakeVoice",
    "take_class",
    "take_info",
    "read_take",
    "segment_plan",
]

TAKE_PREFIX = "take="
"""An `s` name starting with this names a take: `take=/abs/path/vox.wav` (the path holds no `:`
or `@`: livecode splits `s` there)."""

TAKE_SUFFIXES = frozenset({".wav", ".wave", ".flac", ".aif", ".aiff"})
"""File suffixes a take may have (case-insensitive)."""

MAX_FRAMES = 1 << 24
"""The longest take in samples: pyo's float32 signals count integers exactly up to 2**24."""

_LIMIT = float(MAX_FRAMES)

TAKE_PARAMS = COMMON_VOICE_PARAMS.extend(
    "take",
    [
        ParamSpec("take_first", 0.0, -_LIMIT, _LIMIT, "samples", "file index heard at the onset sample"),
        ParamSpec("take_count", 0.0, 0.0, _LIMIT, "samples", "how many samples this segment plays"),
        ParamSpec("take_begin", 0.0, 0.0, _LIMIT, "samples", "trim start: first file index heard"),
        ParamSpec("take_end", _LIMIT, 0.0, _LIMIT, "samples", "trim end: file index after the last heard"),
        ParamSpec("take_fadein", 0.0, 0.0, _LIMIT, "samples", "linear fade-in after the trim start"),
        ParamSpec("take_fadeout", 0.0, 0.0, _LIMIT, "samples", "linear fade-out before the trim end"),
    ],
)


def segment_plan(first: int, count: int, begin: int, end: int) -> tuple[int, int]:
    """The file indices [low, stop) a segment plays: its span clipped to the trim (empty: low == stop).

    >>> segment_plan(first=100, count=50, begin=120, end=140)
    (120, 140)
    """
    low = max(first, begin)
    stop = max(low, min(first + count, end))
    return low, stop


@dataclass(frozen=True, slots=True)
class TakeInfo:
    """What a take file holds, from its header: frames, rate, channels, duration in seconds."""

    path: Path
    frames: int
    sample_rate: int
    channels: int

    @property
    def seconds(self) -> float:
        """The duration in seconds."""
        return self.frames / float(self.sample_rate)


def _check_path(path: str | Path) -> Path:
    """The absolute path of an existing take file with a supported suffix, or `TakeError`."""
    file = Path(path).expanduser()
    if file.suffix.lower() not in TAKE_SUFFIXES:
        raise TakeError(f"take: {file.name!r} is not a WAV, FLAC or AIFF file (suffixes: "
                        f"{', '.join(sorted(TAKE_SUFFIXES))})")
    if not file.is_file():
        raise TakeError(f"take: no such file {str(file)!r}")
    return file.resolve()


def take_info(path: str | Path) -> TakeInfo:
    """Read a take's header (no audio): a missing, unreadable or over-long file is one `TakeError`.

    >>> take_info("missing.wav")
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: no such file 'missing.wav'
    >>> take_info("notes.txt")
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: 'notes.txt' is not a WAV, FLAC or AIFF file (suffixes: .aif, .aiff, .flac, .wav, .wave)
    """
    import soundfile  # noqa: PLC0415 - import on use keeps `import synths` light

    file = _check_path(path)
    try:
        found = soundfile.info(str(file))
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise TakeError(f"take: cannot read {file.name!r}: {error}") from error
    info = TakeInfo(file, int(found.frames), int(found.samplerate), int(found.channels))
    if info.frames <= 0:
        raise TakeError(f"take: {file.name!r} holds no audio")
    if info.frames > MAX_FRAMES:
        raise TakeError(f"take: {file.name!r} is {info.seconds:.1f} s long; a take may be at most "
                        f"{MAX_FRAMES} samples ({MAX_FRAMES / info.sample_rate:.0f} s at its rate)")
    return info


def read_take(path: str | Path, sample_rate: int) -> np.ndarray:
    """Decode a take to float32 (frames, channels) at `sample_rate` (soxr resamples when needed).

    >>> read_take("missing.flac", 48000)
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: no such file 'missing.flac'
    """
    import soundfile  # noqa: PLC0415

    info = take_info(path)
    try:
        data, rate = soundfile.read(str(info.path), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise TakeError(f"take: cannot read {info.path.name!r}: {error}") from error
    if int(rate) != int(sample_rate):
        import soxr  # noqa: PLC0415

        data = np.asarray(soxr.resample(data, int(rate), int(sample_rate), quality="VHQ"), dtype=np.float32)
        if data.shape[0] > MAX_FRAMES:
            raise TakeError(f"take: {info.path.name!r} is too long at {sample_rate} Hz "
                            f"(at most {MAX_FRAMES} samples)")
    return data


def _table(samples: np.ndarray) -> Any:
    """A pyo `DataTable` holding `samples` (copied through the buffer protocol, no Python list)."""
    table = pyo().DataTable(size=int(samples.shape[0]), chnls=1)
    np.asarray(table.getBuffer())[:] = samples
    return table


@dataclass(slots=True)
class TakeFile:
    """One take file: its tables (one per channel) load once per pyo server and are shared.

    >>> TakeFile(Path("/takes/vox.wav")).path.name
    'vox.wav'
    """

    path: Path
    _server: Any = field(default=None, repr=False)
    _tables: tuple[Any, ...] = field(default=(), repr=False)
    frames: int = 0

    def tables(self, server: Any, sample_rate: float) -> tuple[Any, ...]:
        """The channel tables for pyo server `server`, decoding the file on first use."""
        if self._server is not server or not self._tables:
            data = read_take(self.path, int(sample_rate))
            self._tables = tuple(_table(np.ascontiguousarray(data[:, ch])) for ch in range(min(2, data.shape[1])))
            self.frames = int(data.shape[0])
            self._server = server
        return self._tables


class TakeVoice(Voice):
    """Plays segments of `FILE`; subclassed per file by `take_class`.

    >>> TakeVoice.PARAMS["take_count"].unit
    'samples'
    """

    FILE: ClassVar[TakeFile] = TakeFile(Path("none.wav"))
    PARAMS: ClassVar[ParamTable] = TAKE_PARAMS

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        server = trig._base_objs[0].getServer()
        tables = self.FILE.tables(server, sr)
        self.frames = self.FILE.frames
        self.count = p.Count(trig)                      # 0, 1, 2, ... from the onset sample
        self.first = p.TrigVal(trig, value=0.0)         # every per-note value is latched at the onset
        self.low = p.TrigVal(trig, value=0.0)
        self.stop = p.TrigVal(trig, value=0.0)
        self.begin = p.TrigVal(trig, value=0.0)
        self.end = p.TrigVal(trig, value=0.0)
        self.rise = p.TrigVal(trig, value=1.0)
        self.fall = p.TrigVal(trig, value=1.0)
        self.level = p.TrigVal(trig, value=0.0)
        self.index = self.count + self.first
        self.gate = p.Compare(self.index, self.low, ">=") * p.Compare(self.index, self.stop, "<")
        self.fade_in = p.Clip((self.index - self.begin + 1.0) * self.rise, 0.0, 1.0)
        self.fade_out = p.Clip((self.end - self.index) * self.fall, 0.0, 1.0)
        self.amp = self.gate * self.fade_in * self.fade_out * self.level
        self.reads = [p.TableIndex(table, self.index, mul=self.amp) for table in tables]
        self.out = self.reads[0] if len(self.reads) == 1 else p.Mix(self.reads, voices=2)

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Set the segment's values; the voice latches them at the onset sample."""
        begin = max(0, int(float(params.get("take_begin", 0.0))))
        end = min(self.frames, int(float(params.get("take_end", _LIMIT))))
        first = int(float(params.get("take_first", 0.0)))
        low, stop = segment_plan(first, int(float(params.get("take_count", 0.0))), begin, end)
        self.first.value = float(first)
        self.low.value = float(low)
        self.stop.value = float(stop)
        self.begin.value = float(begin)
        self.end.value = float(end)
        self.rise.value = 1.0 / max(1.0, float(params.get("take_fadein", 0.0)))
        self.fall.value = 1.0 / max(1.0, float(params.get("take_fadeout", 0.0)))
        self.level.value = level_of(params)

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """The segment's length: the voice is silent after `take_count` samples."""
        return float(params.get("take_count", 0.0)) / self.sr


@functools.lru_cache(maxsize=256)
def _class_for(path: str, size: int, mtime_ns: int) -> type[TakeVoice]:
    """One voice class per file version (a rewritten file gets a new class, so it reloads)."""
    name = Path(path).stem
    return type(f"Take_{name}", (TakeVoice,), {"NAME": f"{TAKE_PREFIX}{path}", "FILE": TakeFile(Path(path))})


def take_class(path: str | Path) -> type[TakeVoice]:
    """The `Voice` class that plays take file `path` (checked: it exists, is WAV/FLAC/AIFF, fits).

    The same file (same size and modification time) gives the same class, so its pools and
    tables are shared.

    >>> take_class("nowhere/vox.wav")
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: no such file 'nowhere/vox.wav'
    """
    info = take_info(path)
    stat = info.path.stat()
    return _class_for(str(info.path), stat.st_size, stat.st_mtime_ns)
