"""Each effect changes the signal as it should (pyo manual mode, numpy analysis)."""

from __future__ import annotations

import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, centroid, level_db, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EFFECTS, EffectContext, create  # noqa: E402
from synths.errors import ParamError  # noqa: E402

__all__ = ["rig"]


def _ctx(key: Any = None) -> EffectContext:
    return EffectContext(SR, 120.0, key_lookup=lambda name: key)


def _noise() -> Any:
    return pyo().Noise(mul=[0.3, 0.3])


def _impulse() -> tuple[Any, Any]:
    """A stereo single-sample impulse, fired by calling `.play()` on the returned trigger."""
    trig = pyo().Trig().stop()
    return trig, pyo().Mix(trig, voices=2)


def _band_db(audio: np.ndarray, lo: float, hi: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio[:, 0])) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / SR)
    return 10 * np.log10(np.sum(spectrum[(freqs >= lo) & (freqs < hi)]))


def test_lowpass_lowers_the_centroid_and_highpass_cuts_the_lows(rig: Rig) -> None:
    source = _noise()
    dry = rig.record(source, 0.3)
    low = create("lpf", source, _ctx(), cutoff=500, resonance=0.2)
    high = create("hpf", source, _ctx(), cutoff=5000)
    assert centroid(rig.record(low.out, 0.3)) < centroid(dry) / 4
    assert _band_db(rig.record(high.out, 0.3), 20, 1000) < _band_db(dry, 20, 1000) - 20


def test_bandpass_keeps_the_band(rig: Rig) -> None:
    source = _noise()
    dry = rig.record(source, 0.4)
    band = rig.record(create("bpf", source, _ctx(), cutoff=2000, resonance=0.6).out, 0.4)
    kept = _band_db(band, 1800, 2200) - _band_db(dry, 1800, 2200)
    cut = _band_db(band, 10000, 20000) - _band_db(dry, 10000, 20000)
    assert abs(kept) < 3 and cut < -20


def test_delay_echoes_on_the_beat_and_follows_the_tempo(rig: Rig) -> None:
    ctx = _ctx()
    trig, source = _impulse()
    fx = create("delay", source, ctx, time=0.5, feedback=0.5, tone=20000, mix=1.0)
    rig.process(0.05)

    def fire(_: Rig, index: int) -> None:
        if index == 0:
            trig.play()

    audio = rig.record(fx.out, 0.8, during=fire)
    peaks = np.nonzero(np.abs(audio[:, 0]) > 0.05)[0]
    beat = int(0.5 * 0.5 * SR)                       # half a beat at 120 bpm = 0.25 s
    assert peaks[0] in range(beat - 2, beat + 3)
    second = np.abs(audio[2 * beat - 40:2 * beat + 40, 0]).max()
    first = np.abs(audio[beat - 40:beat + 40, 0]).max()
    assert 0.4 < second / first < 0.6                # feedback 0.5
    fx.set("feedback", 0.0)
    ctx.set_bpm(60.0)
    rig.process(1.5)
    audio = rig.record(fx.out, 0.8, during=fire)
    assert np.nonzero(np.abs(audio[:, 0]) > 0.05)[0][0] in range(2 * beat - 2, 2 * beat + 3)
    fx.close()


def test_pingpong_bounces_left_then_right(rig: Rig) -> None:
    trig, source = _impulse()
    fx = create("delay", source, _ctx(), time=0.25, feedback=0.6, pingpong=1, tone=20000, mix=1)
    rig.process(0.05)
    audio = rig.record(fx.out, 0.5, during=lambda _, i: trig.play() if i == 0 else None)
    step = int(0.25 * 0.5 * SR)
    near = slice(step - 40, step + 40)
    twice = slice(2 * step - 40, 2 * step + 40)
    assert np.abs(audio[near, 0]).max() > 0.3 and np.abs(audio[near, 1]).max() < 0.01
    assert np.abs(audio[twice, 1]).max() > 0.2 and np.abs(audio[twice, 0]).max() < 0.01
    fx.close()


