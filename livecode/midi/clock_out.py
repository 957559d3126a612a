"""MIDI clock out: 24 pulses per quarter note, Start/Stop/Continue and Song Position Pointer.

`TempoClockOut` is the session's: it listens to the scheduler's windows. Pulse `k` sits at cycle
`start + k / (24 * beats_per_cycle)`, so its time comes from the tempo map like any note's: a tempo
change (which lands on a beat) keeps the pulse grid continuous, and every 24th pulse is a beat.
Start goes out at the first cycle boundary the scheduler reaches after `enable()`, at the same
instant as the first pulse; Stop goes out after the last pulse sent on hush, at once on close.

`MidiClockOut` is the lower-level constant-tempo sender (`send_window` from any loop), and
`clock_times` the pure function giving the pulse times of a window behind it. Both send through a
`MidiOut` port like any other message (a JACK-native port writes each pulse at its frame: the
JACK backend serves MIDI out, clock out and clock in alike). The session's `SyncHub`
(`livecode.sync`) owns its `TempoClockOut`.

>>> clock_times(bpm=120.0, origin=10.0, begin=10.0, end=10.05)
[(0, 10.0), (1, 10.020833333333334), (2, 10.041666666666666)]
>>> from livecode.clock import ManualClock, TempoMap
>>> from livecode.midi.port import MidiOut
>>> class Log(MidiOut):
...     sent = []
...     def _schedule(self, when, message): self.sent.append((round(when - mono0, 4), message))
...     def _send_now(self, message): self.sent.append((None, message))
...     def _cut(self, keep, release): self.sent.extend((None, m) for m in release())
...     def _close(self): pass
>>> clock = ManualClock(48000); mono0 = clock.to_monotonic(0)
>>> out = TempoClockOut(Log("log"), TempoMap(bpm=120), clock)
>>> out.enable(Fraction(0)); out.window(Fraction(0), Fraction(1, 64))
>>> Log.sent[:3]
[(0.0, (250,)), (0.0, (248,)), (0.0208, (248,))]
"""

from __future__ import annotations

import math
import threading
from fractions import Fraction

import livecode.midi.messages as msg
from livecode.clock import Clock, TempoMap
from livecode.midi.errors import MidiValueError
from livecode.midi.messages import PPQN
from livecode.midi.port import FrameSender, MidiOut

__all__ = ["TempoClockOut", "MidiClockOut", "clock_times", "PPQN"]


def clock_times(bpm: float, origin: float, begin: float, end: float) -> list[tuple[int, float]]:
    """The (pulse index, time) of every clock pulse in [begin, end) for a clock started at `origin`."""
    if not 1.0 <= bpm <= 999.0:
        raise MidiValueError(f"bpm={bpm!r} is out of range 1..999")
    period = 60.0 / bpm / PPQN
    first = max(0, math.ceil((begin - origin) / period - 1e-9))
    pulses: list[tuple[int, float]] = []
    index = first
    while (t := origin + index * period) < end:
        pulses.append((index, t))
        index += 1
    return pulses


class TempoClockOut:
    """Sends MIDI clock for the scheduler's windows through `port` (see module doc)."""

    def __init__(self, port: MidiOut, tempo: TempoMap, clock: Clock) -> None:
        self.port = port
        self.tempo = tempo
        self.clock = clock
        self.start_cycle: Fraction | None = None     # the cycle of Start (pulse 0)
        self.pending_from: Fraction | None = None     # enabled: Start at the next cycle from here
        self.pulses = 0
        self._lock = threading.Lock()

    @property
    def step(self) -> Fraction:
        """One pulse in cycles: 1 / (24 * beats_per_cycle)."""
        return Fraction(1, PPQN * self.tempo.beats_per_cycle)

    @property
    def running(self) -> bool:
        """True once Start has been sent (until `stop()`)."""
        return self.start_cycle is not None

    def enable(self, after: Fraction) -> None:
        """Send Start (and pulses from there) at the first cycle boundary at or after `after`."""
        with self._lock:
            if self.start_cycle is None:
                self.pending_from = Fraction(after)

    def window(self, begin: Fraction, end: Fraction) -> None:
        """Send Start and the pulses of cycles [begin, end) ahead of time (a scheduler listener)."""
        with self._lock:
            if self.pending_from is not None:
                first = Fraction(math.ceil(max(self.pending_from, begin)))
                if first >= end:
                    return
                self.start_cycle, self.pending_from = first, None
                self._send(msg.START, first)
                self.pulses = 0
            start = self.start_cycle
            if start is None:
                return
            step = self.step
            index = max(0, math.ceil((begin - start) / step))
            cycle = start + index * step
            while cycle < end:
                self._send(msg.CLOCK, cycle)
                self.pulses += 1
                cycle += step

    def _send(self, message: msg.Bytes, cycle: Fraction) -> None:
        """At the JACK frame of `cycle` when the clock knows it and the port writes frames (the
        audio engine's clock on JACK: exact), else at its monotonic time."""
        seconds = self.tempo.time_at(cycle)
        frame = self.clock.jack_frame(self.clock.to_frame(seconds))
        if frame is not None and isinstance(self.port, FrameSender):
            self.port.send_at_frame(message, frame)
        else:
            self.port.send_at(message, self.clock.to_monotonic(seconds))

    def stop(self, at: Fraction | None = None) -> None:
        """Send Stop at cycle `at` (after the pulses already sent), or now when `at` is None
        (closing: pulses still queued are dropped first). Pulses stop until `enable()`."""
        with self._lock:
            was_running = self.start_cycle is not None
            self.start_cycle = self.pending_from = None
        if not was_running or self.port.closed:
            return
        if at is not None:
            self._send(msg.STOP, at)
            return
        self.port.panic()
        self.port.send_now(msg.STOP)
        self.port.flush(0.2)      # written before a close's panic can drop it


class MidiClockOut:
    """Sends MIDI clock through a port; call `send_window` from the scheduler's loop."""

    def __init__(self, port: MidiOut) -> None:
        self.port = port
        self.running = False
        self.bpm = 120.0
        self._origin = 0.0
        self._sent_until = 0.0
        self._first_pulse = 0

    def start(self, when: float, bpm: float, position_sixteenths: int = 0) -> None:
        """Send Song Position (when not at 0) and Start/Continue at `when`; pulses follow from there."""
        self.bpm = bpm
        self._origin = when
        self._sent_until = when
        if position_sixteenths:
            self.port.send_at(msg.song_position(position_sixteenths), when)
            self.port.send_at(msg.CONTINUE, when)
        else:
            self.port.send_at(msg.START, when)
        self.running = True

    def stop(self, when: float) -> None:
        """Send Stop at `when`."""
        self.port.send_at(msg.STOP, when)
        self.running = False

    def set_bpm(self, bpm: float, when: float) -> None:
        """Change tempo from `when` on, keeping the pulse grid continuous at that point."""
        period = 60.0 / self.bpm / PPQN
        pulses_so_far = (when - self._origin) / period
        self.bpm = bpm
        self._origin = when - pulses_so_far * (60.0 / bpm / PPQN)

    def send_window(self, until: float) -> int:
        """Queue every pulse up to `until`; returns how many were queued."""
        if not self.running or until <= self._sent_until:
            return 0
        pulses = clock_times(self.bpm, self._origin, self._sent_until, until)
        for _, t in pulses:
            self.port.send_at(msg.CLOCK, t)
        self._sent_until = until
        return len(pulses)
