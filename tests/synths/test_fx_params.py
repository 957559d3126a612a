"""Parameters: smoothed (no steps), sample-exact when delayed, validated with clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext, create, resolve  # noqa: E402
from synths.effects.base import DEFAULT_RAMP, MAX_SET_DELAY, SmoothParam  # noqa: E402
from synths.errors import ParamError, UnknownEffectError  # noqa: E402
from synths.params import ParamSpec  # noqa: E402

__all__ = ["rig"]

CTX = EffectContext(SR, 120.0)


def test_a_delayed_set_starts_on_its_exact_sample_and_glides(rig: Rig) -> None:
    spec = ParamSpec("x", 0.0, 0.0, 1.0)
    param = SmoothParam(spec, 0.0, sr=SR, trig=pyo().Trig())
    offsets = []
    for offset in (0, 1, 100, 255):
        param.set(0.0)
        rig.process(0.05)
        param.set(1.0, delay=offset / SR)
        audio = rig.record(param.sig, 0.05)
        offsets.append(int(np.nonzero(audio[:, 0] > 0)[0][0]))
        steps = np.diff(audio[:, 0])
        assert steps.max() <= 1.0 / (DEFAULT_RAMP * SR) * 1.02     # float32 ramp
        assert audio[-1, 0] == pytest.approx(1.0)
    assert offsets == [0, 1, 100, 255]


def test_a_cutoff_jump_makes_no_click(rig: Rig) -> None:
    fx = create("lpf", tone(100, 0.5), CTX, cutoff=20000)
    rig.process(0.05)
    audio = rig.record(fx.out, 0.2, during=lambda _, i: fx.set("cutoff", 150.0) if i == 5 else None)
    natural = 2 * np.pi * 100 / SR * 0.5
    assert np.abs(np.diff(audio[:, 0])).max() < natural * 1.5


def test_a_mix_jump_on_a_distortion_makes_no_click(rig: Rig) -> None:
    source = tone(100, 0.5)
    fx = create("distort", source, CTX, drive=0.6, mix=0.0)
    wet = create("distort", source, CTX, drive=0.6, mix=1.0)
    rig.process(0.05)
    audio = rig.record(fx.out, 0.2, during=lambda _, i: fx.set("mix", 1.0) if i == 5 else None)
    natural = max(np.abs(np.diff(rig.record(s, 0.05)[:, 0])).max() for s in (source, wet.out))
    assert np.abs(np.diff(audio[:, 0])).max() < natural * 1.1
    assert np.abs(audio[-480:] - rig.record(wet.out, 0.01)[:480]).max() > 0  # it did change


def test_unknown_effect_names_close_matches() -> None:
    with pytest.raises(UnknownEffectError, match=r"unknown effect 'revrb' \(did you mean: reverb"):
        resolve("revrb")
    with pytest.raises(UnknownEffectError, match="known: "):
        resolve("zzzzzz")


def test_bad_params_raise_param_error_naming_the_field(rig: Rig) -> None:
    with pytest.raises(ParamError, match=r"lpf: cutoff=5 is out of range \[20.0, 20000.0\] \(Hz\)"):
        create("lpf", tone(100), CTX, cutoff=5)
    with pytest.raises(ParamError, match=r"lpf: unknown parameter 'cutof' \(known: cutoff, "):
        create("lpf", tone(100), CTX, cutof=500)
    fx = create("delay", tone(100), CTX)
    with pytest.raises(ParamError, match="delay: feedback must be a number, not str"):
        fx.set("feedback", "lots")  # type: ignore[arg-type]
    with pytest.raises(ParamError, match=r"time: delay=9 must be in \[0, "):
        fx.set("time", 1.0, delay=9)
    with pytest.raises(ParamError, match="convolution: decay is fixed at creation"):
        create("convolution", tone(100), CTX).set("decay", 2.0)
    with pytest.raises(ParamError, match="duck: key must name the track"):
        create("duck", tone(100), CTX)
    with pytest.raises(ParamError, match="sidechain key: no track named 'nope'"):
        create("duck", tone(100), CTX, key="nope")
    fx.close()
    assert MAX_SET_DELAY >= 0.1


def test_tempo_rejects_nonsense() -> None:
    with pytest.raises(ParamError, match=r"tempo: bpm=0 must be a number in \[1, 999\]"):
        EffectContext(SR, 0)