@pytest.mark.parametrize("kind", ["reverb", "hall", "wgverb", "convolution"])
def test_reverbs_leave_a_decaying_tail(rig: Rig, kind: str) -> None:
    burst = pyo().Noise(mul=[0.3, 0.3])
    gate = pyo().Sig(1.0)
    fx = create(kind, burst * gate, _ctx(), mix=1.0)

    def stop_burst(_: Rig, index: int) -> None:
        if index == int(0.1 * SR / 256):
            gate.value = 0.0

    audio = rig.record(fx.out, 1.0, during=stop_burst)
    early = level_db(audio[int(0.15 * SR):int(0.25 * SR)])
    late = level_db(audio[int(0.8 * SR):int(0.95 * SR)])
    assert early > -45                               # a tail after the burst stopped
    assert late < early - 3                          # that decays


def test_crush_quantises_to_few_levels(rig: Rig) -> None:
    fx = create("crush", tone(220, 0.9), _ctx(), bits=3)
    audio = rig.record(fx.out, 0.1)
    assert len(np.unique(np.round(audio[:, 0], 6))) <= 2**3 + 1
    assert len(np.unique(np.round(rig.record(tone(220, 0.9), 0.1)[:, 0], 6))) > 100


def test_width_zero_is_mono_and_two_doubles_the_side(rig: Rig) -> None:
    p = pyo()
    wide = p.Mix([p.Sine(300, mul=0.3), p.Sine(500, mul=0.3)], voices=2)
    mono = create("width", wide, _ctx(), width=0.0)
    audio = rig.record(mono.out, 0.1)
    assert np.max(np.abs(audio[:, 0] - audio[:, 1])) < 1e-6
    double = create("width", wide, _ctx(), width=2.0)
    dry, wet = rig.record(wide, 0.1), rig.record(double.out, 0.1)
    side_gain = level_db(wet[:, 0] - wet[:, 1]) - level_db(dry[:, 0] - dry[:, 1])
    assert abs(side_gain - 6.02) < 0.1


def _harmonic(audio: np.ndarray, freq: float) -> float:
    n = np.arange(len(audio))
    return float(np.abs(np.dot(audio[:, 0], np.exp(-2j * np.pi * freq * n / SR))) * 2 / len(n))


def test_distort_adds_odd_harmonics(rig: Rig) -> None:
    fx = create("distort", tone(200, 0.5), _ctx(), drive=0.9)
    audio = rig.record(fx.out, 0.2)
    dry = rig.record(tone(200, 0.5), 0.2)
    assert _harmonic(audio, 600) > 20 * _harmonic(dry, 600) + 0.01


def test_eq_boosts_its_band_by_its_gain(rig: Rig) -> None:
    fx = create("eq", tone(1000, 0.1), _ctx(), mid=6.0, midfreq=1000, midq=1)
    gain = level_db(rig.record(fx.out, 0.2)[4800:]) - level_db(rig.record(tone(1000, 0.1), 0.2))
    assert abs(gain - 6.0) < 0.5


def test_compressor_reduces_loud_signals(rig: Rig) -> None:
    fx = create("compressor", tone(300, 0.9), _ctx(), threshold=-20, ratio=10, knee=0)
    loud = level_db(rig.record(fx.out, 0.3)[4800:])
    assert loud < level_db(rig.record(tone(300, 0.9), 0.1)) - 10


def test_gate_silences_quiet_signals(rig: Rig) -> None:
    quiet = create("gate", tone(300, 0.001), _ctx(), threshold=-40)
    loud = create("gate", tone(300, 0.5), _ctx(), threshold=-40)
    assert level_db(rig.record(quiet.out, 0.3)[4800:]) < -100
    assert level_db(rig.record(loud.out, 0.3)[4800:]) > -10


def test_tremolo_modulates_and_autopan_alternates(rig: Rig) -> None:
    trem = create("tremolo", tone(1000, 0.5), _ctx(), rate=4, depth=1.0)
    env = np.abs(rig.record(trem.out, 0.5)[:, 0]).reshape(-1, 480).max(axis=1)
    assert env.max() > 0.45 and env.min() < 0.05
    pan = create("autopan", tone(1000, 0.5), _ctx(), rate=2, depth=1.0)
    audio = rig.record(pan.out, 0.5)
    left = np.abs(audio[:, 0]).reshape(-1, 480).max(axis=1)
    right = np.abs(audio[:, 1]).reshape(-1, 480).max(axis=1)
    assert np.corrcoef(left, right)[0, 1] < -0.9


