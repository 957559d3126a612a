"""Loudness (ITU-R BS.1770-4 / EBU R128) from blocks of audio: momentary, short-term, integrated.

K-weighting is a high shelf (+4 dB at 1.5 kHz, Q 1/sqrt 2) then a high pass (38 Hz, Q 0.5),
designed for any sample rate with the bilinear transform. Mean squares are accumulated per
100 ms hop; a gating block is four hops (400 ms, 75 % overlap). Integrated loudness gates blocks
at -70 LUFS, then at 10 LU below the mean of the remaining blocks. Short-term is the mean of the
last 3 s, momentary of the last 400 ms. All work happens in numpy, off the audio callback.

>>> import numpy as np
>>> sr = 48000; t = np.arange(sr * 4) / sr
>>> tone = np.stack([np.sin(2 * np.pi * 1000 * t) * 0.1] * 2, axis=1)
>>> round(integrated_loudness(tone, sr), 1)    # a -20 dBFS 1 kHz sine in stereo: about -20 LUFS
-20.0
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from synths.errors import ParamError

__all__ = [
    "k_weighting", "k_impulse_response", "LoudnessMeter", "integrated_loudness", "SILENCE_LUFS",
]

SILENCE_LUFS = -120.0
"""Value reported when there is no (gated) signal."""

_HOP_SECONDS = 0.1
_BLOCK_HOPS = 4
_SHORT_HOPS = 30
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0


def _biquad(
    kind: str, sr: float, fc: float, q: float, gain_db: float
) -> tuple[np.ndarray, np.ndarray]:
    a_gain = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * fc / sr
    alpha = math.sin(w0) / (2.0 * q)
    cos_w = math.cos(w0)
    if kind == "high_shelf":
        root = 2.0 * math.sqrt(a_gain) * alpha
        b = [a_gain * ((a_gain + 1) + (a_gain - 1) * cos_w + root),
             -2 * a_gain * ((a_gain - 1) + (a_gain + 1) * cos_w),
             a_gain * ((a_gain + 1) + (a_gain - 1) * cos_w - root)]
        a = [(a_gain + 1) - (a_gain - 1) * cos_w + root,
             2 * ((a_gain - 1) - (a_gain + 1) * cos_w),
             (a_gain + 1) - (a_gain - 1) * cos_w - root]
    else:
        b = [(1 + cos_w) / 2, -(1 + cos_w), (1 + cos_w) / 2]
        a = [1 + alpha, -2 * cos_w, 1 - alpha]
    return np.array(b) / a[0], np.array(a) / a[0]


def k_weighting(sr: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two K-weighting stages as (b, a) coefficient pairs for sample rate `sr`.

    >>> len(k_weighting(48000))
    2
    """
    return [
        _biquad("high_shelf", sr, 1500.0, 1.0 / math.sqrt(2.0), 4.0),
        _biquad("high_pass", sr, 38.0, 0.5, 0.0),
    ]


def _to_lufs(mean_square: float) -> float:
    return -0.691 + 10.0 * math.log10(mean_square) if mean_square > 0 else SILENCE_LUFS


class LoudnessMeter:
    """Streaming BS.1770 meter: `feed(block)` with (frames, channels) float arrays.

    >>> meter = LoudnessMeter(48000, channels=2)
    >>> meter.integrated
    -120.0
    """

    def __init__(self, sr: float, channels: int = 2) -> None:
        self.sr = float(sr)
        self.channels = channels
        self._stages = k_weighting(sr)
        self._state = [np.zeros((channels, 2)) for _ in self._stages]
        self._hop = int(round(_HOP_SECONDS * sr))
        self._partial = 0.0
        self._partial_frames = 0
        self._hops: deque[float] = deque(maxlen=_SHORT_HOPS)
        self._blocks: list[float] = []

    def reset(self) -> None:
        """Forget everything measured so far (integrated loudness restarts)."""
        self.__init__(self.sr, self.channels)  # type: ignore[misc]

    def feed(self, block: np.ndarray) -> None:
        """Add audio: shape (frames, channels), in full-scale floats."""
        data = np.asarray(block, dtype=np.float64)
        if data.ndim == 1:
            data = data[:, None]
        if data.shape[1] != self.channels:
            raise ParamError(
                f"LoudnessMeter.feed: expected {self.channels} channels, got {data.shape[1]}"
            )
        from scipy.signal import lfilter  # noqa: PLC0415 - scipy.signal takes ~1 s to import

        weighted = data.T
        for i, (b, a) in enumerate(self._stages):
            weighted, self._state[i] = lfilter(b, a, weighted, axis=1, zi=self._state[i])
        power = np.sum(weighted**2, axis=0)
        start = 0
        while start < power.size:
            take = min(self._hop - self._partial_frames, power.size - start)
            self._partial += float(np.sum(power[start:start + take]))
            self._partial_frames += take
            start += take
            if self._partial_frames == self._hop:
                self._close_hop()

    def _close_hop(self) -> None:
        self._hops.append(self._partial / self._hop)
        self._partial = 0.0
        self._partial_frames = 0
        if len(self._hops) >= _BLOCK_HOPS:
            recent = list(self._hops)[-_BLOCK_HOPS:]
            self._blocks.append(sum(recent) / _BLOCK_HOPS)

    @property
    def momentary(self) -> float:
        """Loudness of the last 400 ms (LUFS)."""
        if len(self._hops) < _BLOCK_HOPS:
            return SILENCE_LUFS
        return _to_lufs(sum(list(self._hops)[-_BLOCK_HOPS:]) / _BLOCK_HOPS)

    @property
    def short_term(self) -> float:
        """Loudness of the last 3 s (LUFS; fewer seconds at the start)."""
        if len(self._hops) < _BLOCK_HOPS:
            return SILENCE_LUFS
        return _to_lufs(sum(self._hops) / len(self._hops))

    @property
    def integrated(self) -> float:
        """Gated loudness of everything fed so far (LUFS)."""
        return _gated(np.asarray(self._blocks))


