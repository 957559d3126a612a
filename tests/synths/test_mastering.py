"""Offline mastering: every preset lands on its target on every synthesized mix, with the true
peak under the ceiling and no clipping; the chain's mono bass, alignment, data and errors."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import butter, resample, sosfilt

sys.path.insert(0, str(Path(__file__).parent))

from mixes import MIXES, SR, balanced, mix  # noqa: E402

from synths.errors import MasteringError  # noqa: E402
from synths.mastering import PRESETS, custom, load_presets, master, preset  # noqa: E402
from synths.mastering.chain import CHAIN_LATENCY, MasteringChain  # noqa: E402
from synths.mastering.offline import QUICK_OVERSAMPLING, _server, render_through  # noqa: E402
from synths.qc.measure import clipped_samples, correlation, integrated_lufs, true_peak_db  # noqa: E402

SECONDS = 6.0


def _fft_true_peak_db(audio: np.ndarray) -> float:
    """An independent 4x true peak: ideal (FFT) band-limited interpolation of the whole file."""
    padded = np.concatenate([np.zeros((256, audio.shape[1])), audio, np.zeros((256, audio.shape[1]))])
    return 20 * math.log10(float(np.max(np.abs(resample(padded, padded.shape[0] * 4, axis=0)))))


@pytest.fixture(scope="module")
def inputs() -> dict[str, np.ndarray]:
    return {name: mix(name, SECONDS) for name in MIXES}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_lands_on_its_target_on_every_mix(inputs: dict[str, np.ndarray], name: str) -> None:
    chosen = preset(name)
    meter = pyloudnorm.Meter(SR)
    for kind, audio in inputs.items():
        result = master(audio, SR, chosen)
        out = result.audio
        assert out.shape == audio.shape
        loudness = meter.integrated_loudness(out)
        assert abs(loudness - chosen.target.lufs) <= 0.5, (kind, loudness)
        assert abs(result.lufs - loudness) < 0.01
        assert true_peak_db(out, SR) <= chosen.target.ceiling, kind
        assert _fft_true_peak_db(out) <= chosen.target.ceiling + 0.05, kind
        assert clipped_samples(out) == 0 and float(np.max(np.abs(out))) < 1.0
        assert 1 <= result.passes <= 8


def test_a_custom_target_is_met() -> None:
    chosen = custom(-12.0, -0.5, base="club")
    result = master(balanced(SECONDS), SR, chosen)
    assert abs(pyloudnorm.Meter(SR).integrated_loudness(result.audio) + 12.0) <= 0.5
    assert true_peak_db(result.audio, SR) <= -0.5
    assert result.preset.chain == preset("club").chain


def _band(audio: np.ndarray, kind: str, freq: float) -> np.ndarray:
    return sosfilt(butter(4, freq, btype=kind, fs=SR, output="sos"), audio, axis=0)


def test_the_bass_below_120_hz_becomes_mono_and_the_highs_keep_their_width() -> None:
    t = np.arange(int(SECONDS * SR)) / SR
    rng = np.random.default_rng(3)
    highs = _band(rng.standard_normal((t.size, 2)) * 0.05, "highpass", 2000.0)
    wide_bass = 0.3 * np.stack([np.sin(2 * np.pi * 50.0 * t), np.cos(2 * np.pi * 50.0 * t)], axis=1)
    audio = wide_bass + highs                                       # bass 90 degrees apart
    assert abs(correlation(_band(audio, "lowpass", 100.0)[SR:])) < 0.05
    out = master(audio, SR, preset("streaming")).audio[SR:]
    assert correlation(_band(out, "lowpass", 70.0)) > 0.99
    wide_before = correlation(_band(audio, "highpass", 3000.0)[SR:])
    assert abs(correlation(_band(out, "highpass", 3000.0)) - wide_before) < 0.1


def test_bass_in_opposite_phase_is_removed_not_folded() -> None:
    t = np.arange(int(SECONDS * SR)) / SR
    bass = 0.3 * np.sin(2 * np.pi * 50.0 * t)
    centre = 0.1 * np.sin(2 * np.pi * 440.0 * t)
    audio = np.stack([bass + centre, -bass + centre], axis=1)
    out = master(audio, SR, preset("broadcast")).audio[SR:]
    low_in = float(np.sqrt(np.mean(_band(audio[SR:], "lowpass", 100.0) ** 2)))
    low_out = float(np.sqrt(np.mean(_band(out, "lowpass", 100.0) ** 2)))
    high_out = float(np.sqrt(np.mean(_band(out, "highpass", 300.0) ** 2)))
    assert 20 * math.log10(low_out / high_out) < 20 * math.log10(low_in / 0.0707) - 20.0


def test_the_master_is_aligned_with_its_input() -> None:
    """Clicks come out on their own samples: the chain's latency is compensated exactly."""
    audio = np.random.default_rng(4).standard_normal((int(SECONDS * SR), 2)) * 0.002
    clicks = np.arange(SR // 2, audio.shape[0] - SR // 2, SR // 4 + 37)
    audio[clicks] += 0.5
    out = master(audio, SR, preset("broadcast")).audio
    for click in clicks:
        window = np.abs(out[click - 100:click + 100, 0])
        assert int(np.argmax(window)) - 100 == 0


def test_the_whole_chain_runs_as_one_pyo_graph_as_it_would_live() -> None:
    audio = balanced(3.0)
    with _server(SR) as server:
        def build(source: object) -> MasteringChain:
            return MasteringChain(source, preset("club"), sr=SR, trim_db=0.0, drive_db=12.0)
        out = render_through(server, audio, build)
    assert CHAIN_LATENCY == 157
    assert true_peak_db(out, SR) <= -0.3 + 0.05
    assert 20 * math.log10(float(np.max(np.abs(out)))) > -3.0          # it limits, it does not mute


def test_silence_and_nonsense_are_errors_naming_the_problem() -> None:
    with pytest.raises(MasteringError, match="silent"):
        master(np.zeros((SR * 2, 2)), SR, preset("streaming"))
    with pytest.raises(MasteringError, match="at least 0.5 s"):
        master(np.ones((100, 2)) * 0.1, SR, preset("streaming"))
    with pytest.raises(MasteringError, match="unknown preset 'loud'"):
        preset("loud")
    with pytest.raises(MasteringError, match="lufs=3"):
        custom(3.0, -1.0)


def test_presets_are_data_and_bad_files_name_the_setting(tmp_path: Path) -> None:
    shipped = json.loads(Path(__import__("synths.mastering.presets").mastering.presets.PRESETS_FILE).read_text())
    assert {name: (p["lufs"], p["ceiling"]) for name, p in shipped.items()} == {
        "streaming": (-14.0, -1.0), "apple": (-16.0, -1.0), "club": (-9.0, -0.3), "broadcast": (-23.0, -1.0)}
    good = tmp_path / "mine.json"
    good.write_text(json.dumps({"vinyl": {"lufs": -12, "ceiling": -1.5, "chain": {"mono_below": 150}}}))
    assert load_presets(good)["vinyl"].chain.mono_below == 150.0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"x": {"lufs": -12, "ceiling": -1, "chain": {"widht": 1}}}))
    with pytest.raises(MasteringError, match="unknown chain setting 'widht'"):
        load_presets(bad)
    bad.write_text(json.dumps({"x": {"lufs": -12, "ceiling": -1, "chain": {"tilt": 20}}}))
    with pytest.raises(MasteringError, match=r"tilt=20 is out of range"):
        load_presets(bad)


