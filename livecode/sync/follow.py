"""Make the session's tempo map follow an external beat timeline (Ableton Link, MIDI clock in).

An external source reports a `BeatLine`: at `time.monotonic()` second `mono` it was at `beat`,
going at `bpm` (from a JACK MIDI input also at JACK time `jack`: a session whose engine runs on
the same server places the line through JACK frames, exactly). With `beats_per_cycle` beats a
cycle, session cycle `c` is external beat `(c - offset) * beats_per_cycle`. `TempoFollower` runs as a scheduler follower: at the start of
every tick it compares the tempo map at the scheduler's horizon with the external line and, when
they differ by more than `tolerance` seconds or in tempo, re-aligns the map from the horizon on
(`TempoMap.align`). Nothing already scheduled moves; the correction lands on the next window.

On joining (the first line), the session keeps its cycle count and waits less than a cycle for
the source's next bar (or moves back at most `JOIN_BACK`). A source that says Stop pauses the
session: the scheduler sends nothing past its horizon until the source plays again
(`Scheduler.stop_at`). A new `epoch` (MIDI Start / Continue / Song Position) restarts the
session's cycle count at the source's position (cycle 0 at a Start).

>>> line = BeatLine(mono=100.0, beat=8.0, bpm=120.0, epoch=0)
>>> line.mono_of(10.0)
101.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from livecode.clock import TempoMap
from livecode.scheduler import GRID, Scheduler

__all__ = ["BeatLine", "BeatSource", "TempoFollower", "TOLERANCE", "TEMPO_TOLERANCE", "JOIN_BACK"]

TOLERANCE = 0.0005
"""Seconds of phase error at the horizon before the map is re-aligned."""


TEMPO_TOLERANCE = 1e-4
"""Relative tempo difference that is corrected without a phase error (0.012 BPM at 120)."""

JOIN_BACK = 0.02
"""Seconds the horizon may move back when joining a source (those events play that much late)."""


@dataclass(frozen=True, slots=True)
class BeatLine:
    """An external timeline: `beat` at monotonic second `mono`, at `bpm`; `epoch` counts restarts.

    >>> BeatLine(0.0, 0.0, 60.0, 0).beat_at(2.5)
    2.5
    """

    mono: float
    beat: float
    bpm: float
    epoch: int
    origin: float | None = None
    """The beat where this epoch began (a MIDI Start: 0), when the source knows it."""
    jack: float | None = None
    """JACK time (frame / rate) of `beat`, when the source stamps in JACK frames (a JACK MIDI
    input): a session on the same JACK server places the line exactly through it."""

    def mono_of(self, beat: float) -> float:
        """The monotonic time of `beat` on this line."""
        return self.mono + (beat - self.beat) * 60.0 / self.bpm

    def jack_of(self, beat: float) -> float | None:
        """The JACK time of `beat` on this line (None: the source has no JACK time).

        >>> BeatLine(5.0, 8.0, 120.0, 0, jack=100.0).jack_of(10.0)
        101.0
        """
        return None if self.jack is None else self.jack + (beat - self.beat) * 60.0 / self.bpm

    def beat_at(self, mono: float) -> float:
        """The beat at monotonic time `mono`."""
        return self.beat + (mono - self.mono) * self.bpm / 60.0


class BeatSource(Protocol):
    """What `TempoFollower` reads: the current line, or None while there is nothing to follow."""

    restarts: bool
    """True: a new epoch restarts the session's cycles at the source's position (MIDI clock)."""

    delay: float
    """Seconds the session plays behind the source's line: 0 for Link (its timeline is known
    ahead), `CLOCK_IN_DELAY` for MIDI clock in (a Start is known only when it arrives)."""

    def line(self) -> BeatLine | None:
        """The source's timeline now (None: not running, keep the map as it is)."""
        ...

    @property
    def stopped(self) -> bool:
        """True after the source said Stop (MIDI): the session pauses until the next Start."""
        ...


