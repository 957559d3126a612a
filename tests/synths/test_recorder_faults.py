"""WavWriter and Recording when the disk fills: the files stay valid WAVs of what reached the disk.

The end-to-end cases (a real tmpfs, a real file size limit, the `livecode render` command) are in
tests/livecode/test_cli_render_faults.py; here the writes are made to fail at exact byte counts.
"""

from __future__ import annotations

import errno
import os
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from synths import recorder
from synths.errors import RecordingWriteError
from synths.recorder import Recording, WavWriter

REAL_WRITE = os.write


def failing_write(allowed: int, code: int = errno.ENOSPC) -> Callable[[int, bytes], int]:
    """An os.write that lets `allowed` bytes through in all (short writes included), then fails."""
    left = [allowed]

    def write(fd: int, data: bytes) -> int:
        if left[0] <= 0:
            raise OSError(code, os.strerror(code))
        count = min(len(data), left[0])
        left[0] -= count
        return REAL_WRITE(fd, bytes(data[:count]))

    return write


def frames(seconds: float, value: float = 0.5) -> np.ndarray:
    return np.full((int(seconds * 48000), 2), value, dtype=np.float32)


def read_frames(path: Path) -> int:
    with wave.open(str(path)) as handle:
        count = handle.getnframes()
        assert len(handle.readframes(count)) == count * handle.getsampwidth() * 2
    return count


def test_a_new_file_is_a_valid_empty_wav(tmp_path: Path) -> None:
    writer = WavWriter(tmp_path / "e.wav", 48000, 2, 24)
    assert read_frames(tmp_path / "e.wav") == 0
    writer.close()


def test_a_short_write_then_enospc_keeps_whole_frames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.wav"
    writer = WavWriter(path, 48000, 2, 24)
    writer.write(frames(0.1))
    writer.flush()                                       # 4800 frames on disk
    monkeypatch.setattr(recorder.os, "write", failing_write(1000 * 6 + 5))   # 1000 frames and 5 bytes fit
    writer.write(frames(0.1))
    with pytest.raises(RecordingWriteError) as caught:
        writer.flush()
    assert str(caught.value) == f"disk full writing {path}; it keeps the first 0.12 s as a valid WAV"
    assert caught.value.disk_full and caught.value.seconds == pytest.approx(5800 / 48000)
    assert read_frames(path) == 5800 and path.stat().st_size == 44 + 5800 * 6
    writer.write(frames(0.1))                            # afterwards: dropped, nothing raised again
    writer.flush()
    writer.close()
    assert read_frames(path) == 5800


def test_efbig_counts_as_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = WavWriter(tmp_path / "f.wav", 48000, 2, "float")
    monkeypatch.setattr(recorder.os, "write", failing_write(0, errno.EFBIG))
    writer.write(frames(0.01))
    with pytest.raises(RecordingWriteError, match=r"disk full writing .*f\.wav \(file size limit reached\)"):
        writer.flush()
    writer.close()
    assert (tmp_path / "f.wav").stat().st_size == 58               # a valid, empty float WAV (with fact)


def test_no_room_for_the_header_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recorder.os, "write", failing_write(10))
    with pytest.raises(RecordingWriteError, match="no file was left"):
        WavWriter(tmp_path / "h.wav", 48000, 2, 16)
    assert not (tmp_path / "h.wav").exists()


class FakeTap:
    """Hands out the same block of frames at each read."""

    def __init__(self, seconds: float) -> None:
        self.block = frames(seconds)

    def read(self) -> np.ndarray:
        return self.block

    def stop(self) -> None:
        pass


def test_a_recording_keeps_the_first_error_and_stops_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recording = Recording(read_every=1, flush_every=1)
    for name in ("master", "d1"):
        recording.add(name, FakeTap(0.05), WavWriter(tmp_path / f"{name}.wav", 48000, 2, 16))  # type: ignore[arg-type]
    recording.tick()                                     # 2400 frames in each file
    monkeypatch.setattr(recorder.os, "write", failing_write(100 * 4))
    recording.tick()                                     # the master gets 100 more frames, then the disk is full
    assert isinstance(recording.error, RecordingWriteError) and recording.error.path == tmp_path / "master.wav"
    recording.tick()                                     # never raises in the audio callback
    paths = recording.close()
    assert read_frames(paths["master"]) == 2500 and read_frames(paths["d1"]) == 2400
