"""pyo processing order: find the streams an object created, move them before a consumer.

pyo computes its objects in the order of its stream list (creation order), so a consumer that is
older than its source reads the source's previous block. pyo's server can move a stream in that
list (`changeStreamPosition`, what pyo's own `ctrl()` widgets use): an effect created into a
running chain is moved before the objects that read it, so it is heard in the same block.

Only call these from Python between blocks (or from the server's per-block callback, which runs
before the stream loop), never from inside the stream loop (a pyo `CallAfter` or `TrigFunc`:
the project runs none, see `synths.effects.timer`).

>>> # before = snapshot(server_of(source)); fx = build(); streams = created_since(...)
>>> # move_before(streams, chain_out)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["server_of", "snapshot", "created_since", "move_before", "StreamGroup"]


def server_of(obj: Any) -> Any:
    """The C-level server that computes pyo object `obj`."""
    return obj.getBaseObjects()[0].getServer()


def snapshot(server: Any) -> set[int]:
    """Identities of the streams the server computes now."""
    return {id(stream) for stream in server.getStreams()}


def created_since(server: Any, before: set[int]) -> list[Any]:
    """Streams added since `snapshot` returned `before`, in processing order."""
    return [stream for stream in server.getStreams() if id(stream) not in before]


def move_before(streams: Sequence[Any], consumer: Any) -> None:
    """Move `streams` (in their order) just before the first stream of pyo object `consumer`."""
    if not streams:
        return
    base = consumer.getBaseObjects()[0]
    server = base.getServer()
    reference = base._getStream()
    for stream in streams:
        server.changeStreamPosition(reference, stream)


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
