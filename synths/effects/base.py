"""The effect base: context, smoothed sample-exact parameters, input crossfading.

Every effect parameter is a `SmoothParam`: `Trig -> SDelay -> TrigVal -> SigTo`. Setting a value
writes it into the `TrigVal`, delays the shared trigger by the requested offset (rounded to a
sample, +0.5 sample as in DESIGN.md) and fires it, so the new value starts its ramp on the exact
sample and glides there in `ramp` seconds (20 ms by default): no clicks, no block quantisation.

>>> ctx = EffectContext(sr=48000, bpm=120)
>>> ctx.seconds_per_beat
0.5
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol

from synths._pyo import pyo
from synths.effects.order import created_since, server_of, snapshot
from synths.errors import ParamError
from synths.params import ParamSpec, ParamTable

__all__ = [
    "DEFAULT_RAMP",
    "MAX_SET_DELAY",
    "EffectContext",
    "SmoothParam",
    "ParamSleeper",
    "Sleeps",
    "AudioCallback",
    "Effect",
    "with_mix",
]

DEFAULT_RAMP = 0.02
"""Seconds every parameter change glides over."""

MAX_SET_DELAY = 0.25
"""Longest `delay` (s) a `set` may be scheduled ahead; the engine schedules in-block offsets."""

KeyLookup = Callable[[str], Any]


class EffectContext:
    """What an effect may know about the world: sample rate, tempo, other tracks' key signals.

    `key_lookup(track)` returns that track's stereo pre-fader signal (the Mixer installs it).
    Tempo listeners are called with the new bpm (tempo-synced delays subscribe).

    >>> ctx = EffectContext(sr=44100, bpm=90)
    >>> seen = []; ctx.on_tempo(seen.append); ctx.set_bpm(100); seen
    [100.0]
    """

    def __init__(self, sr: float, bpm: float = 120.0, key_lookup: KeyLookup | None = None) -> None:
        if sr <= 0:
            raise ParamError(f"EffectContext: sr={sr!r} must be > 0 (Hz)")
        self.sr = float(sr)
        self._bpm = _check_bpm(bpm)
        self.key_lookup = key_lookup
        self.sleeper = ParamSleeper(self.sr)
        """Puts this context's idle smoothed parameters to sleep (the engine ticks it)."""
        self._tempo_listeners: list[weakref.WeakMethod[Callable[[float], None]] | _Strong] = []

    @property
    def bpm(self) -> float:
        """Current tempo in beats per minute."""
        return self._bpm

    @property
    def seconds_per_beat(self) -> float:
        """Length of one beat in seconds."""
        return 60.0 / self._bpm

    def set_bpm(self, bpm: float) -> None:
        """Change the tempo and tell every listener (synced delays follow)."""
        self._bpm = _check_bpm(bpm)
        self._tempo_listeners = [ref for ref in self._tempo_listeners if ref() is not None]
        for ref in list(self._tempo_listeners):
            listener = ref()
            if listener is not None:
                listener(self._bpm)

    def on_tempo(self, listener: Callable[[float], None]) -> None:
        """Call `listener(bpm)` after every tempo change (bound methods are held weakly)."""
        try:
            self._tempo_listeners.append(weakref.WeakMethod(listener))  # type: ignore[arg-type]
        except TypeError:                       # a function, or a method of a builtin object
            self._tempo_listeners.append(_Strong(listener))

    def off_tempo(self, listener: Callable[[float], None]) -> None:
        """Stop calling `listener` (no error if it was not registered)."""
        self._tempo_listeners = [ref for ref in self._tempo_listeners if ref() != listener]

    def key(self, track: str) -> Any:
        """The stereo pre-fader signal of `track`, for sidechain keys; ParamError if unknown."""
        signal = self.key_lookup(track) if self.key_lookup is not None else None
        if signal is None:
            raise ParamError(f"sidechain key: no track named {track!r} in the mixer")
        return signal


