"""`livecode tune` on real files: a sharp sung tone comes back on the scale, lined up with the input,
harmonies land on the key's third, and bad input gives one line and the usage status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from livecode.cli import main
from synths.vocal_measure import cents, track_pitch

SR = 48000


def _write_tone(path: Path, f0: float, seconds: float = 2.0, off_cents: float = 40.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    freq = f0 * 2.0 ** ((off_cents + 30.0 * np.sin(2 * np.pi * 5.5 * t)) / 1200.0)
    phase = 2 * np.pi * np.cumsum(freq) / SR
    x = sum((0.2 / k) * np.sin(k * phase) for k in range(1, 16)) * np.minimum(1.0, t / 0.05)
    soundfile.write(str(path), x, SR, subtype="PCM_24")
    return x


def _onset(x: np.ndarray) -> int:
    """The first sample whose 5 ms envelope passes half the loudest."""
    envelope = np.convolve(np.abs(x), np.ones(240) / 240, "same")
    return int(np.argmax(envelope > 0.5 * envelope.max()))


def test_tune_corrects_a_file_to_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write_tone(tmp_path / "in.wav", 440.0)
    status = main(["tune", str(tmp_path / "in.wav"), "-o", str(tmp_path / "out.wav"), "--key", "A minor", "--speed", "1"])
    assert status == 0, capsys.readouterr().err
    out, rate = soundfile.read(str(tmp_path / "out.wav"))
    assert rate == SR and out.ndim == 1 and len(out) == len(source)
    assert abs(np.median(cents(track_pitch(out[SR // 2:], SR), 440.0))) < 10.0
    lag = _onset(out) - _onset(source)
    assert abs(lag) < 480, lag          # lined up with the input within 10 ms


def test_tune_adds_a_diatonic_third(tmp_path: Path) -> None:
    _write_tone(tmp_path / "c.wav", 261.6256, off_cents=0.0)
    assert main(["tune", str(tmp_path / "c.wav"), "-o", str(tmp_path / "h.wav"), "--key", "C major",
                 "--harmony", "3", "--quiet"]) == 0
    out, _ = soundfile.read(str(tmp_path / "h.wav"))
    mono = out.mean(axis=1)[SR // 2:]
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)), 1 << 18))
    freqs = np.fft.rfftfreq(1 << 18, 1 / SR)
    band = (freqs > 290) & (freqs < 380)
    assert abs(cents(np.array([freqs[np.argmax(spectrum * band)]]), 329.6276)[0]) < 10.0


@pytest.mark.parametrize(("args", "needle"), [
    (["--key", "H minor"], "--key"),
    (["--key", "A minor", "--speed", "2"], "--speed"),
    (["--key", "A minor", "--harmony", "1"], "--harmony"),
])
def test_tune_bad_options_name_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          args: list[str], needle: str) -> None:
    assert main(["tune", "in.wav", "-o", str(tmp_path / "o.wav"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1


def test_tune_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tune", str(tmp_path / "nope.wav"), "-o", str(tmp_path / "o.wav"), "--key", "Am"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_tune_interrupted_while_writing_is_one_line_and_no_half_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _write_tone(tmp_path / "in.wav", 440.0, seconds=0.5)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(soundfile.SoundFile, "write", interrupted)
    assert main(["tune", str(tmp_path / "in.wav"), "-o", str(tmp_path / "out.wav"), "--key", "A minor"]) == 130
    assert capsys.readouterr().err.strip() == "livecode tune: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.wav"]
