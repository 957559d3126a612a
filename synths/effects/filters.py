"""Filters: resonant low/high/band-pass (state-variable, SVF2) and a 3-band parametric EQ.

`resonance` 0..1 maps to the filter's Q exponentially: 0 is Butterworth (Q 0.707), 1 is Q ~21.

>>> round(resonance_to_q(0.0), 3), round(resonance_to_q(1.0), 1)
(0.707, 21.2)
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["Lowpass", "Highpass", "Bandpass", "ParametricEQ", "resonance_to_q"]

Q_MIN = 0.7071
Q_SPAN = 30.0


def resonance_to_q(resonance: float) -> float:
    """Q of the SVF for a 0..1 resonance."""
    return Q_MIN * Q_SPAN**resonance


def _filter_params(kind: str, cutoff: float, doc: str) -> ParamTable:
    return with_mix(kind, [
        ParamSpec("cutoff", cutoff, 20.0, 20000.0, "Hz", doc),
        ParamSpec("resonance", 0.0, 0.0, 1.0, "", "emphasis at the cutoff (0 flat, 1 ringing)"),
    ], 1.0)


class Lowpass(Effect):
    """Resonant 12 dB/oct lowpass: `cutoff`, `resonance`.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("lpf", cutoff=800, resonance=0.3)
    """

    KIND: ClassVar[str] = "lpf"
    PARAMS: ClassVar[ParamTable] = _filter_params(KIND, 2000.0, "cutoff frequency")
    TYPE: ClassVar[float] = 0.0

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._q = p.Pow(Q_SPAN, self.p("resonance"), mul=Q_MIN)
        freq = p.Clip(self.p("cutoff"), 20.0, self.ctx.sr * 0.45)
        return p.SVF2(source, freq=freq, q=self._q, type=self.TYPE)


class Highpass(Lowpass):
    """Resonant 12 dB/oct highpass: `cutoff`, `resonance`.

    Usage (not run as a doctest: it needs a running engine)::

        d1.fx("hpf", cutoff=300)
    """

    KIND: ClassVar[str] = "hpf"
    PARAMS: ClassVar[ParamTable] = _filter_params(KIND, 200.0, "cutoff frequency")
    TYPE: ClassVar[float] = 2.0


class Bandpass(Lowpass):
    """Unity-gain bandpass: `cutoff` (centre), `resonance` (narrower).

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("bpf", cutoff=1200, resonance=0.5)
    """

    KIND: ClassVar[str] = "bpf"
    PARAMS: ClassVar[ParamTable] = _filter_params(KIND, 1000.0, "centre frequency")
    TYPE: ClassVar[float] = 9.0


class ParametricEQ(Effect):
    """Low shelf, peaking mid, high shelf, each with its own gain in dB.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("eq", low=3, mid=-4, midfreq=400, high=2)
    """

    KIND: ClassVar[str] = "eq"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("low", 0.0, -24.0, 24.0, "dB", "low shelf gain"),
        ParamSpec("lowfreq", 120.0, 20.0, 1000.0, "Hz", "low shelf corner"),
        ParamSpec("mid", 0.0, -24.0, 24.0, "dB", "peak gain"),
        ParamSpec("midfreq", 1000.0, 100.0, 10000.0, "Hz", "peak centre"),
        ParamSpec("midq", 1.0, 0.1, 20.0, "", "peak Q (higher is narrower)"),
        ParamSpec("high", 0.0, -24.0, 24.0, "dB", "high shelf gain"),
        ParamSpec("highfreq", 8000.0, 1000.0, 20000.0, "Hz", "high shelf corner"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        top = self.ctx.sr * 0.45
        self._low = p.EQ(source, freq=self.p("lowfreq"), q=0.7, boost=self.p("low"), type=1)
        self._mid = p.EQ(self._low, freq=p.Clip(self.p("midfreq"), 20.0, top), q=self.p("midq"),
                         boost=self.p("mid"), type=0)
        return p.EQ(self._mid, freq=p.Clip(self.p("highfreq"), 20.0, top), q=0.7,
                    boost=self.p("high"), type=2)
