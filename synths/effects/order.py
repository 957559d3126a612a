"""pyo processing order: find the streams an object created, move them before a consumer.

pyo computes its objects in the order of its stream list (creation order), so a consumer that is
older than its source reads the source's previous block. pyo's server can move a stream in that
list (`changeStreamPosition`, what pyo's own `ctrl()` widgets use): an effect created into a
running chain is moved before the objects that read it, so it is heard in the same block.

Only call these from Python between blocks (or from the server's per-block callback, which runs
before the stream loop), never from inside the stream loop (a pyo `CallAfter` or `TrigFunc`:
the project runs none, see `synths.effects.timer`).

Usage (not run as a doctest: it needs a running engine)::

    before = snapshot(server_of(source)); fx = build(); streams = created_since(...)
    move_before(streams, chain_out)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "server_of", "Snapshot", "snapshot", "created_since", "created_ids_since", "id_span", "alive_in_range", "alive_in_ranges", "move_before",
    "streams_of", "StreamGroup", "move_to_front",
]


def server_of(obj: Any) -> Any:
    """The C-level server that computes pyo object `obj`."""
    return obj.getBaseObjects()[0].getServer()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Where the server's stream list ended: its last stream, whose object is kept alive so the
    stream stays in the list (pyo appends new streams at the end)."""

    last: Any
    owner: Any


def snapshot(server: Any) -> Snapshot:
    """Mark the end of the server's stream list now (O(1): pyo hands out its own list)."""
    streams = server.getStreams()
    if not streams:
        return Snapshot(None, None)
    last = streams[-1]
    return Snapshot(last, last.getStreamObject())


def created_since(server: Any, before: Snapshot) -> list[Any]:
    """Streams added since `snapshot` returned `before`, in processing order: the ones after its
    mark, found from the end (O(new); no order change may happen between the two calls)."""
    found: list[Any] = []
    for stream in reversed(server.getStreams()):
        if stream is before.last:
            break
        found.append(stream)
    found.reverse()
    return found


def created_ids_since(server: Any, before: Snapshot) -> tuple[int, int]:
    """The first and last stream id created since `snapshot` returned `before`: pyo numbers
    streams from one counter in creation order, so what one build created owns the ids in
    between. Older streams moved after the mark meanwhile (`move_before`) have lower ids than
    the mark's and are left out. `(0, -1)` (an empty range) when nothing was created."""
    return id_span(created_since(server, before), before)


def id_span(streams: Sequence[Any], before: Snapshot) -> tuple[int, int]:
    """The first and last id among `streams` of those created after `before` was taken (see
    `created_ids_since`; for a build that already called `created_since`)."""
    mark = -1 if before.last is None else int(before.last.getId())
    ids = [int(stream.getId()) for stream in streams if int(stream.getId()) > mark]
    return (min(ids), max(ids)) if ids else (0, -1)


def alive_in_range(server: Any, ids: tuple[int, int]) -> list[Any]:
    """The base objects whose streams are still in the server's list with an id in `ids`
    (what is left of one build: the objects replaced since are gone already)."""
    low, high = ids
    if high < low:
        return []
    return [stream.getStreamObject() for stream in server.getStreams() if low <= stream.getId() <= high]


def alive_in_ranges(server: Any, ranges: Sequence[tuple[int, int]]) -> list[Any]:
    """`alive_in_range` for several disjoint builds at once, in one pass over the stream list
    (in its order): what a freed set of voice pools left, built and grown in many steps.

    Usage (not run as a doctest: it needs a running engine)::

        alive_in_ranges(server, [(120, 260), (900, 1010)]) -> [<Sig_base>, <Mix_base>, ...]
    """
    spans = sorted((low, high) for low, high in ranges if high >= low)
    if not spans:
        return []
    lows = [low for low, _ in spans]
    found: list[Any] = []
    for stream in server.getStreams():
        sid = stream.getId()
        index = bisect.bisect_right(lows, sid) - 1
        if index >= 0 and sid <= spans[index][1]:
            found.append(stream.getStreamObject())
    return found


def move_before(streams: Sequence[Any], consumer: Any) -> None:
    """Move `streams` (in their order) just before the first stream of pyo object `consumer`."""
    if not streams:
        return
    base = consumer.getBaseObjects()[0]
    server = base.getServer()
    reference = base._getStream()
    for stream in streams:
        server.changeStreamPosition(reference, stream)


