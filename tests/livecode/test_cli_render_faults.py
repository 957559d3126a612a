"""`livecode render` when things go wrong, run as a person runs it: a full disk, a file size limit,
Ctrl-C and SIGTERM halfway. Every partial file must open as a WAV, the exit status and the one
line on stderr must say what happened."""

from __future__ import annotations

import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

LIVECODE = [sys.executable, "-m", "livecode.cli"]
RATE = 48000
KEEPS = re.compile(r"keeps the first (\d+\.\d\d) s as a valid WAV")


def write_set(folder: Path) -> Path:
    """Two tracks and a reverb: the mix and four stems (d1, d2, the fx returns) to fill a disk with."""
    path = folder / "set.py"
    path.write_text('bpm(120)\nd1 >> s("bd*4")\nd2 >> note("c4 e4 g4").s("pluck").room(0.3)\n')
    return path


def valid_wav_seconds(path: Path) -> float:
    """Open `path` as a WAV (scipy); its header must account for every byte of audio in the file."""
    rate, data = wavfile.read(path)
    assert rate == RATE and data.ndim == 2 and data.shape[1] == 2
    assert path.stat().st_size == 44 + data.shape[0] * 2 * 3, f"{path}: header and size disagree"  # 24-bit PCM
    return data.shape[0] / rate


@pytest.fixture()
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs (needs root in the sandbox; skipped elsewhere)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def limit_file_size(limit: int) -> Callable[[], None]:
    """A preexec_fn: files larger than `limit` bytes fail with EFBIG (Python ignores SIGXFSZ)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def check_disk_full(result: subprocess.CompletedProcess[str], folder: Path, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]    # text mode turns \r into \n
    assert all(line.startswith("[") and line.endswith("%") for line in lines[:-1])   # the progress bar ...
    message = lines[-1]                                                               # ... then one message
    match = re.match(rf"livecode render: disk full writing (\S+){re.escape(reason)}; ", message)
    assert match, message
    named = Path(match.group(1))
    kept = KEEPS.search(message)
    assert kept, message
    assert abs(valid_wav_seconds(named) - float(kept.group(1))) < 0.01
    wavs = sorted(folder.rglob("*.wav"))
    assert [wav.name for wav in wavs] == ["mix.wav", "d1.wav", "d2.wav", "fx-delay.wav", "fx-reverb.wav"]
    for wav in wavs:                             # every one a valid WAV
        valid_wav_seconds(wav)
    assert valid_wav_seconds(folder / "mix.wav") > 0.1


def test_a_full_disk_is_one_line_and_leaves_valid_wavs(tmp_path: Path, tiny_tmpfs: Path) -> None:
    set_file = write_set(tmp_path)
    result = subprocess.run(
        LIVECODE + ["render", str(set_file), "-o", str(tiny_tmpfs / "mix.wav"), "--bars", "8",
                    "--stems", str(tiny_tmpfs / "stems")],
        capture_output=True, text=True, timeout=180,
    )
    check_disk_full(result, tiny_tmpfs, "")


def test_a_file_size_limit_counts_as_a_full_disk(tmp_path: Path) -> None:
    set_file = write_set(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        LIVECODE + ["render", str(set_file), "-o", str(out / "mix.wav"), "--bars", "8", "--stems", str(out / "stems")],
        capture_output=True, text=True, timeout=180, preexec_fn=limit_file_size(200_000),
    )
    check_disk_full(result, out, " (file size limit reached)")


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_render_says_where_and_keeps_a_valid_wav(tmp_path: Path, signum: int, status: int) -> None:
    set_file = write_set(tmp_path)
    out = tmp_path / "long.wav"
    render = subprocess.Popen(LIVECODE + ["render", str(set_file), "-o", str(out), "--bars", "2000", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and out.stat().st_size > 2_000_000) and time.monotonic() < deadline:
            time.sleep(0.05)                                  # rendering: several seconds of audio written
        render.send_signal(signum)
        stdout, stderr = render.communicate(timeout=60)
    finally:
        if render.poll() is None:
            render.kill()
    assert render.returncode == status, stderr
    assert stdout == "" and "Traceback" not in stderr
    message = stderr.strip()
    match = re.fullmatch(rf"livecode render: interrupted at bar (\d+) of 2000; {re.escape(str(out))} "
                         r"keeps the first (\d+\.\d\d) s as a valid WAV", message)
    assert match, message
    bar, seconds = int(match.group(1)), float(match.group(2))
    assert abs(valid_wav_seconds(out) - seconds) < 0.01
    assert seconds > 5.0
    assert (bar - 1) * 2.0 <= seconds + 0.1 and seconds < bar * 2.0 + 0.1     # a bar lasts 2 s at 120 BPM
    rate, data = wavfile.read(out)
    assert np.abs(data[-rate:]).max() > 0                  # music up to the end: the render was cut, not over


def test_bad_render_values_are_usage_errors_naming_the_option(tmp_path: Path) -> None:
    set_file = write_set(tmp_path)
    for args, option in ((["--sr", "1"], "--sr"), (["--bars", "100000"], "--bars"), (["--tail", "-1"], "--tail")):
        cmd = ["render", str(set_file), "-o", str(tmp_path / "x.wav"), "--bars", "2", *args]
        result = subprocess.run(LIVECODE + cmd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"livecode render: error: argument {option}: expected ")
        assert "Engine" not in result.stderr and "render_set" not in result.stderr
        assert not (tmp_path / "x.wav").exists()