def test_a_related_mix_lands_in_one_pass_from_the_first_ones_drive(inputs: dict[str, np.ndarray]) -> None:
    # a package: the mix first, then the same mix without a part starts where the mix landed
    chosen = preset("streaming")
    full = balanced(SECONDS)
    first = master(full, SR, chosen)
    part = full * 0.8 + inputs["bass_heavy"] * 0.05
    cold = master(part, SR, chosen)
    warm = master(part, SR, chosen, hint=first.hint())
    assert warm.passes < cold.passes and warm.passes == 1
    meter = pyloudnorm.Meter(SR)
    assert abs(meter.integrated_loudness(warm.audio) - chosen.target.lufs) <= 0.1
    assert true_peak_db(warm.audio, SR) <= chosen.target.ceiling
    assert len(warm.true_peaks) == 2 and max(warm.true_peaks) == pytest.approx(warm.true_peak)
    assert max(warm.true_peaks) == pytest.approx(true_peak_db(warm.audio, SR), abs=1e-9)


def test_only_an_unhinted_first_pass_is_quick_and_the_result_is_a_full_pass() -> None:
    # the quick pass (limiters detecting at the samples alone) only aims the next one
    chosen = preset("club")
    cold = master(balanced(SECONDS), SR, chosen)
    assert cold.history[0].oversampling == QUICK_OVERSAMPLING and cold.history[0].true_peak is None
    landed = [p for p in cold.history if p.true_peak is not None]
    assert landed and all(p.oversampling == 4 for p in landed)
    assert abs(cold.lufs - chosen.target.lufs) <= 0.1 and cold.true_peak <= chosen.target.ceiling
    assert max(cold.true_peaks) == pytest.approx(true_peak_db(cold.audio, SR), abs=1e-9)
    warm = master(balanced(SECONDS) * 0.9, SR, chosen, hint=cold.hint())
    assert all(p.oversampling == 4 for p in warm.history)
    assert cold.to_dict()["history"][0]["oversampling"] == QUICK_OVERSAMPLING