def move_to_front(server: Any, streams: Sequence[Any]) -> int:
    """Put `streams` (in their order) at the front of the server's stream list, the others
    keeping theirs; returns how many were moved. For stopped streams about to be freed: pyo
    removes a freed stream by scanning its list from the front, so 16,000 streams freed from
    the middle of a 20,000-stream list scan ~10^8 entries with the GIL held; from the front,
    in the order they are freed, each is found first.

    The list is pyo's own: it is permuted in place, one slice assignment (the same streams, the
    same length), under the GIL, which pyo's stream loop holds too, and only if no stream left
    or joined it while the new order was computed (else tried again, at most three times, then
    left as it is: 0). Call it between blocks, from the thread that builds pyo objects.

    >>> from synths._pyo import pyo
    >>> server = pyo().Server(audio="manual", verbosity=1).boot()
    >>> a, b, c = pyo().Sig(1), pyo().Sig(2), pyo().Sig(3)
    >>> ours = [x.getBaseObjects()[0]._getStream() for x in (a, b, c)]
    >>> move_to_front(server, [ours[2], ours[1]]), [s.getId() for s in server.getStreams()][:3] == [ours[i].getId() for i in (2, 1, 0)]
    (2, True)
    >>> server.shutdown()
    """
    if not streams:
        return 0
    wanted = {id(stream) for stream in streams}
    front = [stream for stream in streams if stream is not None]
    everything = server.getStreams()
    for _ in range(3):
        seen = list(everything)                    # one C call: a private copy
        rest = [stream for stream in seen if id(stream) not in wanted]
        if len(rest) + len(front) != len(seen):
            return 0                               # not all of them are in the list: leave it
        order = front + rest
        # The loop above is Python: the audio thread may have taken the GIL meanwhile and
        # freed objects (their streams leave pyo's list). Write only if the list is still the
        # one permuted: the comparison and the slice assignment are two C calls with no point
        # between them where CPython hands the GIL to another thread. (Writing back a stale
        # order put the stream of a freed object back into the list: pyo computed it, the
        # engine process crashed.)
        if everything == seen:
            everything[:] = order
            return len(front)
    return 0


def streams_of(obj: Any) -> list[Any]:
    """The base objects of `obj` plus its internal input faders and end-trigger streams, which
    pyo keeps playing on their own.

    Usage (not run as a doctest: it needs a running engine or device)::

        streams_of(pyo().Biquad(source))
        # -> [<_pyo.Biquad_base ...>, <_pyo.InputFader_base ...>]
    """
    streams = list(obj._base_objs)
    for name in ("_in_fader", "_in_fader2", "_trig_objs"):
        helper = getattr(obj, name, None)
        if helper is not None and hasattr(helper, "_base_objs"):
            streams.extend(helper._base_objs)
    return streams


class StreamGroup:
    """pyo streams that can be stopped together (no CPU, zero output) and played again.

    Holds the streams' base objects (a `pyo.Stream` alone does not keep its object alive).
    `stop()` remembers which of them were playing, so `play()` restarts only those (a sleeping
    parameter among them stays asleep). Call both between blocks or from the server callback.

    >>> group = StreamGroup([]); group.stop(); group.stopped
    True
    """

    def __init__(self, streams: Sequence[Any] = ()) -> None:
        self.objects: list[Any] = [stream.getStreamObject() for stream in streams]
        self._stopped: list[Any] = []
        self.stopped = False

    def add(self, streams: Sequence[Any]) -> None:
        """Add `pyo.Stream`s (stopped at once if the group is stopped)."""
        objects = [stream.getStreamObject() for stream in streams]
        self.objects.extend(objects)
        if self.stopped:
            self._halt(objects)

    def discard(self, objects: Sequence[Any]) -> None:
        """Forget base objects `objects` (freed elsewhere: the group no longer holds or plays them)."""
        gone = {id(obj) for obj in objects}
        self.objects = [obj for obj in self.objects if id(obj) not in gone]
        self._stopped = [obj for obj in self._stopped if id(obj) not in gone]

    def stop(self) -> None:
        """Stop every playing stream of the group."""
        self.stopped = True
        self._halt(self.objects)

    def play(self) -> None:
        """Play again the streams `stop()` stopped."""
        for base in self._stopped:
            base.play(0, 0)
        self._stopped = []
        self.stopped = False

    def _halt(self, objects: Sequence[Any]) -> None:
        for base in objects:
            if base._getStream().isPlaying():
                base.stop()
                self._stopped.append(base)
