"""Tests that listen: the per-note vowel, bandf/bandq, crush, coarse and postgain, and the
supersaw's unison, change the spectrum or the level as a Strudel performer expects."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from synths.instruments import resolve
from synths.instruments.preview import Note, render_notes

SR = 48000


def _render(name: str, params: Mapping[str, float | str], seconds: float = 0.5, bank: str | None = None) -> np.ndarray:
    return render_notes(resolve(name, bank), [Note(0.0, params, seconds - 0.1)], seconds)[0, 2400 : int(0.35 * SR)]


def _band_db(signal: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    freqs = np.fft.rfftfreq(len(signal), 1.0 / SR)
    return float(10.0 * np.log10(np.sum(spectrum[(freqs >= low) & (freqs < high)] ** 2) + 1e-20))


def _rms(signal: np.ndarray) -> float:
    return float(np.sqrt(np.mean(signal**2)))


SAW = {"note": 36.0, "cutoff": 20000.0}


def test_vowels_move_the_formants() -> None:
    plain, a, i = _render("saw", SAW), _render("saw", {**SAW, "vowel": "a"}), _render("saw", {**SAW, "vowel": "i"})
    # "i": low first formant (270 Hz) and a high second (2290 Hz); "a": first formant near 730 Hz
    assert _band_db(i, 2100, 2500) - _band_db(i, 650, 800) > _band_db(a, 2100, 2500) - _band_db(a, 650, 800) + 15
    assert _band_db(a, 650, 800) - _band_db(a, 250, 300) > _band_db(plain, 650, 800) - _band_db(plain, 250, 300) + 6
    assert _band_db(a, 10000, 20000) < _band_db(plain, 10000, 20000) - 20


def test_bandf_keeps_its_band_and_cuts_the_rest() -> None:
    plain = _render("saw", SAW)
    band = _render("saw", {**SAW, "bandf": 1000.0, "bandq": 5.0})
    assert abs(_band_db(band, 950, 1050) - _band_db(plain, 950, 1050)) < 3
    assert _band_db(band, 60, 300) < _band_db(plain, 60, 300) - 15
    assert _band_db(band, 5000, 20000) < _band_db(plain, 5000, 20000) - 15


def test_crush_adds_harmonics_to_a_sine() -> None:
    clean = _render("sine", {"note": 57.0})
    crushed = _render("sine", {"note": 57.0, "crush": 2.0})
    assert _band_db(crushed, 1000, 20000) > _band_db(clean, 1000, 20000) + 30


def test_coarse_folds_images_of_a_sine() -> None:
    clean = _render("sine", {"note": 81.0})                    # 880 Hz
    coarse = _render("sine", {"note": 81.0, "coarse": 8.0})     # held every 8th sample: 6 kHz rate
    assert _band_db(coarse, 4900, 5300) > _band_db(clean, 4900, 5300) + 30   # 6000 - 880 Hz


def test_postgain_scales_after_the_shaping() -> None:
    base = {"note": 48.0, "shape": 0.5}
    one, two = _render("saw", base), _render("saw", {**base, "postgain": 2.0})
    assert _rms(two) / _rms(one) == pytest.approx(2.0, rel=0.01)


def test_per_note_effects_reach_drums_too() -> None:
    plain = _render("sd", {}, bank="909")
    band = _render("sd", {"bandf": 400.0, "bandq": 8.0}, bank="909")
    assert _band_db(band, 6000, 20000) < _band_db(plain, 6000, 20000) - 15


def test_unison_1_and_7_differ() -> None:
    # 120 Hz is exactly 400 samples: one saw repeats every period, seven detuned saws do not
    params = {"freq": 120.0, "spread": 0.0, "cutoff": 20000.0, "sustain": 1.0}
    one = _render("supersaw", {**params, "unison": 1}, 0.8)
    seven = _render("supersaw", {**params, "unison": 7}, 0.8)
    three = _render("supersaw", {**params, "unison": 3}, 0.8)

    def drift(x: np.ndarray) -> float:
        return float(np.sqrt(np.mean((x[400:] - x[:-400]) ** 2)) / _rms(x))

    assert drift(one) < 0.02
    # the 7 saws are near unison at detune 50 (pyo's curve, depth**6); pyo's naive SuperSaw
    # drifted more (0.2+) because its aliases are inharmonic
    assert drift(seven) > 0.1 and drift(three) > 0.2
    assert _rms(one) == pytest.approx(_rms(seven), rel=0.3)          # level kept across unison


def test_distort_adds_harmonics_at_a_matched_level() -> None:
    clean = _render("sine", {"note": 57.0})
    dirty = _render("sine", {"note": 57.0, "distort": 3.0})
    assert _band_db(dirty, 600, 700) > _band_db(clean, 600, 700) + 30     # third harmonic of 220 Hz
    assert np.abs(dirty).max() == pytest.approx(np.abs(clean).max(), rel=0.25)  # peak-matched
