"""The scheduler: every ~10 ms, query each track a lookahead ahead and hand its onsets to a sink.

Each `tick()` extends the scheduled horizon from where the previous tick stopped to the cycle the
clock will reach `lookahead` seconds from now (snapped down to a 1/1024-cycle grid), so windows are
contiguous: nothing is queried twice and nothing is skipped. For each track it keeps onsets only,
times them through the tempo map and the clock (clock seconds and the sample frame of that
instant) and hands each to one sink as a neutral `Onset`, as Strudel's scheduler hands every
event to one callback: the scheduler knows nothing of outputs. The sink (`livecode.outputs`)
routes it to the engine and/or MIDI. Patterned effect parameters are sampled every 1/16 cycle
and handed over as timed parameter changes.

Hooks: each `followers` callable runs at the start of a tick with the horizon (an external tempo
source corrects the tempo map there); each `listeners` callable gets every new window
`(begin, end)` (MIDI clock out sends its pulses).

Guards: a track whose pattern raises keeps its last good pattern and its error is reported once,
as is an onset the sink refuses; a window holding more than `max_events_per_cycle` (pro rata) is
cut with a warning; a query that takes longer than `query_budget` CPU seconds makes the track fall
back to its last good pattern. Only while the scheduler runs in real time (its thread,
`start()`): ticks called by hand (a render, a manual clock) have no budget, so what they produce
never depends on the machine's load (a full garbage collection inside a query is charged to the
query, and took one past 50 ms under load).

The scheduler runs in the REPL's process (its own thread), never in the audio engine's.

>>> from livecode.clock import ManualClock, TempoMap
>>> from livecode.tracks import StaticHost, TrackTable
>>> class Keep(list):                                 # a sink: keeps (frame, s) of each onset
...     def onset(self, onset, clock): self.append((onset.frame, onset.params["s"]))
...     def flush(self): pass
...     def param(self, track, path, value, frame): pass
...     def retract(self, time, clock): pass
...     def report(self, message): print(message)
>>> sink = Keep()
>>> sched = Scheduler(TrackTable(StaticHost()), TempoMap(bpm=120), ManualClock(48000), sink)
>>> _ = sched.tracks["d1"] >> "bd sd"
>>> sched.clock.advance(1.9); sched.tick()          # 2.0 s ahead = cycle 1
2
>>> sink
[(0, 'bd'), (48000, 'sd')]
"""

from __future__ import annotations

import gc
import math
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from livecode.clock import Clock, TempoMap
from livecode.errors import SchedulerError, one_line_error
from livecode.limits import MAX_LOOKAHEAD
from livecode.targets import Target, cycle_units, event_params, hold_seconds
from livecode.takes.placing import TAKE_KEY
from livecode.takes.timeline import place_segment
from livecode.tracks import FxSpec, Track, TrackTable
from patterns.pattern import Pattern

__all__ = ["Scheduler", "SchedulerStats", "Onset", "OnsetSink", "GRID", "sample_value", "SWITCH_INTERVAL",
           "QUERY_BUDGET"]

GRID = 1024
QUERY_BUDGET = 0.05
"""CPU seconds a live track's query may take before the track falls back to its last good pattern."""

SWITCH_INTERVAL = 0.0005
"""Seconds a busy thread of the session's process keeps the GIL while the scheduler's thread asks
for it (Python's default is 0.005). The scheduler gives the GIL up at every pipe message and wait;
behind an evaluation that computes (`while True: pass` until its timeout, a large list
comprehension) each of those cost up to one interval, and a tick's handful added up to late
notes (a 30-minute performer simulator run: 14 late events, every one after `while True: pass`)."""
FX_SAMPLES_PER_CYCLE = 16


@dataclass(slots=True)
class Onset:
    """One event the scheduler hands to its sink: what plays, where its track sends it, and when.

    `params` are the event's controls (a note whose speed counts cycles carries the tempo, a
    fade has scaled its `gain`); `time` is the onset in clock seconds and `frame` the same
    instant on the clock's sample timeline; `hold` is how long it is held, in seconds.
    """

    track: str
    target: Target
    params: dict[str, object]
    time: float
    frame: int
    hold: float


class OnsetSink(Protocol):
    """Where the scheduler hands its onsets: one sink, which alone knows the outputs (the engine,
    MIDI ports). Implementations: `livecode.outputs.Outputs` (live and render), `ListSink` (tests).
    """

    def onset(self, onset: Onset, clock: Clock) -> None:
        """Take one onset timed on `clock`; raise when its values fit no output: the scheduler
        makes that the track's error (reported once) and goes on with the next."""
        ...

    def flush(self) -> None:
        """The tick's onsets have all been handed over."""
        ...

    def param(self, track: str, path: str, value: float, frame: int) -> None:
        """A sample of a patterned effect parameter (`fx.0.cutoff`) at `frame`."""
        ...

    def retract(self, time: float, clock: Clock) -> None:
        """Forget what was handed over for clock second `time` or later (`Scheduler.rewind`)."""
        ...

    def report(self, message: str) -> None:
        """A one-line error or warning for the performer."""
        ...


