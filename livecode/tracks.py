"""Tracks: a slot that holds one pattern, swapped on a quantum boundary, plus its mix and effects.

`d1 >> s("bd*2 [~ sd]")` assigns a pattern; it starts at the next cycle boundary (or the track's
quantum: `d1.quant(4)` waits for the next 4-cycle boundary) after what the scheduler has already
sent, so the old pattern plays up to the boundary and the new one from it: no double, no gap.
Assigning again replaces (a track holds one pattern), so evaluating a line twice never doubles.

A track also holds its effect chain (`fx`), fader (`gain` dB, `pan` 0..1), mute/solo, a fade
envelope over cycles, its output target (engine, MIDI port + channel, or both) and the last
error its pattern raised.

>>> from fractions import Fraction
>>> host = StaticHost()
>>> track = Track("d1", host)
>>> _ = track >> "bd sd"
>>> [str(v) for _, _, v in track.onsets(Fraction(0), Fraction(1))]
["{'s': 'bd'}", "{'s': 'sd'}"]
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

from livecode.errors import TrackError, one_line_error
from livecode.package.roles import check_role
from livecode.targets import Target
from livecode.watchdog import EvalTimeout, time_limit
from patterns.pattern import Pattern, did_you_mean

__all__ = [
    "FxSpec",
    "Fade",
    "Track",
    "TrackHost",
    "StaticHost",
    "TrackTable",
    "SLOT_NAMES",
    "RUNAWAY_FACTOR",
    "PROBE_CYCLES",
    "PROBE_SECONDS",
    "to_pattern",
    "set_current_source",
    "current_source",
]

SLOT_NAMES = tuple(f"d{i}" for i in range(1, 17))
PROBE_CYCLES = 4
"""A new pattern's first cycles are queried (and their instruments checked) before it goes live."""
PROBE_SECONDS = 0.2
"""CPU seconds the probe's queries of a new pattern may take before it is refused as a runaway."""
RUNAWAY_FACTOR = 10
"""A new pattern with more than this times `max_events_per_cycle` onsets is refused."""
Onset = tuple[Fraction, Fraction, object]


def to_pattern(value: object, who: str = "d1 >>") -> Pattern:
    """A Pattern from what follows `>>`: a Pattern, a mini-notation string (played as `s`), a number.

    >>> type(to_pattern("bd sd")).__name__
    'Pattern'
    """
    import patterns

    if isinstance(value, Pattern):
        return value
    if isinstance(value, str):
        from patterns.controls import s

        played: Pattern = s(value)
        return played
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return patterns.pure(value)
    raise TrackError(f"{who}: expected a pattern or a mini-notation string, got {type(value).__name__}")


def _quantum(value: object, beats_per_cycle: int) -> Fraction:
    if value == "beat":
        return Fraction(1, beats_per_cycle)
    if value in ("bar", "cycle"):
        return Fraction(1)
    if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool) and value > 0:
        return Fraction(value).limit_denominator(1024)
    raise TrackError(f"quant: expected 'beat', 'bar' or a positive number of cycles, got {value!r}")


@dataclass(slots=True)
class FxSpec:
    """One effect in a track's chain: its kind, its params (numbers or patterns), the ranges of
    the patterned ones.

    >>> FxSpec("reverb", {"mix": 0.3}).static_params()
    {'mix': 0.3}
    """

    kind: str
    params: dict[str, object] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)   # of patterned params

    def clamp(self, name: str, value: float) -> float:
        """`value` limited to the parameter's range (patterned values are sampled unchecked).

        >>> FxSpec("lpf", ranges={"cutoff": (20.0, 20000.0)}).clamp("cutoff", 30000.0)
        20000.0
        """
        lo, hi = self.ranges.get(name, (-math.inf, math.inf))
        return min(hi, max(lo, value))

    def static_params(self) -> dict[str, float | str]:
        """The params that are plain values (patterned ones are sent by the scheduler)."""
        return {k: v for k, v in self.params.items() if isinstance(v, (int, float, str))}

    def patterned(self) -> dict[str, object]:
        """The params that are patterns."""
        return {k: v for k, v in self.params.items() if not isinstance(v, (int, float, str))}


