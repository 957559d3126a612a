"""MIDI clock in: follow an external 24 ppqn clock (Start/Stop/Continue, Song Position Pointer).

`ClockFollower` is the pure part: feed it `(monotonic time, message)` pairs and it keeps the
transport state, the position in beats and a tempo estimate smoothed over the last two beats
(48 pulse intervals, a least-squares-free end-to-end average, exact for a steady clock).
`JackMidiClockIn` feeds it from a JACK MIDI input (`livecode.midi.jack_backend.JackMidiIn`, the
JACK MIDI backend MIDI out uses too): each message is stamped with the monotonic time of its
exact frame and with its JACK time (the frame / the rate). A session whose engine runs on the same
JACK server places the line through JACK frames (`AudioClock.from_jack`): the pulses' frames and
the engine's frames meet exactly, with no monotonic mapping between them to drift or re-anchor.
Both are a `BeatSource` for `TempoFollower`: a Start restarts the session at cycle 0 on the first
pulse, a Song Position Pointer + Continue at that position.

>>> follower = ClockFollower()
>>> follower.feed(0.0, (0xFA,))
>>> for k in range(49): follower.feed(k * 60 / 130 / 24, (0xF8,))
>>> round(follower.bpm, 3), follower.line().beat
(130.0, 2.0)
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from livecode.midi.messages import PPQN
from livecode.midi.jack_backend import JackMidiIn
from livecode.sync.follow import BeatLine

__all__ = ["ClockFollower", "JackMidiClockIn", "SMOOTH_PULSES", "CLOCK_IN_DELAY", "PULSE_GAP"]

SMOOTH_PULSES = 2 * PPQN
"""Pulse intervals the tempo estimate averages over (two beats)."""

CLOCK_IN_DELAY = 0.035
"""Seconds the session sounds behind an incoming MIDI clock. A Start is known only when it arrives:
from its frame to the engine's next free block there are up to a JACK period (the input), a
scheduler interval (10 ms), the tick and the pipe, the period being computed and the master's
look-ahead, about 30 ms; the session's cycle 0 sounds the Start plus this delay (to the frame,
when the engine runs on the same JACK server), and every later beat at the same distance, so no
event is late. Set the master's clock-out offset (its "sync delay") to -35 ms to hear both on
the beat, or change it with `midiclock_in(port, delay=...)`."""

PULSE_GAP = 0.25
"""Seconds between two pulses (10 BPM) after which the earlier ones no longer count for the
tempo: a source that sends no clock while stopped starts a fresh estimate at its next Start."""

CLOCK, START, CONTINUE, STOP, SONG_POSITION = 0xF8, 0xFA, 0xFB, 0xFC, 0xF2


class ClockFollower:
    """Transport state, position and tempo of an incoming MIDI clock (see module doc).

    >>> follower = ClockFollower(); follower.feed(0.0, (0xFA,)); follower.playing
    True
    """

    restarts = True
    delay = 0.0                # the pure follower; JackMidiClockIn plays CLOCK_IN_DELAY behind

    def __init__(self, smooth: int = SMOOTH_PULSES) -> None:
        self.playing = False
        self.stopped = False           # True after a Stop, until Start/Continue
        self.epoch = 0
        self.position = 0.0            # beats at the next pulse after Start/Continue
        self.pulses = 0                # pulses since Start/Continue
        self.start_mono: float | None = None
        self._times: deque[tuple[float, float | None]] = deque(maxlen=smooth + 1)   # (mono, jack)
        self._last: tuple[float, float | None, float] | None = None    # (mono, jack, beat), last pulse
        self._lock = threading.Lock()
        self.on_epoch: Callable[[], None] | None = None
        """Called (in the receiving thread) at the first two pulses of each Start or Continue
        (the second gives the first tempo estimate when the source sent no clock while
        stopped): the session's scheduler ticks at once (`Scheduler.wake`), its first notes
        being due within the delay."""

    @property
    def bpm(self) -> float | None:
        """The tempo estimate (None before two pulses)."""
        with self._lock:
            return self._bpm()

    def _bpm(self) -> float | None:
        times = self._times
        if len(times) < 2:
            return None
        (first_mono, first_jack), (last_mono, last_jack) = times[0], times[-1]
        if first_jack is not None and last_jack is not None:    # JACK frames: exact, no re-anchoring
            first_mono, last_mono = first_jack, last_jack
        if last_mono <= first_mono:
            return None
        period = (last_mono - first_mono) / (len(times) - 1)
        return 60.0 / (period * PPQN)

    def feed(self, mono: float, message: tuple[int, ...], jack: float | None = None) -> None:
        """Take one MIDI message received at monotonic time `mono` (and JACK time `jack`, when it
        came in on a JACK port: the frame / the rate)."""
        status = message[0] if message else 0
        began = False
        with self._lock:
            if status == CLOCK:
                if self._times and mono - self._times[-1][0] > PULSE_GAP:
                    self._times.clear()             # pulses from before a pause: a new estimate
                self._times.append((mono, jack))
                if self.playing:
                    if self.pulses == 0:
                        self.start_mono = mono
                        self.epoch += 1
                    self._last = (mono, jack, self.position + self.pulses / PPQN)
                    self.pulses += 1
                    began = self.pulses <= 2
            elif status == START:
                self.playing, self.stopped, self.position, self.pulses = True, False, 0.0, 0
            elif status == CONTINUE:
                self.playing, self.stopped, self.pulses = True, False, 0
            elif status == STOP:
                self.playing, self.stopped = False, True
                if self._last is not None:
                    self.position = self._last[2] + 1 / PPQN
            elif status == SONG_POSITION and len(message) >= 3:
                sixteenths = message[1] | (message[2] << 7)
                self.position, self.pulses = sixteenths / 4.0, 0
        if began and self.on_epoch is not None:
            self.on_epoch()

    def line(self) -> BeatLine | None:
        """The position line while playing with a tempo estimate (else None)."""
        with self._lock:
            bpm = self._bpm()
            if not self.playing or self._last is None or bpm is None or self.pulses == 0:
                return None
            mono, jack, beat = self._last
            return BeatLine(mono, beat, bpm, self.epoch, origin=self.position, jack=jack)


class JackMidiClockIn(ClockFollower):
    """A JACK MIDI input that follows the clock arriving on it.

    `connect_from` names (parts of) JACK MIDI output ports to connect, e.g. "a2j:Clock".

    Usage (not run as a doctest: it needs a running engine or device)::

        clock_in = JackMidiClockIn(connect_from="a2j:Clock")
        clock_in.bpm, clock_in.playing
        # -> (130.0, True)
    """

    def __init__(self, name: str = "clock_in", *, client_name: str = "livecode-clock-in",
                 connect_from: str | None = None, servername: str | None = None,
                 delay: float = CLOCK_IN_DELAY) -> None:
        super().__init__()
        self.delay = delay
        self.input = JackMidiIn(name, on_message=self.feed, client_name=client_name, connect_from=connect_from,
                                servername=servername, who="midiclock_in")

    @property
    def port_name(self) -> str:
        """The full JACK name of the input port."""
        return self.input.port_name

    @property
    def reanchors(self) -> int:
        """How often the input's frame clock was re-anchored."""
        return self.input.reanchors

    def connect(self, source: str) -> None:
        """Connect every JACK MIDI output whose name contains `source` to this input."""
        self.input.connect(source)

    def close(self) -> None:
        """Deactivate and close the JACK client (idempotent)."""
        self.input.close()
