"""Per-note effects at the end of every voice: `shape` (waveshaper) then `hcutoff` (highpass).

Strudel applies these per note (`s("bd").shape(0.4)`, `s("hh*8").hpf(6000)`). Each stage is
bypassed exactly when off (an `Interp` passes the dry signal, so samples keep their DC and sub-bass
every Hz) and its DSP objects are stopped, so an unused stage costs almost nothing. The voice's
`Sleeper` must leave the stages' own objects alone: pass `NoteFx.owned()` in its `exclude`.

>>> [row.name for row in NOTE_FX_ROWS]
['shape', 'hcutoff', 'hresonance']
>>> round(Shaper.drive_of(1.0), 1), Shaper.drive_of(0.0)
(25.0, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.instruments._dsp import q_of, resonance_gain
from synths.instruments._sleeper import Sleeper, streams_of
from synths.params import ParamSpec

__all__ = ["NOTE_FX_ROWS", "Highpass", "Shaper", "NoteFx"]

NOTE_FX_ROWS = (
    ParamSpec("shape", 0.0, 0.0, 1.0, "", "waveshaping distortion amount (0 is off)"),
    ParamSpec("hcutoff", 10.0, 10.0, 20000.0, "Hz", "highpass cutoff (alias hpf); 10 Hz is off"),
    ParamSpec("hresonance", 0.0, 0.0, 1.0, "", "highpass resonance (alias hpq)"),
)
"""The rows every instrument's table gets for its per-note effects."""


class _Stage:
    """A bypassable stage: `switch` crossfades dry/wet; the wet objects run only when on."""

    def __init__(self, source: Any, wet: list[Any]) -> None:
        self.on = False
        self.wet = wet
        self.switch = pyo().Interp(source, wet[-1], interp=0.0)
        self.out = self.switch
        self._streams = [stream for obj in wet for stream in streams_of(obj)]
        for base in self._streams:
            base.stop(0)

    def turn(self, on: bool) -> None:
        """Choose wet (on) or dry (off) for the next note."""
        self.on = on
        self.switch.interp = 1.0 if on else 0.0

    def wake(self, seconds: float) -> None:
        """Run the wet objects for `seconds` (+ margin) when on, else stop them now."""
        for base in self._streams:
            if self.on:
                base.play(0, 0)
                base.stop(max(seconds, 0.0) + Sleeper.MARGIN)
            else:
                base.stop(0)


class Highpass(_Stage):
    """The note highpass: `hcutoff` (at or below 10 Hz: off) and `hresonance`.

    >>> Highpass.OFF
    10.0
    """

    OFF: ClassVar[float] = 10.0

    def __init__(self, source: Any, sr: float) -> None:
        self.sr = sr
        self.filter = pyo().Biquad(source, freq=self.OFF, q=0.707, type=1)
        super().__init__(source, [self.filter])

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `hcutoff` and `hresonance`."""
        cutoff = float(params.get("hcutoff", self.OFF))
        self.turn(cutoff > self.OFF)
        self.filter.freq = min(cutoff, 0.45 * self.sr)
        q = q_of(float(params.get("hresonance", 0.0)))
        self.filter.q = q
        self.filter.mul = resonance_gain(q)


class Shaper(_Stage):
    """The note waveshaper: tanh with a drive rising with `shape`, level-matched at -6 dBFS.

    >>> Shaper.REFERENCE
    0.5
    """

    REFERENCE: ClassVar[float] = 0.5

    def __init__(self, source: Any) -> None:
        p = pyo()
        self.drive = p.Sig(1.0)
        self.driven = source * self.drive
        self.curve = p.Tanh(self.driven)
        super().__init__(source, [self.drive, self.driven, self.curve])

    @staticmethod
    def drive_of(shape: float) -> float:
        """The input gain for a `shape` amount (1 at 0, 25 at 1)."""
        return 1.0 + 24.0 * shape * shape

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `shape`: 0 bypasses; more drives harder at the same reference level."""
        shape = float(params.get("shape", 0.0))
        self.turn(shape > 0.0)
        drive = self.drive_of(shape)
        self.drive.value = drive
        self.curve.mul = self.REFERENCE / math.tanh(self.REFERENCE * drive)


class NoteFx:
    """`shape` then `hcutoff`, applied to a voice's output; see the module doc.

    >>> fx = NoteFx(voice_output, 48000.0)                    # doctest: +SKIP
    >>> fx.set({"shape": 0.3, "hcutoff": 200.0}); fx.wake(0.5)   # doctest: +SKIP
    """

    def __init__(self, source: Any, sr: float) -> None:
        self.shaper = Shaper(source)
        self.highpass = Highpass(self.shaper.out, sr)
        self.out = self.highpass.out

    def owned(self) -> list[Any]:
        """The objects these stages start and stop themselves (for the Sleeper's `exclude`)."""
        return [*self.shaper.wet, *self.highpass.wet]

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `shape`, `hcutoff` and `hresonance`."""
        self.shaper.set(params)
        self.highpass.set(params)

    def wake(self, seconds: float) -> None:
        """Run the stages this note uses for `seconds`; stop the others."""
        self.shaper.wake(seconds)
        self.highpass.wake(seconds)