@dataclass(frozen=True, slots=True)
class Fade:
    """A linear level ramp from `level0` at `cycle0` to `level1` at `cycle1`."""

    cycle0: Fraction
    cycle1: Fraction
    level0: float
    level1: float

    def level_at(self, cycle: Fraction) -> float:
        """The level at `cycle` (held outside the ramp).

        >>> Fade(Fraction(0), Fraction(4), 1.0, 0.0).level_at(Fraction(1))
        0.75
        """
        if cycle <= self.cycle0:
            return self.level0
        if cycle >= self.cycle1:
            return self.level1
        frac = float((cycle - self.cycle0) / (self.cycle1 - self.cycle0))
        return self.level0 + (self.level1 - self.level0) * frac


class TrackHost(Protocol):
    """What a track needs from its session (`livecode.session.Session`, or `StaticHost`).

    A track tells its host of each change with one call per kind of change; the host decides what
    the outputs must do (the session: the engine mirror and the MIDI ports).
    """

    beats_per_cycle: int
    max_events_per_cycle: int
    lock: threading.RLock

    def warn(self, message: str) -> None:
        """Show a warning to the performer."""
        ...

    def horizon(self) -> Fraction:
        """The cycle up to which events have been sent (swaps happen at or after it)."""
        ...

    def validate_fx(self, kind: str, params: dict[str, object]) -> tuple[str, dict[str, tuple[float, float]]]:
        """The canonical effect kind (aliases resolved) and the (lo, hi) range of each patterned
        param; TrackError for a bad kind or parameter."""
        ...

    def validate_events(self, track: Track, values: list[object]) -> None:
        """Raise if these event values cannot play on `track`'s target (unknown instrument...)."""
        ...

    def pattern_changed(self, track: Track) -> None:
        """`track` got a new pattern (it swaps in at `track.swap_at`)."""
        ...

    def chain_changed(self, track: Track) -> None:
        """`track`'s effect chain or duck source changed."""
        ...

    def gain_changed(self, track: Track) -> None:
        """`track`'s fader gain changed."""
        ...

    def pan_changed(self, track: Track) -> None:
        """`track`'s fader pan changed."""
        ...

    def mute_changed(self, track: Track) -> None:
        """`track` was muted or unmuted."""
        ...

    def target_changed(self, track: Track) -> None:
        """`track`'s target (engine, MIDI port and channel) changed."""
        ...

    def prepare_target(self, track: Track, target: Target) -> None:
        """`track` is about to send its events to `target`: ready its outputs (open its MIDI
        port) before the first event goes there."""
        ...


class StaticHost:
    """A host with no outputs and a fixed horizon (for tests and set-file inspection); it keeps
    each change as (track name, kind) in `changes`.

    >>> host = StaticHost(); _ = Track("d1", host).gain(-3).mute(); host.horizon(), host.changes
    (Fraction(0, 1), [('d1', 'gain'), ('d1', 'mute')])
    """

    beats_per_cycle = 4
    max_events_per_cycle = 2000

    def __init__(self, horizon: Fraction = Fraction(0)) -> None:
        self.lock = threading.RLock()
        self.at = horizon
        self.changes: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        """Record the warning."""
        self.warnings.append(message)

    def horizon(self) -> Fraction:
        """The fixed horizon."""
        return self.at

    def validate_fx(self, kind: str, params: dict[str, object]) -> tuple[str, dict[str, tuple[float, float]]]:
        """Accept everything (no ranges)."""
        return kind, {}

    def validate_events(self, track: Track, values: list[object]) -> None:
        """Accept everything."""

    def pattern_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "pattern"))

    def chain_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "chain"))

    def gain_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "gain"))

    def pan_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "pan"))

    def mute_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "mute"))

    def target_changed(self, track: Track) -> None:
        """Record the change."""
        self.changes.append((track.name, "target"))

    def prepare_target(self, track: Track, target: Target) -> None:
        """Nothing to ready (no outputs)."""


