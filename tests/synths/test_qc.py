"""QC: each measurement on signals whose answer is known, the translation check on a mix that
deserves its warnings and one that does not, and the report's JSON and picture."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mixes import SR, balanced, loudness_steps, sine_sub  # noqa: E402

from synths.errors import QCError  # noqa: E402
from synths.formats import read_audio, write_audio  # noqa: E402
from synths.qc import Target, analyse, analyse_file, plot_report  # noqa: E402
from synths.qc import measure  # noqa: E402
from synths.qc.curves import POP_REFERENCE  # noqa: E402
from synths.qc.translation import check_devices  # noqa: E402


def _time(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * SR)) / SR


def test_integrated_loudness_is_pyloudnorm_and_the_series_agrees() -> None:
    audio = balanced(6.0)
    reference = pyloudnorm.Meter(SR).integrated_loudness(audio)
    assert measure.integrated_lufs(audio, SR) == pytest.approx(reference, abs=1e-9)
    series = measure.loudness_series(audio, SR)
    assert abs(series.short_term_max - reference) < 2.0 and series.momentary_max >= series.short_term_max


def test_true_peak_sees_between_the_samples() -> None:
    t = _time(1.0)
    fade = np.minimum(1.0, np.minimum(np.arange(t.size), np.arange(t.size)[::-1]) / 2000.0)
    tone = (np.sin(2 * np.pi * (SR / 4) * t + math.pi / 4) * fade)[:, None] * 0.5   # samples at 0.354
    assert measure.sample_peak_db(tone) == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.01)
    assert measure.true_peak_db(tone, SR) == pytest.approx(20 * math.log10(0.5), abs=0.1)
    long = np.tile(tone, (9, 1))                                           # across chunk borders
    assert measure.true_peak_db(long, SR, chunk=10007) == pytest.approx(measure.true_peak_db(long, SR), abs=1e-6)


def test_loudness_range_of_two_levels_ten_lu_apart() -> None:
    audio = loudness_steps(30.0)
    series = measure.loudness_series(audio, SR)
    assert 17.0 < measure.loudness_range(series.full_short_term) < 21.0   # -20 dB for a third
    steady = measure.loudness_series(balanced(8.0), SR)
    assert measure.loudness_range(steady.full_short_term) < 3.0


def test_clipping_dc_correlation_mono_loss_and_silence() -> None:
    t = _time(2.0)
    tone = np.sin(2 * np.pi * 100 * t)
    clipped = np.clip(tone * 1.5, -1.0, 1.0)[:, None]
    assert measure.clipped_samples(clipped) > 1000
    assert measure.clipped_samples(tone[:, None] * 0.9) == 0
    assert measure.dc_offset(np.stack([tone * 0.1 + 0.01, tone * 0.1], axis=1))[0] == pytest.approx(0.01, abs=1e-4)
    noise = np.random.default_rng(1).standard_normal((t.size, 2)) * 0.1
    assert measure.correlation(np.stack([tone, tone], axis=1)) == pytest.approx(1.0)
    assert measure.correlation(np.stack([tone, -tone], axis=1)) == pytest.approx(-1.0)
    assert abs(measure.correlation(noise)) < 0.05
    assert measure.mono_loss_db(np.stack([tone, tone], axis=1) * 0.3, SR) == pytest.approx(0.0, abs=0.01)
    assert measure.mono_loss_db(noise, SR) == pytest.approx(3.0, abs=0.2)
    assert measure.mono_loss_db(np.stack([tone, -tone], axis=1) * 0.3, SR) == 60.0
    padded = np.concatenate([np.zeros((SR // 2, 2)), noise, np.zeros((SR * 3, 2))])
    head, tail = measure.silence(padded, SR)
    assert head == pytest.approx(0.5, abs=0.001) and tail == pytest.approx(3.0, abs=0.001)


def test_band_levels_are_shares_and_pink_noise_is_nearly_flat() -> None:
    white = np.random.default_rng(2).standard_normal(SR * 8)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(white.size, 1 / SR)
    pink = np.fft.irfft(spectrum / np.sqrt(np.maximum(freqs, 20.0)), n=white.size)
    bands = measure.band_levels(*measure.spectrum(np.stack([pink, pink], axis=1), SR))
    assert sum(10 ** (b / 10) for b in bands if b is not None) == pytest.approx(1.0)
    inner = [b for b in bands[1:-1] if b is not None]
    assert max(inner) - min(inner) < 2.0
    assert math.isclose(sum(10 ** (v / 10) for v in POP_REFERENCE), 1.0, abs_tol=0.01)


@pytest.mark.parametrize(("frames", "size"), [(1, 1), (2, 2), (3, 3), (8, 4), (5001, 999), (48000 * 4, 32768)])
def test_welch_is_scipys_averaged_over_the_channels(frames: int, size: int) -> None:
    from scipy.signal import welch

    rows = np.random.default_rng(frames).standard_normal((2, frames))
    freqs, psd = welch(rows, fs=SR, nperseg=size, axis=-1, scaling="density", detrend=False)
    mine_freqs, mine = measure.welch(rows, SR, size)
    assert np.array_equal(mine_freqs, freqs)
    assert np.allclose(mine, psd.mean(axis=0), rtol=1e-12, atol=0.0)


def test_translation_warns_about_a_sine_bass_on_a_phone_and_laptop_not_in_a_car() -> None:
    report = analyse(sine_sub(8.0), SR, name="sine-sub")
    by_device = {d.device: d for d in report.translation}
    phone = " ".join(by_device["phone"].warnings)
    assert "the bass is inaudible on a phone speaker: add harmonics" in phone
    assert "the bass is inaudible on laptop speakers" in " ".join(by_device["laptop"].warnings)
    assert not any("inaudible" in w for w in by_device["car"].warnings + by_device["earbuds"].warnings)
    assert "bass (63 Hz)" in by_device["phone"].lost
    assert any(w.code == "translation_phone" for w in report.warnings)


def test_translation_stays_quiet_on_a_balanced_mix_with_a_saw_bass() -> None:
    report = analyse(balanced(8.0), SR, name="balanced")
    assert [d.warnings for d in report.translation] == [[], [], [], []]
    assert not [w for w in report.warnings if w.code.startswith("translation")]


def test_translation_rules_for_mono_phase_and_road_noise() -> None:
    results = check_devices(list(POP_REFERENCE), None, mono_loss=8.0, lra=16.0)
    by_device = {r.device: r for r in results}
    assert any("plays mono" in w for w in by_device["phone"].warnings)
    assert any("road noise" in w for w in by_device["car"].warnings)
    assert not by_device["earbuds"].warnings


def test_the_report_has_every_field_its_json_and_a_valid_picture(tmp_path: Path) -> None:
    from matplotlib.image import imread

    audio = np.concatenate([np.zeros((SR, 2)), balanced(8.0), np.zeros((SR * 3, 2))])
    report = analyse(audio, SR, name="mix.wav", target=Target("streaming", -14.0, -1.0))
    data = json.loads(json.dumps(report.to_dict()))
    for key in ("integrated_lufs", "short_term_max_lufs", "loudness_range_lu", "true_peak_dbtp",
                "plr_db", "clipped_samples", "dc_offset", "correlation", "mono_loss_lu",
                "spectral_balance", "silence_head_s", "silence_tail_s", "translation", "warnings"):
        assert key in data, key
    assert data["plr_db"] == pytest.approx(data["true_peak_dbtp"] - data["integrated_lufs"], abs=0.01)
    assert len(data["spectral_balance"]) == 10 and len(data["translation"]) == 4
    codes = {w["code"] for w in data["warnings"]}
    assert {"silence_head", "silence_tail", "loudness_target"} <= codes
    text = report.summary()
    assert "LUFS integrated (target -14.0)" in text and "1.00 s of silence at the head" in text
    picture = plot_report(report, tmp_path / "mix.png")
    image = imread(picture)
    assert image.shape[0] > 500 and image.shape[1] > 600 and picture.stat().st_size < 150_000


def test_abrupt_start_is_a_step_from_silence_not_a_drum_on_the_first_beat() -> None:
    t = np.arange(SR * 3) / SR
    rng = np.random.default_rng(3)
    music = 0.2 * rng.standard_normal((t.size, 2))
    # a kick on sample 0: 60 Hz rising over 1 ms to -1 dBFS, then decaying (as a song starting
    # on the downbeat); the old 5 ms window called it abrupt
    kick = 0.9 * np.sin(2 * np.pi * 60.0 * t) * np.minimum(1.0, t / 0.001) * np.exp(-t / 0.3)
    starts_on_a_kick = np.column_stack([kick, kick]) + music * np.minimum(1.0, t / 0.05)[:, None]
    codes = {w.code for w in analyse(starts_on_a_kick, SR).warnings}
    assert "abrupt_start" not in codes
    # the same music cut in the middle: loud from its first samples; and after 0.1 s of silence
    assert "abrupt_start" in {w.code for w in analyse(music, SR).warnings}
    late = np.concatenate([np.zeros((SR // 10, 2)), music])
    assert "abrupt_start" in {w.code for w in analyse(late, SR).warnings}
    # ends mid-sound, against the same music faded out and followed by a second of silence
    assert "abrupt_end" in {w.code for w in analyse(music, SR).warnings}
    faded = np.concatenate([music * np.linspace(1.0, 0.0, t.size)[:, None], np.zeros((SR, 2))])
    assert "abrupt_end" not in {w.code for w in analyse(faded, SR).warnings}


def test_too_short_or_silent_files() -> None:
    with pytest.raises(QCError, match="too short"):
        analyse(np.zeros((100, 2)), SR)
    silent = analyse(np.zeros((SR, 2)), SR, name="silence")
    assert [w.code for w in silent.warnings] == ["silent"]
    assert silent.to_dict()["integrated_lufs"] is None


def test_a_file_written_from_measured_samples_keeps_their_true_peaks(tmp_path: Path) -> None:
    audio = balanced(2.0) * 0.5
    peaks = measure.true_peaks_db(audio, SR)
    deep = write_audio(tmp_path / "deep.wav", audio, SR, bit_depth=24).path
    report = analyse_file(deep, measured=(audio, peaks))
    assert report.true_peak_per_channel_dbtp == pytest.approx(peaks, abs=1e-3)
    assert all(given >= peak for given, peak in zip(report.true_peak_per_channel_dbtp, peaks, strict=True))
    assert report.true_peak_per_channel_dbtp == pytest.approx(
        measure.true_peaks_db(read_audio(deep).data, SR), abs=1e-3)
    # the same from the peaks and the largest difference alone (the samples stayed in another process)
    difference = float(np.max(np.abs(read_audio(deep).data - audio)))
    assert analyse_file(deep, peaks_of=(peaks, difference)).true_peak_per_channel_dbtp == \
        report.true_peak_per_channel_dbtp
    # 16 bits move the samples too far for the bound: the file is measured itself
    shallow = write_audio(tmp_path / "shallow.wav", audio, SR, bit_depth=16).path
    assert measure.true_peaks_within(read_audio(shallow).data, audio, peaks) is None
    report = analyse_file(shallow, measured=(audio, peaks))
    assert report.true_peak_per_channel_dbtp == measure.true_peaks_db(read_audio(shallow).data, SR)


@pytest.mark.parametrize(("name", "depth"), [("wav", 16), ("wav", 24), ("flac", 24), ("aiff", 16), ("wav", 32),
                                           ("ogg", None)])
def test_a_report_from_the_written_samples_is_the_report_of_the_file(tmp_path: Path, name: str,
                                                                     depth: int | None) -> None:
    audio = balanced(2.0) * 0.5
    written = write_audio(tmp_path / f"a.{name}", audio, SR, bit_depth=depth, keep=True)
    assert (written.samples is None) == (depth is None)        # a lossy file is decoded
    kept = analyse_file(written.path, written=written).to_dict()
    read = analyse_file(written.path).to_dict()
    assert kept == read


def test_the_report_loudness_is_pyloudnorm_from_one_k_weighting() -> None:
    audio = balanced(6.0)
    report = analyse(audio, SR)
    assert report.integrated_lufs == pytest.approx(pyloudnorm.Meter(SR).integrated_loudness(audio), abs=1e-9)
    folded = measure.integrated_lufs(measure.mono_fold(audio), SR)
    assert report.mono_loss_lu == pytest.approx(report.integrated_lufs - folded, abs=1e-9)


def test_the_k_weighting_flushes_what_a_silent_tail_decays_into() -> None:
    # unflushed, the filter's state sticks at 7.6e-322 (a subnormal number, ~16x slower to
    # compute) for the rest of a silent tail
    from synths.qc.measure import _sections, _sosfilt  # noqa: PLC0415

    sr = 48000
    burst = np.zeros((2, sr * 5))
    burst[:, :1000] = np.random.default_rng(1).standard_normal((2, 1000))
    out, state = _sosfilt(_sections(sr), burst, axis=1, zi=np.zeros((2, 2, 2)))
    tiny = np.finfo(np.float64).tiny
    for values in (out, state):
        assert not np.any((np.abs(values) > 0) & (np.abs(values) < tiny))
