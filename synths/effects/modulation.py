"""Modulation effects: chorus, phaser, flanger, tremolo, autopan.

LFO rates are in Hz. Tremolo and autopan multiply the signal by `1 - depth * (0.5 - 0.5 * lfo)`
(unity when the LFO peaks), autopan with opposite phases on the two channels.

Usage (not run as a doctest: it needs a running engine)::

    d3.fx("chorus", depth=0.6).fx("tremolo", rate=4, depth=0.5)
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["Chorus", "Phaser", "Flanger", "Tremolo", "Autopan"]

_RATE = ParamSpec("rate", 0.5, 0.01, 20.0, "Hz", "LFO rate")


class Chorus(Effect):
    """Eight modulated delay lines (pyo Chorus): `depth`, `feedback`, `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("chorus", depth=0.8, mix=0.5)
    """

    KIND: ClassVar[str] = "chorus"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("depth", 0.5, 0.0, 5.0, "", "modulation depth"),
        ParamSpec("feedback", 0.2, 0.0, 1.0, "", "feedback"),
    ], 0.5)

    def _build(self, source: Any) -> Any:
        return pyo().Chorus(source, depth=self.p("depth"), feedback=self.p("feedback"), bal=1.0)


class Phaser(Effect):
    """Four notches swept by an LFO: the signal plus itself through four second-order all-pass
    sections (pyo `Allpass2`, `SPREAD` apart from `freq`), halved: `rate`, `depth`, `freq`,
    `feedback` (sharper notches), `mix`.

    pyo's `Phaser` looks its cosine up by stage number instead of by angle: its notches sat near
    0 Hz whatever `freq` said, and moved with the sample rate. Here each notch is where the
    all-pass chain turns the signal by an odd half-turn. `feedback` narrows the sections
    (Q = 0.5 + 9.5 x feedback): sharper, deeper-sounding notches, as a feedback path does.

    >>> Phaser.STAGES, Phaser.SPREAD
    (4, 1.7)
    """

    KIND: ClassVar[str] = "phaser"
    STAGES: ClassVar[int] = 4
    SPREAD: ClassVar[float] = 1.7
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        _RATE,
        ParamSpec("depth", 0.7, 0.0, 0.95, "", "sweep depth (fraction of the centre frequency)"),
        ParamSpec("freq", 1000.0, 50.0, 8000.0, "Hz", "frequency of the first all-pass section"),
        ParamSpec("feedback", 0.5, 0.0, 0.95, "", "sharper notches"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._lfo = p.Sine(freq=self.p("rate"), phase=[0.0, 0.25])
        self._centre = self.p("freq") * (self._lfo * self.p("depth") + 1.0)
        self._q = self.p("feedback") * 9.5 + 0.5
        stage: Any = source
        self._stages: list[Any] = []
        for k in range(self.STAGES):
            freq = self._centre * self.SPREAD**k
            stage = p.Allpass2(stage, freq=freq, bw=freq / self._q)
            self._stages.append((freq, stage))
        return p.Interp(source, stage, interp=0.5)


class Flanger(Effect):
    """A short delay (1-10 ms) swept by an LFO, with feedback: `rate`, `depth`, `feedback`, `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d1.fx("flanger", rate=0.2, depth=0.7, feedback=0.6)
    """

    KIND: ClassVar[str] = "flanger"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        _RATE,
        ParamSpec("depth", 0.7, 0.0, 1.0, "", "sweep depth"),
        ParamSpec("feedback", 0.5, 0.0, 0.95, "", "feedback"),
        ParamSpec("delay", 0.003, 0.0005, 0.01, "s", "centre delay time"),
    ], 0.5)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._lfo = p.Sine(freq=self.p("rate"), phase=[0.0, 0.25])
        seconds = self.p("delay") * (self._lfo * self.p("depth") * 0.9 + 1.0)
        return p.Delay(source, delay=seconds, feedback=self.p("feedback"), maxdelay=0.05)


class Tremolo(Effect):
    """Amplitude modulation: `rate`, `depth` (0 none, 1 full), `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("tremolo", rate=6, depth=0.5)
    """

    KIND: ClassVar[str] = "tremolo"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("rate", 4.0, 0.01, 40.0, "Hz", "LFO rate"),
        ParamSpec("depth", 0.5, 0.0, 1.0, "", "modulation depth"),
    ], 1.0)

    PHASES: ClassVar[list[float]] = [0.0, 0.0]

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._lfo = p.Sine(freq=self.p("rate"), phase=self.PHASES)
        self._gain = 1.0 - self.p("depth") * (0.5 - self._lfo * 0.5)
        return source * self._gain


class Autopan(Tremolo):
    """Tremolo with opposite phases left and right: the sound moves between the speakers.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("autopan", rate=0.25, depth=1)
    """

    KIND: ClassVar[str] = "autopan"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("rate", 0.25, 0.01, 40.0, "Hz", "LFO rate"),
        ParamSpec("depth", 1.0, 0.0, 1.0, "", "modulation depth"),
    ], 1.0)
    PHASES: ClassVar[list[float]] = [0.0, 0.5]
