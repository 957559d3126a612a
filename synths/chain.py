"""An ordered, live-editable chain of effects for one track.

Every effect reads its input through an `InputFader`, and so does the chain's output point. Adding,
removing, moving or replacing an effect only re-routes those faders with a crossfade of `fade`
seconds, so the sound never drops out (each edit re-routes every connection at most once; two
edits of the same connection less than `fade` apart can click, as pyo's InputFader restarts its
ramp). A removed effect keeps running until its fade is over, then it is released.

pyo processes objects in the order of its stream list (creation order): an effect added to a
running chain would be newer than the objects downstream of it, which would hear it one block
later. The chain moves every new effect's streams just before its downstream neighbour
(`synths.effects.order`) and never re-orders running effects (`move` re-creates the effect at
its new place), so the chain stays block-exact without shifting a running path.
`rebuild_output()` (after the Mixer gave the chain a new summing point) moves the effects, in
order, after it; `rebuild(input)` re-creates every effect (with its current values).

Usage (not run as a doctest: it needs a running engine)::

    chain = Chain(strip_sum, ctx); chain.add("lpf", cutoff=900); chain.add("reverb", mix=0.2)
    chain.set("lpf", "cutoff", 1800); chain.move(1, 0); chain.remove("reverb")
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from synths._pyo import pyo
from synths.effects import Effect, EffectContext, resolve
from synths.effects.timer import Deferred
from synths.effects.dynamics import Duck
from synths.effects.order import alive_in_range, move_before, server_of
from synths.errors import ParamError

__all__ = ["Chain", "DEFAULT_FADE"]

DEFAULT_FADE = 0.05
"""Seconds of the crossfade used when the chain is re-routed."""


class Chain:
    """Ordered effects between a track's summing point and its fader.

    Usage (not run as a doctest: it needs a running engine)::

        Chain(sum_, ctx).add("delay", time=0.5).set("feedback", 0.5)
    """

    def __init__(
        self, input: Any, ctx: EffectContext, *, fade: float = DEFAULT_FADE, owner: str = ""
    ) -> None:
        self.ctx = ctx
        self.fade = fade
        self.owner = owner
        self._token = 0
        self._source = input
        self._effects: list[Effect] = []
        self._feeds: dict[int, Any] = {}
        self._retired: list[tuple[Deferred, Effect]] = []
        self._pending: list[Deferred] = []
        self._graveyard: list[Any] = []
        self._settled = 0
        self.out = pyo().InputFader(input)
        self._out_feed: Any = input
        self._outs = [self.out]
        weakref.finalize(self, _release, self._effects, self._retired, self._outs)

    def __len__(self) -> int:
        return len(self._effects)

    def __iter__(self) -> Iterator[Effect]:
        return iter(list(self._effects))

    def __getitem__(self, ref: int | str) -> Effect:
        return self._effects[self.index(ref)]

    def kinds(self) -> list[str]:
        """The KIND of every effect, in order.

        Usage (not run as a doctest: it needs a running engine)::

            chain.kinds() -> ['lpf', 'reverb']
        """
        return [fx.KIND for fx in self._effects]

    def index(self, ref: int | str) -> int:
        """Position of effect `ref`: an index (negative ok) or the KIND of the first match."""
        if isinstance(ref, bool):
            raise ParamError(f"chain: effect reference must be an index or a kind, not {ref!r}")
        if isinstance(ref, int):
            if not -len(self._effects) <= ref < len(self._effects):
                raise ParamError(f"chain: no effect at index {ref} (chain has {len(self)})")
            return ref % len(self._effects)
        name = resolve(ref).KIND
        for i, fx in enumerate(self._effects):
            if fx.KIND == name:
                return i
        raise ParamError(f"chain: no {name!r} effect in this chain ({', '.join(self.kinds())})")

    def add(self, kind: str, index: int | None = None, **params: Any) -> Effect:
        """Create an effect and insert it at `index` (default: the end), crossfading it in."""
        position = len(self._effects) if index is None else max(0, min(index, len(self)))
        upstream = self._effects[position - 1].out if position else self._source
        effect = self._create(resolve(kind), upstream, params)
        self._effects.insert(position, effect)
        self._feeds[id(effect)] = upstream
        self._rewire(defer=True)
        return effect

    def remove(self, ref: int | str) -> Effect:
        """Take an effect out, crossfading around it; it is released after the fade."""
        effect = self._effects.pop(self.index(ref))
        del self._feeds[id(effect)]
        self._rewire()
        self._retire(effect)
        return effect

    def move(self, ref: int | str, index: int) -> Effect:
        """Move an effect to position `index`, crossfading; returns the effect now there.

        pyo cannot compute one object both before and after another, so the effect is
        re-created at its new place (same values and options; its tail or echoes restart
        while the old one fades out) and the chain stays block-exact.
        """
        old = self._effects.pop(self.index(ref))
        position = max(0, min(index, len(self._effects)))
        upstream = self._effects[position - 1].out if position else self._source
        new = self._create(type(old), upstream, {**old.options, **old.values})
        self._effects.insert(position, new)
        del self._feeds[id(old)]
        self._feeds[id(new)] = upstream
        self._rewire(defer=True)
        self._retire(old)
        return new

    def replace(self, ref: int | str, kind: str, **params: Any) -> Effect:
        """Swap the effect at `ref` for a new one of `kind`, with a crossfade."""
        position = self.index(ref)
        old = self._effects[position]
        upstream = self._effects[position - 1].out if position else self._source
        new = self._create(resolve(kind), upstream, params)
        self._effects[position] = new
        del self._feeds[id(old)]
        self._feeds[id(new)] = upstream
        self._rewire(defer=True)
        self._retire(old)
        return new

    def replace_all(self, specs: Sequence[Mapping[str, Any]]) -> None:
        """Make the chain equal to `specs` (`[{"kind": "lpf", "cutoff": 800}, ...]`), live.

        An existing effect of the same kind and options is kept (its parameters glide to the
        spec's values, unnamed ones to their defaults) so its state survives; the others are
        crossfaded out, new ones crossfaded in, and the order is made to match.

        Usage (not run as a doctest: it needs a running engine)::

            chain.replace_all([{"kind": "duck", "key": "d1", "amount": 0.7}, {"kind": "reverb"}])
        """
        wanted = [_split_spec(spec) for spec in specs]
        for cls, options, params in wanted:
            cls.PARAMS.validate(params)
        pool = list(self._effects)
        rank = {id(fx): i for i, fx in enumerate(self._effects)}
        last = -1
        result: list[Effect] = []
        for cls, options, params in wanted:
            match = next((fx for fx in pool if type(fx) is cls and fx.options == options
                          and _statics_equal(fx, params) and rank[id(fx)] > last), None)
            if match is not None:
                last = rank[id(match)]
                pool.remove(match)
                for name, value in {**cls.PARAMS.defaults(), **params}.items():
                    if name not in cls.STATIC and match.values[name] != value:
                        match.set(name, value)
            else:
                upstream = result[-1].out if result else self._source
                match = self._create(cls, upstream, {**options, **params})
                self._feeds[id(match)] = upstream
            result.append(match)
        self._effects[:] = result
        for effect in pool:
            del self._feeds[id(effect)]
        self._rewire(defer=True)
        for effect in pool:
            self._retire(effect)

    def set(self, ref: int | str, param: str, value: float, *, delay: float = 0.0) -> None:
        """Set a parameter of effect `ref` (smoothed, sample-exact after `delay` seconds).

        Usage (not run as a doctest: it needs a running engine)::

            chain.set("lpf", "cutoff", 2400.0, delay=0.0021)
        """
        self[ref].set(param, value, delay=delay)

    def set_input(self, input: Any, fade: float | None = None, *, defer: bool = True) -> None:
        """Feed the chain from a new source, crossfading (deferred one block: see `_rewire`)."""
        self._source = input
        self._rewire(fade, defer=defer)

    def refresh_keys(self) -> None:
        """Point every sidechain (`duck`) at its key track's current pre-fader signal.

        Deferred one block like every new connection; the Mixer calls it after a rebuild.
        """
        ducks = [(fx, self.ctx.key(fx.key)) for fx in self._effects if isinstance(fx, Duck)]
        if not ducks:
            return

        def rekey(chain: Chain) -> None:
            for effect, signal in ducks:
                chain._graveyard.append(effect.key_signal)
                effect.set_key(signal, 0.02)

        self._later(rekey, 1e-4)
        self._token += 1
        token = self._token
        self._later(lambda c: c._settle(token), 0.06)

    def clear(self) -> None:
        """Remove every effect (crossfaded)."""
        while self._effects:
            self.remove(-1)

    def rebuild(self, input: Any) -> None:
        """Re-create every effect after `input` (and the output point) in creation order.

        Parameter values and options carry over; internal state (tails, echoes) restarts.
        """
        old = list(self._effects)
        _release(self._effects, self._retired, self._outs)
        self._source = input
        self._feeds = {}
        upstream = input
        for effect in old:
            fresh = type(effect)(upstream, self.ctx, **effect.options, **effect.values)
            fresh.placed = True                      # created in order after `input`
            self._effects.append(fresh)
            self._feeds[id(fresh)] = upstream
            upstream = fresh.out
        self._set_out(pyo().InputFader(upstream), upstream)

    def rebuild_output(self) -> None:
        """Re-create only the output point (after the last effect), keeping the effects."""
        upstream = self._effects[-1].out if self._effects else self._source
        self._set_out(pyo().InputFader(upstream), upstream)
        self._reorder()

    def _set_out(self, fader: Any, upstream: Any) -> None:
        old = self.out
        old.setInput(old.input, 0.0)
        self.out = fader
        self._outs[:] = [fader]
        self._out_feed = upstream

    def _create(self, cls: type[Effect], upstream: Any, params: Mapping[str, Any]) -> Effect:
        """Build an effect; a track may not key its own sidechain (a feedback loop)."""
        if cls is Duck and self.owner and params.get("key") == self.owner:
            raise ParamError(f"duck: track {self.owner!r} cannot duck itself (key={self.owner!r})")
        return cls(upstream, self.ctx, **params)

    def _rewire(self, fade: float | None = None, *, defer: bool = False) -> None:
        """Point every input fader at its new upstream, crossfading, then settle them.

        New effects are first placed in pyo's processing order (`_place_new`). With `defer`, the
        re-routing happens at the start of the block after the coming one (the context's
        `BlockTimer`), so a new effect's output is already running when the crossfade to it starts. After the
        fade, `_settle` makes the faders forget their faded-out inputs (see `Effect.settle`);
        a later edit supersedes an earlier edit's settle.
        """
        seconds = self.fade if fade is None else fade
        self._place_new()
        if defer:
            self._later(lambda c: c._route(seconds), 1e-4)
        else:
            self._route(seconds)
        self._token += 1
        token = self._token
        self._later(lambda c: c._settle(token), 1e-4 + seconds + 0.03)

    def _place_new(self) -> None:
        """Move effects that are not yet in pyo's order before their downstream neighbour.

        Kept effects are already in chain order (edits never reorder them), so moving only the
        new ones changes no existing path's timing; last first, so new neighbours line up.
        """
        downstream: Any = self.out
        for effect in reversed(self._effects):
            if not effect.placed:
                move_before(effect.streams, downstream)
                effect.placed = True
            downstream = effect.head

    def _reorder(self) -> None:
        """Put every effect's streams, in chain order, just before the output point.

        pyo then computes the source, each effect and the output in this order within a block:
        an effect created into (or moved within) a running chain is heard in the same block.
        """
        for effect in self._effects:
            move_before(effect.streams, self.out)

    def _later(self, action: Callable[[Chain], None], delay: float) -> None:
        self._pending.append(self.ctx.timer.later(_weak_call(self, action), delay))

    def _route(self, seconds: float) -> None:
        """Re-route changed connections now (may run in the audio callback, at a block start).

        Replaced inputs go to a graveyard that `collect()` empties from Python once the faders
        are settled, so the audio thread frees nothing.
        """
        upstream = self._source
        for effect in self._effects:
            if self._feeds.get(id(effect)) is not upstream:
                self._graveyard.append(self._feeds.get(id(effect)))
                effect.set_input(upstream, seconds)
                self._feeds[id(effect)] = upstream
            upstream = effect.out
        if self._out_feed is not upstream:
            self._graveyard.append(self._out_feed)
            self.out.setInput(upstream, seconds)
            self._out_feed = upstream

    def _settle(self, token: int) -> None:
        if token != self._token:
            return
        for effect in self._effects:
            effect.settle()
        self.out.setInput(self.out.input, 0.0)
        self._settled = token

    def collect(self) -> int:
        """Release removed effects whose fade is over; returns how many are still fading.

        Call it from Python (the Mixer does on every `meters()`), never from the audio callback.
        """
        if self._settled == self._token:
            for timer, effect in [entry for entry in self._retired if entry[0].done]:
                effect.release()
                # freed a few objects at a time (no long GIL-holding cascade while audio runs)
                self.ctx.reaper.bury_bases(alive_in_range(server_of(self.out), effect.stream_ids), stop=True)
                self._retired.remove((timer, effect))
            self._graveyard.clear()
        self._pending[:] = [entry for entry in self._pending if not entry.done]
        return len(self._retired)

    @property
    def waiting(self) -> bool:
        """Whether `collect()` has something left to release (a crossfade not yet over)."""
        return bool(self._retired or self._graveyard or self._pending)

    def _retire(self, effect: Effect) -> None:
        """Keep `effect` alive through the crossfade; `collect()` drops it afterwards."""
        effect.close()
        self._retired.append((self.ctx.timer.later(_nothing, self.fade + 0.05), effect))
        self.collect()


def _split_spec(spec: Mapping[str, Any]) -> tuple[type[Effect], dict[str, Any], dict[str, Any]]:
    """(class, string options, numeric params) of a `{"kind": ..., ...}` spec.

    >>> cls, options, params = _split_spec({"kind": "lpf", "cutoff": 900}); (cls.KIND, options, params)
    ('lpf', {}, {'cutoff': 900})
    """
    if "kind" not in spec:
        raise ParamError(f"chain spec {dict(spec)!r} has no 'kind'")
    cls = resolve(str(spec["kind"]))
    options = {k: v for k, v in spec.items() if k != "kind" and k not in cls.PARAMS}
    params = {k: v for k, v in spec.items() if k in cls.PARAMS}
    return cls, options, params


def _statics_equal(effect: Effect, params: Mapping[str, Any]) -> bool:
    defaults = effect.PARAMS.defaults()
    return all(effect.values[n] == float(params.get(n, defaults[n])) for n in effect.STATIC)


def _weak_call(chain: Chain, action: Callable[[Chain], None]) -> Callable[[], None]:
    """`action(chain)` if the chain still exists: a pending action keeps no chain alive."""
    ref = weakref.ref(chain)

    def call() -> None:
        target = ref()
        if target is not None:
            action(target)

    return call


def _nothing() -> None:
    """The action of a timer that only marks the end of a fade."""


def _release(effects: list[Effect], retired: list[tuple[Deferred, Effect]],
             outs: list[Any]) -> None:
    """Settle and drop every effect of a chain that is discarded or rebuilt.

    Faded-out inputs kept by pyo's InputFaders can link effects in a reference cycle; settling
    first means the objects are freed by reference counting, never by the cycle collector
    while pyo runs (which crashes it).
    """
    for effect in [*effects, *(fx for _, fx in retired)]:
        effect.release()
    for fader in outs:
        fader.setInput(fader.input, 0.0)
    effects.clear()
    retired.clear()
