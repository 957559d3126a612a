"""Tempo-synced delay: time in beats, feedback, a tone filter, ping-pong.

The delay time follows the context's tempo: `ctx.set_bpm(...)` glides every synced delay to the
new length. Ping-pong bounces echoes left, right, left...: with `x` the mono input and `t` one
echo time, `E = delay(x, 2t, fb**2)`, left = `delay(x + fb**2 * E, t)`, right = `fb * E`.

>>> beats_to_seconds(0.75, 120.0)
0.375
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, EffectContext, with_mix
from synths.params import ParamSpec, ParamTable

__all__ = ["SyncedDelay", "beats_to_seconds", "MAX_DELAY_SECONDS"]

MAX_DELAY_SECONDS = 12.0
"""Longest echo time (s) a delay line holds (4 beats at 20 bpm, doubled for ping-pong)."""


def beats_to_seconds(beats: float, bpm: float) -> float:
    """Seconds of `beats` beats at `bpm`."""
    return beats * 60.0 / bpm


class SyncedDelay(Effect):
    """Echo every `time` beats, `feedback` repeats, `tone` lowpass, `pingpong` 0..1, `mix`.

    >>> # d2.fx("delay", time=0.75, feedback=0.45, pingpong=1, mix=0.3)
    """

    KIND: ClassVar[str] = "delay"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("time", 0.75, 1 / 64, 4.0, "beats", "echo time in beats (follows the tempo)"),
        ParamSpec("feedback", 0.4, 0.0, 0.95, "", "level of each repeat relative to the last"),
        ParamSpec("tone", 8000.0, 200.0, 20000.0, "Hz", "lowpass on the delayed signal"),
        ParamSpec("pingpong", 0.0, 0.0, 1.0, "", "0 straight stereo echoes, 1 bounce L/R"),
    ], 0.3)

    def __init__(self, input: Any, ctx: EffectContext, **params: float) -> None:
        super().__init__(input, ctx, **params)
        ctx.on_tempo(self._tempo_changed)

    def _tempo_changed(self, bpm: float) -> None:
        self._spb.value = 60.0 / bpm

    def close(self) -> None:
        self.ctx.off_tempo(self._tempo_changed)

    def _build(self, source: Any) -> Any:
        p = pyo()
        spb = self.ctx.seconds_per_beat
        self._spb = p.SigTo(spb, time=0.05, init=spb)
        seconds = p.Clip(self.p("time") * self._spb, 1.0 / self.ctx.sr, MAX_DELAY_SECONDS / 2)
        self._toned = p.ButLP(source, freq=self.p("tone"))
        fb = self.p("feedback")
        self._straight = p.Delay(self._toned, delay=seconds, feedback=fb,
                                 maxdelay=MAX_DELAY_SECONDS / 2)
        mono = p.Mix(self._toned, voices=1, mul=0.5)
        fb2 = fb * fb
        self._even = p.Delay(mono, delay=seconds * 2, feedback=fb2, maxdelay=MAX_DELAY_SECONDS)
        self._odd_in = mono + self._even * fb2
        self._odd = p.Delay(self._odd_in, delay=seconds, feedback=0, maxdelay=MAX_DELAY_SECONDS / 2)
        self._right = self._even * fb
        self._bounce = p.Mix([self._odd, self._right], voices=2)
        return p.Interp(self._straight, self._bounce, interp=self.p("pingpong"))
