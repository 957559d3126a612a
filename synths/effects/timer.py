"""`BlockTimer`: run Python at a block start, some time from now, never inside pyo's stream loop.

pyo computes a block by walking its list of streams. A stream that calls Python from inside that
walk (pyo's `CallAfter`, `TrigFunc`, `Pattern`) lets another Python thread take the GIL in the
middle of the walk; if that thread frees a pyo object (the engine's command thread does when it
reads meters and releases faded-out effects), the stream list changes under the walk, a stream
is skipped for a block, and the calling stream itself can be freed while it runs. So no Python
runs inside the walk: crossfade re-routes and settles wait in a `BlockTimer`, which the engine
ticks from its block callback, before pyo computes the block (where creating and freeing
objects is safe).

An action asked for with `later(action, delay)` runs at the start of the first block that begins
at least `delay` seconds after the start of the block that follows the call: objects created
before the call have computed at least one block by then.

>>> timer = BlockTimer(48000)
>>> ran = []
>>> job = timer.later(lambda: ran.append("x"), 0.001)
>>> timer.tick(0); ran, job.done               # the first tick sets the deadline (frame 48)
([], False)
>>> timer.tick(256); ran, job.done
(['x'], True)
"""

from __future__ import annotations

import collections
import math
from collections.abc import Callable

__all__ = ["BlockTimer", "Deferred"]


class Deferred:
    """One action waiting in a `BlockTimer`; `done` turns True once the action has returned."""

    __slots__ = ("action", "delay", "done")

    def __init__(self, action: Callable[[], None], delay: float) -> None:
        self.action = action
        self.delay = float(delay)           # negative: at the next tick
        self.done = False


class BlockTimer:
    """Deferred actions, run by `tick(now)` at block starts (the engine's block callback).

    `later` may be called from any thread; `tick` only from the thread that computes audio (or
    between blocks in manual mode). An action that raises is counted in `errors` (its message
    kept in `last_error`) and the others still run: the audio thread never sees an exception.
    """

    def __init__(self, sr: float) -> None:
        self.sr = float(sr)
        self._incoming: collections.deque[Deferred] = collections.deque()
        self._waiting: list[tuple[int, Deferred]] = []
        self.errors = 0
        self.last_error = ""

    def later(self, action: Callable[[], None], delay: float = 0.0) -> Deferred:
        """Run `action()` at a block start `delay` seconds (at least one block) from now."""
        job = Deferred(action, delay)
        self._incoming.append(job)
        return job

    def next_block(self, action: Callable[[], None]) -> Deferred:
        """Run `action()` at the very next block start (before pyo computes that block): a
        switch made from another thread then happens between two blocks, never inside one.

        >>> timer = BlockTimer(48000); ran = []
        >>> job = timer.next_block(lambda: ran.append(1)); timer.tick(0); ran, job.done
        ([1], True)
        """
        job = Deferred(action, -1.0)
        self._incoming.append(job)
        return job

    @property
    def pending(self) -> int:
        """Actions not yet run."""
        return len(self._incoming) + len(self._waiting)

    def tick(self, now: int) -> None:
        """At the start of the block beginning at frame `now`: run the actions that are due."""
        while self._incoming:
            job = self._incoming.popleft()
            wait = 0 if job.delay < 0 else max(1, math.ceil(job.delay * self.sr))
            self._waiting.append((now + wait, job))
        if not self._waiting or min(deadline for deadline, _ in self._waiting) > now:
            return
        due = [job for deadline, job in self._waiting if deadline <= now]
        self._waiting = [(deadline, job) for deadline, job in self._waiting if deadline > now]
        for job in due:
            try:
                job.action()
            except Exception as exc:  # noqa: BLE001 - the audio thread must survive any action
                self.errors += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
            job.done = True
