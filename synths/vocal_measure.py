"""Measures for vocals (numpy only, no pyo): frame-wise pitch (YIN), cents, formant peaks.

Used by the tests, `benchmarks/bench_vocals.py` and the docs' figures.

>>> sr = 48000
>>> t = np.arange(sr // 2) / sr
>>> round(float(np.median(track_pitch(np.sin(2 * np.pi * 220.0 * t), sr))), 1)
220.0
>>> cents(np.array([440.0 * 2 ** (10 / 1200)]), 440.0).round(3).tolist()
[10.0]
"""

from __future__ import annotations

import numpy as np

__all__ = ["track_pitch", "cents", "formant_peaks"]


def track_pitch(x: np.ndarray, sr: int, *, lo: float = 100.0, hi: float = 1000.0,
                window: int = 2048, hop: int = 256, threshold: float = 0.15) -> np.ndarray:
    """The pitch in Hz of each `hop`-spaced frame of `x` (YIN: cumulative-mean-normalised
    difference, first dip under `threshold`, parabolic interpolation).

    >>> track_pitch(np.zeros(4096), 48000).size
    8
    """
    x = np.asarray(x, dtype=np.float64)
    half = window // 2
    taus = np.arange(max(2, int(sr / hi)), int(sr / lo))
    out = []
    for start in range(0, len(x) - window, hop):
        frame = x[start:start + window] - x[start:start + window].mean()
        diff = np.array([np.sum((frame[:half] - frame[tau:tau + half]) ** 2) for tau in taus])
        norm = diff * np.arange(1, len(diff) + 1) / np.maximum(np.cumsum(diff), 1e-20)
        below = norm < threshold
        i = int(np.argmax(below)) if below.any() else int(np.argmin(norm))
        while i + 1 < len(norm) and norm[i + 1] < norm[i]:
            i += 1
        shift = 0.0
        if 0 < i < len(diff) - 1:
            a, b, c = diff[i - 1:i + 2]
            denom = a - 2 * b + c
            shift = 0.5 * (a - c) / denom if denom != 0 else 0.0
        out.append(sr / (taus[i] + shift))
    return np.array(out)


def cents(freqs: np.ndarray, target: float) -> np.ndarray:
    """Each frequency's distance from `target` in cents."""
    return 1200.0 * np.log2(np.asarray(freqs, dtype=np.float64) / target)


def formant_peaks(x: np.ndarray, f0: float, sr: int, top: float = 5000.0) -> list[float]:
    """Peaks (Hz) of the spectral envelope of a steady harmonic tone of pitch `f0`: the level of
    each harmonic (the strongest bin within 0.3 f0 of it), then every local maximum of those
    levels, placed by parabolic interpolation in dB between its neighbours.

    >>> sr = 48000; t = np.arange(sr) / sr
    >>> tone = sum(np.sin(2 * np.pi * 100 * k * t) / (1 + abs(k - 7)) for k in range(1, 40))
    >>> [round(f) for f in formant_peaks(tone, 100.0, sr)]
    [700]
    """
    x = np.asarray(x, dtype=np.float64)
    size = 1 << int(np.ceil(np.log2(len(x) * 4)))
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), size))
    hz = sr / size
    levels = []
    for k in range(1, int(top / f0)):
        centre = k * f0 / hz
        levels.append(spectrum[int(centre - 0.3 * f0 / hz):int(centre + 0.3 * f0 / hz) + 1].max())
    db = 20 * np.log10(np.array(levels) + 1e-12)
    peaks = []
    for i in range(1, len(db) - 1):
        if db[i] >= db[i - 1] and db[i] > db[i + 1]:
            a, b, c = db[i - 1:i + 2]
            peaks.append(float((i + 1 + 0.5 * (a - c) / (a - 2 * b + c)) * f0))
    return peaks
