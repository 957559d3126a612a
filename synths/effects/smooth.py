"""Smoothed, sample-exact parameters, and the sleeper that makes idle ones cost nothing.

Every effect, fader and master parameter is a `SmoothParam`: `Trig -> SDelay -> TrigVal ->
SigTo`. Setting a value writes it into the `TrigVal`, delays the shared trigger by the requested
offset (rounded to a sample, +0.5 sample as in DESIGN.md) and fires it, so the new value starts
its ramp on the exact sample and glides there in `ramp` seconds (20 ms by default). While a
parameter holds still it sleeps (see `SmoothParam`), woken by `set` and put back to sleep by its
context's `ParamSleeper`, which the engine ticks once per block.

>>> sleeper = ParamSleeper(48000); sleeper.awake
0
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from synths._pyo import pyo
from synths.errors import ParamError
from synths.params import ParamSpec

__all__ = ["DEFAULT_RAMP", "MAX_SET_DELAY", "SmoothParam", "ParamSleeper", "Sleeps"]

DEFAULT_RAMP = 0.02
"""Seconds every parameter change glides over."""

MAX_SET_DELAY = 0.25
"""Longest `delay` (s) a `set` may be scheduled ahead; the engine schedules in-block offsets."""


class SmoothParam:
    """A parameter signal that glides to each new value, starting on an exact sample.

    `trig` is a shared `pyo.Trig` (one per effect); firing it for one parameter re-sends the
    unchanged values of the others, which is harmless. One pending change per parameter: a second
    `set` before the first has started replaces it.

    With a `sleeper` (the context's `ParamSleeper`) the parameter sleeps while it holds still:
    its `SigTo` follows a plain float (cheap) and its `SDelay`/`TrigVal` are stopped. `set` wakes
    it (block-exact; the glide still starts on its exact sample) and the sleeper's `tick` puts it
    back to sleep once the glide is over. Without one it stays awake after the first `set`.

    Usage (not run as a doctest: it needs a running engine)::

        p = SmoothParam(spec, 0.5, sr=48000, trig=pyo().Trig()); p.set(0.8, delay=0.001)
    """

    def __init__(
        self, spec: ParamSpec, value: float, *, sr: float, trig: Any, ramp: float = DEFAULT_RAMP,
        sleeper: ParamSleeper | None = None,
    ) -> None:
        p = pyo()
        self.spec = spec
        self.value = float(value)
        self._sr = sr
        self._trig = trig
        self._ramp = ramp
        self._sleeper = sleeper
        self._delay = p.SDelay(trig, delay=0.5 / sr, maxdelay=MAX_SET_DELAY + 0.01)
        self._held = p.TrigVal(self._delay, value=self.value, init=self.value)
        self.sig = p.SigTo(self._held, time=ramp, init=self.value)
        parts = (self._delay, self._delay._in_fader, self._held, self._held._in_fader)
        self._streams = [base for obj in parts for base in obj.getBaseObjects()]
        self.asleep = False
        """True while the parameter holds still and costs (almost) nothing."""
        if sleeper is not None:
            self.sleep()

    def set(self, value: float, delay: float = 0.0) -> None:
        """Glide to `value` starting `delay` seconds (rounded to a sample) after the block start."""
        if not 0.0 <= delay <= MAX_SET_DELAY:
            raise ParamError(
                f"{self.spec.name}: delay={delay!r} must be in [0, {MAX_SET_DELAY}] s"
            )
        value = float(value)
        if self.asleep:
            if value == self.value:
                return                                  # holding this value already
            self._wake()
        offset = round(delay * self._sr)
        self.value = value
        self._held.value = self.value
        self._delay.delay = (offset + 0.5) / self._sr
        self._trig.play()
        if self._sleeper is not None:
            self._sleeper.woke(self, delay + self._ramp)

    def set_ramp(self, seconds: float) -> None:
        """Change the glide time (seconds)."""
        self._ramp = seconds
        self.sig.time = seconds

    def sleep(self) -> None:
        """Hold the current value as a plain float and stop the trigger path (call it between
        blocks, once any glide is over: the sleeper's `tick` does)."""
        if self.asleep:
            return
        self.sig.value = self.value
        for base in self._streams:
            base.stop()
        self.asleep = True

    def _wake(self) -> None:
        for base in self._streams:
            base.play(0, 0)
        self.sig.value = self._held
        self.asleep = False


class Sleeps(Protocol):
    """Anything a `ParamSleeper` can put to sleep."""

    def sleep(self) -> None:
        """Stop computing (called between blocks, once the object's glide is over)."""


class ParamSleeper:
    """Puts the `SmoothParam`s of a context back to sleep once their glide is over.

    Other objects with a `sleep()` method (a neutral master's processing) use it too.

    The engine calls `tick(now)` once per block (sample frames); the cost is O(awake params).
    A parameter woken during a block sleeps again at the first block start at least
    `delay + ramp` seconds plus MARGIN frames after the block it woke in.

    `tick` runs in the audio callback, which must free no pyo object: the sleeper's reference
    may be the last one to a parameter whose effect was removed meanwhile, and dropping it there
    freed the effect's objects in the audio thread (pyo then changes its stream list under
    whatever the main thread was doing with it). So what `tick` puts to sleep stays held until
    `release()`, which the engine calls from its main thread.

    >>> sleeper = ParamSleeper(48000); sleeper.tick(0); sleeper.awake, sleeper.release()
    (0, 0)
    """

    MARGIN: ClassVar[int] = 256
    """Frames of safety after a glide's end before its parameter sleeps."""

    def __init__(self, sr: float) -> None:
        self.sr = float(sr)
        self._awake: dict[int, tuple[Sleeps, float, int | None]] = {}
        self._slept: list[Sleeps] = []

    @property
    def awake(self) -> int:
        """How many parameters are awake (gliding, or waiting to sleep)."""
        return len(self._awake)

    def woke(self, param: Sleeps, seconds: float) -> None:
        """`param` glides for `seconds` from the coming block on (its deadline is set at the next
        `tick`, which is that block's start)."""
        self._awake[id(param)] = (param, seconds, None)

    def tick(self, now: int) -> None:
        """At the start of the block beginning at frame `now`: sleep the settled parameters."""
        if not self._awake:
            return
        for key, (param, seconds, deadline) in list(self._awake.items()):
            if deadline is None:
                self._awake[key] = (param, seconds, now + int(seconds * self.sr) + self.MARGIN)
            elif now >= deadline:
                del self._awake[key]
                param.sleep()
                self._slept.append(param)         # dropped by `release`, not here

    def release(self) -> int:
        """Let go of what `tick` put to sleep (call it outside the audio callback: a parameter
        whose effect is gone is freed here); returns how many were held."""
        slept, self._slept = self._slept, []
        return len(slept)
