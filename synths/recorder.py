"""Recording pyo signals to WAV files that are valid at every moment.

A `Tap` copies a stereo pyo signal into a ring table (`TableFill`) and hands back the samples
written since the last read, as numpy. A `WavWriter` appends PCM 16/24-bit or float32 frames and
rewrites the RIFF and data sizes after every chunk, so a killed process leaves a readable file.
A `Recording` ties taps to writers (master plus one stem per track), read once per block.

Never silently: a sample beyond full scale that an integer file has to clip is counted, and
closing the file warns (`ClippedWarning`: how many, the peak, and to write float instead); an
optional file (a send bus's return) that never carried sound is removed on closing, with a
`SkippedStemWarning` naming it. All files of a recording end on the same frame.

>>> import tempfile, wave, numpy as np
>>> path = tempfile.mkdtemp() + "/x.wav"
>>> w = WavWriter(path, 48000, 2, "int24")
>>> w.write(np.zeros((10, 2), dtype=np.float32)); w.flush()
>>> wave.open(path).getnframes()
10
>>> w.close()
"""

from __future__ import annotations

import os
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.errors import RecordingWriteError, RenderError

__all__ = [
    "SAMPLE_FORMATS", "SILENCE_DBFS", "WavWriter", "Tap", "Recording", "normalize_format", "ClippedWarning",
    "SkippedStemWarning", "last_loud",
]

SAMPLE_FORMATS = ("int16", "int24", "float32")
SILENCE_DBFS = -80.0
"""Below this peak level (dBFS) a recorded sample counts as silence (`WavWriter.trailing_silence`)."""
_ALIASES = {"16": "int16", "24": "int24", "32": "float32", "float": "float32", "f32": "float32",
            "int16": "int16", "int24": "int24", "float32": "float32"}


class ClippedWarning(UserWarning):
    """An integer WAV file had to clip samples beyond full scale (the message says how many, the
    peak, and that a float file keeps them)."""


class SkippedStemWarning(UserWarning):
    """An optional stem (a send bus's return) carried no sound and was not kept."""


def normalize_format(sample_format: str | int) -> str:
    """`16`, `24`, `"float"` ... to one of SAMPLE_FORMATS.

    >>> normalize_format(24), normalize_format("float")
    ('int24', 'float32')
    """
    key = _ALIASES.get(str(sample_format).lower())
    if key is None:
        raise RenderError(f"sample format must be one of 16, 24, float (got {sample_format!r})")
    return key


def _encode(frames: np.ndarray, sample_format: str) -> bytes:
    if sample_format == "float32":
        return np.ascontiguousarray(frames, dtype="<f4").tobytes()
    scaled = frames.astype(np.float64)                  # a copy, worked on in place
    np.clip(scaled, -1.0, 1.0, out=scaled)
    scaled *= 32767.0 if sample_format == "int16" else 8388607.0
    np.rint(scaled, out=scaled)                          # round half to even, as np.round
    if sample_format == "int16":
        return scaled.astype("<i2").tobytes()
    ints = scaled.astype("<i4").reshape(-1)
    # the low 3 bytes of each: written as a packed (16-bit, 8-bit) record, a contiguous copy
    # (slicing 3 of every 4 bytes made numpy copy byte by byte, 6x slower; the same bytes)
    packed = np.empty(ints.size, dtype=_PCM24)
    np.copyto(packed["lo"], ints, casting="unsafe")               # bits 0-15 (modulo 2**16)
    np.copyto(packed["hi"], ints >> 16, casting="unsafe")         # bits 16-23 (modulo 2**8)
    return packed.tobytes()


_PCM24 = np.dtype([("lo", "<u2"), ("hi", "u1")])
"""One little-endian 24-bit sample (itemsize 3, no padding)."""


