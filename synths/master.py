"""The master bus: DC blocker -> EQ -> bus compressor -> true-peak limiter (ceiling in dBTP).

pyo has no limiter, so `TruePeakLimiter` builds a brickwall look-ahead limiter from pyo parts:

1. detector: the largest |sample| over both channels and four phases (0, 1/4, 1/2, 3/4 of a
   sample; 32-tap Kaiser-windowed sinc interpolators run with `Convolve`), an estimate of the
   4x-oversampled true peak;
2. gain wanted: `g = threshold / max(detector, threshold)` (threshold = ceiling - TP_MARGIN dB),
   worked on as the reduction `r = 1 - g` (0 when nothing is over: every delay line, the
   follower and the average start from "no reduction", so the limiter is open from the first
   sample and, under the threshold, passes its delayed input exactly);
3. `m` = maximum of `r` over the last WINDOW samples (six `Max`/`SDelay` doubling stages);
4. release: `max(m, Follower2(m))`, so the gain recovers over `release` seconds;
5. attack: the mean of that over the last WINDOW-1 samples (`Average`): at every sample the
   gain `1 - mean` is at most the gain wanted WINDOW-1 samples ago, so the signal, delayed by
   that much (plus the interpolators' latency), never exceeds the threshold and the gain never
   steps;
6. a final `Clip` at the ceiling as a sample-level backstop.

`mix` 0 makes the master neutral: the output is exactly the summed input (no latency), so stems
add up to the master.

>>> MasterBus.PARAMS["ceiling"].default
-1.0
>>> round(sum(interpolator(0.5)), 6)
1.0
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar

import numpy as np

from synths._pyo import pyo
from synths.effects.base import DC_BLOCK_HZ, Effect, EffectContext, SmoothParam, with_mix
from synths.effects.order import StreamGroup, created_since, server_of, snapshot
from synths.effects.dynamics import min_lookahead_ms
from synths.params import ParamSpec, ParamTable

__all__ = ["MasterBus", "TruePeakLimiter", "interpolator", "detector_of", "TP_MARGIN", "WINDOW", "TAPS",
           "LIMITER_LATENCY"]

TP_MARGIN = 0.3
"""dB between the limiter's threshold and the ceiling (covers the interpolators' error)."""

WINDOW = 64
"""Look-ahead and attack length of the limiter, in samples."""

TAPS = 32
"""Length of each inter-sample interpolator."""

LIMITER_LATENCY = WINDOW - 1 + TAPS // 2 - 1
"""Samples `TruePeakLimiter` delays its input: its look-ahead and its interpolators' lag."""


def interpolator(fraction: float, taps: int = TAPS) -> list[float]:
    """FIR taps estimating the signal `fraction` of a sample after tap `taps/2 - 1`.

    >>> interpolator(0.0, 8)
    [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    """
    n = np.arange(taps)
    centre = taps / 2 - 1
    if fraction == 0:
        return [float(v) for v in (n == centre)]
    h = np.sinc(n - centre - fraction) * np.kaiser(taps, 6.0)
    return [float(v) for v in h / h.sum()]


