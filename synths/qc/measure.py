"""The measurements of a QC report, each a small function of a (frames, channels) float array.

- Integrated loudness: ITU-R BS.1770-4, K-weighted and gated block for block as `pyloudnorm`
  gates it (equal to `pyloudnorm` within 1e-9 LU; the tests compare), about twice as fast.
- Momentary (400 ms) and short-term (3 s) loudness every 100 ms, from the same K-weighting
  (`synths.loudness.k_weighting`).
- Loudness range (LRA) per EBU Tech 3342: the short-term values (3 s windows, 10 per second),
  gated at -70 LUFS and then 20 LU below their power mean; LRA = 95th - 10th percentile.
- True peak: 4x oversampling with `scipy.signal.resample_poly`'s interpolator (a 81-tap
  Kaiser-windowed sinc per BS.1770-4 Annex 2's method), each of its four phases a 21-tap
  `np.convolve` (the same samples as `resample_poly` within float rounding, 2.5x faster), in
  chunks so long files need little memory.
- Clipping, DC offset, stereo correlation (and over time), loss when folded to mono, spectrum
  (Welch) and octave-band levels, silence at head and tail.

No pyo here.

>>> import numpy as np
>>> sr = 48000; t = np.arange(sr * 5) / sr
>>> tone = np.stack([np.sin(2 * np.pi * 997 * t) * 0.1] * 2, axis=1)
>>> round(integrated_lufs(tone, sr), 1), round(true_peak_db(tone, sr), 1)
(-20.0, -20.0)
>>> round(correlation(tone), 3), round(mono_loss_db(tone, sr), 2)
(1.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from synths.denormals import flushed
from synths.errors import QCError
from synths.loudness import k_weighting
from synths.qc.curves import BAND_CENTRES

__all__ = [
    "SILENT_DB", "CLIP_LEVEL", "HOP", "LoudnessSeries", "integrated_lufs", "loudness_series",
    "loudness_range", "true_peak_db", "sample_peak_db", "clipped_samples", "dc_offset",
    "correlation", "correlation_series", "mono_loss_db", "low_band_correlation", "spectrum",
    "band_levels", "silence", "to_db", "mono_fold", "interpolation_gain", "true_peaks_within", "peaks_off_by",
    "k_weighted", "gated_lufs", "peak",
]

SILENT_DB = -60.0
"""A sample quieter than this (dBFS) counts as silence at the head and tail."""

CLIP_LEVEL = 0.9999
"""|sample| at or above this (about -0.001 dBFS) is at full scale."""

CLIP_RUN = 3
"""Consecutive full-scale samples that make a clip (a single one is a peak)."""

HOP = 0.1
"""Seconds between two momentary / short-term loudness values."""

_FLOOR_LUFS = -120.0

_CHUNK = 1 << 16
"""Frames `integrated_lufs` K-weights at a time."""


def to_db(power_or_amp: float, *, power: bool = False) -> float:
    """Amplitude (or power) to dB; -inf for 0.

    >>> to_db(0.1), to_db(0.01, power=True)
    (-20.0, -20.0)
    """
    if power_or_amp <= 0:
        return -math.inf
    return (10.0 if power else 20.0) * math.log10(power_or_amp)


def _check(data: np.ndarray, sr: int, seconds: float = 0.4, *, float64: bool = True) -> np.ndarray:
    audio = np.asarray(data, dtype=np.float64) if float64 else np.asarray(data)
    if audio.ndim == 1:
        audio = audio[:, None]
    if audio.shape[0] < int(seconds * sr):
        raise QCError(f"the audio is {audio.shape[0] / sr:.2f} s long: QC needs at least {seconds} s")
    return audio


def integrated_lufs(data: np.ndarray, sr: int) -> float:
    """BS.1770-4 integrated loudness (LUFS), as `pyloudnorm` measures it; -inf for silence.

    >>> import pyloudnorm
    >>> noise = np.random.default_rng(2).standard_normal((48000 * 3, 2)) * 0.1
    >>> bool(abs(integrated_lufs(noise, 48000) - pyloudnorm.Meter(48000).integrated_loudness(noise)) < 1e-9)
    True
    """
    audio = _check(data, sr, float64=False)
    bounds, starts, ends = _gate_bounds(audio.shape[0], sr)
    pieces = np.zeros((audio.shape[1], bounds.size))
    # chunk by chunk (the filter's state carried: the same samples as one pass): no whole
    # K-weighted copy of the file, whose fresh pages cost this machine more than the filter
    sections = _sections(sr)
    state = np.zeros((sections.shape[0], audio.shape[1], 2))
    for begin in range(0, audio.shape[0], _CHUNK):
        end = min(begin + _CHUNK, audio.shape[0])
        block = np.ascontiguousarray(audio[begin:end].T, dtype=np.float64)
        weighted, state = _sosfilt(sections, block, axis=1, zi=state)
        first = int(np.searchsorted(bounds, begin, side="right")) - 1     # the piece holding `begin`
        inside = bounds[(bounds > begin) & (bounds < end)] - begin
        pieces[:, first:first + inside.size + 1] += np.add.reduceat(weighted ** 2, np.concatenate([[0], inside]), axis=1)
    return _gate(pieces, bounds, starts, ends, audio.shape[0], sr)


class LoudnessSeries:
    """Momentary and short-term loudness every `HOP` s (LUFS; -inf where silent).

    `times[i]` is the end of the window of `momentary[i]` and `short_term[i]`.
    """

    def __init__(self, times: np.ndarray, momentary: np.ndarray, short_term: np.ndarray,
                 full_short_term: np.ndarray) -> None:
        self.times = times
        self.momentary = momentary
        self.short_term = short_term
        self.full_short_term = full_short_term
        """Short-term values of complete 3 s windows only (what LRA uses)."""

    @property
    def short_term_max(self) -> float:
        """The loudest short-term value (LUFS)."""
        values = self.short_term[np.isfinite(self.short_term)]
        return float(values.max()) if values.size else -math.inf

    @property
    def momentary_max(self) -> float:
        """The loudest momentary value (LUFS)."""
        values = self.momentary[np.isfinite(self.momentary)]
        return float(values.max()) if values.size else -math.inf


def k_weighted(data: np.ndarray, sr: int) -> np.ndarray:
    """The K-weighted signal (channels, frames) that every loudness measure here starts from:
    a QC filters a file once (`loudness_series`, `gated_lufs`, the mono fold). Both stages run
    as one second-order-section filter over contiguous channels (a quarter of the CPU of
    filtering the strided channels stage by stage; the same values within 1e-13)."""
    return np.asarray(_sosfilt(_sections(sr), np.ascontiguousarray(_check(data, sr).T), axis=1))


def _sosfilt(sections: np.ndarray, data: np.ndarray, **options: Any) -> Any:
    """`scipy.signal.sosfilt` with denormals flushed: a filter's state decaying through silence
    reaches numbers under 1e-308 within a second, which x86 computes ~30x slower (a mix with a
    20 s silent tail took 1.8 s to measure), and which no sum of squares can tell from 0."""
    from scipy.signal import sosfilt  # noqa: PLC0415

    with flushed():
        return sosfilt(sections, data, **options)


def _sections(sr: int) -> np.ndarray:
    """Both K-weighting stages as second-order sections."""
    return np.array([np.concatenate([b, a]) for b, a in k_weighting(sr)])


def gated_lufs(weighted: np.ndarray, sr: int) -> float:
    """BS.1770-4 integrated loudness of a K-weighted signal (channels, frames), block for block
    as `pyloudnorm` gates it (400 ms blocks every 100 ms, the last one may be partial; gates at
    -70 LUFS and 10 LU under the gated mean): `integrated_lufs` without filtering again.

    >>> sr = 48000; noise = np.random.default_rng(1).standard_normal((sr * 3 + 3000, 2)) * 0.05
    >>> abs(gated_lufs(k_weighted(noise, sr), sr) - integrated_lufs(noise, sr)) < 1e-9
    True
    """
    bounds, starts, ends = _gate_bounds(weighted.shape[1], sr)
    pieces = np.add.reduceat(weighted ** 2, bounds, axis=1)            # between two bounds
    return _gate(pieces, bounds, starts, ends, weighted.shape[1], sr)


def _gate_bounds(frames: int, sr: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pyloudnorm's 400 ms blocks every 100 ms (the last may be partial): (the sorted starts and
    ends of every block, where a piece between two of them begins; the blocks' starts; ends)."""
    count = int(np.round((frames / sr - 0.4) / 0.1)) + 1
    starts = np.array([int(0.4 * (j * 0.25) * sr) for j in range(count)])
    ends = np.minimum(np.array([int(0.4 * (j * 0.25 + 1) * sr) for j in range(count)]), frames)
    bounds = np.unique(np.concatenate([starts, ends, [frames]]))
    return bounds[bounds < frames], starts, ends


