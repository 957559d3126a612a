"""A JACK-native MIDI output that writes each message at its exact frame (JACK-Client).

rtmidi's JACK backend writes every pending message at frame 0 of the next period (up to 5.3 ms of
jitter at 256 frames). This port instead keeps the messages in its own queue and, in the JACK
process callback, writes each one at the frame offset inside the period where it is due.

Time comes in as `time.monotonic()` seconds. The port maps it to JACK frames with an anchor
(frame, monotonic time) taken in the process callback, and re-anchors only when the JACK frame
clock drifts from the wall clock by more than two periods (the dummy driver falls behind when it
wakes late), so the spacing between messages stays exact in frames.

>>> port = JackMidiOut("out", connect_to="synth:midi_in")   # doctest: +SKIP
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass

from livecode.midi.errors import MidiPortError
from livecode.midi.messages import Bytes
from livecode.midi.port import Keep, MidiOut, Release

__all__ = ["JackMidiOut", "jack_midi_destinations", "jack_running"]



@dataclass(frozen=True, slots=True)
class _Cut:
    """A queue marker: drop the pending messages `keep` rejects, then send `release()`."""

    keep: Keep
    release: Release


def jack_running(servername: str | None = None) -> bool:
    """True when a JACK server (the default one, or `servername`) accepts clients."""
    import jack

    try:
        client = jack.Client("livecode-probe", servername=servername, no_start_server=True)
    except jack.JackError:
        return False
    client.close()
    return True


def jack_midi_destinations(servername: str | None = None) -> list[str]:
    """Names of the JACK MIDI input ports (where an output can be connected)."""
    import jack

    try:
        client = jack.Client("livecode-probe", servername=servername, no_start_server=True)
    except jack.JackError:
        return []
    try:
        return [p.name for p in client.get_ports(is_midi=True, is_input=True)]
    finally:
        client.close()


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
        import jack

        try:
            self._client = jack.Client(client_name, servername=servername, no_start_server=True)
        except jack.JackError as err:
            raise MidiPortError(f"no JACK server to open MIDI port {name!r} on: {err}") from err
        self._port = self._client.midi_outports.register(name)
        self._sr = float(self._client.samplerate)
        self._incoming: deque[tuple[float, Bytes | _Cut]] = deque()
        self._heap: list[tuple[int, int, Bytes]] = []
        self._seq = itertools.count()
        self._anchor: tuple[int, float] | None = None
        self._drained = threading.Event()
        self.reanchors = 0
        self._client.set_process_callback(self._process)
        self._client.set_shutdown_callback(self._on_shutdown)
        self.server_lost = False
        self._client.activate()
        if connect_to:
            self.connect(connect_to)

    @property
    def port_name(self) -> str:
        """The full JACK name of this output port (client:port)."""
        return str(self._port.name)

    def connect(self, destination: str) -> None:
        """Connect to every JACK MIDI input port whose name contains `destination`."""
        import jack

        targets = [p for p in self._client.get_ports(is_midi=True, is_input=True) if destination in p.name]
        if not targets:
            names = ", ".join(p.name for p in self._client.get_ports(is_midi=True, is_input=True))
            raise MidiPortError(f"no JACK MIDI input matching {destination!r} (available: {names or 'none'})")
        for target in targets:
            try:
                self._client.connect(self._port, target)
            except jack.JackError as err:
                raise MidiPortError(f"cannot connect to {target.name}: {err}") from err

    def frame_of(self, when: float) -> int | None:
        """The JACK frame at which a message for monotonic time `when` is written (None before start)."""
        anchor = self._anchor
        if anchor is None:
            return None
        return anchor[0] + round((when - anchor[1]) * self._sr)

    def flush(self, timeout: float = 1.0) -> bool:
        """Wait until the process callback has written everything already due."""
        self._drained.clear()
        return self._drained.wait(timeout)

    # -- MidiOut hooks ------------------------------------------------------------------------
    def _schedule(self, when: float, message: Bytes) -> None:
        self._incoming.append((when, message))

    def _send_now(self, message: Bytes) -> None:
        self._incoming.append((0.0, message))

    def _cut(self, keep: Keep, release: Release) -> None:
        self._incoming.append((0.0, _Cut(keep, release)))

    def _close(self) -> None:
        deadline = time.monotonic() + 0.5
        while self._incoming and not self.server_lost and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self.server_lost:
            self.flush(0.2)
        try:
            self._client.deactivate()
        finally:
            self._client.close()

    def _on_shutdown(self, status: object, reason: str) -> None:
        self.server_lost = True

    # -- the JACK process callback ------------------------------------------------------------
    def _process(self, frames: int) -> None:
        cycle_start = self._client.last_frame_time
        self._update_anchor(cycle_start, frames)
        while self._incoming:
            when, item = self._incoming.popleft()
            if isinstance(item, _Cut):
                self._apply_cut(item, cycle_start)
                continue
            frame = cycle_start if when == 0.0 else self.frame_of(when)
            heapq.heappush(self._heap, (frame if frame is not None else cycle_start, next(self._seq), item))
        self._port.clear_buffer()
        cycle_end = cycle_start + frames
        last_offset = 0
        while self._heap and self._heap[0][0] < cycle_end:
            frame, _, message = heapq.heappop(self._heap)
            if frame < cycle_start:
                self.late_count += 1
            offset = max(last_offset, frame - cycle_start)
            self._port.write_midi_event(offset, bytes(message))
            self._sent(message)
            last_offset = offset
        self._drained.set()

    def _apply_cut(self, cut: _Cut, cycle_start: int) -> None:
        self._heap = [entry for entry in self._heap if cut.keep(entry[2])]
        heapq.heapify(self._heap)
        for message in cut.release():
            heapq.heappush(self._heap, (cycle_start, next(self._seq), message))

    def _update_anchor(self, cycle_start: int, frames: int) -> None:
        now = time.monotonic() - self._client.frames_since_cycle_start / self._sr
        if self._anchor is None:
            self._anchor = (cycle_start, now)
            return
        predicted = self.frame_of(now)
        if predicted is not None and abs(predicted - cycle_start) > 2 * frames + 0.002 * self._sr:
            self._anchor = (cycle_start, now)
            self.reanchors += 1