def _kick_bar(seconds: float) -> np.ndarray:
    """A kick on every beat at 120 BPM from the very first sample, over a quiet pad."""
    t = np.arange(int(seconds * SR)) / SR
    beat = t % 0.5
    kick = np.sin(2 * np.pi * (50 + 150 * np.exp(-beat * 40)) * beat) * np.exp(-beat * 12) * 0.8
    pad = np.sin(2 * np.pi * 220 * t) * 0.05
    return np.stack([kick + pad, kick + pad * 0.9], axis=1)


def test_the_first_downbeat_keeps_its_level() -> None:
    # the limiter used to open over ~50 ms from a gain of 0: a song's first kick came out
    # 6-16 dB under the same kick a beat later
    out = master(_kick_bar(SECONDS), SR, preset("streaming")).audio
    beat = SR // 2
    first = float(np.max(np.abs(out[:beat // 4])))
    second = float(np.max(np.abs(out[beat:beat + beat // 4])))
    assert 20 * math.log10(first / second) > -0.5


def test_under_its_threshold_the_limiter_passes_its_input_exactly() -> None:
    # from the first sample: nothing in its gain path starts closed
    from synths._pyo import pyo  # noqa: PLC0415
    from synths.master import TruePeakLimiter  # noqa: PLC0415

    class Limiter:
        def __init__(self, source: object) -> None:
            self.limiter = TruePeakLimiter(source, pyo().Sig(-1.0), sr=SR)
            self.out, self.latency = self.limiter.out, self.limiter.latency

    audio = _kick_bar(2.0) * 0.5                                      # peaks -8 dBFS
    with _server(SR) as server:
        out = render_through(server, audio, Limiter)
    assert np.array_equal(out, audio.astype(np.float32).astype(np.float64))


def test_pyo_average_keeps_its_first_input_in_its_sum() -> None:
    # the limiter's mean of the last WINDOW - 1 reductions relies on it (synths/master.py):
    # a step from 0 to 1 settles at (WINDOW - 1) / WINDOW; should pyo change this, the
    # limiter's `mul` must change with it
    from synths._pyo import pyo  # noqa: PLC0415
    from synths.master import WINDOW  # noqa: PLC0415

    class Step:
        def __init__(self, source: object) -> None:
            self.out, self.latency = pyo().Average(source, size=WINDOW), 0

    step = np.zeros((SR // 10, 2))
    step[1:] = 1.0
    with _server(SR) as server:
        out = render_through(server, step, Step)
    assert out[-1, 0] == pytest.approx((WINDOW - 1) / WINDOW, abs=1e-9)


def test_the_offline_back_equals_the_live_graph_within_float_rounding() -> None:
    # the offline master renders the back in two steps with numpy's detectors (`_Back`)
    from synths.mastering.chain import MasteringBack  # noqa: PLC0415
    from synths.mastering.offline import _Back  # noqa: PLC0415

    front = _kick_bar(3.0) * 0.6 + balanced(3.0) * 0.3
    with _server(SR) as server:
        live = render_through(server, front, lambda s: MasteringBack(s, ceiling=-1.0, sr=SR, drive_db=9.0))
        back = _Back(server, front, ceiling=-1.0, sr=SR, release=0.08)
        for drive in (9.0, 3.0):                   # the front's detector serves every pass
            out = back.render(drive, 4)
            if drive == 9.0:
                assert np.max(np.abs(out - live)) < 1e-6
        quick = back.render(9.0, 1)
        assert np.max(np.abs(quick - live)) > 1e-4    # 1x detection is another limiter
    assert true_peak_db(out, SR) <= -1.0 and float(np.max(np.abs(out))) > 0.5


def test_a_silent_tail_is_mastered_without_subnormal_numbers() -> None:
    # the chain's filters decay through a silent tail into numbers x86 computes ~30x slower
    # (3 s of music and 20 s of silence took 16 s of CPU to master): the renders flush them
    audio = np.zeros((SR * 8, 2))
    audio[:SR] = balanced(1.0)
    out = master(audio, SR, preset("streaming")).audio
    magnitude = np.abs(out[SR * 2:])
    assert not np.any((magnitude > 0) & (magnitude < np.finfo(np.float32).tiny))


def test_the_quick_pass_measures_the_drive_stage_within_a_hundredth_of_the_aim() -> None:
    # the aiming pass renders the drive stage alone: the catching limiter it skips moves the
    # loudness by 0.01-0.02 LU when driven hard, far inside AIM_LU
    from synths.mastering.offline import AIM_LU, _Back  # noqa: PLC0415

    front = balanced(SECONDS) * 0.5
    with _server(SR) as server:
        back = _Back(server, front, ceiling=-0.3, sr=SR, release=0.05)
        for drive in (6.0, 14.0):
            aimed = integrated_lufs(back.aim(drive), SR)
            full = integrated_lufs(back.render(drive, QUICK_OVERSAMPLING), SR)
            assert abs(aimed - full) <= AIM_LU / 4              # 0.018 LU at +14 dB
