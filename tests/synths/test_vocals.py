"""The singing voice and the vocal chain, measured on synthesized signals (pitch in cents,
formants, band levels, stereo correlation), plus FiniteGuard safety on silence, noise and loud input."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy import signal as ss

import synths.effects.vocal as vocal_fx
import synths.instruments.vocal as vocal_voice
import synths.vocal_chain as vocal_chain
import synths.vocal_measure as vocal_measure
from synths.effects.audit import render_effect
from synths.instruments import resolve
from synths.instruments.preview import Note, render_notes
from synths.instruments.vocal import FORMANTS
from synths.vocal_measure import cents, formant_peaks, track_pitch
from synths.voice import note_to_freq

SR = 48000


def _tone(f0: float, seconds: float, vib_cents: float = 30.0, off_cents: float = 0.0) -> np.ndarray:
    """A sung-like tone: 19 harmonics at 1/k, vibrato +-`vib_cents` at 5.5 Hz, `off_cents` off."""
    t = np.arange(int(seconds * SR)) / SR
    freq = f0 * 2.0 ** ((off_cents + vib_cents * np.sin(2 * np.pi * 5.5 * t)) / 1200.0)
    phase = 2 * np.pi * np.cumsum(freq) / SR
    x = sum((0.25 / k) * np.sin(k * phase) for k in range(1, 20))
    return np.stack([x, x])


def test_modules_doctests() -> None:
    for module in (vocal_fx, vocal_voice, vocal_chain, vocal_measure):
        assert doctest.testmod(module).failed == 0


def test_hard_retune_lands_on_the_scale_and_natural_keeps_the_vibrato() -> None:
    x = _tone(440.0, 2.5, off_cents=40.0)           # a4 sung 40 cents sharp, vibrato +-30 cents
    sung = cents(track_pitch(x[0][SR // 2:], SR), 440.0)
    hard = cents(track_pitch(render_effect("tune", x, SR, params={"speed": 1.0})[0][SR // 2:], SR), 440.0)
    natural = cents(track_pitch(render_effect("tune", x, SR, params={"speed": 0.0})[0][SR // 2:], SR), 440.0)
    assert abs(np.median(sung) - 40.0) < 3.0
    assert abs(np.median(hard)) < 10.0, np.median(hard)
    assert np.std(hard) < 0.5 * np.std(sung), (np.std(hard), np.std(sung))   # vibrato flattened
    assert abs(np.median(natural)) < 10.0
    assert np.std(natural) > 0.8 * np.std(sung), (np.std(natural), np.std(sung))   # vibrato kept


@pytest.mark.parametrize(("note", "third"), [(60, 64), (62, 65)])
def test_harmony_a_third_above_follows_the_key(note: int, third: int) -> None:
    x = _tone(note_to_freq(note), 1.5, vib_cents=0.0)
    y = render_effect("harmony", x, SR, params={"interval": 3, "spread": 0.0})[0][SR // 2:]
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y)), 1 << 18))
    freqs = np.fft.rfftfreq(1 << 18, 1 / SR)
    band = (freqs > note_to_freq(note) * 1.1) & (freqs < note_to_freq(note) * 1.45)
    peak = freqs[np.argmax(spectrum * band)]
    assert abs(cents(np.array([peak]), note_to_freq(third))[0]) < 10.0


def test_doubling_widens_but_stays_mono_compatible() -> None:
    x = _tone(220.0, 2.0, vib_cents=0.0)
    y = render_effect("double", x, SR)[:, SR // 2:]
    assert np.corrcoef(y[0], y[1])[0, 1] < 0.8
    mono = np.mean(((y[0] + y[1]) / 2) ** 2)
    sides = (np.mean(y[0] ** 2) + np.mean(y[1] ** 2)) / 2
    assert 10 * np.log10(mono / sides) > -3.0


def test_deesser_turns_down_the_bursts_only() -> None:
    t = np.arange(2 * SR) / SR
    hiss = ss.sosfilt(ss.butter(6, [5500, 8500], "bandpass", fs=SR, output="sos"),
                      np.random.default_rng(1).standard_normal(len(t)))
    gate = ((t % 0.5) > 0.25).astype(float)
    tone = 0.3 * np.sin(2 * np.pi * 300 * t)
    x = np.stack([tone + 0.3 * hiss / np.std(hiss) * gate] * 2)
    y = render_effect("deess", x, SR)

    def band_db(z: np.ndarray, lo: float, hi: float, mask: np.ndarray) -> float:
        power = np.abs(np.fft.rfft(z * mask)) ** 2
        freqs = np.fft.rfftfreq(len(z), 1 / SR)
        return float(10 * np.log10(power[(freqs >= lo) & (freqs < hi)].sum()))

    assert band_db(y[0], 5000, 9000, gate) - band_db(x[0], 5000, 9000, gate) <= -6.0
    everywhere = np.ones_like(gate)
    assert abs(band_db(y[0], 100, 4000, everywhere) - band_db(x[0], 100, 4000, everywhere)) < 1.0


@pytest.mark.parametrize("kind", ["tune", "harmony", "double", "deess", "vocalcomp", "vocaleq"])
def test_vocal_effects_stay_finite_on_silence_noise_and_loud_input(kind: str) -> None:
    rng = np.random.default_rng(2)
    frames = SR // 2
    for x in (np.zeros((2, frames)), rng.uniform(-1, 1, (2, frames)), 4.0 * _tone(150.0, 0.5)):
        y = render_effect(kind, x, SR)
        assert np.isfinite(y).all(), kind
        assert np.abs(y).max() < 40.0, kind


def test_the_voice_sings_its_notes_in_tune() -> None:
    melody = [(43, "sa-"), (47, "rang"), (50, "hae"), (55, "oh")]
    notes = [Note(i * 0.8, {"note": n, "lyric": word}, 0.7) for i, (n, word) in enumerate(melody)]
    audio = render_notes(resolve("voice"), notes, 3.4)
    assert np.isfinite(audio).all()
    assert abs(float(audio.mean())) < 1e-3
    assert 20 * np.log10(np.abs(audio).max()) <= -1.0
    for i, (n, _) in enumerate(melody):
        part = audio[0][int((i * 0.8 + 0.2) * SR):int((i * 0.8 + 0.65) * SR)]
        assert abs(np.median(cents(track_pitch(part, SR, lo=70.0), note_to_freq(n)))) < 10.0, n


@pytest.mark.parametrize(("name", "kind", "note"), [("basso", "bass", 43), ("tenor", "tenor", 48)])
def test_the_voice_puts_its_formants_on_the_table(name: str, kind: str, note: int) -> None:
    for vowel in "aeio":
        audio = render_notes(resolve(name), [Note(0.0, {"note": note, "vowel": vowel, "vmod": 0.0, "breath": 0.0}, 1.0)], 1.0)
        peaks = formant_peaks(audio[0][int(0.3 * SR):int(0.9 * SR)].astype(float), note_to_freq(note), SR)
        for target, _, _ in FORMANTS[kind][vowel][:2]:
            found = min(peaks, key=lambda f: abs(f - target))
            assert abs(found / target - 1.0) < 0.15, (name, vowel, target, found)


def test_choir_is_stereo_and_quiet_enough() -> None:
    audio = render_notes(resolve("choir"), [Note(0.0, {"note": 60, "vowel": "ooh"}, 1.0)], 1.5)
    assert audio.shape[0] == 2 and np.isfinite(audio).all()
    assert 20 * np.log10(np.abs(audio).max()) <= -1.0
    assert np.corrcoef(audio[0], audio[1])[0, 1] < 0.99


def test_tune_to_chord_notes_and_humanize() -> None:
    from patterns.theory.pitchmask import pitch_mask

    x = _tone(note_to_freq(61.3), 1.5, vib_cents=0.0)          # c#4 + 30 cents
    to_scale = track_pitch(render_effect("tune", x, SR, params={"speed": 1.0})[0][SR // 2:], SR)
    to_chord = track_pitch(render_effect("tune", x, SR, params={"speed": 1.0, "notes": pitch_mask("C")})[0][SR // 2:], SR)
    assert abs(np.median(cents(to_scale, note_to_freq(62)))) < 10.0       # C major: d4
    assert abs(np.median(cents(to_chord, note_to_freq(60)))) < 10.0       # C E G: c4
    held = _tone(440.0, 2.5, off_cents=40.0)
    human = cents(track_pitch(render_effect("tune", held, SR, params={"speed": 1.0, "humanize": 1.0})[0][SR:], SR), 440.0)
    assert abs(np.median(human)) < 10.0 and np.std(human) > 12.0            # on the note, its vibrato back