def last_loud(frames: np.ndarray, level: float) -> int:
    """The index of the last frame with a sample at or above `level` (one must exist), read
    from the end in growing chunks: in sounding audio it is found in the first few frames,
    where `np.abs(frames).max(axis=1)` over every frame cost ~1 s of a 16-track render.

    >>> last_loud(np.array([[0.0, 0.5], [0.1, 0.0], [0.0, 0.0]]), 0.1)
    1
    """
    end, step = frames.shape[0], 64
    while end > 0:
        start = max(0, end - step)
        chunk = frames[start:end]
        loud = np.flatnonzero(((chunk >= level) | (chunk <= -level)).any(axis=1))
        if loud.size:
            return start + int(loud[-1])
        end, step = start, step * 4
    raise ValueError("last_loud: no frame reaches the level")


class WavWriter:
    """Append-only WAV file whose header is rewritten after each flushed chunk.

    Formats: `int16`, `int24` (PCM) and `float32` (IEEE float, with a `fact` chunk). No
    timestamps are written, so the same samples give byte-identical files.

    When a write fails (a full disk: ENOSPC; a file size limit: EFBIG; any OSError) the file is
    cut back to its last whole frame and its header made to match, so it stays a valid WAV of
    what was written; `flush` then raises `RecordingWriteError` once (also in `error`) and the
    writer drops whatever it is given afterwards.
    """

    def __init__(
        self, path: str | os.PathLike[str], sample_rate: int, channels: int, sample_format: str,
        *, max_frames: int | None = None, silence_dbfs: float = SILENCE_DBFS,
    ) -> None:
        self.path = Path(path)
        self.max_frames = max_frames
        self.silence = 10.0 ** (silence_dbfs / 20.0)
        """Samples below this (linear) count as silence for `last_sound`."""
        self.last_sound = 0
        """Frames accepted up to and including the last one with a sample at or above `silence`."""
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.format = normalize_format(sample_format)
        self.width = {"int16": 2, "int24": 3, "float32": 4}[self.format]
        self.frames = 0
        """Frames accepted so far (written or queued for the next flush)."""
        self.peak = 0.0
        """The largest |sample| accepted so far."""
        self.clipped = 0
        """Samples beyond full scale that an integer format clips (0 for float files)."""
        self.error: RecordingWriteError | None = None
        self._data_bytes = 0                # bytes of audio on disk after the header
        self._pending: list[np.ndarray] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except OSError as exc:
            raise RenderError(f"cannot write {self.path}: {exc.strerror}") from exc
        self._header = self._make_header()
        try:
            self._write_all(self._header)
        except OSError as exc:                      # not even a header fits: leave no broken file
            os.close(self._fd)
            self._fd = None
            self.path.unlink(missing_ok=True)
            raise RecordingWriteError(self.path, exc.errno, exc.strerror or str(exc), None) from exc
        self._data_bytes = 0

    @property
    def frames_written(self) -> int:
        """Whole frames on disk (what a reader of the file sees after the next header rewrite)."""
        return self._data_bytes // (self.channels * self.width)

    def _make_header(self) -> bytes:
        is_float = self.format == "float32"
        block_align = self.channels * self.width
        fmt = struct.pack(
            "<HHIIHH", 3 if is_float else 1, self.channels, self.sample_rate,
            self.sample_rate * block_align, block_align, self.width * 8,
        )
        if is_float:
            fmt += struct.pack("<H", 0)
        body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
        if is_float:
            body += b"fact" + struct.pack("<II", 4, 0)
        body += b"data" + struct.pack("<I", 0)
        return b"RIFF" + struct.pack("<I", len(body)) + body     # a valid, empty WAV from the start

    def write(self, frames: np.ndarray) -> None:
        """Queue `frames` (shape (n, channels), float in [-1, 1]) for the next `flush`.

        Frames beyond `max_frames` are dropped, and so is everything after a failed write.
        """
        if self.error is not None:
            return
        if self.max_frames is not None:
            frames = frames[: max(0, self.max_frames - self.frames)]
        if frames.size:
            peak = max(float(frames.max()), -float(frames.min()))
            if peak >= self.silence:
                self.last_sound = self.frames + last_loud(frames, self.silence) + 1
            self.peak = max(self.peak, peak)
            if self.format != "float32" and self.peak > 1.0:
                self.clipped += int(np.count_nonzero(np.abs(frames) > 1.0))
            self._pending.append(frames)
            self.frames += frames.shape[0]

    @property
    def trailing_silence(self) -> int:
        """Frames of silence at the end of what was accepted so far.

        >>> import tempfile
        >>> w = WavWriter(tempfile.mkdtemp() + "/s.wav", 48000, 2, 16)
        >>> w.write(np.full((10, 2), 0.5)); w.write(np.zeros((6, 2))); w.trailing_silence
        6
        """
        return self.frames - self.last_sound

    def flush(self) -> None:
        """Append the queued audio, then rewrite the sizes: the file is valid before and after.

        Raises `RecordingWriteError` (once) when the audio cannot be written; see the class.
        """
        if self._fd is None or not self._pending:
            return
        chunk = self._pending[0] if len(self._pending) == 1 else np.concatenate(self._pending)
        self._pending.clear()
        try:
            self._write_all(_encode(chunk, self.format), count=True)
            self._write_sizes(self._data_bytes)
        except OSError as exc:
            self._fail(exc)

    def _write_all(self, data: bytes, *, count: bool = False) -> None:
        """Write `data` at the end, following short writes; with `count`, each written byte is
        added to the audio size at once (so a failure halfway knows what reached the disk)."""
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            if count:
                self._data_bytes += written
            view = view[written:]

    def _write_sizes(self, data_bytes: int) -> None:
        assert self._fd is not None
        os.pwrite(self._fd, struct.pack("<I", len(self._header) - 8 + data_bytes), 4)
        os.pwrite(self._fd, struct.pack("<I", data_bytes), len(self._header) - 4)
        if self.format == "float32":
            frames = data_bytes // (self.channels * self.width)
            os.pwrite(self._fd, struct.pack("<I", frames), len(self._header) - 12)

    def _fail(self, exc: OSError) -> None:
        """Cut the file back to its last whole frame, make the header say so, close, and raise.

        Shrinking a file and rewriting bytes it already has need no new space, so this works
        on a full disk; if the header cannot be rewritten it still describes the audio of the
        last good flush, which is in the file: valid either way.
        """
        assert self._fd is not None
        kept = self.frames_written * self.channels * self.width
        self._data_bytes = kept
        try:
            os.ftruncate(self._fd, len(self._header) + kept)
            self._write_sizes(kept)
        except OSError:
            pass                                    # the last good header still holds
        os.close(self._fd)
        self._fd = None
        self.frames = self.frames_written
        self.error = RecordingWriteError(self.path, exc.errno, exc.strerror or str(exc),
                                         self.frames / self.sample_rate)
        raise self.error from exc

    def trim(self, frames: int) -> None:
        """Keep only the first `frames` frames (queued and written): the file stays valid.

        >>> import tempfile
        >>> w = WavWriter(tempfile.mkdtemp() + "/t.wav", 48000, 2, 16)
        >>> w.write(np.zeros((10, 2))); w.flush(); w.write(np.zeros((5, 2))); w.trim(8); w.frames
        8
        >>> w.close(); import wave; wave.open(str(w.path)).getnframes()
        8
        """
        excess = self.frames - max(0, frames)
        while excess > 0 and self._pending:
            last = self._pending[-1]
            if last.shape[0] <= excess:
                excess -= last.shape[0]
                self.frames -= last.shape[0]
                self._pending.pop()
            else:
                self._pending[-1] = last[: last.shape[0] - excess]
                self.frames -= excess
                excess = 0
        if excess > 0 and self._fd is not None:
            kept = (self.frames_written - excess) * self.channels * self.width
            os.ftruncate(self._fd, len(self._header) + kept)
            self._data_bytes = kept
            self._write_sizes(kept)
            self.frames -= excess
        self.last_sound = min(self.last_sound, self.frames)

    def clip_report(self) -> str | None:
        """A sentence about the samples this integer file clipped, or None.

        >>> import tempfile
        >>> w = WavWriter(tempfile.mkdtemp() + "/c.wav", 48000, 2, 24)
        >>> w.write(np.full((4, 2), 1.5)); print(w.clip_report())     # doctest: +ELLIPSIS
        /.../c.wav: 8 samples above full scale (peak +3.5 dBFS) were clipped in the 24-bit file; ...
        """
        if not self.clipped:
            return None
        bits = {"int16": "16-bit", "int24": "24-bit"}[self.format]
        return (f"{self.path}: {self.clipped} samples above full scale (peak "
                f"{20.0 * np.log10(self.peak):+.1f} dBFS) were clipped in the {bits} file; lower the "
                "level or record float (--bits float, sample_format=\"float\") to keep them")

    def abandon(self) -> None:
        """Drop what is queued and close, keeping the file as its last flush left it (valid)."""
        self._pending.clear()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        """Flush and close (idempotent); raises `RecordingWriteError` if the last flush fails."""
        if self._fd is None:
            return
        self.flush()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Tap:
    """Copies a 2-channel pyo signal into a ring table and returns what was written since last read.

    Read at least once per `ring_seconds` (the engine reads every block). The first `skip` frames
    are dropped (to compensate a known latency, such as the master limiter's lookahead).
    """

    def __init__(self, source: Any, sample_rate: int, ring_seconds: float = 1.0, *, skip: int = 0) -> None:
        p = pyo()
        self.sample_rate = sample_rate
        self.skip = skip
        self.table = p.NewTable(ring_seconds, chnls=2)
        self.size = int(self.table.getSize())
        self.fill = p.TableFill(source, self.table)
        self._pos = 0

    def retarget(self, source: Any, sentinel: Any) -> None:
        """Follow a new source object (after a mixer rebuild) without losing or repeating a frame.

        The same ring keeps filling; the fill (and its input fader) move in pyo's processing order
        to just before `sentinel`, an object created after `source`, so they read its current
        block. Call it between blocks (or from the server's callback).
        """
        # twice: pyo's InputFader would crossfade from the old source for ~5 samples (an old
        # master bus is stopped: a dip), and the second call also drops its reference to it
        self.fill.setInput(source, 0.0)
        self.fill.setInput(source, 0.0)
        reference = sentinel.getBaseObjects()[0]
        server = reference.getServer()
        for obj in (self.fill._in_fader, self.fill):
            for base in obj.getBaseObjects():
                server.changeStreamPosition(reference._getStream(), base._getStream())

    def read(self) -> np.ndarray:
        """The frames written since the previous read, shape (n, 2), float32 copies."""
        fresh = self._read_ring()
        if self.skip:
            dropped = min(self.skip, fresh.shape[0])
            self.skip -= dropped
            fresh = fresh[dropped:]
        return fresh

    def _read_ring(self) -> np.ndarray:
        pos = int(self.fill.getCurrentPos())
        start, self._pos = self._pos, pos
        if pos == start:
            return np.zeros((0, 2), dtype=np.float32)
        left = np.asarray(self.table.getBuffer(0))
        right = np.asarray(self.table.getBuffer(1))
        if pos > start:                      # interleaved into one fresh array (half np.stack's time)
            frames = np.empty((pos - start, 2), dtype=np.float32)
            frames[:, 0] = left[start:pos]
            frames[:, 1] = right[start:pos]
            return frames
        idx = np.r_[start:self.size, 0:pos]
        return np.stack([left[idx], right[idx]], axis=1).astype(np.float32, copy=False)

    def stop(self) -> None:
        """Stop filling the table."""
        self.fill.stop()


