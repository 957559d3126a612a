"""`Reaper.bury_sorted`: a large burial is freed in the order its objects can go, each found at
the front of pyo's stream list (pyo removes a freed stream by scanning the list from the front).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from synths._pyo import pyo
from synths.effects.reaper import SETTLE_PAUSE, WAIT_PAUSE, Reaper


@pytest.fixture
def server() -> Iterator[Any]:
    srv = pyo().Server(audio="manual", verbosity=1).boot()
    yield srv
    srv.shutdown()


def _base(obj: Any) -> Any:
    return obj.getBaseObjects()[0]


def _reap_one_at_a_time(reaper: Reaper, server: Any) -> tuple[int, list[bool]]:
    """Call `reap` with no budget left (one sorting step, or one free, per call) until nothing
    is held: how many were freed, and for each freed once nothing was being sorted any more,
    whether its stream was the first of pyo's list."""
    return _reap_one_at_a_time_while(reaper, server, lambda: reaper.pending > 0)


def _reap_one_at_a_time_while(reaper: Reaper, server: Any, going: Callable[[], bool]) -> tuple[int, list[bool]]:
    """`_reap_one_at_a_time` while `going()`."""
    freed_in_all = 0
    found_first: list[bool] = []
    for _ in range(10_000):
        if not going():
            return freed_in_all, found_first
        sorted_already = not reaper.sorting
        streams = server.getStreams()
        first_id = streams[0].getId() if streams else None
        before = {stream.getId() for stream in streams}
        del streams
        freed = reaper.reap(0.0)
        freed_in_all += freed
        if freed and sorted_already:
            gone = before - {stream.getId() for stream in server.getStreams()}
            found_first.append(gone == {first_id})
    raise AssertionError("the reaper never finished")


def test_a_sorted_burial_frees_every_object_from_the_front_of_the_list(server: Any) -> None:
    older = pyo().Sig(0.0)                    # an older object that holds a newer one,
    reaper = Reaper()
    reaper.bury([older], stop=True)            # buried first (an old strip's input)
    inner = pyo().Sig(0.0)                    # the same inside the sorted burial
    shared = pyo().Sig(1.0)
    older.value = shared
    inner.value = shared
    readers = [pyo().Sig(shared, mul=0.5) for _ in range(40)]
    chain = [pyo().Sig(0.25)]
    for _ in range(60):
        chain.append(pyo().Sig(chain[-1]))      # each newer one holds the one before
    ours = [_base(x) for x in (inner, shared, *readers, *chain)]
    others = [pyo().Sig(3.0) for _ in range(20)]        # the rest of the set, still playing
    reaper.bury_sorted(server, ours)
    assert reaper.pending == 1 + len(ours)
    del older, inner, shared, readers, chain, ours
    freed, found_first = _reap_one_at_a_time(reaper, server)
    assert freed == 1 + 2 + 40 + 61            # `older` went first, while the rest was sorted
    assert len(found_first) == 1 + 40 + 61 and all(found_first)   # (one went in the call that sorted)
    assert [stream.getStreamObject() for stream in server.getStreams()] == [_base(x) for x in others]


def test_what_else_is_held_and_still_playing_keeps_its_place(server: Any) -> None:
    fading = pyo().Sig(0.5)                    # a crossfade's side, still read and playing
    reader = pyo().Sig(fading)
    reaper = Reaper()
    reaper.bury([fading])                      # held, not stopped
    quiet = [pyo().Sig(float(i)) for i in range(30)]
    reaper.bury_sorted(server, [_base(x) for x in quiet])
    del quiet
    while reaper.pending > 1:
        reaper.reap(0.0)
    ids = [stream.getId() for stream in server.getStreams()]
    assert ids == [_base(fading)._getStream().getId(), _base(reader)._getStream().getId()]
    assert _base(fading)._getStream().isPlaying()
    del fading
    reader.stop()
    del reader
    assert reaper.reap(None) == 1 and reaper.pending == 0