class TempoFollower:
    """A scheduler follower that keeps `tempo` on `source`'s line (see module doc).

    >>> from livecode.clock import ManualClock
    >>> from livecode.outputs import ListSink
    >>> from livecode.tracks import StaticHost, TrackTable
    >>> class Fixed:
    ...     restarts, delay = False, 0.0
    ...     def line(self): return BeatLine(clock.to_monotonic(0.0), 0.0, 130.0, 0)
    >>> clock = ManualClock(48000); tempo = TempoMap(bpm=120)
    >>> sched = Scheduler(TrackTable(StaticHost()), tempo, clock, ListSink())
    >>> TempoFollower(Fixed(), tempo, sched)(Fraction(1)); round(tempo.bpm, 6)
    130.0
    """

    def __init__(self, source: BeatSource, tempo: TempoMap, scheduler: Scheduler,
                 tolerance: float = TOLERANCE) -> None:
        self.source = source
        self.tempo = tempo
        self.scheduler = scheduler
        self.tolerance = tolerance
        self.offset = 0                 # session cycle - external beat / beats_per_cycle
        self.epoch: int | None = None
        self.corrections = 0
        self.paused = False

    def release(self) -> None:
        """End a pause (the source started again, or the session stops following it)."""
        if self.paused:
            self.paused = False
            self.scheduler.stop_at = None

    def __call__(self, horizon: Fraction) -> None:
        """Correct the map at `horizon` (called by the scheduler under its lock)."""
        if getattr(self.source, "stopped", False):
            if not self.paused:                       # a MIDI Stop: no window past the horizon
                self.paused = True
                self.scheduler.stop_at = horizon
            return
        if self.paused:
            self.release()
        line = self.source.line()
        if line is None:
            return
        per_cycle = self.tempo.beats_per_cycle
        cps = line.bpm / 60.0 / per_cycle
        if line.epoch != self.epoch:
            self.epoch = line.epoch
            if self.source.restarts:
                self._restart(line, cps)
                return
            self.offset = self._join_offset(line, horizon, self._time_of(line, line.beat) + self.source.delay)
        beat = float(horizon - self.offset) * per_cycle
        target = self._time_of(line, beat) + self.source.delay
        error = self.tempo.time_at(horizon) - target
        same_tempo = math.isclose(self.tempo.cps_at(horizon), cps, rel_tol=TEMPO_TOLERANCE)
        if abs(error) > self.tolerance or not same_tempo:
            self.tempo.align(horizon, target, cps)
            self.corrections += 1

    def _join_offset(self, line: BeatLine, horizon: Fraction, line_time: float) -> int:
        """The cycle offset that moves the horizon forward by less than a cycle, or back by at
        most `JOIN_BACK` seconds: a longer jump back would make the events between the new time
        and now late, all at once."""
        horizon_time = self.tempo.time_at(horizon)
        external = (line.beat + (horizon_time - line_time) * line.bpm / 60.0) / self.tempo.beats_per_cycle
        slack = JOIN_BACK * line.bpm / 60.0 / self.tempo.beats_per_cycle
        return math.floor(float(horizon) - external + slack)

    def _restart(self, line: BeatLine, cps: float) -> None:
        """The source's latest position restarts the horizon, `source.delay` seconds behind it
        (a Start cannot be known a lookahead ahead: without the delay the events of its first
        moments would be late)."""
        per_cycle = self.tempo.beats_per_cycle
        self.offset = 0
        beat = self._beat_at(line, self.scheduler.clock.now() - self.source.delay)   # where the session is
        if line.origin is not None:
            beat = max(beat, line.origin)    # still within the delay: from the epoch's first beat
        start = Fraction(max(0, math.floor(beat / per_cycle * GRID)), GRID)
        when = self._time_of(line, float(start) * per_cycle) + self.source.delay
        self.tempo.restart(start, when, cps)
        self.scheduler.rewind(start, when)
        self.corrections += 1

    def _time_of(self, line: BeatLine, beat: float) -> float:
        """The timeline second of `beat` on `line` (before the source's delay): through JACK
        frames when the line and the clock both know them (exact), else through monotonic time."""
        clock = self.scheduler.clock
        jack = line.jack_of(beat)
        if jack is not None:
            seconds = clock.from_jack(jack)
            if seconds is not None:
                return seconds
        return clock.from_monotonic(line.mono_of(beat))

    def _beat_at(self, line: BeatLine, seconds: float) -> float:
        """The beat of `line` at timeline second `seconds` (the inverse of `_time_of`)."""
        clock = self.scheduler.clock
        if line.jack is not None:
            frame = clock.jack_frame(clock.to_frame(seconds))
            if frame is not None:
                return line.beat + (frame / clock.sample_rate - line.jack) * line.bpm / 60.0
        return line.beat_at(clock.to_monotonic(seconds))