class Track:
    """One slot (`d1`...`d16` or a named track) holding a pattern and its mix settings.

    >>> host = StaticHost(horizon=Fraction(5, 2))
    >>> t = Track("bass", host)
    >>> (t >> "bd").swap_at
    Fraction(3, 1)
    """

    def __init__(self, name: str, host: TrackHost) -> None:
        self.name = name
        self._host = host
        self.pattern: Pattern | None = None         # what plays before swap_at
        self.next_pattern: Pattern | None = None    # what plays from swap_at on
        self.swap_at: Fraction | None = None
        self.last_good: Pattern | None = None       # the pattern before the current one (fallback)
        self.source: str | None = None              # the statement that assigned the pattern
        self.fx_sources: list[str] = []             # statements that shaped the chain, in order
        self.quantum = Fraction(1)
        self.effects: list[FxSpec] = []
        self.gain_db = 0.0
        self.pan_pos = 0.5
        self.muted = False
        self.soloed = False
        self.fade: Fade | None = None
        self.target = Target()
        self.duck_source: tuple[str, float] | None = None
        self.role_name: str | None = None           # lead_vocal, drums, ... (livecode.package.roles)
        self.error: str | None = None
        self.error_reported = False
        self.active_until: Fraction = Fraction(-1)   # last onset sent (for the status bar)

    # -- patterns ------------------------------------------------------------------------------
    def __rshift__(self, value: object) -> Track:
        """`d1 >> pattern`: play `pattern` from the next quantum boundary; returns the track."""
        return self.play(value)

    def play(self, value: object, source: str | None = None) -> Track:
        """Assign a pattern (a Pattern, a mini string played as `s`, a number as `note`).

        >>> t = Track("d2", StaticHost()); t.play("hh*4").playing_at(Fraction(0)) is not None
        True
        """
        pattern = to_pattern(value, f"{self.name} >>")
        self._probe(pattern, self.next_boundary())
        with self._host.lock:
            self._settle(self._host.horizon())
            self.next_pattern, self.swap_at = pattern, self.next_boundary()
            self._settle(self._host.horizon())
        self.source = source if source is not None else _current_source()
        self.error, self.error_reported = None, False
        self._host.pattern_changed(self)
        return self

    def play_at(self, value: object, at: Fraction, source: str | None = None) -> Track:
        """Assign a pattern that swaps in exactly at cycle `at` (at or after the horizon), as a
        song section does for all its tracks at once; a pending swap is replaced. Unlike `play`
        it neither probes the pattern (a section checks its patterns when it is defined) nor
        tells the host: the scheduler's tick calls it.

        >>> t = Track("d1", StaticHost(horizon=Fraction(3))); t.play_at("bd", Fraction(8)).swap_at
        Fraction(8, 1)
        """
        pattern = to_pattern(value, f"{self.name} >>")
        with self._host.lock:
            horizon = self._host.horizon()
            if at < horizon:
                raise TrackError(f"{self.name}: cannot swap at cycle {at}: sent up to cycle {horizon}")
            self._settle(horizon)
            self.next_pattern, self.swap_at = pattern, Fraction(at)
        self.source = source
        self.error, self.error_reported = None, False
        return self

    def _probe(self, pattern: Pattern, at: Fraction) -> None:
        """Query the new pattern before it goes live: errors and unknown instruments surface now,
        runaways are refused or thinned. Querying takes at most PROBE_SECONDS of CPU: a pattern
        slower than that is a runaway, stopped before it allocates enough to stall the scheduler
        (garbage collection and the GIL are shared with it)."""
        try:
            with time_limit(PROBE_SECONDS, message="slow"):
                values = self._probe_queries(pattern, at)
        except EvalTimeout:
            raise TrackError(f"{self.name}: querying the new pattern took over {PROBE_SECONDS:g} s: "
                             "a runaway pattern; the track keeps its pattern") from None
        if values is not None:
            self._host.validate_events(self, values)

    def _probe_queries(self, pattern: Pattern, at: Fraction) -> list[object] | None:
        """The values of the new pattern's first onsets (None when it is thinned)."""
        cap = self._host.max_events_per_cycle
        rate = len(_onsets_of(pattern, at, at + Fraction(1, 64))) * 64
        if rate > RUNAWAY_FACTOR * cap:
            raise TrackError(f"{self.name}: about {rate:,} events per cycle is a runaway pattern "
                             f"(the limit is {cap:,} per cycle); the track keeps its pattern")
        if rate > cap:
            self._host.warn(f"{self.name}: about {rate:,} events per cycle; thinned to {cap:,} per cycle")
            return None
        cycles = PROBE_CYCLES if rate * PROBE_CYCLES <= 4 * cap else 1
        onsets = _onsets_of(pattern, at, at + cycles)
        return [value for _, _, value in onsets[:256]]

    def stop(self) -> Track:
        """Silence the track from the next quantum boundary (`d1.stop()`)."""
        import patterns

        self.play(patterns.silence)
        self.source = None
        return self

    def next_boundary(self) -> Fraction:
        """The first multiple of the quantum at or after the host's horizon."""
        horizon = self._host.horizon()
        return Fraction(math.ceil(horizon / self.quantum)) * self.quantum

    def quant(self, quantum: object) -> Track:
        """Swap new patterns at multiples of `quantum`: cycles (number), 'beat' or 'bar'.

        >>> Track("d1", StaticHost()).quant(4).quantum
        Fraction(4, 1)
        """
        self.quantum = _quantum(quantum, self._host.beats_per_cycle)
        return self

    def _settle(self, horizon: Fraction) -> None:
        """Promote the pending pattern once the horizon has reached its swap cycle."""
        if self.swap_at is not None and horizon >= self.swap_at:
            if self.pattern is not None:
                self.last_good = self.pattern
            self.pattern, self.next_pattern, self.swap_at = self.next_pattern, None, None

    def playing_at(self, cycle: Fraction) -> Pattern | None:
        """The pattern in force at `cycle` (pending swaps included)."""
        if self.swap_at is not None and cycle >= self.swap_at:
            return self.next_pattern
        return self.pattern

    def segments(self, begin: Fraction, end: Fraction) -> Iterator[tuple[Pattern, Fraction, Fraction]]:
        """(pattern, begin, end) pieces of [begin, end), split at a pending swap."""
        swap = self.swap_at
        if swap is None or swap >= end:
            if self.pattern is not None:
                yield self.pattern, begin, end
            return
        if swap > begin and self.pattern is not None:
            yield self.pattern, begin, swap
        if self.next_pattern is not None:
            yield self.next_pattern, max(begin, swap), end

    def onsets(self, begin: Fraction, end: Fraction, budget: float | None = None) -> list[Onset]:
        """(onset cycle, end cycle, value) of every event starting in [begin, end), in order.

        A pattern that raises, or whose query takes more than `budget` CPU seconds, is replaced by
        the last good one (a pending swap to it is cancelled); the error is kept in `error` for
        the scheduler to report once.
        """
        found: list[Onset] = []
        for pattern, lo, hi in list(self.segments(begin, end)):
            try:
                started = time.thread_time()
                found.extend(_onsets_of(pattern, lo, hi))
                elapsed = time.thread_time() - started
                if budget is not None and elapsed > budget:
                    self._failed(pattern, TimeoutError(
                        f"query took {elapsed * 1000:.0f} ms (budget {budget * 1000:.0f} ms): "
                        "back to the last good pattern"))
            except Exception as err:  # noqa: BLE001 - any user-pattern error keeps the track alive
                fallback = self._failed(pattern, err)
                if fallback is not None:
                    try:
                        found.extend(_onsets_of(fallback, lo, hi))
                    except Exception:  # noqa: BLE001 - the fallback failing too means silence
                        self.pattern = self.last_good = None
        found.sort(key=lambda item: item[0])
        return found

    def _failed(self, pattern: Pattern, error: BaseException) -> Pattern | None:
        """Record `error` from `pattern`; return the pattern to play instead (or None)."""
        self.error = f"{self.name}: {one_line_error(error)}"
        self.error_reported = False
        if pattern is self.next_pattern and self.swap_at is not None:
            self.next_pattern, self.swap_at = None, None
            return self.pattern
        fallback = self.last_good if self.last_good is not pattern else None
        self.pattern = fallback
        return fallback

    def mark_good(self, end: Fraction) -> None:
        """A window up to `end` was queried: settle a swap that the window reached."""
        self._settle(end)

    # -- mix -----------------------------------------------------------------------------------
    def gain(self, db: float) -> Track:
        """Fader gain in dB (`d1.gain(-3)`), range -96..12."""
        if isinstance(db, bool) or not isinstance(db, (int, float)) or not -96 <= db <= 12:
            raise TrackError(f"{self.name}.gain: expected dB between -96 and 12, got {db!r}")
        self.gain_db = float(db)
        self._host.gain_changed(self)
        return self

    def pan(self, position: float) -> Track:
        """Fader pan 0 (left) .. 0.5 (centre) .. 1 (right), as Strudel's `pan`."""
        if isinstance(position, bool) or not isinstance(position, (int, float)) or not 0 <= position <= 1:
            raise TrackError(f"{self.name}.pan: expected a number between 0 and 1, got {position!r}")
        self.pan_pos = float(position)
        self._host.pan_changed(self)
        return self

    def mute(self) -> Track:
        """Stop sending this track's events (tails ring out)."""
        self.muted = True
        self._host.mute_changed(self)
        return self

    def unmute(self) -> Track:
        """Send events again."""
        self.muted = False
        self._host.mute_changed(self)
        return self

    def fade_out(self, cycles: float = 4) -> Track:
        """Ramp the event level down to 0 over `cycles` from the next boundary."""
        return self._fade(cycles, 0.0)

    def fade_in(self, cycles: float = 4) -> Track:
        """Ramp the event level up to 1 over `cycles` from the next boundary."""
        return self._fade(cycles, 1.0)

    def _fade(self, cycles: float, target: float) -> Track:
        if isinstance(cycles, bool) or not isinstance(cycles, (int, float)) or not 0 < cycles <= 1024:
            raise TrackError(f"{self.name}.fade: expected a number of cycles in (0, 1024], got {cycles!r}")
        with self._host.lock:
            start = self._host.horizon()
            current = self.level_at(start)
            if target > 0 and current >= 1.0:
                current = 0.0
            length = Fraction(cycles).limit_denominator(1024)
            self.fade = Fade(start, start + length, current, target)
        return self

    def level_at(self, cycle: Fraction) -> float:
        """The fade level (0..1) at `cycle`."""
        return 1.0 if self.fade is None else self.fade.level_at(cycle)

    # -- effects -------------------------------------------------------------------------------
    def fx(self, kind: str, **params: object) -> Track:
        """Add an effect, or update it if the chain already has one of that kind.

        Params may be numbers or patterns (`cutoff=sine.range(400, 4000).slow(8)`).
        """
        if not isinstance(kind, str):
            raise TrackError(f"{self.name}.fx: effect kind must be a string, got {kind!r}")
        kind, ranges = self._host.validate_fx(kind, params)
        with self._host.lock:
            for spec in self.effects:
                if spec.kind == kind:
                    spec.params.update(params)
                    spec.ranges.update(ranges)
                    break
            else:
                self.effects.append(FxSpec(kind, dict(params), dict(ranges)))
        self._record_fx()
        self._host.chain_changed(self)
        return self

    def _record_fx(self, reset: bool = False) -> None:
        source = _current_source()
        if reset:
            self.fx_sources.clear()
        if source is not None:
            if source in self.fx_sources:
                self.fx_sources.remove(source)
            self.fx_sources.append(source)

    def _fx_index(self, kind_or_index: str | int, who: str) -> int:
        if isinstance(kind_or_index, int) and not isinstance(kind_or_index, bool):
            if 0 <= kind_or_index < len(self.effects):
                return kind_or_index
        else:
            for index, spec in enumerate(self.effects):
                if spec.kind == kind_or_index:
                    return index
        kinds = ", ".join(spec.kind for spec in self.effects) or "empty"
        raise TrackError(f"{self.name}.{who}: no effect {kind_or_index!r} in the chain ({kinds})")

    def fx_remove(self, kind_or_index: str | int) -> Track:
        """Remove an effect by kind or position."""
        with self._host.lock:
            del self.effects[self._fx_index(kind_or_index, "fx_remove")]
        self._record_fx()
        self._host.chain_changed(self)
        return self

    def fx_move(self, kind_or_index: str | int, position: int) -> Track:
        """Move an effect to `position` in the chain."""
        with self._host.lock:
            spec = self.effects.pop(self._fx_index(kind_or_index, "fx_move"))
            self.effects.insert(max(0, min(int(position), len(self.effects))), spec)
        self._record_fx()
        self._host.chain_changed(self)
        return self

    def fx_clear(self) -> Track:
        """Remove every effect."""
        with self._host.lock:
            self.effects.clear()
        self._record_fx(reset=True)
        self._host.chain_changed(self)
        return self

    def duck(self, source: Track | str, amount: float = 0.7) -> Track:
        """Sidechain: `source`'s signal ducks this track (`d2.duck(d1, amount=0.7)`)."""
        name = source.name if isinstance(source, Track) else source
        if not isinstance(name, str) or name == self.name:
            raise TrackError(f"{self.name}.duck: expected another track, got {source!r}")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount <= 1:
            raise TrackError(f"{self.name}.duck: amount must be between 0 and 1, got {amount!r}")
        self.duck_source = (name, float(amount))
        self._host.chain_changed(self)
        return self

    def role(self, name: str) -> Track:
        """What the track is in the song, for the deliverables (`d8.role("lead_vocal")`): one of
        lead_vocal, backing_vocal, drums, bass, music, fx (see `livecode.package.roles`).

        >>> Track("d8", StaticHost()).role("lead_vocal").role_name
        'lead_vocal'
        """
        self.role_name = check_role(name, f"{self.name}.role")
        return self

    # -- target --------------------------------------------------------------------------------
    def midi(self, port: str = "default", channel: int = 1, *, engine: bool = False, nudge: float = 0.0,
             device: str | None = None) -> Track:
        """Send this track to a MIDI port and channel (1..16); `engine=True` keeps the engine too;
        `nudge` shifts its MIDI by that many milliseconds (-1000..1000); `device` names the map
        `ccname` uses (docs/midi.md).

        Without a port, the session's default port (`livecode --midi-out PORT`) is used.
        """
        if not isinstance(port, str) or not port:
            raise TrackError(f"{self.name}.midi: port must be a port name, got {port!r}")
        if isinstance(channel, bool) or not isinstance(channel, int) or not 1 <= channel <= 16:
            raise TrackError(f"{self.name}.midi: channel must be 1..16, got {channel!r}")
        if isinstance(nudge, bool) or not isinstance(nudge, (int, float)) or not -1000 <= nudge <= 1000:
            raise TrackError(f"{self.name}.midi: nudge must be milliseconds in -1000..1000, got {nudge!r}")
        if device is not None and (not isinstance(device, str) or not device):
            raise TrackError(f"{self.name}.midi: device must be a device map name, got {device!r}")
        target = Target(engine=engine, midi_port=port, midi_channel=channel, midi_nudge=float(nudge),
                        midi_device=device)
        self._host.prepare_target(self, target)
        self.target = target
        self._host.target_changed(self)
        return self

    def engine(self) -> Track:
        """Send this track to the audio engine only."""
        self.target = Target()
        self._host.target_changed(self)
        return self

    def __getattr__(self, name: str) -> object:
        """Only called for a name the track lacks: say which are close.

        >>> Track("d1", StaticHost()).mutte()
        Traceback (most recent call last):
        ...
        AttributeError: track d1 has no method 'mutte' (did you mean: mute, unmute?)
        """
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(f"track {self.name} has no method {name!r}{did_you_mean(name, dir(type(self)))}")

    # -- display -------------------------------------------------------------------------------
    def __repr__(self) -> str:
        """`<track d2: playing, swaps at bar 9>`: bars and beats counted as the status bar does.

        >>> t = Track("d2", StaticHost()); t.next_pattern, t.swap_at = "x", Fraction(8)
        >>> t
        <track d2: playing, swaps at bar 9>
        >>> t.swap_at = Fraction(33, 4); t
        <track d2: playing, swaps at bar 9 beat 2>
        """
        state = "muted" if self.muted else "playing" if self.pattern or self.next_pattern else "empty"
        when = f", swaps at {bar_beat(self.swap_at, self._host.beats_per_cycle)}" if self.swap_at is not None else ""
        return f"<track {self.name}: {state}{when}>"


