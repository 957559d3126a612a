"""A JACK MIDI capture client for tests: records every event with its absolute JACK frame.

>>> with MidiCapture(server_name) as cap:          # doctest: +SKIP
...     cap.connect_from("livecode-midi:midi_out")
...     events = cap.wait_for(count=4, timeout=2.0)
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

import jack

__all__ = ["MidiCapture", "Captured"]

Captured = tuple[int, tuple[int, ...]]  # (absolute frame, message bytes)


class MidiCapture:
    """Capture JACK MIDI into a list of (frame, bytes) with frame = last_frame_time + offset."""

    def __init__(self, servername: str, name: str = "lc-capture") -> None:
        self.client = jack.Client(name, servername=servername, no_start_server=True)
        self.port = self.client.midi_inports.register("in")
        self.events: list[Captured] = []
        self._lock = threading.Lock()
        self.client.set_process_callback(self._process)
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
        """Deactivate and close the client."""
        self.client.deactivate()
        self.client.close()

    def __enter__(self) -> MidiCapture:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
