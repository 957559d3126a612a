"""MIDI clock out: 24 pulses per quarter note, Start/Stop/Continue and Song Position Pointer.

`clock_times` is a pure function giving the pulse times of a window, so a scheduler can send the
clock ahead of time through any `MidiOut` like any other message.

>>> clock_times(bpm=120.0, origin=10.0, begin=10.0, end=10.05)
[(0, 10.0), (1, 10.020833333333334), (2, 10.041666666666666)]
"""

from __future__ import annotations

import math

import livecode.midi.messages as msg
from livecode.midi.errors import MidiValueError
from livecode.midi.port import MidiOut

__all__ = ["PPQN", "clock_times", "MidiClockOut"]

PPQN = 24


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
