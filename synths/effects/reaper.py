"""`Reaper`: free retired pyo objects a few at a time, between blocks, never as one long cascade.

pyo takes a freed object's stream out of the server's list by a linear scan with the GIL held
(0.1-0.4 ms at 40,000 streams, a 24-track live set). Dropping the last reference to a retired
graph (an old master chain, a rebuilt strip, the finite guard's sum that was the last reader of
old strips) is one C call that frees every object it reaches: 10-30 ms with the GIL held while
the audio callback waits for it, several periods, an xrun.

The reaper holds the base objects of what is retired and frees them one at a time, only those
no one else holds any more (a consumer before its inputs, which it held), within a time budget
per call; the engine process calls it between commands. Whatever it frees is stopped first, so a
retired object that nobody reads no longer costs CPU while it waits.

>>> reaper = Reaper(); reaper.pending, reaper.reap()
(0, 0)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any

from synths.effects.order import streams_of

__all__ = ["Reaper", "REAP_BUDGET", "REAP_PAUSE", "WAIT_PAUSE", "KEEP_AT_MOST"]

REAP_BUDGET = 0.002
"""Seconds of freeing per `reap` call in a live engine (well under one 128-frame period)."""
REAP_PAUSE = 0.01
"""Seconds between two `reap` calls while they free something: the audio thread gets the GIL
in between."""
WAIT_PAUSE = 0.25
"""Seconds between two `reap` calls while what is held is still in use (a crossfade, a pyo
input fader that keeps its previous input until its next change)."""
KEEP_AT_MOST = 120.0
"""Seconds an object may stay held while something else still holds it; then the reaper lets
go of it (it is freed by whoever drops it last, as without a reaper)."""


class Reaper:
    """Holds retired pyo base objects and frees, per `reap`, those only it still holds.

    `bury` takes pyo objects (their base objects, input faders and trigger streams),
    `bury_bases` base objects (what `order.alive_in_range` finds of a build by its stream ids).

    >>> from synths._pyo import pyo
    >>> server = pyo().Server(audio="manual", verbosity=1).boot()
    >>> reaper = Reaper(); sig = pyo().Sig([0.5, 0.25])
    >>> reaper.bury([sig]); reaper.pending
    2
    >>> reaper.reap(), reaper.pending            # `sig` still holds its objects
    (0, 2)
    >>> del sig; reaper.reap(), reaper.pending
    (2, 0)
    >>> server.shutdown()
    """

    def __init__(self, *, keep_at_most: float = KEEP_AT_MOST) -> None:
        self.keep_at_most = keep_at_most
        self._held: list[Any] = []
        self._since: list[float] = []
        self._ids: set[int] = set()                # ids of what is held: each base is held once
        self.freed = 0
        """How many base objects this reaper has freed."""
        self._busy = False

    def pause(self) -> float | None:
        """Seconds until the next `reap` is worth calling: None when nothing is held,
        `REAP_PAUSE` after a burial or a call that freed something, else `WAIT_PAUSE`."""
        if not self._held:
            return None
        return REAP_PAUSE if self._busy else WAIT_PAUSE

    @property
    def pending(self) -> int:
        """How many base objects are held, waiting to be freed."""
        return len(self._held)

    def bury(self, objects: Iterable[Any], *, stop: bool = False) -> None:
        """Hold the base objects of the pyo objects `objects` (None entries are skipped); with
        `stop`, stop them now (see `bury_bases`)."""
        bases: list[Any] = []
        for obj in objects:
            if obj is not None:
                bases.extend(streams_of(obj))
        self.bury_bases(bases, stop=stop)

    def bury_bases(self, bases: Iterable[Any], *, stop: bool = False) -> None:
        """Hold pyo base objects (e.g. every object a build created).

        `stop` (for what no one hears any more: a swapped-out master, a dropped voice pool)
        stops them at once. It is required when the Python objects that owned them are about to
        go: a pyo object does not keep alive the table it reads (a master's `Convolve`), so one
        still computing after its table was freed reads freed memory."""
        held = list(bases)
        if stop:
            for base in held:
                base.stop()
        self._hold(held)

    def _hold(self, bases: list[Any]) -> None:
        """Hold `bases`, each once: a base buried twice (a send bus's input buried by two
        rebuilds before its crossfade ran) would count one reference too many for ever, and
        everything it reads would never be freed."""
        fresh = []
        for base in bases:
            if id(base) not in self._ids:
                self._ids.add(id(base))
                fresh.append(base)
        if not fresh:
            return
        now = time.monotonic()
        self._busy = True
        self._held.extend(fresh)
        self._since.extend([now] * len(fresh))

    def reap(self, budget: float | None = None) -> int:
        """Stop, then free, the held objects no one else holds, newest first, for at most
        `budget` seconds (None: until nothing more can be freed); returns how many were freed.
        Call it from Python between blocks, never from inside the audio callback."""
        deadline = None if budget is None else time.perf_counter() + budget
        freed = 0
        progress = True
        while progress and self._held:
            progress = False
            index = len(self._held) - 1
            while index >= 0:
                if index < len(self._held) and sys.getrefcount(self._held[index]) <= 2:
                    self._held[index].stop()
                    self._ids.discard(id(self._held[index]))
                    del self._since[index]
                    del self._held[index]               # the only reference: freed here
                    freed += 1
                    progress = True
                    if deadline is not None and time.perf_counter() >= deadline:
                        self.freed += freed
                        self._busy = True
                        return freed
                index -= 1
        self._let_go()
        self.freed += freed
        self._busy = False
        return freed

    def _let_go(self) -> None:
        """Stop holding what someone else has held for longer than `keep_at_most`."""
        if not self._since or time.monotonic() - self._since[0] < self.keep_at_most:
            return
        cutoff = time.monotonic() - self.keep_at_most
        keep = [i for i, since in enumerate(self._since) if since >= cutoff]
        self._held = [self._held[i] for i in keep]
        self._since = [self._since[i] for i in keep]
        self._ids = {id(base) for base in self._held}

    def clear(self) -> None:
        """Let go of everything (closing: no audio runs any more)."""
        self._held.clear()
        self._since.clear()
        self._ids.clear()