@pytest.mark.parametrize("kind", ["chorus", "phaser", "flanger"])
def test_modulated_delays_change_the_sound(rig: Rig, kind: str) -> None:
    source = _noise()
    fx = create(kind, source, _ctx(), mix=1.0)
    dry, wet = rig.record(source, 0.3), rig.record(fx.out, 0.3)
    assert np.isfinite(wet).all() and level_db(wet) > -30
    spectrum = np.abs(np.fft.rfft(wet[:, 0]))[:2000]
    reference = np.abs(np.fft.rfft(dry[:, 0]))[:2000]
    assert not np.allclose(spectrum, reference, rtol=0.2)


def test_every_effect_outputs_finite_stereo(rig: Rig) -> None:
    key = _noise()
    for kind in EFFECTS:
        options = {"key": "d1"} if kind == "duck" else {}
        fx = create(kind, _noise(), _ctx(key), **options)
        audio = rig.record(fx.out, 0.05)
        assert len(fx.out) == 2, kind
        assert np.isfinite(audio).all() and np.abs(audio).max() < 4, kind
        fx.close()


def test_convolution_plays_a_user_impulse_response(rig: Rig, tmp_path: Path) -> None:
    ir = np.zeros((SR // 2, 2), dtype=np.int16)
    ir[SR // 10] = 16384                                  # a single echo 100 ms later
    path = tmp_path / "echo.wav"
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(SR)
        handle.writeframes(ir.tobytes())
    trig, source = _impulse()
    fx = create("convolution", source, _ctx(), impulse=str(path), mix=1.0)
    assert fx.options == {"impulse": str(path)}
    rig.process(0.05)
    audio = rig.record(fx.out, 0.3, during=lambda _, i: trig.play() if i == 0 else None)
    loud = np.nonzero(np.abs(audio[:, 0]) > 0.05)[0]
    assert loud.size and int(loud[0]) == SR // 10 + 1024     # + CvlVerb's partition latency
    with pytest.raises(ParamError, match="convolution: impulse file '/nope.wav' does not exist"):
        create("convolution", source, _ctx(), impulse="/nope.wav")


def test_each_delay_repeat_is_darker_than_the_last(rig: Rig) -> None:
    burst = pyo().Noise(mul=[0.5, 0.5])
    gate = pyo().Sig(0.0)
    fx = create("delay", burst * gate, _ctx(), time=0.5, feedback=0.8, tone=3000, mix=1.0)
    rig.process(0.05)

    def one_burst(_: Rig, index: int) -> None:
        gate.value = 1.0 if index < 4 else 0.0          # 4 blocks of noise

    audio = rig.record(fx.out, 0.8, during=one_burst)
    step = int(0.25 * SR)
    echoes = [audio[k * step:k * step + 1500] for k in (1, 2, 3)]
    centroids = [centroid(echo) for echo in echoes]
    assert centroids[0] > centroids[1] > centroids[2]
    fx.close()


def test_the_compressor_lags_one_sample_not_pyos_25_ms(rig: Rig) -> None:
    p = pyo()
    trig = p.Trig().stop()
    source = p.Mix(trig, voices=2, mul=0.5)
    fx = create("compressor", source, _ctx(), threshold=-3)
    rig.process(0.05)
    both = p.Mix([p.Sig(source[0]), p.Sig(fx.out[0])], voices=2)
    audio = rig.record(both, 0.05, during=lambda _, i: trig.play() if i == 1 else None)
    assert int(np.argmax(np.abs(audio[:, 1]))) - int(np.argmax(np.abs(audio[:, 0]))) == 1


def test_the_gate_opens_within_its_attack_not_25_ms_late(rig: Rig) -> None:
    p = pyo()
    level = p.Sig(0.0)
    source = p.Sine(freq=1000, mul=[level, level])
    fx = create("gate", source, _ctx(), threshold=-40, attack=0.0005)
    rig.process(0.05)
    both = p.Mix([p.Sig(source[0]), p.Sig(fx.out[0])], voices=2)
    audio = rig.record(both, 0.05,
                       during=lambda _, i: setattr(level, "value", 0.5) if i == 1 else None)
    onsets = [int(np.nonzero(np.abs(audio[:, k]) > 1e-3)[0][0]) for k in (0, 1)]
    assert 1 <= onsets[1] - onsets[0] <= 300          # pyo's detector, not a 1200-sample delay
