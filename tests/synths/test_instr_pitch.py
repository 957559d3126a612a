"""Tests that listen: pitch within 1 cent, the kick's falling pitch, bright hats, glides, filters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synths.instruments import resolve
from synths.instruments.preview import Note, render_notes
from synths.voice import note_to_freq

SR = 48000


def _f0(signal: np.ndarray, expected: float) -> float:
    """The frequency of the strongest peak within a semitone of `expected` (Hann, zero-padded FFT,
    parabolic interpolation on the log magnitude)."""
    size = 1 << int(math.ceil(math.log2(len(signal) * 8)))
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)), size))
    bin_hz = SR / size
    lo, hi = int(expected / 1.06 / bin_hz), int(expected * 1.06 / bin_hz) + 1
    k = lo + int(np.argmax(spectrum[lo:hi]))
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-30)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * bin_hz


def _cents(measured: float, target: float) -> float:
    return 1200.0 * math.log2(measured / target)


def _window(audio: np.ndarray, start: float, stop: float) -> np.ndarray:
    return audio.mean(axis=0)[int(start * SR) : int(stop * SR)].astype(np.float64)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("sub", {"note": 33.0}),
        ("sine", {"note": 45.0}),
        ("saw", {"note": 45.0}),
        ("square", {"note": 57.0}),
        ("reese", {"note": 40.0, "detune": 0.0}),
        ("acid", {"note": 36.0}),
    ],
)
def test_pitch_within_one_cent(name: str, params: dict[str, float]) -> None:
    audio = render_notes(resolve(name), [Note(0.0, params, 2.0)], 2.0)
    target = note_to_freq(params["note"])
    assert abs(_cents(_f0(_window(audio, 0.4, 1.9), target), target)) < 1.0


def test_bass808_lands_on_the_note_after_its_glide() -> None:
    params = {"note": 31.0, "glide": 12.0, "glidetime": 0.15, "decay": 4.0, "sustain": 1.0}
    audio = render_notes(resolve("bass808"), [Note(0.0, params, 2.5)], 2.5)
    target = note_to_freq(31.0)
    assert abs(_cents(_f0(_window(audio, 0.3, 2.3), target), target)) < 1.0
    early = _f0(_window(audio, 0.0, 0.04), target * 1.6)
    assert early > target * 1.3, "the glide should start above the note"


def test_lead_glides_from_the_previous_note_then_holds_pitch() -> None:
    params = {"detune": 0.0, "glide": 0.1, "sustain": 1.0}
    notes = [Note(0.0, {**params, "note": 57.0}, 0.4), Note(0.5, {**params, "note": 69.0}, 1.5)]
    audio = render_notes(resolve("lead"), notes, 2.0, voices=2)
    target = note_to_freq(69.0)
    assert abs(_cents(_f0(_window(audio, 0.7, 1.95), target), target)) < 1.0
    during = _f0(_window(audio, 0.5, 0.56), target * 0.7)
    assert during < target * 0.85, "the lead should start the glide near the previous pitch"


def test_kick_pitch_envelope_falls() -> None:
    """The 808's bridged-T drops a little (a few semitones) onto 45-60 Hz; the 909 sweeps down
    more than an octave onto its body."""
    for bank, lowest, highest in (("808", 1.03, 1.6), ("909", 2.0, 8.0)):
        audio = render_notes(resolve("bd", bank), [Note(0.0, {"click": 0.0}, 0.1)], 0.5)
        signal = audio[0]
        crossings = np.nonzero(np.diff(np.signbit(signal[: int(0.3 * SR)])))[0]
        periods = np.diff(crossings[::2])
        drop = periods[-1] / periods[0]
        assert lowest < drop < highest, f"{bank}: the kick starts {drop:.2f} x its body's pitch"
        assert 45.0 <= SR / periods[-1] <= 60.0, f"{bank}: the kick's body should sit at 45-60 Hz"


def test_kick_starts_at_phase_zero_on_its_onset() -> None:
    audio = render_notes(resolve("bd"), [Note(0.1, {"click": 0.0}, 0.1)], 0.3)
    onset = int(0.1 * SR)
    assert np.abs(audio[0, :onset]).max() == 0.0
    assert 0.0 <= audio[0, onset] < 0.01 and audio[0, onset + 30] > 0.05


def _centroid(signal: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(signal))
    freqs = np.fft.rfftfreq(len(signal), 1.0 / SR)
    return float((spectrum * freqs).sum() / spectrum.sum())


@pytest.mark.parametrize("bank", ["808", "909"])
@pytest.mark.parametrize("name", ["hh", "oh"])
def test_hats_are_bright(bank: str, name: str) -> None:
    audio = render_notes(resolve(name, bank), [Note(0.0, {}, 0.1)], 0.3)
    assert _centroid(audio[0]) > 7000.0


def _highs(signal: np.ndarray, above: float = 1000.0) -> float:
    """The fraction of the energy above `above` Hz."""
    power = np.abs(np.fft.rfft(signal * np.hanning(len(signal)))) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1.0 / SR)
    return float(power[freqs > above].sum() / power.sum())


def test_saw_is_bright_and_cutoff_darkens_it() -> None:
    bright = render_notes(resolve("saw"), [Note(0.0, {"note": 36.0, "cutoff": 20000.0}, 0.5)], 0.5)
    dark = render_notes(resolve("saw"), [Note(0.0, {"note": 36.0, "cutoff": 400.0}, 0.5)], 0.5)
    assert _highs(bright[0, 4800:20000]) > 0.03, "a 65 Hz saw keeps its harmonics above 1 kHz"
    assert _highs(dark[0, 4800:20000]) < 0.1 * _highs(bright[0, 4800:20000])


def test_acid_filter_envelope_sweeps_down() -> None:
    audio = render_notes(resolve("acid"), [Note(0.0, {"note": 36.0, "accent": 1.0}, 1.0)], 1.0)
    start, end = _highs(audio[0, 0:2400]), _highs(audio[0, 24000:26400])
    assert start > 5.0 * end


def test_pluck_is_tuned_and_decays() -> None:
    audio = render_notes(resolve("pluck"), [Note(0.0, {"note": 57.0}, 2.0)], 2.0)
    target = note_to_freq(57.0)
    assert abs(_cents(_f0(_window(audio, 0.05, 1.0), target), target)) < 10.0
    early, late = np.abs(audio[0, :4800]).max(), np.abs(audio[0, 48000:52800]).max()
    assert late < 0.5 * early


def test_slide_flag_glides_from_the_previous_note() -> None:
    first = {"note": 43.0, "decay": 4.0, "sustain": 1.0}
    second = {"note": 31.0, "decay": 4.0, "sustain": 1.0, "slide": 1.0, "slidetime": 0.2}
    audio = render_notes(resolve("bass808"), [Note(0.0, first, 0.3), Note(0.5, second, 1.5)], 2.0, voices=2)
    target = note_to_freq(31.0)
    assert abs(_cents(_f0(_window(audio, 0.9, 1.9), target), target)) < 1.0
    assert _f0(_window(audio, 0.5, 0.54), target * 1.8) > target * 1.4, "starts near the previous note"


@pytest.mark.parametrize(("name", "bank"), [("saw", None), ("sd", "909")])
def test_hcutoff_removes_the_lows(name: str, bank: str | None) -> None:
    plain = render_notes(resolve(name, bank), [Note(0.0, {"note": 36.0}, 0.5)], 0.5)[0]
    thin = render_notes(resolve(name, bank), [Note(0.0, {"note": 36.0, "hcutoff": 3000.0}, 0.5)], 0.5)[0]
    assert 1.0 - _highs(thin, 500.0) < 0.05 * (1.0 - _highs(plain, 500.0))


def test_shape_adds_harmonics_at_a_similar_level() -> None:
    clean = render_notes(resolve("sine"), [Note(0.0, {"note": 57.0}, 0.5)], 0.5)[0]
    shaped = render_notes(resolve("sine"), [Note(0.0, {"note": 57.0, "shape": 0.7}, 0.5)], 0.5)[0]
    assert _highs(clean[4800:20000], 300.0) < 1e-4
    assert _highs(shaped[4800:20000], 300.0) > 0.02
    assert 0.5 < np.abs(shaped).max() / np.abs(clean).max() < 2.0