@dataclass
class SchedulerStats:
    """Counters since start: ticks, events sent, late events, capped events, busy time.

    >>> SchedulerStats().late
    0
    """

    ticks: int = 0
    events: int = 0
    late: int = 0
    capped: int = 0
    busy_seconds: float = 0.0
    max_tick_seconds: float = 0.0


class Scheduler:
    """Queries tracks a lookahead ahead and hands their onsets to an OnsetSink.

    `lock` serialises ticks with track changes (a swap is placed against a horizon that cannot
    move underneath it).
    """

    def __init__(
        self,
        tracks: TrackTable,
        tempo: TempoMap,
        clock: Clock,
        sink: OnsetSink,
        *,
        lookahead: float = 0.1,
        interval: float = 0.01,
        max_events_per_cycle: int = 2000,
        query_budget: float = QUERY_BUDGET,
        lock: threading.RLock | None = None,
    ) -> None:
        if not isinstance(lookahead, (int, float)) or not 0.0 <= lookahead <= MAX_LOOKAHEAD:
            raise SchedulerError(f"lookahead: expected seconds between 0 and {MAX_LOOKAHEAD:g}, got {lookahead!r}")
        if not isinstance(interval, (int, float)) or not 0.001 <= interval <= 0.5:
            raise SchedulerError(f"interval: expected seconds between 0.001 and 0.5, got {interval!r}")
        self.tracks = tracks
        self.tempo = tempo
        self.clock = clock
        self.sink = sink
        self.lookahead = float(lookahead)
        self.interval = float(interval)
        self.max_events_per_cycle = int(max_events_per_cycle)
        self.query_budget = float(query_budget)
        self.lock = lock if lock is not None else threading.RLock()
        self.horizon = Fraction(0)
        self.stop_at: Fraction | None = None        # no window goes past this cycle (renders)
        self.stats = SchedulerStats()
        self.followers: list[Callable[[Fraction], None]] = []       # sync: correct the map at the horizon
        self.listeners: list[Callable[[Fraction, Fraction], None]] = []   # clock out: each new window
        self._warned_cap: set[str] = set()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._froze = False

    # -- one step ------------------------------------------------------------------------------
    def target_cycle(self, now: float) -> Fraction:
        """The grid cycle the horizon should reach at clock time `now`."""
        cycle = self.tempo.cycle_at(now + self.lookahead)
        return Fraction(math.floor(cycle * GRID), GRID)

    def rewind(self, cycle: Fraction, time: float) -> None:
        """Schedule again from `cycle`, which the tempo map now puts at clock second `time`
        (call under `lock`, as a follower does): what the sink was handed for `time` or later is
        retracted, since it belonged to the timeline before (an incoming MIDI Start restarts
        the session while the notes of its lookahead wait in the outputs)."""
        self.horizon = cycle
        self.sink.retract(time, self.clock)

    def wake(self) -> None:
        """Tick now rather than at the end of the interval (any thread: an incoming MIDI Start,
        whose first notes are due within `CLOCK_IN_DELAY`)."""
        self._wake.set()

    def tick(self) -> int:
        """Schedule up to now + lookahead; returns the number of onsets sent."""
        started = time.perf_counter()
        with self.lock:
            for follow in self.followers:
                follow(self.horizon)
            now = self.clock.now()
            end = self.target_cycle(now)
            if self.stop_at is not None:
                end = min(end, self.stop_at)
            begin = self.horizon
            if end <= begin:
                return 0
            now_frame = self.clock.to_frame(now)
            sent = 0
            for track in self.tracks:
                sent += self._track_window(track, begin, end, now_frame)
            self.sink.flush()
            self.horizon = end
            for listener in self.listeners:
                listener(begin, end)
        elapsed = time.perf_counter() - started
        self.stats.ticks += 1
        self.stats.events += sent
        self.stats.busy_seconds += elapsed
        self.stats.max_tick_seconds = max(self.stats.max_tick_seconds, elapsed)
        return sent

    def _cap(self, begin: Fraction, end: Fraction) -> int:
        return max(1, math.ceil(self.max_events_per_cycle * (end - begin)))

    def _track_window(self, track: Track, begin: Fraction, end: Fraction, now_frame: int) -> int:
        budget = self.query_budget if self._thread is not None else None    # see the module doc
        onsets = track.onsets(begin, end, budget)
        cap = self._cap(begin, end) if len(onsets) > 1 else 1       # the cap is at least 1
        if len(onsets) > cap:
            kept = [onsets[index * len(onsets) // cap] for index in range(cap)]   # evenly, `cap` of them
            self.stats.capped += len(onsets) - len(kept)
            onsets = kept
            if track.name not in self._warned_cap:
                self._warned_cap.add(track.name)
                self.sink.report(f"{track.name}: too many events; thinned to "
                                 f"{self.max_events_per_cycle} per cycle")
        track.mark_good(end)
        self._sample_fx(track, begin, end)
        if track.error is not None and not track.error_reported:
            track.error_reported = True
            self.sink.report(track.error)
        if not onsets or not self.tracks.audible(track):
            return 0
        return self._emit(track, onsets, now_frame)

    def _emit(self, track: Track, onsets: list[tuple[Fraction, Fraction, object]], now_frame: int) -> int:
        tempo, clock, sink = self.tempo, self.clock, self.sink
        sent = 0
        for onset, offset, value in onsets:
            level = track.level_at(onset)
            if level <= 0.0:
                continue
            try:
                params = cycle_units(event_params(value), tempo.cps_at(onset))
                if TAKE_KEY in params and place_segment(params, onset, offset, tempo, clock) is None:
                    continue                      # a take's bar that holds nothing of its file
                if level < 1.0:
                    gain = params.get("gain", 1.0)
                    params["gain"] = (float(gain) if isinstance(gain, (int, float)) else 1.0) * level
                start = tempo.time_at(onset)
                hold = hold_seconds(params, tempo.time_at(offset) - start)
                frame = clock.to_frame(start)
                sink.onset(Onset(track.name, track.target, params, start, frame, hold), clock)
            except Exception as err:  # noqa: BLE001 - a bad event value must not stop the track
                if track.error is None:
                    track.error = f"{track.name}: {one_line_error(err)}"
                    track.error_reported = True
                    sink.report(track.error)
                continue
            if frame < now_frame:
                self.stats.late += 1
            track.active_until = onset
            sent += 1
        return sent

    def _sample_fx(self, track: Track, begin: Fraction, end: Fraction) -> None:
        for index, spec in enumerate(track.effects):
            patterned = spec.patterned()
            if patterned:
                self._sample_spec(track, index, spec, patterned, begin, end)

    def _sample_spec(self, track: Track, index: int, spec: FxSpec, patterned: dict[str, object],
                     begin: Fraction, end: Fraction) -> None:
        step = Fraction(1, FX_SAMPLES_PER_CYCLE)
        first = Fraction(math.ceil(begin / step)) * step
        for name, pattern in patterned.items():
            cycle = first
            while cycle < end:
                try:
                    value = sample_value(pattern, cycle, step)
                except Exception as err:  # noqa: BLE001 - keep the last value, report once
                    if track.error is None:
                        track.error = f"{track.name}.fx({spec.kind!r}, {name}=...): {one_line_error(err)}"
                    break
                if value is not None:
                    frame = self.clock.to_frame(self.tempo.time_at(cycle))
                    self.sink.param(track.name, f"fx.{index}.{name}", spec.clamp(name, value), frame)
                cycle += step

    # -- thread --------------------------------------------------------------------------------
    def start(self) -> None:
        """Run `tick()` every `interval` seconds in a daemon thread; shorten the process's GIL
        switch interval to `SWITCH_INTERVAL`; and freeze what the process holds (`stop` thaws it).

        Frozen (`gc.freeze`, as the engine process does) are the modules, the prelude and the set
        so far: about 68,000 objects, whose full collection took 13-19 ms holding the GIL. The
        JACK MIDI ports' process callbacks live in this process: each such collection stalled MIDI
        for three periods or more, and a stalled period loses its messages (a forced collection
        at a MIDI reconnection lost the reconnection's note-offs in 4 runs of 5). After the freeze
        a collection scans only what the set made since. No collection first: that one would
        itself hold the GIL (100 ms and more in a test process), stall the JACK MIDI ports already
        open and delay cycle 0; garbage frozen with the rest waits until `stop` thaws it.
        """
        if self._thread is not None:
            raise SchedulerError("scheduler: already started")
        self._stop.clear()
        self._wake.clear()
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)   # for the whole process: see SWITCH_INTERVAL
        if not self._froze:
            gc.freeze()
            self._froze = True
        self._thread = threading.Thread(target=self._run, name="livecode-scheduler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last_error = ""
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception as err:  # noqa: BLE001 - the loop must survive anything
                message = f"scheduler: {one_line_error(err)}"
                if message != last_error:           # report a repeating failure once
                    self.sink.report(message)
                last_error = message
            self._wake.wait(self.interval)
            self._wake.clear()

    def stop(self) -> None:
        """Stop the thread (idempotent), and thaw what `start` froze."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)
        if self._froze:
            self._froze = False
            gc.unfreeze()

    @property
    def running(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None


def sample_value(pattern: object, cycle: Fraction, step: Fraction) -> float | None:
    """The numeric value of `pattern` at `cycle` (first event of [cycle, cycle + step)).

    >>> import patterns
    >>> sample_value(patterns.pure(3), Fraction(0), Fraction(1, 16))
    3.0
    """
    if not isinstance(pattern, Pattern):
        raise TypeError(f"expected a pattern, got {type(pattern).__name__}")
    events = pattern.query_arc(cycle, cycle + step)
    for event in events:
        value = event.value
        if isinstance(value, dict):
            value = next((v for v in value.values() if isinstance(v, (int, float))), None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None
