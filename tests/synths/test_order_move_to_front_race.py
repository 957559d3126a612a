"""`order.move_to_front` permutes pyo's own stream list. The new order is computed in Python, and
the audio thread may take the GIL meanwhile and free objects (pyo takes their streams out of the
list). Writing a stale order back put the stream of a freed object back into the list: pyo then
computed a freed `Trig` and the engine process died (`benchmarks/stress_reset.py` reproduced it in
one to two hundred track resets). The list here plays pyo's: it loses an entry while being read."""

from __future__ import annotations

from collections.abc import Iterator

from synths.effects.order import move_to_front


class _Racing(list[object]):
    """A list that loses `victim` (as if freed by the audio thread) when read at index `at`,
    once; reading goes by index, as iterating a list that changes does (an entry is skipped)."""

    def __init__(self, items: list[object], victim: object, at: int) -> None:
        super().__init__(items)
        self.victim, self.at, self.fired = victim, at, False

    def __iter__(self) -> Iterator[object]:
        index = 0
        while index < len(self):
            if index == self.at and not self.fired:
                self.fired = True
                self.remove(self.victim)
            yield list.__getitem__(self, index)
            index += 1


class _Server:
    def __init__(self, streams: list[object]) -> None:
        self.streams = streams

    def getStreams(self) -> list[object]:  # noqa: N802 - pyo's name
        return self.streams


def test_a_stream_freed_while_the_order_is_computed_is_not_written_back() -> None:
    streams = [object() for _ in range(8)]
    victim = streams[2]
    racing = _Racing(streams, victim, at=4)
    moved = move_to_front(_Server(racing), [streams[7], streams[6]])
    assert victim not in list.__iter__(racing)              # the freed stream stays out
    assert len(racing) == 7 and len({id(s) for s in racing}) == 7
    assert moved == 2 and racing[:2] == [streams[7], streams[6]]


def test_a_list_that_keeps_changing_is_left_as_it_is() -> None:
    streams = [object() for _ in range(6)]

    class Always(_Racing):
        def __iter__(self) -> Iterator[object]:
            self.fired = False
            self.victim = list.__getitem__(self, 0)   # an entry already read: one is skipped
            return super().__iter__()

    racing = Always(streams, streams[0], at=2)
    before = list(list.__iter__(racing))
    assert move_to_front(_Server(racing), [streams[5]]) == 0
    assert all(item in before for item in list.__iter__(racing))
