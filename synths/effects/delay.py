"""Tempo-synced delay: time in beats, feedback through a tone filter, ping-pong.

Two delay lines (left, right) with a feedback loop through a lowpass, so every repeat is darker
than the one before. `pingpong` p crossfades the routing from straight stereo echoes (0) to
echoes bouncing left, right, left... (1):

    in_L = (1 - p) x_L + p (x_L + x_R) / 2 + feedback * ((1 - p) wet_L + p wet_R)
    in_R = (1 - p) x_R                     + feedback * ((1 - p) wet_R + p wet_L)
    wet  = lowpass(delay(in, time))

pyo computes a feedback loop with one block of extra delay (the loop's input reads the loop's
output from the previous block), so the delay lines are `time - block` long and the dry input
reaches them through a one-block delay too: the first echo and every repeat land on the beat.
The delay time follows the context's tempo (`ctx.set_bpm`, glides over 50 ms). A loop is a pyo
reference cycle: `release()` (and a finalizer) open it before the objects are freed.

>>> beats_to_seconds(0.75, 120.0)
0.375
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, EffectContext, with_mix
from synths.effects.order import server_of
from synths.params import ParamSpec, ParamTable

__all__ = ["SyncedDelay", "beats_to_seconds", "MAX_DELAY_SECONDS"]

MAX_DELAY_SECONDS = 8.0
"""Longest echo time (s) a delay line holds (4 beats at 30 bpm)."""


def beats_to_seconds(beats: float, bpm: float) -> float:
    """Seconds of `beats` beats at `bpm`."""
    return beats * 60.0 / bpm


class SyncedDelay(Effect):
    """Echo every `time` beats, `feedback` repeats, each darker (`tone`), `pingpong`, `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("delay", time=0.75, feedback=0.45, tone=4000, pingpong=1, mix=0.3)
    """

    KIND: ClassVar[str] = "delay"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("time", 0.75, 1 / 64, 4.0, "beats", "echo time in beats (follows the tempo)"),
        ParamSpec("feedback", 0.4, 0.0, 0.95, "", "level of each repeat relative to the last"),
        ParamSpec("tone", 8000.0, 200.0, 20000.0, "Hz", "lowpass applied to every repeat"),
        ParamSpec("pingpong", 0.0, 0.0, 1.0, "", "0 straight stereo echoes, 1 bounce L/R"),
    ], 0.3)

    def __init__(self, input: Any, ctx: EffectContext, **params: float) -> None:
        super().__init__(input, ctx, **params)
        ctx.on_tempo(self._tempo_changed)
        weakref.finalize(self, _open_loop, self._loop_inputs, self._silence)

    def _tempo_changed(self, bpm: float) -> None:
        self._spb.value = 60.0 / bpm

    def close(self) -> None:
        self.ctx.off_tempo(self._tempo_changed)

    def release(self) -> None:
        """Also open the feedback loop, so the objects are freed by reference counting."""
        super().release()
        _open_loop(self._loop_inputs, self._silence)

    def _build(self, source: Any) -> Any:
        p = pyo()
        sr = self.ctx.sr
        block = server_of(source).getBufferSize() / sr
        self._silence = p.Sig(0.0)
        self._loop_inputs = [p.InputFader(self._silence), p.InputFader(self._silence)]
        spb = self.ctx.seconds_per_beat
        self._spb = p.SigTo(spb, time=0.05, init=spb)
        self._line = p.Clip(self.p("time") * self._spb - block, 1.0 / sr, MAX_DELAY_SECONDS)
        self._late_in = p.SDelay(source, delay=(round(block * sr) + 0.5) / sr, maxdelay=0.1)
        late = self._late_in
        left, right = p.Sig(late[0]), p.Sig(late[1] if len(late) > 1 else late[0])
        bounce, fb = self.p("pingpong"), self.p("feedback")
        back_l, back_r = self._loop_inputs
        self._in = [
            left * (1.0 - bounce) + (left + right) * 0.5 * bounce + back_l * fb,
            right * (1.0 - bounce) + back_r * fb,
        ]
        self._lines = [p.Delay(x, delay=self._line, feedback=0, maxdelay=MAX_DELAY_SECONDS)
                       for x in self._in]
        self._wet = [p.ButLP(line, freq=self.p("tone")) for line in self._lines]
        wet_l, wet_r = self._wet
        self._returns = [wet_l * (1.0 - bounce) + wet_r * bounce,
                         wet_r * (1.0 - bounce) + wet_l * bounce]
        for loop_input, signal in zip(self._loop_inputs, self._returns, strict=True):
            loop_input.setInput(signal, 0.0)
            loop_input.setInput(signal, 0.0)
        return p.Mix(self._wet, voices=2)


def _open_loop(loop_inputs: list[Any], silence: Any) -> None:
    """Point the loop's inputs at silence (both crossfade slots): no cycle is left."""
    for loop_input in loop_inputs:
        loop_input.setInput(silence, 0.0)
        loop_input.setInput(silence, 0.0)