def _gated(blocks: np.ndarray) -> float:
    if blocks.size == 0:
        return SILENCE_LUFS
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(blocks)
    kept = blocks[levels > _ABSOLUTE_GATE]
    if kept.size == 0:
        return SILENCE_LUFS
    relative = _to_lufs(float(np.mean(kept))) + _RELATIVE_GATE
    with np.errstate(divide="ignore"):
        final = kept[-0.691 + 10.0 * np.log10(kept) > relative]
    return _to_lufs(float(np.mean(final))) if final.size else SILENCE_LUFS


def integrated_loudness(audio: np.ndarray, sr: float) -> float:
    """Integrated loudness (LUFS) of a whole (frames, channels) array.

    The K-weighting runs as an FFT convolution with the filters' impulse response (no scipy:
    importing `scipy.signal` alone takes ~1 s, more than measuring a minute of audio); the
    gating is the streaming meter's (400 ms blocks every 100 ms).

    >>> integrated_loudness(np.zeros((48000, 2)), 48000)
    -120.0
    """
    data = np.asarray(audio, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    hop = int(round(_HOP_SECONDS * sr))
    hops = data.shape[0] // hop
    if hops < _BLOCK_HOPS:
        return SILENCE_LUFS
    power = np.zeros(hops * hop)
    response = k_impulse_response(sr)
    for channel in range(data.shape[1]):
        weighted = _convolve(data[: hops * hop, channel], response)
        power += weighted * weighted
    per_hop = power.reshape(hops, hop).mean(axis=1)
    blocks = np.convolve(per_hop, np.full(_BLOCK_HOPS, 1.0 / _BLOCK_HOPS), mode="valid")
    return _gated(blocks)


def k_impulse_response(sr: float, seconds: float = 0.5) -> np.ndarray:
    """The K-weighting filters' impulse response, `seconds` long (its tail is below 1e-30 by
    then: the 38 Hz high-pass decays as exp(-2 pi 38 t)).

    >>> bool(k_impulse_response(48000)[0] > 1.0)    # the +4 dB shelf passes the impulse boosted
    True
    """
    length = int(seconds * sr)
    signal = np.zeros(length)
    signal[0] = 1.0
    for b, a in k_weighting(sr):
        signal = _biquad_run(signal, b, a)
    return signal


def _biquad_run(x: np.ndarray, b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Direct-form I biquad over `x` (a plain loop: used on one short impulse response)."""
    b0, b1, b2 = (float(v) for v in b)
    a1, a2 = float(a[1]), float(a[2])
    out = np.empty_like(x)
    x1 = x2 = y1 = y2 = 0.0
    for i, x0 in enumerate(x.tolist()):
        y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        out[i] = y0
        x2, x1, y2, y1 = x1, x0, y1, y0
    return out


def _convolve(x: np.ndarray, h: np.ndarray, chunk: int = 1 << 17) -> np.ndarray:
    """`x` filtered by the FIR `h` (same length as `x`), by FFT overlap-add in chunks."""
    size = 1 << int(math.ceil(math.log2(chunk + h.size - 1)))
    step = size - h.size + 1                  # the most input one FFT of `size` takes whole
    spectrum = np.fft.rfft(h, size)
    out = np.zeros(x.size + size)
    for start in range(0, x.size, step):
        piece = np.fft.irfft(np.fft.rfft(x[start:start + step], size) * spectrum, size)
        out[start:start + size] += piece
    return out[: x.size]
