"""MIDI clock out driven by the session's tempo map: 24 pulses per beat, sent a lookahead ahead.

`TempoClockOut` listens to the scheduler's windows. Pulse `k` sits at cycle
`start + k / (24 * beats_per_cycle)`, so its time comes from the tempo map like any note's: a tempo
change (which lands on a beat) keeps the pulse grid continuous, and every 24th pulse is a beat.
Start goes out at the first cycle boundary the scheduler reaches after `enable()`, at the same
instant as the first pulse; Stop goes out after the last pulse sent on hush, at once on close.

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

from livecode.clock import Clock, TempoMap
from livecode.midi import messages as msg
from livecode.midi.clock_out import PPQN
from livecode.midi.port import MidiOut

__all__ = ["TempoClockOut"]


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
                self.port.send_at(msg.START, self._mono(first))
                self.pulses = 0
            start = self.start_cycle
            if start is None:
                return
            step = self.step
            index = max(0, math.ceil((begin - start) / step))
            cycle = start + index * step
            while cycle < end:
                self.port.send_at(msg.CLOCK, self._mono(cycle))
                self.pulses += 1
                cycle += step

    def _mono(self, cycle: Fraction) -> float:
        return self.clock.to_monotonic(self.tempo.time_at(cycle))

    def stop(self, at: Fraction | None = None) -> None:
        """Send Stop at cycle `at` (after the pulses already sent), or now when `at` is None
        (closing: pulses still queued are dropped first). Pulses stop until `enable()`."""
        with self._lock:
            was_running = self.start_cycle is not None
            self.start_cycle = self.pending_from = None
        if not was_running or self.port.closed:
            return
        if at is not None:
            self.port.send_at(msg.STOP, self._mono(at))
            return
        self.port.panic()
        self.port.send_now(msg.STOP)
        flush = getattr(self.port, "flush", None)
        if callable(flush):
            flush(0.2)            # written before a close's panic can drop it