@dataclass(slots=True)
class Recording:
    """Named taps (`master`, then one per stem) written to WAV files, all sample-aligned.

    `tick` runs inside the audio callback, so nothing here raises from a failed write: the first
    `RecordingWriteError` is kept in `error`, every file is closed where its last good write left
    it (each a valid WAV), and the recording stops writing.
    """

    taps: dict[str, Tap] = field(default_factory=dict)
    writers: dict[str, WavWriter] = field(default_factory=dict)
    optional: set[str] = field(default_factory=set)
    """Names whose file is removed on closing when it never carried sound (send bus returns)."""
    skipped: list[str] = field(default_factory=list)
    """The optional files removed by `close` (they stayed silent)."""
    read_every: int = 8
    flush_every: int = 2
    error: RecordingWriteError | None = None
    _blocks: int = 0
    _reads: int = 0
    _sentinels: list[Any] = field(default_factory=list)

    def add(self, name: str, tap: Tap, writer: WavWriter, *, optional: bool = False) -> None:
        """Record `tap` into `writer` under `name`; an `optional` file that stays silent (below
        the writer's silence level) is removed on closing."""
        self.taps[name] = tap
        self.writers[name] = writer
        if optional:
            self.optional.add(name)

    def retarget(self, sources: dict[str, Any]) -> None:
        """Point the taps named in `sources` at new signals (see `Tap.retarget`); call it after the
        new signals were created."""
        sentinel = pyo().Sig(0.0)
        self._sentinels.append(sentinel)  # released by close(), from Python
        for name, source in sources.items():
            if name in self.taps:
                self.taps[name].retarget(source, sentinel)

    def tick(self) -> None:
        """Called once per block: `poll` every `read_every` blocks (the rings hold 1 s)."""
        self._blocks += 1
        if self._blocks >= self.read_every:
            self._blocks = 0
            self.poll()

    def poll(self, *, flush: bool = False) -> None:
        """Move the new frames of every tap into its writer; flush every `flush_every` polls
        (or now, with `flush`)."""
        if self.error is not None:
            return
        # every ring first, then the writers: live, the audio thread may compute a block between
        # two reads (a stem one block longer than the master); keep that window as short as can be
        fresh = [(name, tap.read()) for name, tap in self.taps.items()]
        for name, frames in fresh:
            self.writers[name].write(frames)
        self._reads += 1
        if flush or self._reads % self.flush_every == 0:
            self._flush()

    def _flush(self) -> None:
        try:
            for writer in self.writers.values():
                writer.flush()
        except RecordingWriteError as exc:
            self.error = exc
            for writer in self.writers.values():
                writer.abandon()

    def frames(self) -> int:
        """Frames accepted so far by the shortest file (the master lags by its latency)."""
        return min((writer.frames for writer in self.writers.values()), default=0)

    def trailing_silence(self) -> int:
        """Frames of silence at the end of every file recorded so far (the fewest of any file)."""
        return min((writer.trailing_silence for writer in self.writers.values()), default=0)

    def close(self) -> dict[str, Path]:
        """Read what is left, end every file on the same frame, close them and return their
        paths by name (see `error`); warns about clipped samples (`ClippedWarning`) and removes
        the optional files that stayed silent (`SkippedStemWarning`, listed in `skipped`)."""
        self.poll()
        for tap in self.taps.values():
            tap.stop()
        if self.error is None:
            # live, a block can land between the reads of two rings: end all on the same frame
            shortest = self.frames()
            try:
                for writer in self.writers.values():
                    writer.trim(shortest)
            except OSError:
                pass                             # each file is still a valid WAV
            self._flush()
        for writer in self.writers.values():
            writer.abandon()                    # all flushed above, or abandoned on an error
        self._sentinels.clear()
        self._report()
        return {name: writer.path for name, writer in self.writers.items() if name not in self.skipped}

    def _report(self) -> None:
        """Warn about clipped files; remove the optional ones that stayed silent."""
        for name, writer in self.writers.items():
            report = writer.clip_report()
            if report is not None:
                warnings.warn(report, ClippedWarning, stacklevel=3)
            if name in self.optional and writer.last_sound == 0 and self.error is None:
                writer.path.unlink(missing_ok=True)
                self.skipped.append(name)
                warnings.warn(f"{writer.path} not written: nothing was sent to it (it stayed silent)",
                              SkippedStemWarning, stacklevel=3)
