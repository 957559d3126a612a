"""A JACK-native MIDI output that writes each message at its exact frame (JACK-Client).

rtmidi's JACK backend writes every pending message at frame 0 of the next period (up to 5.3 ms of
jitter at 256 frames). This port instead keeps the messages in its own queue and, in the JACK
process callback, writes each one at the frame offset inside the period where it is due.

Time comes in as `time.monotonic()` seconds (or as a JACK frame: `note_at_frame`). The port maps
it to JACK frames with its `FrameClock` (`livecode.midi.jack_backend`, the JACK MIDI backend it
shares with MIDI clock in: client, port, frame clock and connections by name), so the spacing
between messages stays exact in frames. MIDI clock out goes through such a port too.

The port keeps its link to the destination it was connected to by name (`livecode.midi.jack_link`):
a destination that goes away and comes back is reconnected, with note-offs and CC 123 first for
the notes that were sounding when it went; a connection removed by hand is reconnected by
`relink()`; after the JACK server died, `relink()` (or the next send, at most once a second)
opens a new client on the server that runs now. Each loss is said once through `on_notice`.

Usage (not run as a doctest: it needs a running engine or device)::

    port = JackMidiOut("out", connect_to="synth:midi_in")
    port.on_notice = print
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import livecode.midi.messages as msg
from livecode.midi.errors import MidiPortError, MidiValueError
from livecode.midi.jack_backend import FrameClock, JackPort
from livecode.midi.jack_link import Keeper, Link
from livecode.midi.messages import Bytes
from livecode.midi.port import Keep, MidiOut, Release, as_bytes, retracted

if TYPE_CHECKING:
    import jack

__all__ = ["JackMidiOut", "REOPEN_INTERVAL"]

REOPEN_INTERVAL = 1.0
"""Seconds between two tries to reopen a client on a dead server when sends ask for one (the
first no sooner than that after the server died: every client of the process must hear of it)."""


@dataclass(frozen=True, slots=True)
class _AtFrame:
    """A queue time given as a JACK frame (the audio engine's frame of the onset)."""

    frame: int


@dataclass(frozen=True, slots=True)
class _Cut:
    """A queue marker: drop the pending messages `keep` rejects, then send `release()`."""

    keep: Keep
    release: Release


@dataclass(frozen=True, slots=True)
class _Retract:
    """A queue marker: forget what is queued from monotonic `when` or JACK frame `frame` on."""

    when: float
    frame: int | None


class JackMidiOut(MidiOut):
    """A JACK MIDI output port whose messages land at their exact frame."""

    def __init__(
        self,
        name: str = "midi_out",
        *,
        client_name: str = "livecode-midi",
        connect_to: str | None = None,
        latency_ms: float = 0.0,
        servername: str | None = None,
    ) -> None:
        super().__init__(name, latency_ms)
        self._client_name = client_name
        self._servername = servername
        self._incoming: deque[tuple[float | _AtFrame, Bytes | _Cut | _Retract]] = deque()
        self._heap: list[tuple[int, int, Bytes]] = []
        self._seq = itertools.count()
        self._clock = FrameClock()
        self._drained = threading.Event()
        self.server_lost = False
        self._relink_lock = threading.RLock()
        self._next_reopen = 0.0
        self._reopen_wanted = False
        self._loss_said = False              # the server loss was reported
        self._appeared = False               # a port matching the destination registered while down
        self._keeper = Keeper(self._tend, name, self._keeper_failed)
        self.link = Link(self._keeper.wake)
        self._jack: JackPort | None = None
        try:
            self._start_client()
        except MidiPortError:
            self._keeper.stop()
            raise
        if connect_to:
            try:
                self.connect(connect_to)
            except MidiPortError:
                self.close()
                raise

    @property
    def port_name(self) -> str:
        """The full JACK name of this output port (client:port)."""
        return self._port_name

    @property
    def reanchors(self) -> int:
        """How often the frame clock was re-anchored (JACK's clock drifted from the wall clock)."""
        return self._clock.reanchors

    def connect(self, destination: str) -> None:
        """Connect to every JACK MIDI input port whose name contains `destination`; the port
        keeps that link (see the module doc)."""
        with self._relink_lock:
            port = self._jack
            if port is None:
                raise MidiPortError(f"MIDI port {self.name!r} has no JACK server "
                                    "(reconnect_audio() once JACK runs)")
            if not self._connect_matching(destination):
                names = ", ".join(port.peers())
                raise MidiPortError(f"no JACK MIDI input matching {destination!r} (available: {names or 'none'})")

    def relink(self) -> None:
        """Reopen the client if the JACK server died (and one runs now), and reconnect to the
        destination if the link is down and it exists. Returns at once when all is well."""
        with self._relink_lock:
            if self.closed:
                return
            if self.server_lost:
                self._reopen()
            elif not self.link.up and self.link.destination is not None:
                self._connect_matching(self.link.destination)

    def frame_of(self, when: float) -> int | None:
        """The JACK frame at which a message for monotonic time `when` is written (None before start)."""
        return self._clock.frame_of(when)

    def flush(self, timeout: float = 1.0) -> bool:
        """Wait until the process callback has written everything already due."""
        self._drained.clear()
        return self._drained.wait(timeout)

    # -- MidiOut hooks ------------------------------------------------------------------------
    def _schedule(self, when: float, message: Bytes) -> None:
        if self.server_lost:
            self._want_reopen()
            return
        self._incoming.append((when, message))

    def note_at_frame(self, channel: int, note: int, velocity: int, frame: int, duration: float) -> None:
        """A note-on written at JACK frame `frame` (plus the port's latency) and its note-off
        `duration` seconds later: on the frame where the audio engine plays the same onset,
        whatever the wall clock does (`AudioClock.jack_frame`)."""
        if duration < 0:
            raise MidiValueError(f"duration={duration!r} must not be negative")
        self._check_open()
        if self.server_lost:
            self._want_reopen()
            return
        rate = self._clock.sample_rate
        start = frame + round(self.latency * rate)
        self._incoming.append((_AtFrame(start), msg.note_on(channel, note, velocity)))
        self._incoming.append((_AtFrame(start + round(duration * rate)), msg.note_off(channel, note)))

    def send_at_frame(self, message: object, frame: int) -> None:
        """Any message (bytes, a tuple, a `mido.Message`) written at JACK frame `frame` plus the
        port's latency, after what was queued for that frame before it."""
        data = as_bytes(message)
        self._check_open()
        if self.server_lost:
            self._want_reopen()
            return
        self._incoming.append((_AtFrame(frame + round(self.latency * self._clock.sample_rate)), data))

    def _send_now(self, message: Bytes) -> None:
        if self.server_lost:
            self._want_reopen()
            return
        self._incoming.append((0.0, message))

    def _cut(self, keep: Keep, release: Release) -> None:
        if not self.server_lost:                 # else: held, and released on the next server
            self._incoming.append((0.0, _Cut(keep, release)))

    def _retract(self, when: float, frame: int | None) -> None:
        if not self.server_lost:
            shift = round(self.latency * self._clock.sample_rate)
            self._incoming.append((0.0, _Retract(when, None if frame is None else frame + shift)))

    def _close(self) -> None:
        self._keeper.stop()
        deadline = time.monotonic() + 0.5
        while self._incoming and not self.server_lost and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self.server_lost:
            self.flush(0.2)
        with self._relink_lock:
            self._drop_client()

    # -- the client ---------------------------------------------------------------------------
    def _start_client(self) -> None:
        """Open a client with this port and its callbacks, and activate it (MidiPortError if
        no server runs, or a dead client of this process is still open)."""
        port = JackPort(self._client_name, self.name, output=True, process=self._process,
                        on_shutdown=self._on_shutdown, clock=self._clock, servername=self._servername,
                        on_registration=self._on_registration)
        self._port_name = port.name
        self._jack = port

    def _drop_client(self) -> None:
        """Close the client, alive or left behind by a dead server (under the lock)."""
        if self._jack is not None:
            self._jack.close()
            self._jack = None

    def _on_shutdown(self) -> None:
        self._next_reopen = time.monotonic() + REOPEN_INTERVAL   # the process's other clients hear it too
        self.server_lost = True
        self._keeper.wake()

    def _on_registration(self, port: jack.Port, registered: bool) -> None:
        destination = self.link.destination
        if registered and not self.link.up and destination is not None and destination in port.name:
            self._appeared = True
            self._keeper.wake()

    def _want_reopen(self) -> None:
        """A send found the client dead: ask the keeper to reopen it (at most once a second)."""
        if not self._reopen_wanted and time.monotonic() >= self._next_reopen:
            self._reopen_wanted = True
            self._keeper.wake()

    def _reopen(self) -> None:
        """A new client on the server that runs now, in place of the dead one (under the lock)."""
        self._reopen_wanted = False
        self._next_reopen = time.monotonic() + REOPEN_INTERVAL
        self._drop_client()
        self._incoming.clear()
        self._heap.clear()
        self.link.server_gone(self._note_offs())     # before a new process callback checks it
        try:
            self._start_client()
        except MidiPortError:
            return
        self.server_lost = self._loss_said = False
        destination = self.link.destination
        if destination is None:
            self.on_notice("reopened on the JACK server")
        elif not self._connect_matching(destination):
            self.on_notice(f"reopened; it connects when a JACK MIDI input matching {destination!r} appears")

    def _connect_matching(self, destination: str) -> bool:
        """Connect to every MIDI input matching `destination` (under the lock); False if none."""
        assert self._jack is not None
        targets = self._jack.connect_matching(destination)
        if targets:
            self.link.follow(destination, tuple(targets))
        return bool(targets)

    # -- the keeper: reports and heals (a thread; never a JACK callback) -----------------------
    def _tend(self) -> None:
        with self._relink_lock:
            if self.closed:
                return
            self._say_changes()
            if self.server_lost:
                self._drop_client()              # first: nothing may open while it is open
                self._say_server_lost()
                if self._reopen_wanted:
                    self._reopen()
            elif self._appeared and not self.link.up and self.link.destination is not None:
                self._appeared = False
                self._connect_matching(self.link.destination)

    def _say_changes(self) -> None:
        while self.link.changes:
            what, notes = self.link.changes.popleft()
            names = ", ".join(self.link.ports)
            if what == "lost":
                self.on_notice(f"lost {names} with {_notes(notes)} sounding; it reconnects when that port comes "
                               "back and turns them off (disconnected by hand? re-send the .midi(...) line)")
            else:
                sent = f"; note-offs for {_notes(notes)} and CC 123 sent" if notes else ""
                self.on_notice(f"reconnected to {names}{sent}")

    def _say_server_lost(self) -> None:
        if not self._loss_said:
            self._loss_said = True
            self.on_notice(f"the JACK server went away with {_notes(len(self._note_offs()))} sounding; "
                           "reconnect_audio() reopens the port once JACK runs again (the next note tries too)")

    def _keeper_failed(self, err: Exception) -> None:
        self.on_notice(f"keeping the link failed: {type(err).__name__}: {' '.join(str(err).split())}")

    # -- the JACK process callback ------------------------------------------------------------
    def _process(self, port: JackPort, cycle_start: int, frames: int) -> None:
        out = port.port
        out.clear_buffer()
        for message in self.link.check(out, self._note_offs):
            out.write_midi_event(0, bytes(message))
            self._sent(message)
        while self._incoming:
            when, item = self._incoming.popleft()
            if isinstance(item, _Cut):
                self._apply_cut(item, cycle_start)
                continue
            if isinstance(item, _Retract):
                start = item.frame if item.frame is not None else self.frame_of(item.when)
                if start is not None:
                    self._heap = retracted(self._heap, start)
                    heapq.heapify(self._heap)
                continue
            if isinstance(when, _AtFrame):
                frame: int | None = when.frame
            else:
                frame = cycle_start if when == 0.0 else self.frame_of(when)
            heapq.heappush(self._heap, (frame if frame is not None else cycle_start, next(self._seq), item))
        self._write_due(out, cycle_start, cycle_start + frames)
        self._drained.set()

    def _apply_cut(self, cut: _Cut, cycle_start: int) -> None:
        self._heap = [entry for entry in self._heap if cut.keep(entry[2])]
        heapq.heapify(self._heap)
        for message in cut.release():
            heapq.heappush(self._heap, (cycle_start, next(self._seq), message))

    def _write_due(self, out: jack.OwnMidiPort, cycle_start: int, cycle_end: int) -> None:
        last_offset = 0
        while self._heap and self._heap[0][0] < cycle_end:
            frame, _, message = heapq.heappop(self._heap)
            if frame < cycle_start:
                self.late_count += 1
            offset = max(last_offset, frame - cycle_start)
            out.write_midi_event(offset, bytes(message))
            self._sent(message)
            last_offset = offset


def _notes(count: int) -> str:
    """How many notes, in words.

    >>> _notes(1), _notes(3)
    ('1 note', '3 notes')
    """
    return f"{count} note{'' if count == 1 else 's'}"
