"""Distortion: waveshaping drive/saturation, and a bitcrusher.

Usage (not run as a doctest: it needs a running engine)::

    d2.fx("distort", drive=0.6).fx("crush", bits=6, downsample=4)
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["Distort", "Crush"]


class Distort(Effect):
    """Arctan waveshaper (pyo Disto): `drive`, `tone` (post lowpass), `gain` (dB out), `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("distort", drive=0.8, tone=4000, gain=-6)
    """

    KIND: ClassVar[str] = "distort"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("drive", 0.5, 0.0, 0.999, "", "amount of distortion"),
        ParamSpec("tone", 12000.0, 200.0, 20000.0, "Hz", "lowpass after the shaper"),
        ParamSpec("gain", 0.0, -48.0, 12.0, "dB", "output level"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._shaped = p.Disto(source, drive=self.p("drive"), slope=0.5)
        self._level = p.DBToA(self.p("gain"))
        return p.ButLP(self._shaped, freq=self.p("tone"), mul=self._level)


class Crush(Effect):
    """Bitcrusher (pyo Degrade): `bits` (quantisation) and `downsample` (sample-rate divisor).

    pyo's Degrade rounds with `(int)(x * scale + 0.5)`, which truncates towards zero: every
    negative sample is rounded up, a DC offset of about a quarter step (2e-3 at 8 bits). The
    signal is quantised `OFFSET` higher (all positive, so it rounds to nearest) and brought back.

    >>> Crush.OFFSET
    4.0
    """

    KIND: ClassVar[str] = "crush"
    OFFSET: ClassVar[float] = 4.0
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("bits", 8.0, 1.0, 32.0, "bits", "bit depth"),
        ParamSpec("downsample", 1.0, 1.0, 64.0, "", "keep one sample in this many"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._raised = p.Sig(source, add=self.OFFSET)
        return p.Degrade(self._raised, bitdepth=self.p("bits"), srscale=1.0 / self.p("downsample"),
                         add=-self.OFFSET)