def bar_beat(cycle: Fraction, beats_per_cycle: int) -> str:
    """A cycle as the status bar counts it: bars (cycles) and beats from 1.

    >>> bar_beat(Fraction(0), 4), bar_beat(Fraction(5, 2), 4)
    ('bar 1', 'bar 3 beat 3')
    """
    bar = math.floor(cycle)
    beat = (cycle - bar) * beats_per_cycle
    if beat == 0:
        return f"bar {bar + 1}"
    shown = int(beat) + 1 if beat == int(beat) else float(beat) + 1
    return f"bar {bar + 1} beat {shown:g}"


def _onsets_of(pattern: Pattern, begin: Fraction, end: Fraction) -> list[Onset]:
    events = pattern.query_arc(begin, end)
    out: list[Onset] = []
    for event in events:
        whole = event.whole
        if whole is None or event.part.begin != whole.begin:
            continue
        if begin <= whole.begin < end:
            out.append((whole.begin, whole.end, event.value))
    return out


_SOURCE: list[str | None] = [None]


def _current_source() -> str | None:
    return _SOURCE[0]


def current_source() -> str | None:
    """The statement being evaluated (None outside an evaluation).

    >>> current_source() is None
    True
    """
    return _SOURCE[0]


def set_current_source(source: str | None) -> None:
    """Tell tracks which statement is being evaluated (the session does this around each one).

    >>> set_current_source('d1 >> s("bd")'); set_current_source(None)
    """
    _SOURCE[0] = source


