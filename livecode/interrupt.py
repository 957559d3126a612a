"""SIGINT and SIGTERM as a request to stop, checked where a command can stop cleanly.

`livecode render` checks between blocks: it closes its files (valid WAVs) and says at which bar it
stopped. `livecode play` stops the patterns and lets the reverb and delay tails ring out. A second
signal does not wait: it raises KeyboardInterrupt at once; later ones are ignored while the
command closes. Either way the command exits with 128 + the signal number (130 for Ctrl-C, 143
for SIGTERM).

>>> stop = StopSignals()
>>> stop() is None
True
>>> stop.request(signal.SIGTERM)
>>> stop()
15
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["StopSignals", "StopCheck", "SIGNALS", "run_stoppable"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)

StopCheck = Callable[[], "int | None"]
"""Called where a long task can stop: the number of the signal that asked it to stop, or None."""


class StopSignals:
    """While entered (`with StopSignals() as stop:`), SIGINT and SIGTERM set `signum` instead of
    raising; calling the object returns it. With `graceful=False`, or on a second signal, the
    handler raises KeyboardInterrupt at once (`signum` says which signal it was). Signals after
    that one are ignored, so the clean-up that follows (notes off, files closed) runs to its end.

    Handlers can only be installed from the main thread; elsewhere entering does nothing.
    """

    def __init__(self, *, graceful: bool = True) -> None:
        self.graceful = graceful
        self.signum: int | None = None
        self.raised = False
        self._previous: dict[int, Any] = {}

    def __call__(self) -> int | None:
        return self.signum

    def request(self, signum: int) -> None:
        """Ask to stop as if `signum` had arrived (the first request wins)."""
        if self.signum is None:
            self.signum = int(signum)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        first = self.signum is None
        self.request(signum)
        if self.raised or (first and self.graceful):
            return
        self.raised = True
        raise KeyboardInterrupt

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()


def run_stoppable(prog: str, body: Callable[[], int]) -> int:
    """Run a command's `body` so that the first SIGINT or SIGTERM ends it at once with one line,
    `PROG: interrupted`, and status 130 or 143 (for commands with nothing to close cleanly:
    `livecode master`, `qc`, `tune`; their audio files are written whole or not at all).

    >>> run_stoppable("livecode qc", lambda: 0)
    0
    """
    stop = StopSignals(graceful=False)
    try:
        with stop:
            return body()
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 128 + (stop.signum or signal.SIGINT)
