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

A large burial (a hushed track's voice pools: thousands of objects) is first put in the order
it can be freed, a step per call (`bury_sorted`): each object after every buried object that
holds it (what pyo's objects hold is what their `tp_traverse` visits, `gc.get_referents`), and
their streams moved to the front of pyo's list in that order, so each free finds its stream
first instead of scanning past the objects still waiting. Stopped objects buried one by one
(sleeping strips retired together) are sorted the same way once there are `SORT_AT_LEAST`.
`reap` comes to what was buried one by one first (newest first: an old strip input holds the
pools buried after it), then to the sorted burials, the latest first (its streams are the
front of the list).

>>> reaper = Reaper(); reaper.pending, reaper.reap()
(0, 0)
"""

from __future__ import annotations

import gc
import sys
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from synths.effects.order import move_to_front, streams_of

__all__ = [
    "Reaper", "REAP_BUDGET", "REAP_PAUSE", "SETTLE_PAUSE", "SETTLE_FOR", "WAIT_PAUSE", "KEEP_AT_MOST", "free_order",
]

REAP_BUDGET = 0.002
"""Seconds of freeing per `reap` call in a live engine (well under one 128-frame period)."""
REAP_PAUSE = 0.01
"""Seconds between two `reap` calls while they free something: the audio thread gets the GIL
in between."""
SETTLE_PAUSE = 0.05
"""Seconds between two `reap` calls while what was buried lately is still in use: a crossfade
lets go of its old side ~50 ms after a rebuild (`Chain._settle`), and the objects it held
should go then, not a `WAIT_PAUSE` later (after `hush()` that wait was a quarter of the
second the engine has to fall silent in)."""
SETTLE_FOR = 0.5
"""Seconds after a burial (or a sorted burial put in order) during which `SETTLE_PAUSE` holds."""
WAIT_PAUSE = 0.25
"""Seconds between two `reap` calls while what is held is still in use (a crossfade, a pyo
input fader that keeps its previous input until its next change), once `SETTLE_FOR` is over."""
KEEP_AT_MOST = 120.0
"""Seconds an object may stay held while something else still holds it; then the reaper lets
go of it (it is freed by whoever drops it last, as without a reaper)."""
SORT_SLICE = 256
"""Objects a sorting burial reads between two looks at the clock (~0.3 ms)."""
SORT_AT_LEAST = 256
"""Stopped objects buried one by one (`bury`: sleeping strips retired, old masters) that are
sorted as one burial once there are this many: each would scan ~10,000 streams when freed."""


def _holds(base: Any, index: dict[int, int]) -> list[int]:
    """The positions in `index` (by object id) of the objects `base` holds: its direct
    referents, and the items of a list it holds (a `Mix`'s inputs)."""
    found: list[int] = []
    for referent in gc.get_referents(base):
        position = index.get(id(referent))
        if position is not None:
            found.append(position)
        elif type(referent) is list:
            found.extend(p for p in (index.get(id(item)) for item in referent) if p is not None)
    return found


class _Holds:
    """What each of n objects holds (positions), in two flat integer arrays: thousands of
    small lists kept alive while a burial is sorted made Python's cyclic collector run a full
    pass (6-8 ms with the GIL held: an xrun at `hush()`); arrays are no work for it.

    >>> holds = _Holds(); holds.add([1]); holds.add([]); len(holds), list(holds.of(0))
    (2, [1])
    """

    def __init__(self) -> None:
        self.targets = array("l")
        self.starts = array("l", [0])

    def __len__(self) -> int:
        return len(self.starts) - 1

    def add(self, positions: Iterable[int]) -> None:
        """What the next object holds."""
        self.targets.extend(positions)
        self.starts.append(len(self.targets))

    def of(self, i: int) -> array[int]:
        """What object `i` holds."""
        return self.targets[self.starts[i]:self.starts[i + 1]]


def _kahn_steps(holds: _Holds, order: list[int]) -> Iterator[None]:
    """Positions 0..n-1 into `order`, each after every position that holds it, the newest
    (highest) first among those free to go, a cycle's members last, newest first (Kahn's
    algorithm); pausing (a `yield`) every `4 * SORT_SLICE` positions."""
    held_by = [0] * len(holds)
    step = 4 * SORT_SLICE
    for start in range(0, len(holds.targets), step):
        for position in holds.targets[start:start + step]:
            held_by[position] += 1
        yield
    ready = [i for i, count in enumerate(held_by) if count == 0]
    while ready:
        for _ in range(min(len(ready), step)):
            i = ready.pop()
            order.append(i)
            for position in holds.of(i):
                held_by[position] -= 1
                if held_by[position] == 0:
                    ready.append(position)
        yield
    if len(order) < len(holds):
        placed = set(order)
        order.extend(i for i in range(len(holds) - 1, -1, -1) if i not in placed)


def free_order(bases: Sequence[Any]) -> list[Any]:
    """`bases` (pyo base objects in creation order) in an order they can be freed one by one:
    each after every one of `bases` that holds it (a consumer before its inputs).

    >>> from synths._pyo import pyo
    >>> server = pyo().Server(audio="manual", verbosity=1).boot()
    >>> older, newer = pyo().Sig(0.0), pyo().Sig(1.0)
    >>> older.value = newer                          # an older object holds a newer one
    >>> bases = [older._base_objs[0], newer._base_objs[0]]
    >>> [b is bases[i] for b, i in zip(free_order(bases), (0, 1))]
    [True, True]
    >>> free_order(bases[1:] + bases[:1]) == bases       # either way round
    True
    >>> server.shutdown()
    """
    positions: list[int] = []
    for _ in _ordering(bases, positions):
        pass
    return [bases[i] for i in positions]


def _ordering(bases: Sequence[Any], positions: list[int]) -> Iterator[None]:
    """`free_order`'s positions into `positions`, a step at a time (a `yield` after each): index
    the bases, read what each holds, then Kahn's algorithm (`_kahn_steps`)."""
    step = 4 * SORT_SLICE
    index: dict[int, int] = {}
    for start in range(0, len(bases), step):
        index.update((id(base), i) for i, base in enumerate(bases[start:start + step], start))
        yield
    holds = _Holds()
    for start in range(0, len(bases), SORT_SLICE):
        for base in bases[start:start + SORT_SLICE]:
            holds.add(_holds(base, index))
        yield
    del index
    yield from _kahn_steps(holds, positions)


class _Sorting:
    """A sorted burial being put in freeing order a step at a time (`Reaper.bury_sorted`)."""

    def __init__(self, server: Any, bases: list[Any], since: float,
                 lock: AbstractContextManager[Any]) -> None:
        self.server = server
        self.bases = bases
        self.since = since
        """When these were buried."""
        self.lock = lock
        self.result: list[Any] | None = None
        """The bases in freeing order, once `advance` is done."""
        self._steps = self._work()

    def advance(self, deadline: float | None) -> bool:
        """Work until `deadline` (None: to the end), a step at a time (each ~1-2.5 ms at 18,000
        objects), not starting a step the last one says would end past it; True when `result`
        is ready."""
        started = time.perf_counter()
        for _ in self._steps:
            now = time.perf_counter()
            if deadline is not None and 2 * now - started >= deadline:
                return self.result is not None
            started = now
        return True

    def _work(self) -> Iterator[None]:
        """The steps: index the bases; read what each holds, a slice at a time; order them
        (`_ordering`); gather their streams; move those to the front of pyo's list, in that order
        (all stopped at burial: where pyo computes them no longer matters)."""
        bases = self.bases
        step = 4 * SORT_SLICE
        positions: list[int] = []
        yield from _ordering(bases, positions)
        order = [bases[i] for i in positions]
        yield
        streams: list[Any] = []
        for start in range(0, len(order), step):
            streams.extend(base._getStream() for base in order[start:start + step])
            yield
        with self.lock:
            move_to_front(self.server, streams)
        self.result, self.bases = order, []


def _stopped(base: Any) -> bool:
    """Whether pyo base object `base` has a stream that is not computed (False for one without
    a stream, e.g. a table's)."""
    stream = getattr(base, "_getStream", None)
    return stream is not None and not stream().isPlaying()


class _Pile:
    """Held base objects in the order `reap` comes to them (from the end), with the time each
    was buried."""

    def __init__(self) -> None:
        self.bases: list[Any] = []
        self.since: list[float] = []

    def add(self, bases: Sequence[Any], since: float) -> None:
        """Hold `bases`; `reap` comes to the last of them first."""
        self.bases.extend(bases)
        self.since.extend([since] * len(bases))

    def free(self, ids: set[int], deadline: float | None) -> tuple[int, bool]:
        """One pass from the end: stop and free what no one else holds (dropping its id from
        `ids`) until `deadline`; how many went, and whether time ran out."""
        bases, freed, index = self.bases, 0, len(self.bases) - 1
        while index >= 0:
            if index < len(bases) and sys.getrefcount(bases[index]) <= 2:
                bases[index].stop()
                ids.discard(id(bases[index]))
                del self.since[index]
                del bases[index]                       # the only reference: freed here
                freed += 1
                if deadline is not None and time.perf_counter() >= deadline:
                    return freed, True
            index -= 1
        return freed, False

    def take_stopped(self, at_least: int) -> list[Any]:
        """Take out the stopped ones (their streams no longer computed), if there are at least
        `at_least` of them; else leave everything."""
        stopped = [i for i, base in enumerate(self.bases) if _stopped(base)]
        if len(stopped) < at_least:
            return []
        taken = [self.bases[i] for i in stopped]
        gone = set(stopped)
        self._keep([i for i in range(len(self.bases)) if i not in gone])
        return taken

    def let_go(self, cutoff: float) -> bool:
        """Stop holding what was buried before `cutoff` (monotonic seconds); whether anything
        was let go. (Burials come in time order: the first is the oldest.)"""
        if not self.since or self.since[0] >= cutoff:
            return False
        self._keep([i for i, since in enumerate(self.since) if since >= cutoff])
        return True

    def _keep(self, indices: Sequence[int]) -> None:
        """Hold only the objects at `indices` (in order)."""
        self.bases = [self.bases[i] for i in indices]
        self.since = [self.since[i] for i in indices]


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

    def __init__(self, *, keep_at_most: float = KEEP_AT_MOST, settle_for: float = SETTLE_FOR) -> None:
        self.keep_at_most = keep_at_most
        self.settle_for = settle_for
        self._settling_until = 0.0                  # monotonic: `SETTLE_PAUSE` until then
        self._held = _Pile()                        # buried one by one (`bury`): freed first
        self._ordered = _Pile()                     # sorted burials, the latest first
        self._ids: set[int] = set()                # ids of what is held: each base is held once
        self._sorting: _Sorting | None = None       # the sorted burial in hand
        self._unsorted: list[_Sorting] = []         # the ones buried since, in turn
        self._lock: AbstractContextManager[Any] = nullcontext()   # the last `bury_sorted`'s
        self._added = 0                             # held one by one since the last look
        self.freed = 0
        """How many base objects this reaper has freed."""
        self._busy = False

    def pause(self) -> float | None:
        """Seconds until the next `reap` is worth calling: None when nothing is held,
        `REAP_PAUSE` after a burial or a call that freed something (or while a burial is put
        in order), `SETTLE_PAUSE` for `settle_for` seconds after a burial, else `WAIT_PAUSE`."""
        if not self._held.bases and not self._ordered.bases and self._sorting is None:
            return None
        if self._busy or self._sorting is not None:
            return REAP_PAUSE
        return SETTLE_PAUSE if time.monotonic() < self._settling_until else WAIT_PAUSE

    @property
    def sorting(self) -> bool:
        """Whether a sorted burial is still being put in order (`bury_sorted`)."""
        return self._sorting is not None

    @property
    def pending(self) -> int:
        """How many base objects are held, waiting to be freed (or to be put in order)."""
        current = self._sorting                    # read once: `stats()` may ask from anywhere
        sorting = ([current] if current is not None else []) + self._unsorted
        return len(self._held.bases) + len(self._ordered.bases) + sum(len(batch.bases) for batch in sorting)

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

    def bury_sorted(self, server: Any, bases: Iterable[Any],
                    lock: AbstractContextManager[Any] | None = None) -> None:
        """Stop and hold many base objects of `server` (a dropped voice pool's), to be freed in
        `free_order` with their streams at the front of pyo's list (see the module). The order
        is worked out a step per `reap` call; the streams are moved under `lock` (the engine's:
        no object is built meanwhile, which would make `move_to_front` give up; kept for the
        stopped one-by-one burials sorted later).

        >>> from synths._pyo import pyo
        >>> server = pyo().Server(audio="manual", verbosity=1).boot()
        >>> sigs = [pyo().Sig(float(i)) for i in range(3)]
        >>> reaper = Reaper(); reaper.bury_sorted(server, [s._base_objs[0] for s in sigs])
        >>> del sigs; reaper.pending, reaper.reap(), reaper.pending, len(server.getStreams())
        (3, 3, 0, 0)
        >>> server.shutdown()
        """
        fresh = [base for base in bases if id(base) not in self._ids]
        for base in fresh:
            base.stop()
        if not fresh:
            return
        self._ids.update(id(base) for base in fresh)
        if lock is not None:
            self._lock = lock
        self._queue(_Sorting(server, fresh, time.monotonic(), self._lock))

    def _queue(self, batch: _Sorting) -> None:
        """Sort `batch` next, or after the ones already waiting."""
        self._unsorted.append(batch)
        if self._sorting is None:
            self._sorting = self._unsorted.pop(0)

    def _sort_stopped(self) -> None:
        """Sort, as one burial, the objects held one by one that no longer play, once at least
        `SORT_AT_LEAST` have come (16 sleeping strips retired after `hush()`: ~1,000 objects
        that each scanned ~11,000 streams, 60 us apiece, half a second of the reaper's time)."""
        if self._added < SORT_AT_LEAST:
            return
        self._added = 0
        stopped = self._held.take_stopped(SORT_AT_LEAST)
        if stopped:
            self._queue(_Sorting(stopped[0].getServer(), stopped, time.monotonic(), self._lock))

    def _sort(self, deadline: float | None) -> None:
        """Work on the sorted burial in hand until `deadline`; once in order (its streams now the
        front of pyo's list), its objects go where `reap` comes to them first among the sorted
        ones, and the next burial waiting is taken up. Freeing goes on meanwhile: burials that
        keep coming never stall it."""
        if self._sorting is None or not self._sorting.advance(deadline):
            return
        done, self._sorting = self._sorting, self._unsorted.pop(0) if self._unsorted else None
        assert done.result is not None
        self._ordered.add(done.result[::-1], done.since)   # at the front of pyo's list now
        done.result = None
        self._settling_until = time.monotonic() + self.settle_for

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
        self._busy = True
        self._held.add(fresh, time.monotonic())
        self._added += len(fresh)
        self._settling_until = time.monotonic() + self.settle_for

    def reap(self, budget: float | None = None) -> int:
        """Stop, then free, the held objects no one else holds (those buried one by one newest
        first, then the sorted burials in their order; see the module), for at most `budget`
        seconds (None: until nothing more can be freed, sorting included); returns how many
        were freed. Call it from Python between blocks, never from inside the audio callback."""
        deadline = None if budget is None else time.perf_counter() + budget
        self._sort_stopped()
        self._sort(deadline)                           # what is still being sorted waits
        if budget is None:
            while self._sorting is not None:
                self._sort(None)
        freed, progress = 0, True
        while progress:                                # a pass frees consumers, the next their inputs
            progress = False
            for pile in (self._held, self._ordered):   # one by one first: an old strip's input
                count, late = pile.free(self._ids, deadline)   # holds the pools sorted after it
                freed += count
                progress = progress or count > 0
                if late:
                    self.freed += freed
                    self._busy = True
                    return freed
        self._let_go()
        self.freed += freed
        self._busy = False
        return freed

    def _let_go(self) -> None:
        """Stop holding what someone else has held for longer than `keep_at_most`."""
        cutoff = time.monotonic() - self.keep_at_most
        if not any([pile.let_go(cutoff) for pile in (self._held, self._ordered)]):
            return
        self._ids = {id(base) for base in self._held.bases + self._ordered.bases}
        if self._sorting is not None:
            self._ids.update(id(base) for batch in [self._sorting, *self._unsorted] for base in batch.bases)

    def clear(self) -> None:
        """Let go of everything (closing: no audio runs any more)."""
        self._sorting = None
        self._unsorted.clear()
        self._held, self._ordered = _Pile(), _Pile()
        self._ids.clear()
        self._added = 0
