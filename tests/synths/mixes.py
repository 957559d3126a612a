"""Synthesized stereo mixes for the mastering, QC and delivery tests (imported by path).

Each is plain numpy, deterministic, a few seconds long: no sample libraries, no mocks.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt

__all__ = ["SR", "MIXES", "mix", "saw", "kick", "shaped_noise", "balanced", "sine_sub", "loudness_steps"]

SR = 48000


def _time(seconds: float, sr: int = SR) -> np.ndarray:
    return np.arange(int(seconds * sr)) / sr


def saw(freq: float, t: np.ndarray) -> np.ndarray:
    """A naive sawtooth in [-1, 1] (rich in harmonics)."""
    return 2.0 * ((t * freq) % 1.0) - 1.0


def kick(t: np.ndarray, period: float = 0.5) -> np.ndarray:
    """A sine kick with a pitch drop every `period` seconds."""
    local = t % period
    return np.sin(2 * np.pi * (50 + 100 * np.exp(-local * 40)) * local) * np.exp(-local * 25)


def shaped_noise(t: np.ndarray, seed: int, low: float, high: float) -> np.ndarray:
    """Band-passed noise."""
    sos = butter(2, [low, high], btype="bandpass", fs=SR, output="sos")
    return sosfilt(sos, np.random.default_rng(seed).standard_normal(t.size))


def _stereo(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.stack([left, right], axis=1)


def balanced(seconds: float = 8.0) -> np.ndarray:
    """A pop-like mix: kick, saw bass (with harmonics), chords, hats, a little stereo."""
    t = _time(seconds)
    bass = 0.18 * sosfilt(butter(2, 900, "lowpass", fs=SR, output="sos"), saw(55.0, t))
    chords = sum(0.05 * np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 440.0))
    lead = 0.06 * saw(659.3, t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))
    lead = sosfilt(butter(2, 5000, "lowpass", fs=SR, output="sos"), lead)
    hats = 0.08 * shaped_noise(t, 1, 5000, 15000) * np.exp(-(t % 0.25) * 30)
    snare = 0.15 * shaped_noise(t, 2, 200, 6000) * np.exp(-((t + 0.5) % 1.0) * 20)
    air = 0.02 * shaped_noise(t, 3, 2000, 12000)
    centre = 0.45 * kick(t) + bass + snare
    return _stereo(centre + chords * 0.9 + lead + hats * 0.7 + air,
                   centre + chords * 1.1 + lead * 0.8 + hats + np.roll(air, 331))


def sine_sub(seconds: float = 8.0) -> np.ndarray:
    """A mix whose bass is a pure 50 Hz sine (nothing of it reaches a phone) over thin mids."""
    t = _time(seconds)
    bass = 0.5 * np.sin(2 * np.pi * 50.0 * t)
    mids = 0.03 * np.sin(2 * np.pi * 1234.5 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.3 * t))
    hats = 0.02 * shaped_noise(t, 4, 6000, 12000) * np.exp(-(t % 0.25) * 30)
    return _stereo(bass + mids + hats, bass + mids * 0.9 + hats)


def quiet(seconds: float = 8.0) -> np.ndarray:
    """The balanced mix at about -38 LUFS."""
    return balanced(seconds) * 0.02


def loud(seconds: float = 8.0) -> np.ndarray:
    """The balanced mix driven into a soft clipper: about -7 LUFS, already squashed."""
    return np.tanh(balanced(seconds) * 6.0) * 0.98


def bass_heavy(seconds: float = 8.0) -> np.ndarray:
    """Sub and kick far above everything else."""
    t = _time(seconds)
    sub = 0.5 * np.sin(2 * np.pi * 45.0 * t) * (0.7 + 0.3 * np.sin(2 * np.pi * 0.25 * t))
    return balanced(seconds) * 0.3 + _stereo(sub + 0.6 * kick(t), sub + 0.6 * kick(t))


def transient(seconds: float = 8.0) -> np.ndarray:
    """Drums with a faint pad: short kicks, snares and hats (a crest factor of about 20 dB)."""
    t = _time(seconds)
    kicks = 0.5 * kick(t) * np.exp(-(t % 0.5) * 10)
    snare = 0.12 * shaped_noise(t, 5, 300, 8000) * np.exp(-((t + 0.5) % 1.0) * 30)
    hats = 0.05 * shaped_noise(t, 7, 6000, 16000) * np.exp(-(t % 0.125) * 60)
    pad = 0.02 * sum(np.sin(2 * np.pi * f * t) for f in (196.0, 246.9, 293.7))
    return _stereo(kicks + snare + hats + pad, kicks + snare * 0.9 + np.roll(hats, 240) + pad)


def loudness_steps(seconds: float = 24.0) -> np.ndarray:
    """Pink-ish noise whose level drops by 20 dB for the middle third (a wide loudness range)."""
    t = _time(seconds)
    noise = shaped_noise(t, 6, 40, 12000) * 0.3
    gain = np.where((t > seconds / 3) & (t < 2 * seconds / 3), 0.1, 1.0)
    return _stereo(noise * gain, np.roll(noise, 17) * gain)


MIXES = {"quiet": quiet, "loud": loud, "bass_heavy": bass_heavy, "transient": transient}
"""The mixes every preset is tested on."""


def mix(name: str, seconds: float = 8.0) -> np.ndarray:
    """One of `MIXES` by name."""
    return MIXES[name](seconds)