def test_burials_made_while_a_round_sorts_wait_for_the_next_and_every_round_ends(server: Any) -> None:
    reaper = Reaper()
    first = [pyo().Sig(float(i)) for i in range(800)]
    reaper.bury_sorted(server, [_base(x) for x in first])
    del first
    freed = 0
    for call in range(400):
        if call % 3 == 0 and call < 300:      # a pool dropped every few calls, for a while
            more = [pyo().Sig(1.0) for _ in range(5)]
            reaper.bury_sorted(server, [_base(x) for x in more])
            del more
        freed += reaper.reap(0.0)
        if call == 200:
            assert freed > 0                   # freeing goes on while burials keep coming
    freed += reaper.reap(None)
    assert reaper.pending == 0 and freed == 800 + 5 * 100
    assert server.getStreams() == []


def test_sorting_keeps_no_container_per_object(server: Any) -> None:
    """Thousands of small lists kept while a round sorts started Python's full collection
    (6-8 ms with the GIL held, an xrun at `hush()`); the round keeps flat arrays."""
    objects = [pyo().Sig(float(i)) for i in range(3000)]
    reaper = Reaper()
    reaper.bury_sorted(server, [_base(x) for x in objects])
    del objects
    gc.collect()
    gc.disable()
    try:
        start = gc.get_count()[0]
        grown = 0
        while reaper.sorting:
            reaper._sort(0.0)                  # a step at a time, as the live engine does
            grown = max(grown, gc.get_count()[0] - start)
    finally:
        gc.enable()
    assert grown < 100
    assert reaper.reap(None) == 3000


def test_what_someone_else_keeps_holding_is_let_go_from_either_pile(server: Any) -> None:
    reaper = Reaper(keep_at_most=0.0)
    kept_plain, kept_sorted = pyo().Sig(1.0), pyo().Sig(2.0)     # still held by this test
    reaper.bury([kept_plain])
    reaper.bury_sorted(server, [_base(kept_sorted)])
    assert reaper.pending == 2
    assert reaper.reap(None) == 0 and reaper.pending == 0        # let go, not freed
    reaper.bury([kept_plain])                                    # and can be buried again
    del kept_plain
    assert reaper.reap(None) == 1 and reaper.pending == 0


def test_many_stopped_objects_buried_one_by_one_are_sorted_too(server: Any) -> None:
    """Sleeping strips retired after `hush()` come one `bury` at a time; once there are enough
    of them they are sorted like a dropped pool, while what still plays stays where it is."""
    reaper = Reaper()
    playing = pyo().Sig(0.5)                   # a crossfade's side, still playing
    reader = pyo().Sig(playing)
    reaper.bury([playing])
    strips = [[pyo().Sig(float(i)) for i in range(20)] for _ in range(15)]   # 300 objects
    for strip in strips:
        reaper.bury(strip, stop=True)
    del strips, strip
    freed, found_first = _reap_one_at_a_time_while(reaper, server, lambda: reaper.pending > 1)
    assert freed == 300
    assert len(found_first) == 299 and all(found_first)
    assert [s.getId() for s in server.getStreams()] == [_base(x)._getStream().getId() for x in (playing, reader)]


def test_a_few_stopped_objects_buried_one_by_one_are_not_sorted(server: Any) -> None:
    reaper = Reaper()
    few = [pyo().Sig(float(i)) for i in range(20)]
    reaper.bury(few, stop=True)
    del few
    reaper.reap(0.0)
    assert not reaper.sorting
    assert reaper.reap(None) == 19 and reaper.pending == 0


def test_what_was_buried_lately_and_is_still_in_use_is_looked_at_again_soon(server: Any) -> None:
    """A crossfade lets go of its old side ~50 ms after a rebuild: the reaper looks again at
    `SETTLE_PAUSE` for a while after a burial, not a quarter of a second later."""
    reaper = Reaper()
    kept = pyo().Sig(1.0)                      # still read: a crossfade's old side
    reaper.bury_sorted(server, [_base(kept)])
    assert reaper.reap(None) == 0
    assert reaper.pause() == SETTLE_PAUSE
    late = Reaper(settle_for=0.0)
    late.bury([kept])
    assert late.reap(None) == 0 and late.pause() == WAIT_PAUSE