def _gate(pieces: np.ndarray, bounds: np.ndarray, starts: np.ndarray, ends: np.ndarray, frames: int,
          sr: int) -> float:
    """The gated loudness from the sums of squares (channels, pieces) between the bounds."""
    size = 0.4 * sr
    cumulative = np.concatenate([np.zeros((pieces.shape[0], 1)), np.cumsum(pieces, axis=1)], axis=1)
    at = np.append(bounds, frames)                                       # bound -> its index
    blocks = (cumulative[:, np.searchsorted(at, ends)] - cumulative[:, np.searchsorted(at, starts)]) / size
    total = blocks.sum(axis=0)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(total)
    above = levels >= -70.0
    if not np.any(above):
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(np.sum(blocks[:, above].mean(axis=1)))) - 10.0
    kept = (levels > relative) & (levels > -70.0)
    if not np.any(kept):
        return -math.inf
    value = -0.691 + 10.0 * math.log10(float(np.sum(blocks[:, kept].mean(axis=1))))
    return value if math.isfinite(value) and value > _FLOOR_LUFS else -math.inf


def _hop_powers(weighted: np.ndarray, sr: int) -> np.ndarray:
    hop = int(round(HOP * sr))
    count = weighted.shape[1] // hop
    power = np.sum(weighted[:, :count * hop] ** 2, axis=0)
    return power.reshape(count, hop).mean(axis=1)


