"""The mixer: track strips (chain, gain, pan, mute, solo, sends), shared reverb/delay buses, master.

Signal flow of a track: sources (voice pools) -> summing point -> effect chain -> `pre_fader`
-> gain (dB) x mute/solo -> pan (balance) -> `post_fader` -> master, and post-fader sends to the
shared "reverb" and "delay" buses whose returns also feed the master.

pyo processes objects in creation order, so `rebuild()` re-creates, in dependency order, the
summing point, chain output, fader and sends of every strip whose sources changed (and of the
strips that duck to those), the bus inputs and the master; the other strips keep their objects,
and what is replaced leaves through the context's `Reaper`. By default effects are
kept (their tails and echoes continue) and moved in pyo's processing order after their new
inputs (`synths.effects.order`), so every path is block-exact either way; the chain's switch to
the new summing point is crossfaded over 20 ms. `rebuild(effects=True)` also re-creates every
effect (with current values; internal state restarts): the engine uses it before it starts.
Objects handed out (`strip.pre_fader`, `strip.post_fader`, `master.out`) are replaced by each
rebuild: fetch them again (or register `on_rebuild`).

Stems: record `post_fader` of every track; with all sends at 0 and the master neutral
(`mixer.master.set_neutral(True)`), the stems sum to the master output.

Usage (not run as a doctest: it needs a running engine)::

    mixer = Mixer(EffectContext(48000, 120)); strip = mixer.add_track("d1")
    strip.add_source(pool.out); mixer.rebuild(); mixer.set_param("d1.gain", -6)
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from synths._pyo import pyo
from synths.chain import Chain
from synths.denormals import flushed
from synths.effects import Effect, EffectContext, SmoothParam
from synths.effects.timer import Deferred
from synths.effects.dynamics import Duck
from synths.effects.order import (
    StreamGroup, alive_in_range, created_ids_since, created_since, move_before, server_of, snapshot, streams_of,
)
from synths.effects.delay import SyncedDelay
from synths.effects.reverb import Reverb
from synths.errors import ParamError
from synths.master import MasterBus
from synths.meters import TRACK_RING_SECONDS, LevelMeter, MasterMeter, Tap
from synths.params import ParamSpec, ParamTable

__all__ = ["Mixer", "TrackStrip", "BUSES", "MASTER_FADE", "MASTER_FADE_AFTER"]

BUSES: tuple[str, ...] = ("reverb", "delay")
"""Names of the shared send buses."""
MASTER_FADE_AFTER = 0.012
"""Seconds a live rebuild's new master runs beside the old one before the output crosses over
(more than its 79-sample look-ahead and two 256-frame blocks)."""
MASTER_FADE = 0.02
"""Seconds of the crossfade from the old output to the new master."""


class Mixer:
    """Track strips, send buses and the master bus, built in pyo creation order.

    >>> from synths.effects import EffectContext
    >>> server = pyo().Server(nchnls=2, duplex=0, audio="manual", verbosity=1).boot()
    >>> mixer = Mixer(EffectContext(48000, 120), output=False)
    >>> mixer.add_track("d1").chain.add("lpf", cutoff=800).KIND, sorted(mixer.tracks)
    ('lpf', ['d1'])
    >>> server.shutdown()
    """

    def __init__(
        self, ctx: EffectContext, *, output: bool = True, channel: int = 0, metering: bool = True
    ) -> None:
        self.ctx = ctx
        self.output = output
        self.channel = channel
        self.metering = metering
        """Whether meter taps run (`set_metering`); off, `meters()` reports nothing."""
        self.generation = 0
        self._strips: dict[str, TrackStrip] = {}
        self._removed: list[TrackStrip] = []
        self._listeners: list[Callable[[Mixer], None]] = []
        self._pending: list[Deferred] = []
        self._graveyard: list[Any] = []
        ctx.key_lookup = _weak_key(self)
        p = pyo()
        self._bus_feed = {name: p.Sig([0.0, 0.0]) for name in BUSES}
        self.buses: dict[str, Effect] = {
            "reverb": Reverb(self._bus_feed["reverb"], ctx, size=0.8, damp=0.5, mix=1.0),
            "delay": SyncedDelay(self._bus_feed["delay"], ctx, time=0.75, feedback=0.4, mix=1.0),
        }
        self._idle_buses: dict[str, StreamGroup] = {}
        """Buses no track has sent to yet, stopped; and their stopped feeds (one group per
        rebuild: a replaced feed's objects must be freed, never played again)."""
        self._idle_feeds: dict[str, StreamGroup] = {}
        self._slept: set[str] = set()
        """Buses stopped by `sleep_bus` (silent after use), woken by `wake_buses`."""
        self._retired_masters: list[tuple[Deferred, MasterBus, Any]] = []
        self.heard: Any = None
        """What goes to the output: the master's `out`, or during a live rebuild's hand-over the
        stage that crossfades the old output into the new master (record and meter this)."""
        self._master_ids: dict[int, tuple[int, int]] = {}
        """The stream ids each master build created (by id of the MasterBus), for the reaper."""
        self.rebuilt: list[str] = []
        """The tracks the last `rebuild` re-created (their strips' objects are new)."""
        for name, bus in self.buses.items():     # no send yet: the bus and its feed are stopped
            self._idle_buses[name] = StreamGroup(bus.streams)
            self._idle_buses[name].stop()
        self._build_master()

    # ---- tracks -------------------------------------------------------------------------
    def add_track(self, name: str) -> TrackStrip:
        """Create (or return the existing) strip `name`; call `rebuild()` once sources exist."""
        if not isinstance(name, str) or not name:
            raise ParamError(f"Mixer.add_track: name must be a non-empty string, not {name!r}")
        if name not in self._strips:
            self._strips[name] = TrackStrip(name, self.ctx, on_send=_weak_wake(self))
            self._update_audibility()
        return self._strips[name]

    def remove_track(self, name: str) -> None:
        """Fade the strip out; it leaves the graph at the next `rebuild()`."""
        strip = self.strip(name)
        strip.set("audible", 0.0)
        del self._strips[name]
        self._removed.append(strip)
        self._update_audibility()

    def find(self, name: str) -> TrackStrip | None:
        """The strip of track `name`, or None (one lookup: safe from the audio callback while
        the main thread adds or removes strips)."""
        return self._strips.get(name)

    def strip(self, name: str) -> TrackStrip:
        """The strip of track `name` (ParamError naming the known tracks if absent)."""
        strip = self._strips.get(name)
        if strip is None:
            known = ", ".join(self._strips) or "none"
            raise ParamError(f"mixer: no track named {name!r} (tracks: {known})")
        return strip

    @property
    def tracks(self) -> list[str]:
        """Names of the strips, in creation order."""
        return list(self._strips)

    def _key(self, name: str) -> Any:
        strip = self.find(name)
        return None if strip is None else strip.pre_fader

    # ---- mute / solo --------------------------------------------------------------------
    def mute(self, name: str, muted: bool = True) -> None:
        """Mute (or unmute) a track, smoothly."""
        self.strip(name).muted = bool(muted)
        self._update_audibility()

    def solo(self, name: str, soloed: bool = True) -> None:
        """Solo (or unsolo) a track: while any track is soloed, only soloed tracks sound."""
        self.strip(name).soloed = bool(soloed)
        self._update_audibility()

    def _update_audibility(self, delay: float = 0.0) -> None:
        # The audio callback gets here too (a "d1.mute" ParamEvent) while the main thread may
        # add or remove a strip: iterate one copy, taken in one C call under the GIL.
        strips = list(self._strips.values())
        any_solo = any(strip.soloed for strip in strips)
        for strip in strips:
            audible = not strip.muted and (strip.soloed or not any_solo)
            strip.set("audible", 1.0 if audible else 0.0, delay=delay)

    # ---- parameters ---------------------------------------------------------------------
    def set_param(self, path: str, value: float, delay: float = 0.0) -> None:
        """Set a fader, send, effect or master parameter by path (smoothed, sample-exact).

        Paths: "d1.gain" (dB), "d1.pan" (0..1), "d1.mute"/"d1.solo" (0/1), "d1.send.reverb",
        "d1.fx.0.mix", "d1.fx.lpf.cutoff", "master.ceiling", "bus.delay.feedback".

        Usage (not run as a doctest: it needs a running engine)::

            mixer.set_param("d1.fx.lpf.cutoff", 1200, delay=0.0031)
        """
        parts = path.split(".") if isinstance(path, str) else []
        if len(parts) < 2:
            raise ParamError(
                f"Mixer.set_param: bad path {path!r} (e.g. 'd1.gain', 'master.ceiling')"
            )
        head, rest = parts[0], parts[1:]
        if head == "master" and len(rest) == 1:
            self.master.set(rest[0], value, delay=delay)
        elif head == "bus" and len(rest) == 2 and rest[0] in self.buses:
            self.buses[rest[0]].set(rest[1], value, delay=delay)
        elif (strip := self.find(head)) is not None:          # one lookup: see _update_audibility
            self._set_strip(strip, rest, value, delay)
        else:
            raise ParamError(
                f"Mixer.set_param: no track, 'master' or 'bus' called {head!r} ({path!r})"
            )

    def _set_strip(self, strip: TrackStrip, rest: list[str], value: float, delay: float) -> None:
        if rest[0] in ("mute", "solo") and len(rest) == 1:
            if rest[0] == "mute":
                strip.muted = bool(value)
            else:
                strip.soloed = bool(value)
            self._update_audibility(delay)
        elif rest[0] == "fx" and len(rest) == 3:
            ref: int | str = int(rest[1]) if rest[1].lstrip("-").isdigit() else rest[1]
            strip.chain.set(ref, rest[2], value, delay=delay)
        elif rest[0] == "send" and len(rest) == 2 and rest[1] in BUSES:
            strip.set(f"send_{rest[1]}", value, delay=delay)
        elif len(rest) == 1 and rest[0] in ("gain", "pan"):
            strip.set(rest[0], value, delay=delay)
        else:
            raise ParamError(
                f"Mixer.set_param: unknown track path {'.'.join([strip.name, *rest])!r} "
                "(gain, pan, mute, solo, send.reverb, send.delay, fx.<index|kind>.<param>)"
            )

    # ---- graph ----------------------------------------------------------------------------
    def on_rebuild(self, listener: Callable[[Mixer], None]) -> None:
        """Call `listener(mixer)` after every rebuild (to re-fetch stems and master.out)."""
        self._listeners.append(listener)

    def rebuild(self, *, effects: bool = False, swap_later: bool = False) -> None:
        """Re-create what new sources changed (see the module doc): the strips whose sources or
        sidechain keys changed since their last build, the strips that listen to those, the
        send buses' input sums and the master. The other strips keep their objects (no CPU, no
        freeing: a live rebuild of a grown set stays short). `effects=True` re-creates every
        strip and effect.

        With `swap_later` (a rebuild made outside the audio callback while audio runs) the new
        graph is built beside the old one, which keeps playing, and the output switches from
        the old master to the new one at the next block start, in the callback: no block hears
        a half-built graph, and the audio thread creates and frees nothing. What a rebuild
        replaces goes to the context's `Reaper`, which frees it a few objects at a time."""
        reaper = self.ctx.reaper
        for strip in self._removed:
            strip.close()
            reaper.bury(strip.own_objects())
        self._removed.clear()
        self._pending = [entry for entry in self._pending if not entry.done]
        if not self._pending:
            self._graveyard.clear()
        server = server_of(self.master.out)
        dirty = self._dirty_strips(everything=effects)
        self.rebuilt = []
        for strip in self._dependency_order():
            if strip in dirty:
                self.rebuilt.append(strip.name)
                reaper.bury(strip.own_objects())     # before the rebuild drops them: no cascade
                strip.rebuild(effects=effects)
        p = pyo()
        for name in BUSES:
            before = snapshot(server)
            feeds = [strip.sends[name] for strip in self._strips.values()]
            bus_in = p.Mix(feeds, voices=2) if feeds else p.Sig([0.0, 0.0])
            self._bus_feed[name] = bus_in
            idle = name in self._idle_buses
            if idle:                             # never sent to: the new feed sleeps too
                self._idle_feeds[name] = StreamGroup(created_since(server, before))
                self._idle_feeds[name].stop()
            bus = self.buses[name]
            if effects:
                bus.release()
                self.buses[name] = type(bus)(bus_in, self.ctx, **bus.values)
                if idle:
                    self._idle_buses[name] = StreamGroup(self.buses[name].streams)
                    self._idle_buses[name].stop()
            else:
                self._graveyard.append(bus.input)
                reaper.bury([bus.input])
                later = self.ctx.timer.later
                self._pending.append(later(partial(bus.set_input, bus_in, 0.02)))
                self._pending.append(later(partial(_settle_bus, weakref.ref(self), name, self.generation), 0.06))
        self._build_master(swap_later)
        self.generation += 1
        for listener in list(self._listeners):
            listener(self)

    def _dirty_strips(self, *, everything: bool) -> set[TrackStrip]:
        """The strips a rebuild re-creates: changed ones and, transitively, their listeners."""
        if everything:
            return set(self._strips.values())
        dirty = {strip for strip in self._strips.values() if strip.stale}
        grew = True
        while grew:
            grew = False
            for strip in self._strips.values():
                if strip not in dirty and any(
                    key in self._strips and self._strips[key] in dirty for key in strip.keys()
                ):
                    dirty.add(strip)
                    grew = True
        return dirty

    def sleep_bus(self, name: str) -> None:
        """Stop send bus `name` and its input sum (call it when the bus is silent and nothing
        sends to it: every strip asleep, its tail over); `wake_buses` plays it again.

        Usage (not run as a doctest: it needs a running engine)::

            mixer.sleep_bus("reverb"); mixer.bus_active("reverb") -> False
        """
        if name in self._idle_buses:
            return
        self._idle_buses[name] = StreamGroup(self.buses[name].streams)
        self._idle_buses[name].stop()
        self._idle_feeds[name] = StreamGroup([base._getStream() for base in streams_of(self._bus_feed[name])])
        self._idle_feeds[name].stop()
        self._slept.add(name)

    def wake_buses(self) -> None:
        """Play again the buses `sleep_bus` stopped (not those no track has sent to yet)."""
        for name in list(self._slept):
            self._wake_bus(name)

    def _wake_bus(self, name: str) -> None:
        """A track sends to bus `name` (for the first time, or it slept): play the bus and its feed."""
        self._slept.discard(name)
        idle = self._idle_buses.pop(name, None)
        if idle is not None:
            idle.play()
        feed = self._idle_feeds.pop(name, None)
        if feed is not None:
            feed.play()

    def bus_active(self, name: str) -> bool:
        """False while no track has ever sent to bus `name` (it is stopped: no CPU, silent).

        Usage (not run as a doctest: it needs a running engine)::

            mixer.bus_active("reverb") -> False until mixer.set_param("d1.send.reverb", 0.3)
        """
        return name not in self._idle_buses

    def _dependency_order(self) -> list[TrackStrip]:
        """Strips with sidechain keys after their key tracks; otherwise in creation order.

        A walk with its own stack, not a recursive closure: a closure that calls itself is a
        reference cycle, which kept the list of strips alive until the garbage collector ran,
        so a strip a rebuild had removed was freed whenever the collector came, not when the
        mixer let it go."""
        ordered: list[TrackStrip] = []
        placed: set[str] = set()
        visiting: set[str] = set()
        for first in self._strips.values():
            stack: list[tuple[TrackStrip, bool]] = [(first, False)]
            while stack:
                strip, keys_done = stack.pop()
                if keys_done:
                    placed.add(strip.name)
                    ordered.append(strip)
                    continue
                if strip.name in placed or strip.name in visiting:
                    continue
                visiting.add(strip.name)
                stack.append((strip, True))
                for key in reversed(strip.keys()):
                    if key in self._strips:
                        stack.append((self._strips[key], False))
        return ordered

    def _bury_retired_masters(self) -> None:
        """Hand the masters whose hand-over is over (and the output stages they fed) to the
        reaper: by then the stage that faded them out no longer reads them (`_let_go`)."""
        reaper = self.ctx.reaper
        for job, master, stage in self._retired_masters:
            if job.done:
                reaper.bury_bases(alive_in_range(server_of(master.out), self._master_ids.pop(id(master))), stop=True)
                reaper.bury([stage], stop=True)
        self._retired_masters = [entry for entry in self._retired_masters if not entry[0].done]

    def _build_master(self, swap_later: bool = False) -> None:
        p = pyo()
        self._bury_retired_masters()
        reaper = self.ctx.reaper
        sources: list[Any] = [strip.post_fader for strip in self._strips.values()]
        sources += [strip.post_fader for strip in self._removed]
        sources += [bus.out for bus in self.buses.values()]
        server = server_of(sources[-1])
        before = snapshot(server)
        self._master_in = p.Mix(sources, voices=2)
        for bus in self.buses.values():              # kept buses: after their new inputs
            move_before(bus.streams, self._master_in)
        old = getattr(self, "master", None)
        values = old.values if old is not None else {}
        self.master = MasterBus(self._master_in, self.ctx, **values)
        self._master_ids[id(self.master)] = created_ids_since(server, before)
        if swap_later and old is not None:
            self._crossfade_to(old)
        else:
            _swap_master(self.master, old, self.output, self.channel)
            stages = [] if old is None or self.heard is old.out else [self.heard]
            self.heard = self.master.out
            if old is not None:
                reaper.bury_bases(alive_in_range(server, self._master_ids.pop(id(old))), stop=True)
                reaper.bury(stages, stop=True)
        self._build_meters()

    def _crossfade_to(self, old: MasterBus) -> None:
        """Hand the output over from what is heard now to the new master without a gap: a new
        output stage sums the old output (gain 1) and the new master (gain 0); it replaces the
        old one at once (the same samples), and MASTER_FADE_AFTER seconds later, once the new
        master's look-ahead is filled and its envelopes have settled on the same input, the
        gains cross in MASTER_FADE seconds; then the old master and stage stop and leave through
        the reaper. (A new master switched on alone started with an empty look-ahead: a
        79-sample hole in the output at every live rebuild.)"""
        p = pyo()
        before = self.heard
        fade_out = p.SigTo(1.0, time=MASTER_FADE, init=1.0)
        fade_in = p.SigTo(0.0, time=MASTER_FADE, init=0.0)
        old_side = p.Sig(before, mul=fade_out)
        stage = p.Mix([old_side, p.Sig(self.master.out, mul=fade_in)], voices=2)
        stage._fades = (fade_out, fade_in)
        self.heard = stage
        timer = self.ctx.timer
        timer.next_block(partial(_hand_over, stage, before, self.output, self.channel))
        timer.later(partial(_cross, fade_out, fade_in), MASTER_FADE_AFTER)
        done = timer.later(partial(_let_go, old_side), MASTER_FADE_AFTER + MASTER_FADE + 0.01)
        self._retired_masters.append((done, old, before))

    def meter_streams(self, name: str) -> list[Any]:
        """The streams of track `name`'s meter tap (none when metering is off): a sleeping
        strip stops them too; `restart_meter` after playing them again."""
        meter = self._meters.get(name)
        return [] if meter is None else meter.tap.streams()

    def restart_meter(self, name: str) -> None:
        """Track `name`'s meter tap runs again after a sleep: read from now on."""
        meter = self._meters.get(name)
        if meter is not None:
            meter.tap.restart()

    def set_metering(self, enabled: bool) -> None:
        """Run the meter taps (default) or not: an offline render that reads no meters saves
        their ring copies and the loudness analysis; `meters()` then returns `{}`.

        Usage (not run as a doctest: it needs a running engine)::

            mixer.set_metering(False); mixer.meters() -> {}
        """
        self.metering = bool(enabled)
        self._build_meters()

    def _build_meters(self) -> None:
        """Point the meters at the new signals; a meter's ring is allocated once per track."""
        sr = self.ctx.sr
        meters: dict[str, LevelMeter] = getattr(self, "_meters", {})
        fresh: dict[str, LevelMeter] = {}
        if not self.metering:
            for old in meters.values():
                old.tap.close()
            self._meters = fresh
            return
        for name, strip in self._strips.items():
            meter = meters.get(name)
            if meter is None:
                meter = LevelMeter(Tap(strip.post_fader, sr, TRACK_RING_SECONDS))
            else:
                meter.retarget(strip.post_fader)
            fresh[name] = meter
        master = meters.get("master")
        if master is None:
            master = MasterMeter(Tap(self.master.out, sr), sr)
        else:
            master.retarget(self.master.out)
        fresh["master"] = master
        for name, meter in meters.items():
            if name not in fresh:
                meter.tap.close()
        self._meters = fresh

    # ---- faults: non-finite audio ----------------------------------------------------------
    def guarded(self) -> dict[str, Any]:
        """The signals a `FiniteGuard` watches: every strip's post-fader signal by track name,
        each send bus's return as `bus.<name>` (a sleeping bus outputs zeros), and the master
        output as `master`."""
        signals: dict[str, Any] = {name: strip.post_fader for name, strip in self._strips.items()}
        signals.update({f"bus.{name}": bus.out for name, bus in self.buses.items()})
        signals["master"] = self.master.out
        return signals

    def reset_bus(self, name: str) -> None:
        """Re-create send bus `name` with its values (fresh state, no tail), then the master that
        sums it; safe from the audio callback."""
        old = self.buses[name]
        old.release()
        self.buses[name] = type(old)(self._bus_feed[name], self.ctx, **old.values)
        self.reset_master()

    def reset_master(self) -> None:
        """Re-create the master bus with its values (fresh state) and tell the rebuild listeners
        (the recorder re-taps it); safe from the audio callback."""
        self._build_master()
        for listener in list(self._listeners):
            listener(self)

    # ---- meters ---------------------------------------------------------------------------
    def meters(self) -> dict[str, dict[str, float]]:
        """Peak/RMS (dBFS) of every track's post-fader signal and the master, master LUFS.

        Poll at least every few seconds of audio (meters.RING_SECONDS). Also releases removed
        effects whose crossfade is over.

        Usage (not run as a doctest: it needs a running engine)::

            mixer.meters()["master"]
            {'peak': -3.2, 'rms': -14.0, 'lufs_m': -13.1, 'lufs_s': -13.8, 'lufs_i': -14.2}
        """
        self.collect()
        # flushed: the meters' sums of squares and the loudness filter's state over a quiet or
        # silent stretch make numbers under the normal range, which x86 computes ~15x slower
        # (0.9 ms against 0.06 ms for a master meter's read over silence, GIL held)
        with flushed():
            return {name: meter.read() for name, meter in self._meters.items()}

    def collect(self) -> bool:
        """Release what finished crossfades retired: removed effects, faded-out inputs, masters
        after their hand-over (to the reaper), and the parameters the audio callback put to
        sleep (`ParamSleeper.release`: one whose effect is gone is freed here, not in the
        callback). True while some crossfade is not over yet (call again). `meters()` calls
        it; a live engine also does between commands (`Engine.reap`).

        Usage (not run as a doctest: it needs a running engine)::

            mixer.rebuild(swap_later=True); mixer.collect() -> True; (0.2 s later) -> False
        """
        self.ctx.sleeper.release()          # parameters the callback put to sleep: freed here
        for strip in self._strips.values():
            strip.chain.collect()
        self._bury_retired_masters()
        if all(entry.done for entry in self._pending):
            self._pending.clear()
            self._graveyard.clear()
        return bool(self._retired_masters or self._pending
                    or any(strip.chain.waiting for strip in self._strips.values()))

    def reset_loudness(self) -> None:
        """Restart the master's loudness measurement (integrated LUFS) from now."""
        master = self._meters.get("master")
        if master is None:
            return
        master.tap.read_new()
        if isinstance(master, MasterMeter):
            master.loudness.reset()

    def close(self) -> None:
        """Stop the output and release listeners."""
        self.master.out.stop()
        self.heard.stop()
        for _, master, stage in self._retired_masters:
            master.out.stop()
            stage.stop()
        for meter in self._meters.values():
            meter.tap.close()
        for strip in [*self._strips.values(), *self._removed]:
            strip.close()
        for bus in self.buses.values():
            bus.release()


STRIP_PARAMS = ParamTable("track", [
    ParamSpec("gain", 0.0, -96.0, 12.0, "dB", "fader level"),
    ParamSpec("pan", 0.5, 0.0, 1.0, "", "balance: 0 left, 0.5 centre (unity), 1 right"),
    ParamSpec("audible", 1.0, 0.0, 1.0, "", "mute/solo gain (set by the mixer)"),
    ParamSpec("send_reverb", 0.0, 0.0, 1.0, "", "post-fader send to the reverb bus"),
    ParamSpec("send_delay", 0.0, 0.0, 1.0, "", "post-fader send to the delay bus"),
])
"""The smoothed controls of every track strip."""


class TrackStrip:
    """One track: summing point of its sources, effect chain, fader, pan, sends.

    `add_source(obj)` registers a stereo pyo signal (a voice pool's output) to be summed into
    `input` at the next `Mixer.rebuild()`. `pre_fader` is the chain output (sidechain keys),
    `post_fader` the signal after gain, mute/solo and pan (stems).

    Usage (not run as a doctest: it needs a running engine)::

        strip = mixer.add_track("d2"); strip.add_source(pool.out); mixer.rebuild()
    """

    def __init__(
        self, name: str, ctx: EffectContext, *, on_send: Callable[[str], None] | None = None
    ) -> None:
        p = pyo()
        self.name = name
        self.ctx = ctx
        self._on_send = on_send
        self.muted = False
        self.soloed = False
        self.sources: list[Any] = []
        self._trig = p.Trig()
        self._params = {
            spec.name: SmoothParam(spec, spec.default, sr=ctx.sr, trig=self._trig, sleeper=ctx.sleeper)
            for spec in STRIP_PARAMS.values()
        }
        self.input: Any = p.Sig([0.0, 0.0])
        self.chain = Chain(self.input, ctx, owner=name)
        self._built_from: list[Any] | None = None
        self._built_keys: list[str] = []
        self._build_fader()

    def add_source(self, source: Any) -> None:
        """Sum `source` (1 or 2 channels) into this track from the next `Mixer.rebuild()`."""
        if not any(existing is source for existing in self.sources):
            self.sources.append(source)

    def connect(self, source: Any) -> None:
        """Alias of `add_source` (the engine's name for it)."""
        self.add_source(source)

    def remove_source(self, source: Any) -> None:
        """Stop summing `source` from the next `Mixer.rebuild()`."""
        self.sources = [existing for existing in self.sources if existing is not source]

    def p(self, name: str) -> Any:
        """Smoothed signal of control `name` (gain is in dB)."""
        return self._params[name].sig

    @property
    def values(self) -> dict[str, float]:
        """Current value of every control."""
        return {name: param.value for name, param in self._params.items()}

    def set(self, name: str, value: float, *, delay: float = 0.0) -> None:
        """Glide control `name` (gain dB, pan, send_reverb, send_delay) to `value`."""
        spec = STRIP_PARAMS.get(name)
        if spec is None:
            raise ParamError(f"track {self.name}: unknown control {name!r} "
                             f"(known: {', '.join(STRIP_PARAMS)})")
        checked = spec.check(value, f"track {self.name}")
        if name.startswith("send_") and checked > 0.0 and self._on_send is not None:
            self._on_send(name[len("send_"):])       # wake the bus before the send glides
        self._params[name].set(checked, delay)

    @property
    def stale(self) -> bool:
        """Whether the next `Mixer.rebuild` must re-create this strip: never built, or its
        sources or sidechain keys changed since its last build."""
        return (self._built_from is None or self.keys() != self._built_keys
                or len(self._built_from) != len(self.sources)
                or any(a is not b for a, b in zip(self._built_from, self.sources)))

    def keys(self) -> list[str]:
        """Tracks this strip's chain listens to (sidechain keys)."""
        return [fx.key for fx in self.chain if isinstance(fx, Duck)]

    def rebuild(self, *, effects: bool) -> None:
        """Re-create the summing point, then the chain (or its output) and the fader."""
        p = pyo()
        if self.sources:
            stereo = [src if len(src) == 2 else p.Mix(src, voices=2) for src in self.sources]
            self.input = p.Mix(stereo, voices=2)
        else:
            self.input = p.Sig([0.0, 0.0])
        if effects or not len(self.chain):
            self.chain.rebuild(self.input)
        else:
            self.chain.set_input(self.input, 0.02)
            self.chain.refresh_keys()
            self.chain.rebuild_output()
        self._build_fader()
        self._built_from = list(self.sources)
        self._built_keys = self.keys()

    def _build_fader(self) -> None:
        p = pyo()
        self.pre_fader: Any = self.chain.out
        self._level = p.DBToA(self.p("gain"), mul=self.p("audible"))
        # Sig's mul/add, not pyo arithmetic: a product is kept in its left operand's trace list
        # for that object's life, and the pan control lives as long as the strip (a rebuild
        # would leave three running objects behind)
        self._pans = (p.Sig(self.p("pan"), mul=-2.0, add=2.0), p.Sig(self.p("pan"), mul=2.0))
        self._left = p.Clip(self._pans[0], 0.0, 1.0)
        self._right = p.Clip(self._pans[1], 0.0, 1.0)
        self._gains = (self._level * self._left, self._level * self._right)
        self.post_fader: Any = self.pre_fader * list(self._gains)
        self.sends: dict[str, Any] = {bus: self.post_fader * self.p(f"send_{bus}") for bus in BUSES}
        """The post-fader send to each shared bus (summed into the bus by the Mixer)."""

    def silence(self) -> None:
        """Cut the strip off at once (the engine's guard, from the audio callback): stop the
        chain output and the fader, so the master, the send buses and sidechain listeners read
        zeros from it (a stopped pyo object outputs silence); `Mixer.rebuild` re-creates them."""
        for obj in (self.pre_fader, self.post_fader):
            for base in obj.getBaseObjects():
                base.stop()

    def streams(self) -> list[Any]:
        """The pyo streams of the strip's own objects that run every block: summing point, chain
        (effects and output point), fader, pan, sends, the controls' glides and their trigger;
        what an idle strip stops (the engine's strip sleep)."""
        found: list[Any] = []
        controls = [param.sig for param in self._params.values()]
        for obj in (*self.own_objects(), *controls, self._trig):
            found.extend(base._getStream() for base in streams_of(obj))
        for effect in self.chain:
            found.extend(effect.streams)
        return found

    def own_objects(self) -> list[Any]:
        """The pyo objects a rebuild replaces: summing point, chain output point, fader, sends
        (not the effects, which a rebuild keeps)."""
        return [self.input, self.chain.out, self._level, *self._pans, self._left, self._right,
                *self._gains, self.post_fader, *self.sends.values()]

    def chain_specs(self) -> list[dict[str, Any]]:
        """The chain as `set_chain` specs (`{"kind": ..., **options, **values}`), to rebuild it."""
        return [{"kind": fx.KIND, **fx.options, **fx.values} for fx in self.chain]

    def close(self) -> None:
        """Release the chain's listeners."""
        for effect in self.chain:
            effect.close()


def _weak_key(mixer: Mixer) -> Callable[[str], Any]:
    """A key lookup for the context that does not keep the mixer alive (no cycle)."""
    ref = weakref.ref(mixer)

    def lookup(name: str) -> Any:
        target = ref()
        return None if target is None else target._key(name)

    return lookup


def _weak_wake(mixer: Mixer) -> Callable[[str], None]:
    """The strips' first-send callback: wakes the mixer's bus without keeping the mixer alive."""
    ref = weakref.ref(mixer)

    def wake(bus: str) -> None:
        target = ref()
        if target is not None:
            target._wake_bus(bus)

    return wake


def _hand_over(stage: Any, before: Any, output: bool, channel: int) -> None:
    """At a block start: the new stage goes to the output in place of what was heard (which
    keeps computing: the stage reads it until the fade is over)."""
    if output:
        stage.out(channel)
    before.play()


def _cross(fade_out: Any, fade_in: Any) -> None:
    """Start the crossfade from the old output to the new master."""
    fade_out.value = 0.0
    fade_in.value = 1.0


def _let_go(old_side: Any) -> None:
    """The end of a hand-over: the stage's faded-out side stops reading what was heard before
    (a float in its place). Else every stage held the one before it, each the master it faded
    out, and so every strip and voice pool that master read, for the engine's life: a live set's
    stream list (walked every block) grew with each rebuild. Runs in the audio callback; what it
    lets go of is still held by the mixer until `_bury_retired_masters`, so nothing is freed here."""
    old_side.value = 0.0


def _swap_master(new: MasterBus, old: MasterBus | None, output: bool, channel: int) -> None:
    """Send the new master to the output and stop the old one (at a block start)."""
    if output:
        new.out.out(channel)
    if old is not None:
        old.out.stop()


def _settle_bus(ref: weakref.ref[Mixer], name: str, generation: int) -> None:
    """Forget a bus's faded-out input, unless a newer rebuild re-routed it since."""
    mixer = ref()
    if mixer is not None and mixer.generation == generation + 1:
        mixer.buses[name].settle()
