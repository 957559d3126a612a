"""The sampler on small files generated here: kits, n, speed, reverse, begin/end, loop, formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths._pyo import pyo
from synths.errors import ParamError, SynthError
from synths.instruments import load_sample_folder, resolve, sample_kits, unload_sample_kit
from synths.instruments._sndfile import write_sound
from synths.instruments.sampler import slice_plan
from synths.instruments.preview import Note, render_notes

SR = 48000


def _tone(freq: float, seconds: float, rate: int = SR) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(int(seconds * rate)) / rate)).astype(np.float32)


@pytest.fixture(scope="module")
def kit_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("samples")
    kit = root / "mykit"
    kit.mkdir()
    wavfile.write(kit / "a_low.wav", SR, _tone(220.0, 0.5))
    wavfile.write(kit / "b_high.wav", SR, _tone(440.0, 0.5))
    ramp = np.linspace(0.0, 0.8, int(0.25 * SR), dtype=np.float32)
    wavfile.write(kit / "c_ramp.wav", SR, ramp)
    stereo = np.stack([np.full(SR // 10, 0.5), np.full(SR // 10, -0.25)], axis=1).astype(np.float32)
    wavfile.write(kit / "d_stereo.wav", SR, stereo)
    (kit / "notes.txt").write_text("not a sound")
    other = root / "other"
    other.mkdir()
    aiff = _tone(330.0, 0.3, 44100).tolist()
    pyo().savefile(aiff, str(other / "tone.aiff"), sr=44100, channels=1, fileformat=1)
    write_sound(other / "tone2.flac", _tone(550.0, 0.3), SR, "flac")
    (root / "empty").mkdir()
    (root / "house_bd").mkdir()
    wavfile.write(root / "house_bd" / "kick.wav", SR, _tone(60.0, 0.2))
    load_sample_folder(root)
    return root


def _freq(signal: np.ndarray) -> float:
    rising = np.nonzero((signal[:-1] < 0) & (signal[1:] >= 0))[0]
    exact = rising + signal[rising] / (signal[rising] - signal[rising + 1])
    return SR / float(np.mean(np.diff(exact)))


def _play(
    params: dict[str, float], duration: float = 0.5, seconds: float = 1.0, kit: str = "mykit"
) -> np.ndarray:
    return render_notes(resolve(kit), [Note(0.0, params, duration)], seconds)


def test_folders_become_kits_and_files_are_indexed(kit_folder: Path) -> None:
    assert {"mykit", "other"} <= set(sample_kits())
    assert "empty" not in sample_kits()
    assert resolve("mykit:1").NAME == "mykit"
    assert _freq(_play({"n": 0})[0, 1000:20000]) == pytest.approx(220.0, rel=1e-3)
    assert _freq(_play({"n": 1})[0, 1000:20000]) == pytest.approx(440.0, rel=1e-3)
    assert _freq(_play({"n": 5})[0, 1000:20000]) == pytest.approx(440.0, rel=1e-3)  # wraps: 5 % 4


def test_aiff_and_flac_load_and_keep_their_rate(kit_folder: Path) -> None:
    aiff = _play({"n": 0}, kit="other")[0]
    assert _freq(aiff[1000:12000]) == pytest.approx(330.0, rel=2e-3)
    assert np.nonzero(np.abs(aiff) > 1e-3)[0][-1] == pytest.approx(0.3 * SR, abs=200)
    assert _freq(_play({"n": 1}, kit="other")[0, 1000:12000]) == pytest.approx(550.0, rel=2e-3)


def test_speed_and_note_repitch_and_shorten(kit_folder: Path) -> None:
    fast = _play({"n": 0, "speed": 2.0})[0]
    assert _freq(fast[1000:10000]) == pytest.approx(440.0, rel=1e-3)
    assert np.nonzero(np.abs(fast) > 1e-3)[0][-1] == pytest.approx(0.25 * SR, abs=100)
    up = _play({"n": 0, "note": 72.0})[0]
    assert _freq(up[1000:10000]) == pytest.approx(440.0, rel=1e-3)


def test_negative_speed_plays_backwards(kit_folder: Path) -> None:
    backwards = _play({"n": 2, "speed": -1.0})[0]
    assert backwards[200] > 0.7 and backwards[int(0.2 * SR)] < 0.2
    forwards = _play({"n": 2})[0]
    assert forwards[200] < 0.05 and forwards[int(0.2 * SR)] > 0.6


def test_begin_and_end_cut_a_slice(kit_folder: Path) -> None:
    audio = _play({"n": 2, "begin": 0.5, "end": 0.75})[0]
    assert audio[200] == pytest.approx(0.41, abs=0.02)
    assert np.nonzero(np.abs(audio) > 1e-3)[0][-1] == pytest.approx(0.0625 * SR, abs=100)
    with pytest.raises(ParamError, match="end=0.25 must be greater than begin=0.5"):
        slice_plan(0.5, 0.25, 1.0, 1.0)
    assert np.abs(_play({"n": 2, "begin": 0.5, "end": 0.25})).max() == 0.0  # silent, no error in the callback
    assert np.abs(_play({"n": 2, "speed": 0.0})).max() == 0.0


def test_loop_repeats_the_slice_that_many_times(kit_folder: Path) -> None:
    audio = _play({"n": 2, "loop": 3.0}, duration=0.1, seconds=1.0)[0]
    for k in (1, 2):
        assert audio[int(k * 0.25 * SR) + 300] < 0.1 < audio[int(k * 0.25 * SR) - 300]  # wrapped
    assert np.abs(audio[int(0.7 * SR)]) > 0.5
    assert np.abs(audio[int(0.76 * SR) :]).max() < 1e-6
    once = _play({"n": 2}, duration=0.1, seconds=0.5)[0]
    assert np.abs(once[int(0.26 * SR) :]).max() < 1e-6


def test_stereo_files_play_in_stereo(kit_folder: Path) -> None:
    audio = _play({"n": 3}, seconds=0.2)
    assert audio.shape[0] == 2
    assert audio[0, 2400] == pytest.approx(0.5, abs=0.01)
    assert audio[1, 2400] == pytest.approx(-0.25, abs=0.01)


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="is not a folder"):
        load_sample_folder(tmp_path / "missing")
    with pytest.raises(SynthError, match="no WAV/AIFF/FLAC files"):
        load_sample_folder(tmp_path)


def test_a_bank_can_name_a_sample_kit(kit_folder: Path) -> None:
    assert resolve("bd", "house").NAME == "house_bd"
    assert resolve("bd", "909").NAME == "tr909_bd"


def test_a_kit_named_like_a_drum_wins_without_a_bank(tmp_path: Path) -> None:
    (tmp_path / "cb").mkdir()
    wavfile.write(tmp_path / "cb" / "bell.wav", SR, _tone(800.0, 0.1))
    assert resolve("cb").NAME == "tr808_cb"
    load_sample_folder(tmp_path)
    try:
        assert resolve("cb").NAME == "cb"
        assert resolve("cb", "808").NAME == "tr808_cb"
    finally:
        assert unload_sample_kit("cb")
    assert resolve("cb").NAME == "tr808_cb"


def test_loading_a_folder_again_keeps_unchanged_kits(tmp_path: Path) -> None:
    """A repeated or resumed load_samples() makes no new instrument (no new voice pools)."""
    kit = tmp_path / "againkit"
    kit.mkdir()
    wavfile.write(kit / "a.wav", 48000, np.zeros(480, dtype=np.float32))
    load_sample_folder(tmp_path)
    first = resolve("againkit")
    load_sample_folder(tmp_path)
    assert resolve("againkit") is first
    wavfile.write(kit / "b.wav", 48000, np.zeros(480, dtype=np.float32))      # the kit changed
    load_sample_folder(tmp_path)
    assert resolve("againkit") is not first
