"""Tape stop: the track slows down like a tape machine switched off, pitch and speed falling to
zero together over `beats` beats, then silence until the gate opens again.

The effect reads its input through a delay line whose delay grows as t^2 / (2 T) over the stop's
length T: the read head then moves at 1 - t / T of the tape's speed, so every frequency falls
linearly to 0 Hz at T (a tape's capstan running down), and the level fades over the last 15 %
(what is left is infrasonic rumble). `stop` is the gate: a value above 0 starts a stop on its
exact sample, lasting that many beats at the current tempo; 0 lets the track through again
(the dry signal fades back in, a 20 ms lag). The pattern that drives it is
`transition("tapestop", beats=2, every=8)`.

>>> TapeStop.KIND, TapeStop.SEGMENTS
('tapestop', 32)
>>> [(round(t, 3), round(d, 4)) for t, d in stop_curve(1.0, 4)]
[(0.0, 0.0), (0.25, 0.0312), (0.5, 0.125), (0.75, 0.2812), (1.0, 0.5), (1.001, 0.5)]
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["TapeStop", "stop_curve", "stop_gain"]

MAX_SECONDS = 8.0
"""The longest stop (s); longer ones (many beats at a slow tempo) are clamped."""


def stop_curve(seconds: float, segments: int) -> list[tuple[float, float]]:
    """(time s, delay s) breakpoints of the delay t^2 / (2 T) over `seconds` = T, in `segments`
    straight pieces (the read speed steps down by 1 / segments per piece), then held.

    >>> stop_curve(2.0, 2)
    [(0.0, 0.0), (1.0, 0.25), (2.0, 1.0), (2.001, 1.0)]
    """
    points = [(seconds * k / segments, (seconds * k / segments) ** 2 / (2.0 * seconds)) for k in range(segments + 1)]
    return [*points, (seconds + 0.001, seconds / 2.0)]


def stop_gain(seconds: float) -> list[tuple[float, float]]:
    """(time s, gain) of the stop: full until 85 % of `seconds`, then down to 0 and held.

    >>> stop_gain(1.0)
    [(0.0, 1.0), (0.85, 1.0), (1.0, 0.0), (1.001, 0.0)]
    """
    return [(0.0, 1.0), (round(0.85 * seconds, 9), 1.0), (seconds, 0.0), (seconds + 0.001, 0.0)]


class TapeStop(Effect):
    """Tape stop: `stop` (beats, 0 = play) starts a stop of that many beats; `mix`.

    >>> TapeStop.PARAMS["stop"].hi, TapeStop.PARAMS["mix"].default
    (16.0, 1.0)
    """

    KIND: ClassVar[str] = "tapestop"
    SEGMENTS: ClassVar[int] = 32
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("stop", 0.0, 0.0, 16.0, "beats", "start a stop this many beats long (0: play)"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._length = 0.0
        self._edge = p.Thresh(self.p("stop"), threshold=0.0005, dir=0)
        self._delay = p.TrigLinseg(self._edge, [(0.0, 0.0), (0.001, 0.0)])
        self._gain = p.TrigLinseg(self._edge, [(0.0, 1.0), (0.001, 1.0)])
        self._line = p.Delay(source, delay=self._delay, feedback=0.0, maxdelay=MAX_SECONDS / 2.0 + 0.1)
        self._wet = p.Sig(self._line, mul=self._gain)
        self._gate = p.Clip(self.p("stop") * 1e6, 0.0, 1.0)
        self._open = p.Port(self._gate, risetime=0.0005, falltime=0.02)
        return p.Interp(source, self._wet, interp=self._open)

    def _changed(self, name: str, value: float) -> None:
        """A new stop length: the curves for the coming stop (before its gate opens)."""
        if name != "stop" or value <= 0.0:
            return
        seconds = min(MAX_SECONDS, value * self.ctx.seconds_per_beat)
        if abs(seconds - self._length) < 1e-9:
            return
        self._length = seconds
        self._delay.setList(stop_curve(seconds, self.SEGMENTS))
        self._gain.setList(stop_gain(seconds))