def _lufs(mean_square: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        values = -0.691 + 10.0 * np.log10(mean_square)
    values[~(values > _FLOOR_LUFS)] = -np.inf
    return values


def loudness_series(data: np.ndarray, sr: int, *, weighted: np.ndarray | None = None) -> LoudnessSeries:
    """Momentary (400 ms) and short-term (3 s) loudness every 100 ms (`weighted`: `data`
    K-weighted already, `k_weighted`).

    >>> sr = 8000; noise = np.random.default_rng(1).standard_normal((sr * 4, 2)) * 0.05
    >>> series = loudness_series(noise, sr)
    >>> len(series.times), len(series.full_short_term)
    (37, 11)
    """
    hops = _hop_powers(k_weighted(data, sr) if weighted is None else weighted, sr)
    cumulative = np.concatenate([[0.0], np.cumsum(hops)])
    index = np.arange(4, hops.size + 1)
    momentary = (cumulative[index] - cumulative[index - 4]) / 4.0
    start = np.maximum(index - 30, 0)
    short = (cumulative[index] - cumulative[start]) / (index - start)
    full = index >= 30
    return LoudnessSeries(index * HOP, _lufs(momentary), _lufs(short), _lufs(short[full]))


def loudness_range(short_term: np.ndarray) -> float:
    """EBU Tech 3342 loudness range (LU) from short-term values (3 s windows, >= 10 per s).

    >>> loudness_range(np.array([-20.0] * 50 + [-30.0] * 50))
    10.0
    """
    values = short_term[np.isfinite(short_term) & (short_term > -70.0)]
    if values.size < 2:
        return 0.0
    mean = 10.0 * math.log10(float(np.mean(10.0 ** (values / 10.0))))
    gated = values[values > mean - 20.0]
    if gated.size < 2:
        return 0.0
    low, high = np.percentile(gated, [10.0, 95.0])
    return float(high - low)


def true_peak_db(data: np.ndarray, sr: int, *, chunk: int = 1 << 18) -> float:
    """True peak (dBTP): the largest |sample| of the 4x oversampled signal, all channels."""
    return max(true_peaks_db(data, sr, chunk=chunk))


def true_peaks_db(data: np.ndarray, sr: int, *, chunk: int = 1 << 20) -> list[float]:
    """True peak (dBTP) per channel: the largest |sample| of `resample_poly(data, 4, 1)`,
    computed phase by phase (output 4n + p is tap phase p convolved with the input around n).

    >>> from scipy.signal import resample_poly
    >>> x = np.random.default_rng(3).uniform(-0.5, 0.5, (5000, 2))
    >>> reference = [to_db(float(v)) for v in np.max(np.abs(resample_poly(x, 4, 1, axis=0)), axis=0)]
    >>> max(abs(a - b) for a, b in zip(true_peaks_db(x, 48000, chunk=1234), reference)) < 1e-9
    True
    """
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    frames = audio.shape[0]
    phases = _phases()
    half = _HALF_PHASE
    peaks = np.zeros(audio.shape[1])
    for channel in range(audio.shape[1]):
        signal = np.ascontiguousarray(audio[:, channel])
        for begin in range(0, frames, chunk):
            end = min(begin + chunk, frames)
            lo = max(begin - 2 * half, 0)
            segment = signal[lo:min(end + 2 * half, frames)]
            first = begin + half - lo                       # output n sits at n + half - lo
            for taps in phases:
                over = np.convolve(segment, taps)[first:first + end - begin]
                peaks[channel] = max(peaks[channel], float(np.max(np.abs(over))))
    return [to_db(float(p)) for p in peaks]


_HALF_PHASE = 10
"""`resample_poly`'s filter delay (40 taps at 4x) in input samples."""


def _phases() -> list[np.ndarray]:
    """`resample_poly(x, 4, 1)`'s interpolator (81 taps, Kaiser beta 5, gain 4), as its four
    polyphase branches."""
    from scipy.signal import firwin  # noqa: PLC0415

    taps = firwin(81, 1.0 / 4.0, window=("kaiser", 5.0)) * 4.0
    return [taps[phase::4] for phase in range(4)]


def interpolation_gain() -> float:
    """The most the 4x oversampling of `true_peaks_db` can amplify any signal: the largest sum
    of |taps| of one of its four polyphase branches (scipy's `resample_poly` filter: 81 taps,
    Kaiser beta 5, gain 4). A change of at most `e` per sample moves a true peak by at most
    `interpolation_gain() * e`.

    >>> round(interpolation_gain(), 2)
    2.24
    """
    from scipy.signal import firwin  # noqa: PLC0415

    taps = firwin(81, 1.0 / 4.0, window=("kaiser", 5.0)) * 4.0
    return float(max(np.sum(np.abs(taps[phase::4])) for phase in range(4)))


def true_peaks_within(data: np.ndarray, measured: np.ndarray, peaks: list[float]) -> list[float] | None:
    """The true peaks of `data` (dBTP per channel) from `peaks`, measured on `measured`, when the
    two differ by so little that the peaks cannot move by more than 0.001 dB (a 24-bit or float
    file of a mastered mix; the bound `interpolation_gain() * max |difference|` is added), else
    None (measure `data` itself: a 16-bit or lossy file).

    >>> x = np.random.default_rng(1).uniform(-0.5, 0.5, (4800, 2))
    >>> [round(p, 5) for p in true_peaks_within(x + 1e-6, x, [-3.0, -3.1])]
    [-2.99997, -3.09997]
    >>> true_peaks_within(x + 1e-3, x, [-3.0, -3.1]) is None
    True
    """
    audio = np.asarray(data, dtype=np.float64)
    reference = np.asarray(measured, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    if reference.ndim == 1:
        reference = reference[:, None]
    if audio.shape != reference.shape or len(peaks) != audio.shape[1] or not audio.size:
        return None
    return peaks_off_by(peaks, float(np.max(np.abs(audio - reference))))


def peaks_off_by(peaks: Sequence[float], difference: float) -> list[float] | None:
    """`peaks` (dBTP per channel), measured on samples that differ from another file's by at
    most `difference` each: the other file's true peaks are at most the peaks raised by
    `interpolation_gain() * difference`; those bounds when that moves none by more than 0.001 dB,
    else None (measure the file itself).

    >>> [round(p, 5) for p in peaks_off_by([-3.0, -3.1], 1e-6)]
    [-2.99997, -3.09997]
    >>> peaks_off_by([-3.0], 1e-3) is None
    True
    """
    error = interpolation_gain() * difference
    found: list[float] = []
    for peak in peaks:
        level = 10.0 ** (peak / 20.0)
        bound = to_db(level + error)
        if not math.isfinite(peak) or bound - peak > 0.001:
            return None
        found.append(bound)
    return found


def sample_peak_db(data: np.ndarray) -> float:
    """The largest |sample| in dBFS.

    >>> sample_peak_db(np.array([[0.5, -0.25]]))
    -6.020599913279624
    """
    return to_db(peak(data)) if np.size(data) else -math.inf


def peak(data: np.ndarray) -> float:
    """The largest |sample|, 0.0 for no samples (from the max and the min: no |data| copy).

    >>> peak(np.array([[0.5, -0.75]])), peak(np.zeros((0, 2)))
    (0.75, 0.0)
    """
    return max(float(np.max(data)), -float(np.min(data))) if np.size(data) else 0.0


def clipped_samples(data: np.ndarray) -> int:
    """Samples above full scale, or in runs of `CLIP_RUN`+ at full scale (flattened tops).

    >>> clipped_samples(np.array([[0.2], [1.0], [1.0], [1.0], [0.3], [1.0], [1.2]]))
    4
    """
    if peak(data) < CLIP_LEVEL:
        return 0                                    # nothing at full scale: most files
    audio = np.abs(np.asarray(data, dtype=np.float64))
    if audio.ndim == 1:
        audio = audio[:, None]
    total = int(np.count_nonzero(audio > 1.0))
    full = audio >= CLIP_LEVEL
    for channel in range(audio.shape[1]):
        column = np.concatenate([[False], full[:, channel], [False]]).astype(np.int8)
        edges = np.flatnonzero(np.diff(column))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if stop - start >= CLIP_RUN:
                total += int(np.count_nonzero(audio[start:stop, channel] <= 1.0))
    return total


def dc_offset(data: np.ndarray) -> list[float]:
    """The mean of each channel (full scale = 1).

    >>> dc_offset(np.array([[0.1, 0.0], [0.3, 0.0]]))
    [0.2, 0.0]
    """
    audio = np.asarray(data)
    if audio.ndim == 1:
        audio = audio[:, None]
    # channel by channel: numpy's mean along axis 0 of (frames, 2) is ten times slower
    return [round(float(np.mean(audio[:, c], dtype=np.float64)), 12) for c in range(audio.shape[1])]


def correlation(data: np.ndarray) -> float:
    """Stereo correlation: sum(L R) / sqrt(sum L^2 sum R^2), +1 mono ... -1 opposite phase.

    Mono files and silence give 1.0.
    """
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1 or audio.shape[1] < 2:
        return 1.0
    left, right = audio[:, 0], audio[:, 1]
    # einsum, not np.dot: BLAS splits a long dot product over threads that then spin for a
    # while, CPU taken from the other worker of a package (~0.1 s per call on this machine)
    norm = math.sqrt(float(np.einsum("i,i->", left, left)) * float(np.einsum("i,i->", right, right)))
    return float(np.einsum("i,i->", left, right)) / norm if norm > 0 else 1.0


def correlation_series(data: np.ndarray, sr: int, window: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    """(times, correlation) every `HOP` s over `window`-second windows; NaN where silent."""
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1 or audio.shape[1] < 2:
        audio = np.repeat(audio.reshape(audio.shape[0], -1)[:, :1], 2, axis=1)
    hop = int(round(HOP * sr))
    count = audio.shape[0] // hop
    left, right = audio[:count * hop, 0], audio[:count * hop, 1]
    sums = [np.concatenate([[0.0], np.cumsum((x * y).reshape(count, hop).sum(axis=1))])
            for x, y in ((left, right), (left, left), (right, right))]
    span = max(1, int(round(window / HOP)))
    index = np.arange(span, count + 1)
    lr, ll, rr = (s[index] - s[index - span] for s in sums)
    norm = np.sqrt(ll * rr)
    quiet = norm <= (10.0 ** (SILENT_DB / 10.0)) * hop * span
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(quiet, np.nan, lr / np.where(norm > 0, norm, 1.0))
    return index * HOP, values


def mono_fold(data: np.ndarray) -> np.ndarray:
    """The mono fold (L + R) / 2 on both channels."""
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1 or audio.shape[1] < 2:
        return audio
    mid = audio.mean(axis=1, keepdims=True)
    return np.repeat(mid, audio.shape[1], axis=1)


def mono_loss_db(data: np.ndarray, sr: int, *, weighted: np.ndarray | None = None) -> float:
    """Integrated loudness lost when folded to mono (LU; 0 mono, ~3 uncorrelated, large for
    opposite phase; capped at 60). The K-weighting is linear, so the fold of the weighted
    channels is the weighted fold (`weighted`: `data` K-weighted already)."""
    signal = k_weighted(data, sr) if weighted is None else weighted
    stereo = gated_lufs(signal, sr)
    if not math.isfinite(stereo):
        return 0.0
    folded = np.repeat(signal.mean(axis=0, keepdims=True), signal.shape[0], axis=0)
    mono = gated_lufs(folded, sr)
    return min(60.0, stereo - mono) if math.isfinite(mono) else 60.0


def low_band_correlation(data: np.ndarray, sr: int, cutoff: float = 120.0) -> float:
    """Stereo correlation below `cutoff` Hz (mono bass gives 1.0)."""
    from scipy.signal import butter  # noqa: PLC0415

    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1 or audio.shape[1] < 2:
        return 1.0
    sos = butter(4, cutoff, btype="lowpass", fs=sr, output="sos")
    return correlation(_sosfilt(sos, audio, axis=0))


def spectrum(data: np.ndarray, sr: int, resolution: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """Long-term average power spectrum (Welch, Hann, `resolution`-point segments), averaged
    over channels: (freqs in Hz, power per Hz). No samples: one silent bin at 0 Hz.

    >>> t = np.arange(48000) / 48000
    >>> freqs, psd = spectrum(np.sin(2 * np.pi * 1000 * t), 48000, resolution=4800)
    >>> float(freqs[np.argmax(psd)])
    1000.0
    """
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    if audio.shape[0] == 0:
        return np.zeros(1), np.zeros(1)
    size = min(resolution, audio.shape[0])
    # channels as contiguous rows; the mean taken out once, not from every segment (`detrend`),
    # which moves only the bins under ~3 Hz (every reader looks from 20 Hz up)
    rows = np.array(audio.T, order="C")
    rows -= rows.mean(axis=1, keepdims=True)
    return welch(rows, sr, size)


def welch(rows: np.ndarray, sr: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Welch's power spectral density of each row of `rows`, averaged over the rows: (freqs in
    Hz, power per Hz). The values of `scipy.signal.welch(rows, sr, nperseg=size,
    detrend=False, scaling="density")` averaged over axis 0 (periodic Hann window, segments
    overlapping by half, one-sided) within float64 rounding, from numpy's FFT one segment at a
    time on views of the rows: 0.05 s for 36 s of stereo in 32768-point segments, where scipy's
    copies and checks took 0.28 s.

    >>> freqs, psd = welch(np.ones((1, 8)), 8, 4)
    >>> freqs.tolist(), psd.tolist()
    ([0.0, 2.0, 4.0], [0.3333333333333333, 0.16666666666666666, 0.0])
    """
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(size) / size) if size > 1 else np.ones(size)  # as scipy's
    step = size - size // 2
    count = (rows.shape[1] - size) // step + 1
    power = np.zeros(size // 2 + 1)
    for row in rows:
        for start in range(0, count * step, step):
            spectrum_ = np.fft.rfft(row[start:start + size] * window)
            power += spectrum_.real ** 2 + spectrum_.imag ** 2
    power *= 1.0 / (sr * float(np.sum(window * window)) * count * rows.shape[0])
    power[1:size // 2 + (size % 2)] *= 2.0         # one-sided: every bin but 0 Hz and Nyquist twice
    return np.fft.rfftfreq(size, 1.0 / sr), power


def band_levels(freqs: np.ndarray, psd: np.ndarray) -> list[float | None]:
    """Each octave band's share of the total power (dB); None above Nyquist or when silent."""
    df = float(freqs[1] - freqs[0]) if freqs.size > 1 else 1.0
    powers: list[float | None] = []
    for centre in BAND_CENTRES:
        low, high = centre / math.sqrt(2.0), centre * math.sqrt(2.0)
        if low >= freqs[-1]:
            powers.append(None)
            continue
        inside = (freqs >= low) & (freqs < high)
        powers.append(float(np.sum(psd[inside]) * df))
    total = sum(p for p in powers if p is not None)
    if total <= 0:
        return [None] * len(powers)
    return [None if p is None else max(-120.0, to_db(p / total, power=True)) for p in powers]


def silence(data: np.ndarray, sr: int, threshold_db: float = SILENT_DB) -> tuple[float, float]:
    """Seconds of silence (every channel under `threshold_db`) at the head and at the tail.

    >>> x = np.zeros((10, 1)); x[3] = 0.5; x[5] = 0.5
    >>> silence(x, 10)
    (0.3, 0.4)
    """
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    # the loud samples' frames from the flat array (a max over each 2-sample row is 10x slower)
    loud = np.flatnonzero(np.abs(audio.ravel()) >= 10.0 ** (threshold_db / 20.0)) // audio.shape[1]
    if loud.size == 0:
        return audio.shape[0] / sr, audio.shape[0] / sr
    return float(loud[0]) / sr, float(audio.shape[0] - 1 - loud[-1]) / sr