class _Strong:
    """A strong reference with the call interface of a weakref."""

    def __init__(self, target: Callable[[float], None]) -> None:
        self.target = target

    def __call__(self) -> Callable[[float], None]:
        return self.target


def _check_bpm(bpm: float) -> float:
    if isinstance(bpm, bool) or not isinstance(bpm, (int, float)) or not 1.0 <= bpm <= 999.0:
        raise ParamError(f"tempo: bpm={bpm!r} must be a number in [1, 999]")
    return float(bpm)


class SmoothParam:
    """A parameter signal that glides to each new value, starting on an exact sample.

    `trig` is a shared `pyo.Trig` (one per effect); firing it for one parameter re-sends the
    unchanged values of the others, which is harmless. One pending change per parameter: a second
    `set` before the first has started replaces it.

    With a `sleeper` (the context's `ParamSleeper`) the parameter sleeps while it holds still:
    its `SigTo` follows a plain float (cheap) and its `SDelay`/`TrigVal` are stopped. `set` wakes
    it (block-exact; the glide still starts on its exact sample) and the sleeper's `tick` puts it
    back to sleep once the glide is over. Without one it stays awake after the first `set`.

    >>> # p = SmoothParam(spec, 0.5, sr=48000, trig=pyo().Trig()); p.set(0.8, delay=0.001)
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
        self._streams = [base for obj in (self._delay, self._delay._in_fader, self._held, self._held._in_fader)
                         for base in obj.getBaseObjects()]
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

    >>> sleeper = ParamSleeper(48000); sleeper.tick(0); sleeper.awake
    0
    """

    MARGIN: ClassVar[int] = 256
    """Frames of safety after a glide's end before its parameter sleeps."""

    def __init__(self, sr: float) -> None:
        self.sr = float(sr)
        self._awake: dict[int, tuple[Sleeps, float, int | None]] = {}

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


class AudioCallback:
    """Run `action()` once from inside pyo's audio loop, `delay` seconds from now.

    The action runs at the end of the first block in which `delay` has elapsed, so objects
    created before this call have computed one block by then. Keep this object until `done`.
    The pyo `CallAfter` holds only a small flag object, never this one: no reference cycle.

    >>> # later = AudioCallback(lambda: fader.setInput(new_source, 0.05))
    """

    def __init__(self, action: Callable[[], None], delay: float = 1e-4) -> None:
        self._flag = _Flag(action)
        self._timer = pyo().CallAfter(self._flag.fire, time=delay)

    @property
    def done(self) -> bool:
        """True once the action has run."""
        return self._flag.done


class _Flag:
    def __init__(self, action: Callable[[], None]) -> None:
        self.action = action
        self.done = False

    def fire(self) -> None:
        if not self.done:
            self.done = True
            self.action()


def with_mix(owner: str, specs: list[ParamSpec], mix: float) -> ParamTable:
    """A ParamTable of `specs` plus the common dry/wet `mix` row with default `mix`.

    >>> list(with_mix("x", [], 1.0))
    ['mix']
    """
    row = ParamSpec("mix", mix, 0.0, 1.0, "", "dry/wet: 0 dry only, 1 effect only")
    return ParamTable(owner, [*specs, row])


