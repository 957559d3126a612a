"""Master bus: the limiter holds its true-peak ceiling; loudness agrees with pyloudnorm."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyloudnorm
import pytest
import scipy.io.wavfile as wavfile
from scipy.signal import resample_poly

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, rig  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.loudness import integrated_loudness  # noqa: E402
from synths.meters import Tap  # noqa: E402
from synths.mixer import Mixer  # noqa: E402

__all__ = ["rig"]


def _mixer_with(rig: Rig, source: Any) -> Mixer:
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    mixer.add_track("d1").add_source(source)
    mixer.rebuild(effects=True)
    return mixer


def _true_peak_db(audio: np.ndarray) -> float:
    over = resample_poly(audio, 4, 1, axis=0)[400:-400]          # without edge ringing
    return 20 * math.log10(float(np.max(np.abs(over))))


def _loud_sources() -> list[Any]:
    p = pyo()
    return [
        p.Noise(mul=[3.0, 3.0]),
        p.Sine(freq=[9000, 11000], mul=2.5),
        p.Mix([p.LFO(freq=110, type=2, mul=4.0), p.LFO(freq=1760, type=3, mul=4.0)], voices=2),
    ]


@pytest.mark.parametrize("ceiling", [-1.0, -3.0])
def test_the_limiter_holds_the_true_peak_ceiling(rig: Rig, ceiling: float) -> None:
    for source in _loud_sources():
        mixer = _mixer_with(rig, source)
        mixer.set_param("master.ceiling", ceiling)
        rig.process(0.1)
        audio = rig.record(mixer.master.out, 0.5)
        assert _true_peak_db(audio) <= ceiling + 0.1
        assert _true_peak_db(audio) > ceiling - 3.0          # it limits, it does not mute
        mixer.close()


def _program(kind: str) -> Any:
    p = pyo()
    if kind == "pink":
        return p.ButLP(p.Noise(mul=[0.2, 0.2]), freq=1500)
    if kind == "tones":
        return p.Mix([p.Sine(100, mul=0.4), p.Sine(5000, mul=0.05)], voices=2)
    if kind == "bursts":
        metro = p.Metro(time=0.75).play()
        env = p.TrigLinseg(metro, [(0, 0), (0.002, 1), (0.15, 1), (0.16, 0)])
        return p.Noise(mul=[env * 0.5, env * 0.5])
    return p.Sine(freq=[440, 660], mul=0.01)                 # quiet: -43 dBFS


@pytest.mark.parametrize("kind", ["pink", "tones", "bursts", "quiet"])
def test_master_loudness_agrees_with_pyloudnorm(rig: Rig, tmp_path: Path, kind: str) -> None:
    mixer = _mixer_with(rig, _program(kind))
    mixer.master.set_neutral(True)
    rig.process(0.05)
    mixer.reset_loudness()
    audio = rig.record(mixer.master.out, 3.0)
    meters = mixer.meters()["master"]
    path = tmp_path / f"{kind}.wav"
    wavfile.write(path, SR, audio.astype(np.float32))
    rate, data = wavfile.read(path)
    reference = pyloudnorm.Meter(rate).integrated_loudness(data.astype(np.float64))
    assert abs(meters["lufs_i"] - reference) < 0.5
    assert abs(integrated_loudness(data, rate) - reference) < 0.01
    assert meters["lufs_s"] > -70 and meters["lufs_m"] > -70
    mixer.close()


def test_meters_report_peak_and_rms_in_dbfs(rig: Rig) -> None:
    mixer = _mixer_with(rig, pyo().Sine(freq=1000, mul=[0.5, 0.5]))
    mixer.master.set_neutral(True)
    rig.process(0.1)
    mixer.meters()
    rig.process(0.5)
    levels = mixer.meters()
    assert levels["d1"]["peak"] == pytest.approx(-6.02, abs=0.05)
    assert levels["d1"]["rms"] == pytest.approx(-9.03, abs=0.05)
    assert levels["master"]["peak"] == pytest.approx(-6.02, abs=0.05)
    mixer.close()


def test_a_neutral_master_passes_the_sum_through_exactly(rig: Rig) -> None:
    p = pyo()
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    mixer.add_track("a").add_source(p.Sine(freq=300, mul=[0.6, 0.6]))
    mixer.add_track("b").add_source(p.Noise(mul=[0.5, 0.5]))
    mixer.rebuild(effects=True)
    mixer.set_param("a.pan", 0.2)
    mixer.set_param("b.gain", -4.0)
    mixer.master.set_neutral(True)
    rig.process(0.1)
    difference = mixer.master.out - (mixer.strip("a").post_fader + mixer.strip("b").post_fader)
    audio = rig.record(difference, 0.3)
    assert np.abs(audio).max() < 1e-6
    mixer.close()


def test_the_master_reports_its_latency_exactly(rig: Rig) -> None:
    p = pyo()
    trig = p.Trig().stop()
    source = p.Mix(trig, voices=2, mul=0.1)                   # far below every threshold
    mixer = _mixer_with(rig, source)
    rig.process(0.1)
    both = p.Mix([p.Sig(source[0]), p.Sig(mixer.master.out[0])], voices=2)
    audio = rig.record(both, 0.05, during=lambda _, i: trig.play() if i == 1 else None)
    lag = int(np.argmax(np.abs(audio[:, 1]))) - int(np.argmax(np.abs(audio[:, 0])))
    assert lag == round(mixer.master.latency * SR) == 79
    mixer.master.set_neutral(True)
    assert mixer.master.latency == 0.0
    mixer.close()


def test_a_meter_polled_too_rarely_keeps_the_newest_ring_and_counts_the_rest(rig: Rig) -> None:
    tap = Tap(pyo().Sine(freq=100, mul=[0.5, 0.5]), SR, seconds=0.5)
    rig.process(0.2)
    assert abs(len(tap.read_new()) - 0.2 * SR) <= 256
    rig.process(1.2)
    frames = tap.read_new()
    assert len(frames) == tap.size and abs(tap.lost - int(0.7 * SR)) <= 512
    tap.close()


def _subnormal(values: np.ndarray) -> bool:
    magnitude = np.abs(np.asarray(values, dtype=np.float64))
    return bool(np.any((magnitude > 0) & (magnitude < np.finfo(np.float64).tiny)))


def test_meters_over_a_long_silence_compute_no_subnormal_numbers(rig: Rig) -> None:
    # the master meter's K-weighting decays through silence into numbers under 1e-308 that
    # x86 computes ~15x slower (a read went from 0.2 to 1.1 ms, GIL held): meters() flushes them
    p = pyo()
    level = p.Sig(0.5)
    mixer = _mixer_with(rig, p.Noise(mul=[level, level]))
    mixer.master.set_neutral(True)
    rig.process(0.2)
    mixer.meters()
    level.value = 0.0
    for _ in range(60):                                      # 6 s of silence, read 10 times a second
        rig.process(0.1)
        mixer.meters()
    loudness = mixer._meters["master"].loudness               # type: ignore[attr-defined]
    assert not any(_subnormal(state) for state in loudness._state)
    mixer.close()
