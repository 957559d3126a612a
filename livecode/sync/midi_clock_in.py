"""MIDI clock in: follow an external 24 ppqn clock (Start/Stop/Continue, Song Position Pointer).

`ClockFollower` is the pure part: feed it `(monotonic time, message)` pairs and it keeps the
transport state, the position in beats and a tempo estimate smoothed over the last two beats
(48 pulse intervals, a least-squares-free end-to-end average, exact for a steady clock).
`JackMidiClockIn` feeds it from a JACK MIDI input port (JACK-Client): each message is stamped
with its exact frame, turned into monotonic time through an anchor taken in the process callback
(re-anchored only when the JACK clock drifts from the wall clock by more than two periods).
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
import time
from collections import deque
from typing import TYPE_CHECKING

from livecode.midi.clock_out import PPQN
from livecode.midi.errors import MidiPortError
from livecode.midi.jack_clients import close_client, mark_dead, open_client
from livecode.midi.jack_link import Keeper
from livecode.sync.follow import BeatLine

if TYPE_CHECKING:
    import jack

__all__ = ["ClockFollower", "JackMidiClockIn", "SMOOTH_PULSES"]

SMOOTH_PULSES = 2 * PPQN
"""Pulse intervals the tempo estimate averages over (two beats)."""

CLOCK, START, CONTINUE, STOP, SONG_POSITION = 0xF8, 0xFA, 0xFB, 0xFC, 0xF2


class ClockFollower:
    """Transport state, position and tempo of an incoming MIDI clock (see module doc).

    >>> follower = ClockFollower(); follower.feed(0.0, (0xFA,)); follower.playing
    True
    """

    restarts = True

    def __init__(self, smooth: int = SMOOTH_PULSES) -> None:
        self.playing = False
        self.stopped = False           # True after a Stop, until Start/Continue
        self.epoch = 0
        self.position = 0.0            # beats at the next pulse after Start/Continue
        self.pulses = 0                # pulses since Start/Continue
        self.start_mono: float | None = None
        self._times: deque[float] = deque(maxlen=smooth + 1)
        self._last: tuple[float, float] | None = None    # (mono, beat) of the last pulse
        self._lock = threading.Lock()

    @property
    def bpm(self) -> float | None:
        """The tempo estimate (None before two pulses)."""
        with self._lock:
            return self._bpm()

    def _bpm(self) -> float | None:
        times = self._times
        if len(times) < 2 or times[-1] <= times[0]:
            return None
        period = (times[-1] - times[0]) / (len(times) - 1)
        return 60.0 / (period * PPQN)

    def feed(self, mono: float, message: tuple[int, ...]) -> None:
        """Take one MIDI message received at monotonic time `mono`."""
        status = message[0] if message else 0
        with self._lock:
            if status == CLOCK:
                self._times.append(mono)
                if self.playing:
                    if self.pulses == 0:
                        self.start_mono = mono
                        self.epoch += 1
                    self._last = (mono, self.position + self.pulses / PPQN)
                    self.pulses += 1
            elif status == START:
                self.playing, self.stopped, self.position, self.pulses = True, False, 0.0, 0
            elif status == CONTINUE:
                self.playing, self.stopped, self.pulses = True, False, 0
            elif status == STOP:
                self.playing, self.stopped = False, True
                if self._last is not None:
                    self.position = self._last[1] + 1 / PPQN
            elif status == SONG_POSITION and len(message) >= 3:
                sixteenths = message[1] | (message[2] << 7)
                self.position, self.pulses = sixteenths / 4.0, 0

    def line(self) -> BeatLine | None:
        """The position line while playing with a tempo estimate (else None)."""
        with self._lock:
            bpm = self._bpm()
            if not self.playing or self._last is None or bpm is None or self.pulses == 0:
                return None
            mono, beat = self._last
            return BeatLine(mono, beat, bpm, self.epoch)


class JackMidiClockIn(ClockFollower):
    """A JACK MIDI input that follows the clock arriving on it.

    `connect_from` names (parts of) JACK MIDI output ports to connect, e.g. "a2j:Clock".

    >>> clock_in = JackMidiClockIn(connect_from="a2j:Clock")     # doctest: +SKIP
    >>> clock_in.bpm, clock_in.playing                           # doctest: +SKIP
    (130.0, True)
    """

    def __init__(self, name: str = "clock_in", *, client_name: str = "livecode-clock-in",
                 connect_from: str | None = None, servername: str | None = None) -> None:
        super().__init__()
        try:
            client = open_client(client_name, servername)
        except MidiPortError as err:
            raise MidiPortError(f"midiclock_in: {err}") from err
        self._client: jack.Client | None = client
        self._lock = threading.Lock()
        self._keeper = Keeper(self._close_client, name, lambda err: None)
        self._port = client.midi_inports.register(name)
        self._port_name = str(self._port.name)
        self._sr = float(client.samplerate)
        self._anchor: tuple[int, float] | None = None
        self.reanchors = 0
        client.set_process_callback(self._process)
        client.set_shutdown_callback(lambda status, reason: self._on_shutdown(client))
        client.activate()
        if connect_from:
            try:
                self.connect(connect_from)
            except MidiPortError:
                self.close()
                raise

    @property
    def port_name(self) -> str:
        """The full JACK name of the input port."""
        return self._port_name

    def connect(self, source: str) -> None:
        """Connect every JACK MIDI output whose name contains `source` to this input."""
        import jack  # type: ignore[import-untyped]

        client = self._client
        if client is None:
            raise MidiPortError("midiclock_in: the JACK server went away (midiclock_in(PORT) again once it runs)")
        sources = [p for p in client.get_ports(is_midi=True, is_output=True) if source in p.name]
        if not sources:
            names = ", ".join(p.name for p in client.get_ports(is_midi=True, is_output=True))
            raise MidiPortError(f"midiclock_in: no JACK MIDI output matching {source!r} "
                                f"(available: {names or 'none'})")
        for port in sources:
            try:
                client.connect(port, self._port)
            except jack.JackError as err:
                raise MidiPortError(f"midiclock_in: cannot connect {port.name}: {err}") from err

    def _process(self, frames: int) -> None:
        client = self._client
        if client is None:
            return
        start = client.last_frame_time
        self._update_anchor(client, start, frames)
        anchor = self._anchor
        assert anchor is not None
        for offset, data in self._port.incoming_midi_events():
            mono = anchor[1] + (start + offset - anchor[0]) / self._sr
            self.feed(mono, tuple(bytes(data)))

    def _update_anchor(self, client: jack.Client, cycle_start: int, frames: int) -> None:
        now = time.monotonic() - client.frames_since_cycle_start / self._sr
        anchor = self._anchor
        if anchor is None:
            self._anchor = (cycle_start, now)
            return
        predicted = anchor[0] + (now - anchor[1]) * self._sr
        if abs(predicted - cycle_start) > 2 * frames + 0.002 * self._sr:
            self._anchor = (cycle_start, now)
            self.reanchors += 1

    def close(self) -> None:
        """Deactivate and close the JACK client (idempotent)."""
        self._keeper.stop()
        self._close_client()

    def _on_shutdown(self, client: jack.Client) -> None:
        """The JACK server died: the keeper closes the dead client (nothing may open before)."""
        mark_dead(client)
        self._keeper.wake()

    def _close_client(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            close_client(client)
