"""A thread that sends timed messages when they are due (for rtmidi ports).

Messages wait in a heap ordered by (time, arrival); the thread sleeps until the earliest is due,
then sends every due message in order through the callback it was given. It sends while holding
the queue's lock, so `cut()` (drop some pending messages, then send others) never has a message
slip out between its two steps.

>>> import time
>>> out = []
>>> d = Dispatcher(out.append, name="doc")
>>> d.put(time.monotonic() + 0.01, (0x90, 60, 1))
>>> time.sleep(0.1); d.stop()
>>> out
[(144, 60, 1)]
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable

from livecode.midi.port import retracted

__all__ = ["Dispatcher"]

Message = tuple[int, ...]

_SPIN = 0.0015  # below this, yield in short sleeps instead of one long wait


class Dispatcher:
    """Send each message at its monotonic time on a background thread."""

    def __init__(self, send: Callable[[Message], None], name: str = "midi") -> None:
        self._send = send
        self._heap: list[tuple[float, int, Message]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._running = True
        self.late_count = 0
        self.late_tolerance = 0.002
        self._thread = threading.Thread(target=self._run, name=f"livecode-midi-{name}", daemon=True)
        self._thread.start()

    def put(self, when: float, message: Message) -> None:
        """Queue `message` for monotonic time `when`."""
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._seq), message))
            self._cond.notify()

    def clear(self) -> None:
        """Drop every queued message."""
        self.cut(lambda message: False, lambda: None)

    def cut(self, keep: Callable[[Message], bool], then: Callable[[], None]) -> None:
        """Drop the queued messages `keep` rejects, then call `then()`, with nothing sent between."""
        with self._cond:
            self._heap = [entry for entry in self._heap if keep(entry[2])]
            heapq.heapify(self._heap)
            then()

    def retract(self, start: float) -> None:
        """Forget what is queued for `start` or later (`livecode.midi.port.retracted`)."""
        with self._cond:
            self._heap = retracted(self._heap, start)
            heapq.heapify(self._heap)

    def pending(self) -> int:
        """How many messages wait."""
        with self._cond:
            return len(self._heap)

    def stop(self) -> None:
        """Stop the thread; queued messages are dropped."""
        with self._cond:
            self._running = False
            self._heap.clear()
            self._cond.notify()
        self._thread.join(timeout=2.0)

    def _run(self) -> None:
        with self._cond:
            while self._running:
                wait = self._heap[0][0] - time.monotonic() if self._heap else None
                if wait is None or wait > 0:
                    self._cond.wait(timeout=None if wait is None else wait if wait > _SPIN else wait / 2)
                    continue
                when, _, message = heapq.heappop(self._heap)
                if time.monotonic() - when > self.late_tolerance:
                    self.late_count += 1
                self._send(message)