class TrackTable:
    """Tracks by name, created on first use; `d1`..`d16` plus any named track.

    >>> table = TrackTable(StaticHost())
    >>> table["d1"] is table["d1"], "d1" in table, len(table)
    (True, True, 1)
    """

    def __init__(self, host: TrackHost, on_create: Callable[[Track], None] | None = None) -> None:
        self._host = host
        self._tracks: dict[str, Track] = {}
        self._on_create = on_create

    def __getitem__(self, name: str) -> Track:
        track = self._tracks.get(name)
        if track is None:
            if not isinstance(name, str) or not name.isidentifier():
                raise TrackError(f"track: name must be an identifier like 'bass', got {name!r}")
            track = Track(name, self._host)
            self._tracks[name] = track
            if self._on_create is not None:
                self._on_create(track)
        return track

    def __contains__(self, name: object) -> bool:
        return name in self._tracks

    def __iter__(self) -> Iterator[Track]:
        return iter(list(self._tracks.values()))

    def __len__(self) -> int:
        return len(self._tracks)

    def any_soloed(self) -> bool:
        """True if some track is soloed."""
        return any(track.soloed for track in self._tracks.values())

    def audible(self, track: Track) -> bool:
        """Not muted, and soloed if any track is."""
        if track.muted:
            return False
        return track.soloed or not self.any_soloed()


