"""The master bus: EQ -> bus compressor -> limiter (ceiling in dBTP) -> output.

pyo has no limiter: a `Compress` with ratio 100, 5 ms lookahead and a soft knee aims
`TP_MARGIN` dB below the ceiling, then a `Clip` at the ceiling minus `CLIP_MARGIN` dB catches what
is left; the margins keep 4x-oversampled true peaks under the ceiling. `mix` 0 makes the master
neutral (the output is exactly the summed input: stems then add up to the master).

>>> MasterBus.PARAMS["ceiling"].default
-1.0
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["MasterBus", "TP_MARGIN", "CLIP_MARGIN", "LIMITER_LOOKAHEAD_MS"]

TP_MARGIN = 1.0
"""dB between the limiter's threshold and the ceiling."""

CLIP_MARGIN = 0.5
"""dB between the final sample clip and the ceiling."""

LIMITER_LOOKAHEAD_MS = 5.0
"""Limiter lookahead; it also delays the processed master by this much."""


class MasterBus(Effect):
    """EQ (low shelf, mid peak, high shelf), glue compressor, limiter at `ceiling` dBTP.

    >>> # mixer.set_param("master.ceiling", -0.5); mixer.master.set_neutral(True)
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

    def _build(self, source: Any) -> Any:
        p = pyo()
        top = self.ctx.sr * 0.45
        self._low = p.EQ(source, freq=100.0, q=0.7, boost=self.p("low"), type=1)
        self._mid = p.EQ(self._low, freq=p.Clip(self.p("midfreq"), 20.0, top), q=0.8,
                         boost=self.p("mid"), type=0)
        self._high = p.EQ(self._mid, freq=min(8000.0, top), q=0.7, boost=self.p("high"), type=2)
        self._makeup = p.DBToA(self.p("makeup"))
        self._glue = p.Compress(self._high, thresh=self.p("threshold"), ratio=self.p("ratio"),
                                risetime=self.p("attack"), falltime=self.p("release"),
                                lookahead=0.0, knee=0.5, mul=self._makeup)
        self._limit = p.Compress(self._glue, thresh=self.p("ceiling") - TP_MARGIN, ratio=100.0,
                                 risetime=0.0005, falltime=0.08,
                                 lookahead=LIMITER_LOOKAHEAD_MS, knee=0.3)
        self._clip_level = p.DBToA(self.p("ceiling") - CLIP_MARGIN)
        return p.Clip(self._limit, min=-self._clip_level, max=self._clip_level)

    def set_neutral(self, neutral: bool = True, *, delay: float = 0.0) -> None:
        """Neutral: output = input exactly (no EQ, compression or limiting); else processed."""
        self.set("mix", 0.0 if neutral else 1.0, delay=delay)

    @property
    def neutral(self) -> bool:
        """True when the master passes its input through untouched."""
        return self.values["mix"] == 0.0

