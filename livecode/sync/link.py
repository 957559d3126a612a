"""Ableton Link through `aalink`: share tempo and beat phase with other Link apps on the network.

`LinkSync` owns a background thread running an asyncio loop that hosts the `aalink.Link` object
(created in that loop, enabled at `start()`, disabled and stopped at `close()`; nothing runs on
import). It is a `BeatSource` for `TempoFollower`: its line is Link's beat at a `time.monotonic()`
instant (Link's clock is the same monotonic clock on Linux, up to a constant offset that the line
measures), with quantum = the session's beats per cycle, so cycle boundaries fall on Link bars.

Usage (not run as a doctest: it needs a running engine or device)::

    sync = LinkSync(bpm=120, quantum=4)
    sync.start(); sync.line().bpm
    # -> 120.0
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from livecode.errors import LinkError
from livecode.sync.follow import BeatLine

__all__ = ["LinkSync", "LinkError"]


class LinkSync:
    """A Link session peer in a background asyncio thread (see module doc).

    Usage (not run as a doctest: it needs a running engine or device)::

        sync = LinkSync(bpm=124, quantum=4).start()
        sync.set_bpm(128); sync.peers
        # -> 1
        sync.close()

    >>> sync = LinkSync(bpm=124, quantum=4)      # nothing runs until start()
    >>> sync.bpm, sync.quantum, LinkSync.restarts
    (124.0, 4, False)
    """

    restarts = False
    delay = 0.0                # Link's timeline is known ahead: the session plays on its beats
    stopped = False            # Link's transport (start/stop sync) is not followed

    def __init__(self, bpm: float = 120.0, quantum: int = 4) -> None:
        self.bpm = float(bpm)
        self.quantum = int(quantum)
        self._link: Any = None                  # an aalink.Link (aalink has no type hints)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 5.0) -> LinkSync:
        """Start the loop thread, create and enable the Link peer; LinkError if it cannot."""
        if self._thread is not None:
            return self
        try:
            import aalink  # noqa: F401 - fail here with a clear message
        except ImportError as err:
            raise LinkError(f"link: the aalink package is not installed ({err}); pip install aalink") from None
        self._thread = threading.Thread(target=self._run, name="livecode-link", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            self.close()
            raise LinkError(f"link: could not start Ableton Link ({self._error or 'timed out'})")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._create())
        except Exception as err:  # noqa: BLE001 - reported by start()
            self._error = err
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            link = self._link
            if link is not None:
                link.enabled = False
            loop.close()

    async def _create(self) -> None:
        import aalink

        link = aalink.Link(self.bpm)
        link.quantum = self.quantum
        link.enabled = True
        self._link = link

    def close(self) -> None:
        """Leave the Link session and stop the thread (idempotent)."""
        loop, thread = self._loop, self._thread
        self._thread = None
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(loop.stop)
            except RuntimeError:
                pass                                    # already closed
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)
        self._link = None

    @property
    def running(self) -> bool:
        """True between start() and close()."""
        return self._thread is not None and self._link is not None

    # -- reading and writing -------------------------------------------------------------------
    @property
    def peers(self) -> int:
        """How many other Link peers are connected."""
        link = self._link
        return int(link.num_peers) if link is not None else 0

    def line(self) -> BeatLine | None:
        """Link's beat and tempo now, stamped with `time.monotonic()`."""
        link = self._link
        if link is None:
            return None
        before = time.monotonic()
        beat = float(link.beat)
        after = time.monotonic()
        bpm = float(link.tempo)
        return BeatLine((before + after) / 2.0, beat, bpm, 0)

    def set_bpm(self, bpm: float) -> None:
        """Propose a new tempo to every peer (Link applies it now)."""
        link = self._link
        if link is None:
            raise LinkError("link: not running; call link(True) first")
        link.tempo = float(bpm)
        self.bpm = float(bpm)
