"""A JACK MIDI capture client for tests: records every event with its absolute JACK frame.

It opens and closes its client through `livecode.midi.jack_clients`, like livecode's own
clients: libjack crashes the process when a client of a dead server is closed after another
client was opened, so a capture whose server died must be closed before anything opens again.

>>> with MidiCapture(server_name) as cap:          # doctest: +SKIP
...     cap.connect_from("livecode-midi:midi_out")
...     events = cap.wait_for(count=4, timeout=2.0)
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from livecode.midi.jack_clients import close_client, mark_dead, open_client

__all__ = ["MidiCapture", "Captured"]

Captured = tuple[int, tuple[int, ...]]  # (absolute frame, message bytes)


class MidiCapture:
    """Capture JACK MIDI into a list of (frame, bytes) with frame = last_frame_time + offset."""

    def __init__(self, servername: str, name: str = "lc-capture") -> None:
        self.client = open_client(name, servername)
        self.port = self.client.midi_inports.register("in")
        self.events: list[Captured] = []
        self._lock = threading.Lock()
        self._closed = False
        self.client.set_process_callback(self._process)
        self.client.set_shutdown_callback(lambda status, reason: mark_dead(self.client))
        self.client.activate()

    def _process(self, frames: int) -> None:
        base = self.client.last_frame_time
        for offset, data in self.port.incoming_midi_events():
            with self._lock:
                self.events.append((base + offset, tuple(bytes(data))))

    def connect_from(self, source: str) -> None:
        """Connect a JACK MIDI output port (full name) to this capture port."""
        self.client.connect(source, self.port)

    def snapshot(self) -> list[Captured]:
        """A copy of what was captured so far."""
        with self._lock:
            return list(self.events)

    def wait_for(self, count: int, timeout: float = 3.0) -> list[Captured]:
        """Wait until `count` events arrived (or the timeout passed); return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.events) >= count:
                break
            time.sleep(0.01)
        return self.snapshot()

    def close(self) -> None:
        """Deactivate and close the client (idempotent; also after its server died)."""
        if not self._closed:
            self._closed = True
            close_client(self.client)

    def __enter__(self) -> MidiCapture:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
