"""The effect base: context, input crossfading, dry/wet, smoothed sample-exact parameters.

Every effect parameter is a `SmoothParam` (`synths.effects.smooth`, re-exported here): a change
starts its 20 ms glide on its exact sample (no clicks, no block quantisation), and an idle
parameter sleeps. The context carries the `ParamSleeper` and the `BlockTimer` (deferred
re-routes), which the engine ticks once per block with `ctx.tick(now)`.

>>> ctx = EffectContext(sr=48000, bpm=120)
>>> ctx.seconds_per_beat
0.5
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.order import created_since, id_span, server_of, snapshot
from synths.effects.reaper import Reaper
from synths.effects.smooth import DEFAULT_RAMP, MAX_SET_DELAY, ParamSleeper, Sleeps, SmoothParam
from synths.effects.timer import BlockTimer
from synths.errors import ParamError
from synths.params import ParamSpec, ParamTable

__all__ = [
    "DEFAULT_RAMP",
    "MAX_SET_DELAY",
    "EffectContext",
    "SmoothParam",
    "ParamSleeper",
    "Sleeps",
    "BlockTimer",
    "Effect",
    "with_mix",
    "DC_BLOCK_HZ",
]

KeyLookup = Callable[[str], Any]

DC_BLOCK_HZ = 5.0
"""Corner of the DC blocker on the wet output of the effects that can make or multiply DC."""


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
        """Puts this context's idle smoothed parameters to sleep (ticked with the context)."""
        self.timer = BlockTimer(self.sr)
        """Runs deferred re-routes and settles at block starts (ticked with the context)."""
        self.reaper = Reaper()
        """Frees the pyo objects that rebuilds retire, a few at a time (see `Reaper`)."""
        self._tempo_listeners: list[weakref.WeakMethod[Callable[[float], None]] | _Strong] = []

    @property
    def bpm(self) -> float:
        """Current tempo in beats per minute."""
        return self._bpm

    @property
    def seconds_per_beat(self) -> float:
        """Length of one beat in seconds."""
        return 60.0 / self._bpm

    def tick(self, now: int) -> None:
        """Once per block, at its start (frame `now`), before pyo computes it: run the deferred
        actions that are due, then put settled parameters to sleep. The engine calls it from
        its block callback; a bare pyo server can call it from `Server.setCallback`."""
        self.timer.tick(now)
        self.sleeper.tick(now)

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

    Usage (not run as a doctest: it needs a running engine)::

        fx = create("lpf", strip_sum, ctx, cutoff=800); fx.set("cutoff", 2000, delay=0.003)
    """

    KIND: ClassVar[str] = "effect"
    PARAMS: ClassVar[ParamTable] = ParamTable("effect", [])
    RAMP: ClassVar[float] = DEFAULT_RAMP
    STATIC: ClassVar[frozenset[str]] = frozenset()
    """Parameters fixed at creation (set() on them raises ParamError)."""
    DC_BLOCK: ClassVar[bool] = False
    """True where the effect's DSP can make DC (a nonlinearity: shaper, quantiser, gain that
    follows the signal) or multiply it (feedback, reverberation): its wet output then goes
    through a `DC_BLOCK_HZ` one-pole high-pass."""

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
        if self.DC_BLOCK:
            self._dc_block = wet = p.Atone(wet, freq=DC_BLOCK_HZ)
        if "mix" in self._params:
            self.out = p.Interp(self._dry, wet, interp=self.p("mix"))
        else:
            self.out = wet
        self.streams: list[Any] = created_since(server, before)
        """The pyo streams this effect created (to move them in pyo's processing order)."""
        self.stream_ids: tuple[int, int] = id_span(self.streams, before)
        """The first and last stream id this effect created (what the reaper frees of it)."""

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

        Usage (not run as a doctest: it needs a running engine)::

            fx.set("cutoff", 1200.0, delay=0.002)
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

        Usage (not run as a doctest: it needs a running engine)::

            fx.describe() -> {'cutoff': 800.0, 'resonance': 0.2, 'mix': 1.0}
        """
        return dict(self.values)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.values.items())
        return f"{type(self).__name__}({self.KIND}: {args})"