class TruePeakLimiter:
    """Brickwall true-peak limiter on a stereo signal (see the module doc for the design).

    Usage (not run as a doctest: it needs a running engine)::

        limiter = TruePeakLimiter(signal, ceiling_sig, sr=48000); limiter.out
    """

    def __init__(self, input: Any, ceiling_db: Any, *, sr: float, release: float = 0.08,
                 oversampling: int = 4, detector: Any = None) -> None:
        p = pyo()
        _check_oversampling(oversampling)
        self.latency = LIMITER_LATENCY
        self._phases: list[Any] = []
        self._maxes: list[Any] = []
        if detector is None:                      # else the caller computed it (`detector_of`)
            detector = self._detect(input, sr, oversampling)
        self._threshold = p.DBToA(ceiling_db - TP_MARGIN)
        self._wanted = self._threshold / p.Max(detector, comp=self._threshold)
        # the gain is computed as a reduction r = 1 - g: every delay line, the follower and the
        # average start at 0, which is "no reduction" (as gains they started at 0, a mute that
        # took ~50 ms to open: the first downbeat of every master came out 6-16 dB low)
        held: Any = 1.0 - self._wanted
        self._stages = []
        shift = 1
        while shift < WINDOW:
            held = p.Max(held, comp=p.SDelay(held, delay=(shift + 0.5) / sr, maxdelay=0.01))
            self._stages.append(held)
            shift *= 2
        self._recovery = p.Follower2(held, risetime=0.0001, falltime=release)
        # pyo's `Average` keeps its very first input in its running sum for good and adds only the
        # last size - 1 samples to it (tests/synths/test_mix_master.py pins this): that first
        # input is 0 here (the detector's history starts silent), so the mean of the last
        # WINDOW - 1 reductions is the sum over WINDOW times WINDOW / (WINDOW - 1)
        self._reduction = p.Average(p.Max(held, comp=self._recovery), size=WINDOW, mul=WINDOW / (WINDOW - 1))
        self._gain = 1.0 - self._reduction
        self._delayed = p.SDelay(input, delay=(self.latency + 0.5) / sr, maxdelay=0.01)
        self._ceiling = p.DBToA(ceiling_db)
        self.out = p.Clip(self._delayed * self._gain, min=-self._ceiling, max=self._ceiling)

    def _detect(self, input: Any, sr: float, oversampling: int) -> Any:
        """The detector as pyo objects: max |sample| over the channels and the phases."""
        p = pyo()
        self._tables = [p.DataTable(size=TAPS, init=interpolator(k / 4)) for k in range(4)]
        # phase 0 is a pure delay (Convolve reverses its taps: TAPS // 2 samples): an SDelay
        # gives the very same samples at a tenth of the cost
        self._phases = [p.Abs(p.SDelay(input, delay=(TAPS // 2 + 0.5) / sr, maxdelay=0.01))]
        self._phases += [p.Abs(p.Convolve(input, table, size=TAPS)) for table in self._tables[_steps(oversampling)]]
        self._streams = [p.Sig(phase[ch]) for phase in self._phases for ch in range(len(phase))]
        detector: Any = self._streams[0]
        for stream in self._streams[1:]:
            detector = p.Max(detector, comp=stream)
            self._maxes.append(detector)
        return detector


def _check_oversampling(oversampling: int) -> None:
    if oversampling not in (1, 2, 4):
        raise ValueError(f"oversampling must be 1, 2 or 4, not {oversampling!r}")


def _steps(oversampling: int) -> slice:
    """The interpolated phases (k / 4 of a sample) besides phase 0: 4x 1, 2, 3; 2x 2; 1x none."""
    step = 4 // oversampling
    return slice(step, 4, step)


def detector_of(audio: np.ndarray, oversampling: int = 4) -> np.ndarray:
    """What `TruePeakLimiter`'s detector computes over (frames, channels) `audio`, as float32
    (frames,): the largest |sample| over the channels and the phases, each phase `Convolve`'s
    sum over the same taps (equal within float32 rounding; ~4x faster than pyo's loop). An
    offline master gives it to the limiter (`detector=`) instead of building the interpolators.

    >>> x = np.zeros((40, 2)); x[5, 1] = -0.5
    >>> d = detector_of(x, oversampling=1)
    >>> int(np.argmax(d)), float(d.max())
    (21, 0.5)
    >>> detector_of(np.zeros((0, 2))).size
    0
    """
    _check_oversampling(oversampling)
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    frames = data.shape[0]
    found = np.zeros(frames, dtype=np.float32)
    if frames < 2:                                        # nothing interpolated yet
        return found
    delay = min(TAPS // 2, frames)
    taps = [np.array(interpolator(k / 4), dtype=np.float32)[::-1] for k in range(4)]
    for channel in range(data.shape[1]):
        signal = np.ascontiguousarray(data[:, channel])
        np.maximum(found[delay:], np.abs(signal[:frames - delay]), out=found[delay:])
        for phase in taps[_steps(oversampling)]:            # Convolve's output lags a sample
            np.maximum(found[1:], np.abs(np.convolve(signal, phase)[:frames - 1]), out=found[1:])
    return found


class MasterBus(Effect):
    """EQ (low shelf, mid peak, high shelf), glue compressor, limiter at `ceiling` dBTP.

    Usage (not run as a doctest: it needs a running engine)::

        mixer.set_param("master.ceiling", -0.5); mixer.master.set_neutral(True)
    """

    KIND: ClassVar[str] = "master"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("low", 0.0, -12.0, 12.0, "dB", "EQ low shelf (100 Hz) gain"),
        ParamSpec("mid", 0.0, -12.0, 12.0, "dB", "EQ mid peak gain"),
        ParamSpec("midfreq", 1000.0, 100.0, 10000.0, "Hz", "EQ mid peak centre"),
        ParamSpec("high", 0.0, -12.0, 12.0, "dB", "EQ high shelf (8 kHz) gain"),
        ParamSpec("threshold", -12.0, -40.0, 0.0, "dB", "bus compressor threshold"),
        ParamSpec("ratio", 2.0, 1.0, 10.0, "", "bus compressor ratio"),
        ParamSpec("attack", 0.02, 0.001, 0.5, "s", "bus compressor attack"),
        ParamSpec("release", 0.2, 0.01, 2.0, "s", "bus compressor release"),
        ParamSpec("makeup", 0.0, -12.0, 12.0, "dB", "gain into the limiter"),
        ParamSpec("ceiling", -1.0, -24.0, 0.0, "dBTP", "limiter ceiling (true peak)"),
    ], 1.0)

    def __init__(self, input: Any, ctx: EffectContext, **params: float) -> None:
        self._wet = StreamGroup()
        super().__init__(input, ctx, **params)
        self._neutral_wet = _NeutralWet(self._wet, self._params["mix"])
        if self.neutral:
            self._wet.stop()                     # neutral from the start: nothing to glide from

    def _changed(self, name: str, value: float) -> None:
        """A neutral master stops its EQ, compressor and limiter once `mix` has glided to 0;
        any other `mix` plays them again at once (its glide starts on its sample)."""
        if name != "mix":
            return
        if value > 0.0:
            self._wet.play()
        else:
            self.ctx.sleeper.woke(self._neutral_wet, self.RAMP)

    def _build(self, source: Any) -> Any:
        server = server_of(source)
        before = snapshot(server)
        out = self._build_wet(source)
        self._wet.add(created_since(server, before))
        return out

    def _build_wet(self, source: Any) -> Any:
        p = pyo()
        top = self.ctx.sr * 0.45
        # no DC into the compressor and the limiter: it would push them and eat headroom
        self._dc_block = p.Atone(source, freq=DC_BLOCK_HZ)
        self._low = p.EQ(self._dc_block, freq=100.0, q=0.7, boost=self.p("low"), type=1)
        self._mid = p.EQ(self._low, freq=p.Clip(self.p("midfreq"), 20.0, top), q=0.8,
                         boost=self.p("mid"), type=0)
        self._high = p.EQ(self._mid, freq=min(8000.0, top), q=0.7, boost=self.p("high"), type=2)
        self._makeup = p.DBToA(self.p("makeup"))
        self._glue = p.Compress(self._high, thresh=self.p("threshold"), ratio=self.p("ratio"),
                                risetime=self.p("attack"), falltime=self.p("release"),
                                lookahead=min_lookahead_ms(self.ctx.sr), knee=0.5,
                                mul=self._makeup)
        self._limiter = TruePeakLimiter(self._glue, self.p("ceiling"), sr=self.ctx.sr)
        return self._limiter.out

    def set_neutral(self, neutral: bool = True, *, delay: float = 0.0) -> None:
        """Neutral: output = input exactly (no EQ, compression or limiting); else processed."""
        self.set("mix", 0.0 if neutral else 1.0, delay=delay)

    @property
    def latency(self) -> float:
        """Seconds the processed master lags its input (limiter look-ahead + 1 sample of the bus
        compressor, see `min_lookahead_ms`); 0 when neutral.

        Usage (not run as a doctest: it needs a running engine)::

            engine recordings skip round(mixer.master.latency * sr) frames of the master
        """
        return 0.0 if self.neutral else (1 + self._limiter.latency) / self.ctx.sr

    @property
    def neutral(self) -> bool:
        """True when the master passes its input through untouched."""
        return self.values["mix"] == 0.0

    @property
    def processing(self) -> bool:
        """False while a neutral master's EQ, compressor and limiter are stopped (no CPU)."""
        return not self._wet.stopped


class _NeutralWet:
    """Stops the master's processing when the sleeper ticks, if `mix` is (still) 0.

    Holds the stream group weakly (a replaced master's objects must die together: a pyo object
    kept alive without its inputs would read freed memory) and never the bus (no cycle).
    """

    def __init__(self, wet: StreamGroup, mix: SmoothParam) -> None:
        self.wet = weakref.ref(wet)
        self.mix = mix

    def sleep(self) -> None:
        """Stop the processing streams if the master is (still there and) neutral."""
        wet = self.wet()
        if wet is not None and self.mix.value == 0.0:
            wet.stop()