class Effect:
    """Base of every effect: validated, smoothed params, a crossfading input, dry/wet `mix`.

    Subclasses set KIND and PARAMS and implement `_build(source) -> wet` using `self.p(name)`
    for smoothed parameter signals. `self.out` is stereo and not `.out()`-ed.

    >>> # fx = create("lpf", strip_sum, ctx, cutoff=800); fx.set("cutoff", 2000, delay=0.003)
    """

    KIND: ClassVar[str] = "effect"
    PARAMS: ClassVar[ParamTable] = ParamTable("effect", [])
    RAMP: ClassVar[float] = DEFAULT_RAMP
    STATIC: ClassVar[frozenset[str]] = frozenset()
    """Parameters fixed at creation (set() on them raises ParamError)."""

    def __init__(self, input: Any, ctx: EffectContext, **params: float) -> None:
        p = pyo()
        server = server_of(input)
        before = snapshot(server)
        self.ctx = ctx
        values = self.PARAMS.defaults()
        values.update(self.PARAMS.validate(params))
        self._trig = p.Trig()
        self.head: Any = self._trig
        """The first pyo object this effect created: streams moved before it precede it all."""
        self.placed = False
        """True once a chain has put this effect's streams in pyo's processing order."""
        self._params: dict[str, SmoothParam] = {
            name: SmoothParam(self.PARAMS[name], values[name], sr=ctx.sr, trig=self._trig,
                              ramp=self.RAMP, sleeper=ctx.sleeper)
            for name in self.PARAMS
        }
        self._input = p.InputFader(input)
        self._dry = self._input
        wet = self._build(self._input)
        if "mix" in self._params:
            self.out = p.Interp(self._dry, wet, interp=self.p("mix"))
        else:
            self.out = wet
        self.streams: list[Any] = created_since(server, before)
        """The pyo streams this effect created (to move them in pyo's processing order)."""

    def _build(self, source: Any) -> Any:
        """Build the wet graph from `source` (stereo) and return it (stereo)."""
        return source

    def p(self, name: str) -> Any:
        """The smoothed pyo signal of parameter `name`."""
        return self._params[name].sig

    @property
    def values(self) -> dict[str, float]:
        """Current (target) value of every parameter."""
        return {name: param.value for name, param in self._params.items()}

    @property
    def options(self) -> dict[str, Any]:
        """Non-numeric constructor options (sidechain key, impulse file) for re-creation."""
        return {}

    def set(self, name: str, value: float, *, delay: float = 0.0) -> None:
        """Validate and glide parameter `name` to `value`, `delay` seconds after the block start.

        >>> # fx.set("cutoff", 1200.0, delay=0.002)
        """
        spec = self.PARAMS.get(name)
        if spec is None:
            known = ", ".join(self.PARAMS)
            raise ParamError(f"{self.KIND}: unknown parameter {name!r} (known: {known})")
        checked = spec.check(value, self.KIND)
        if name in self.STATIC:
            raise ParamError(f"{self.KIND}: {name} is fixed at creation; add a new effect instead")
        self._params[name].set(checked, delay)
        self._changed(name, checked)

    def _changed(self, name: str, value: float) -> None:
        """Hook for subclasses that derive Python-side state from a parameter."""

    @property
    def input(self) -> Any:
        """The signal the effect currently reads."""
        return self._input.input

    def set_input(self, input: Any, fade: float = 0.05) -> None:
        """Re-route the effect's input, crossfading over `fade` seconds (no dropout)."""
        self._input.setInput(input, fade)

    def settle(self) -> None:
        """Forget the input a finished crossfade faded out (pyo's InputFader keeps it).

        A faded-out input still referenced can form a reference cycle between effects (after a
        move), and collecting such a cycle while pyo runs crashes it. Call only once the
        fade is over: it cuts a fade in progress.
        """
        self._input.setInput(self._input.input, 0.0)

    def release(self) -> None:
        """Drop every reference to other tracks' signals and faded-out inputs (before freeing).

        Called by the chain on effects it discards, so pyo objects are freed by reference
        counting, never by the cycle collector while pyo runs.
        """
        self.close()
        self.settle()

    def close(self) -> None:
        """Release listeners (tempo) before the effect is dropped."""

    def describe(self) -> Mapping[str, float]:
        """KIND and current values, e.g. for `show` in the REPL.

        >>> # fx.describe() -> {'cutoff': 800.0, 'resonance': 0.2, 'mix': 1.0}
        """
        return dict(self.values)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.values.items())
        return f"{type(self).__name__}({self.KIND}: {args})"
