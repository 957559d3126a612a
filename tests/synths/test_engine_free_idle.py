"""Freeing idle voice pools (`Engine(free_idle=True)`): after `panic()` (the session's `hush()`)
every pool is freed once its strip sleeps, and a strip asleep for `FREE_AFTER` seconds loses its
pools too, so pyo's stream list (walked every block, stopped streams included) shrinks back to
the strips. A later note builds its pool again and plays on its sample; a note already given for
later keeps its pool."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

import synths.engine as engine_module
from synths._pyo import pyo
from synths.effects.reaper import Reaper
from synths.engine import Engine
from synths.events import NoteEvent
from synths.testvoices import resolve_test_voice

SR = 48000
BLOCK = 256


def _engine() -> Engine:
    return Engine("manual", block_size=BLOCK, resolver=resolve_test_voice, grow_pools=True, free_idle=True)


def _dense(engine: Engine, tracks: list[str], notes: int = 12) -> None:
    """Chords of six overlapping beeps on every track, given ahead: the pools grow to ~10."""
    start = engine.now()
    for k in range(notes):
        onset = start + 2000 + k * SR // 20
        while engine.now() + 4 * BLOCK < onset:
            engine.process_blocks(1)
        for track in tracks:
            for voice in range(6):
                params = {"s": "beep", "gain": 0.02, "release": 0.05, "note": 50.0 + 3 * voice + k % 4}
                engine.schedule(NoteEvent(onset, track, params, SR // 4))


def _run(engine: Engine, seconds: float) -> None:
    """Blocks, with `stats()` polled every 10 (as `livecode play` and the status bar do)."""
    for index in range(int(seconds * SR / BLOCK)):
        engine.process_blocks(1)
        if index % 10 == 0:
            engine.stats()


def _played_then_panicked(engine: Engine) -> None:
    """Track d1 plays two chords, then `panic()` and one block: its voices fade."""
    engine.add_track("d1")
    engine.process_blocks(2)
    _dense(engine, ["d1"], notes=2)
    _run(engine, 0.3)
    engine.panic()
    engine.process_blocks(1)


def test_after_panic_every_pool_is_freed_and_the_stream_list_shrinks_to_the_strips() -> None:
    with _engine() as engine:
        engine.add_track("d1")
        engine.add_track("d2")
        engine.process_blocks(2)
        strips_only = engine.stats()["streams"]
        _dense(engine, ["d1", "d2"])
        _run(engine, 0.3)
        playing = engine.stats()["streams"]
        capacity = sum(pool.capacity for track in engine._tracks.values() for pool in track.pools.values())
        assert capacity >= 16 and playing > strips_only + 500
        engine.panic()
        _run(engine, 2.0)
        assert engine.stats()["pools"] == 0
        assert engine.describe() == {"d1": {"instruments": ["beep"], "effects": []},   # still theirs
                                     "d2": {"instruments": ["beep"], "effects": []}}
        assert engine._reaper().pending == 0                  # every retired object is freed
        assert engine.stats()["streams"] <= strips_only + 40  # what is left: the strips (rebuilt)


def test_a_note_after_the_freeing_builds_the_pool_again_and_plays_on_its_sample(tmp_path: Path) -> None:
    with _engine() as engine:
        engine.add_track("d1")
        engine.mixer.master.set_neutral(True)
        engine.process_blocks(2)
        _dense(engine, ["d1"], notes=4)
        engine.panic()
        _run(engine, 1.5)
        assert engine.stats()["pools"] == 0
        engine.record_start(tmp_path / "after.wav", stems=tmp_path / "stems", sample_format="float")
        onset = engine.now() + 8 * BLOCK + 77
        engine.schedule(NoteEvent(onset, "d1", {"s": "click", "gain": 0.5}, 10))
        start = engine.now()
        _run(engine, 0.2)
        assert engine.stats()["pools"] == 1
        assert sorted(engine.describe()["d1"]["instruments"]) == ["beep", "click"]
        assert engine.stats()["late"] == 0
        paths = engine.record_stop()
    audio = wavfile.read(paths["d1"])[1]
    sounding = np.flatnonzero(np.abs(audio[:, 0]) > 1e-4)
    assert sounding.size and sounding[0] == onset - start


def test_a_note_given_before_the_strip_sleeps_keeps_its_pool() -> None:
    with _engine() as engine:
        _played_then_panicked(engine)
        later = engine.now() + int(1.5 * SR)              # after the strip has slept a while
        engine.schedule(NoteEvent(later, "d1", {"s": "beep", "gain": 0.1, "note": 60.0}, SR // 10))
        _run(engine, 1.2)
        assert engine.stats()["pools"] == 1
        played = engine.stats()["played"]
        _run(engine, 0.5)
        stats = engine.stats()
        assert stats["played"] == played + 1 and stats["late"] == 0


def test_a_strip_asleep_for_free_after_seconds_loses_its_pools_the_others_keep_theirs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine_module, "FREE_AFTER", 0.5)
    with _engine() as engine:
        engine.add_track("d1")
        engine.add_track("d2")
        engine.process_blocks(2)
        _dense(engine, ["d1", "d2"], notes=2)
        start = engine.now()
        for k in range(24):                               # d2 goes on, one beep every 0.1 s
            engine.schedule(NoteEvent(start + 4 * BLOCK + k * SR // 10, "d2",
                                      {"s": "beep", "gain": 0.1, "note": 62.0}, SR // 20))
        _run(engine, 2.2)
        assert [len(engine._tracks[name].pools) for name in ("d1", "d2")] == [0, 1]
        assert engine.stats()["late"] == 0


def test_without_free_idle_pools_stay() -> None:
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice, grow_pools=True) as engine:
        assert engine.free_idle is False                  # manual and offline: renders keep theirs
        engine.add_track("d1")
        engine.process_blocks(2)
        _dense(engine, ["d1"], notes=2)
        engine.panic()
        _run(engine, 1.5)
        assert engine.stats()["pools"] == 1


def test_the_reaper_holds_a_base_buried_twice_once() -> None:
    server = pyo().Server(audio="manual", verbosity=1).boot()
    try:
        reaper = Reaper()
        sig = pyo().Sig([0.5, 0.25])
        reaper.bury([sig])
        reaper.bury([sig])                 # a send bus's input, buried by two quick rebuilds
        assert reaper.pending == 2
        del sig
        assert reaper.reap() == 2 and reaper.pending == 0
    finally:
        server.shutdown()


def _deferring() -> Engine:
    """An engine as the engine process runs it: notes come on a thread of their own and pools
    are built by `service()` in the main thread (`defer_growth`)."""
    engine = _engine()
    engine.defer_growth = True
    return engine


def test_a_note_for_a_freed_pool_waits_for_service_and_the_build_leaves_the_notes_thread(
    tmp_path: Path,
) -> None:
    with _deferring() as engine:
        engine.add_track("d1", ["click"])
        engine.add_track("d2")
        engine.mixer.master.set_neutral(True)
        engine.process_blocks(2)
        engine.record_start(tmp_path / "out.wav", stems=tmp_path / "stems", sample_format="float")
        start = engine.now()
        click_at, beep_at = start + 6 * BLOCK + 31, start + 6 * BLOCK + 90
        engine.schedule(NoteEvent(click_at, "d2", {"s": "click", "gain": 0.5}, 10))
        engine.schedule(NoteEvent(beep_at, "d1", {"s": "click", "gain": 0.5}, 10))
        assert engine._tracks["d2"].pools == {}           # not built by schedule() ...
        assert len(engine._queue) == 1                    # ... and d1's note was queued at once
        engine.service()                                  # the main thread builds, then queues
        assert list(engine._tracks["d2"].pools) == [resolve_test_voice("click")]
        assert len(engine._queue) == 2
        engine.process_blocks(int(0.2 * SR) // BLOCK)
        stats = engine.stats()
        assert stats["late"] == 0
        assert stats["waited"] == 1 and stats["waited_last"][:2] == ["d2", "click"]
        paths = engine.record_stop()
    for track, onset in (("d2", click_at), ("d1", beep_at)):
        audio = wavfile.read(paths[track])[1]
        sounding = np.flatnonzero(np.abs(audio[:, 0]) > 1e-4)
        assert sounding.size and sounding[0] == onset - start, track


def test_retract_and_panic_drop_the_notes_that_wait_for_a_pool() -> None:
    with _deferring() as engine:
        engine.add_track("d1")
        engine.process_blocks(2)
        now = engine.now()
        for k in range(4):
            engine.schedule(NoteEvent(now + (4 + k) * BLOCK, "d1", {"s": "click", "gain": 0.5}, 10))
        engine.retract(now + 6 * BLOCK)                   # the last two go
        engine.service()
        engine.process_blocks(10)
        assert engine.stats()["played"] == 2
        engine.schedule(NoteEvent(engine.now() + 4 * BLOCK, "d1", {"s": "beep", "gain": 0.1}, 100))
        engine.panic()
        engine.service()
        engine.process_blocks(8)
        assert resolve_test_voice("beep") not in engine._tracks["d1"].pools
        assert engine.stats()["played"] == 2


def test_a_track_asked_for_again_after_panic_keeps_its_pools_until_it_idles_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`add_track` naming instruments (the session's mirror, before a pattern goes live) is a use:
    panic's quick free no longer applies and the idle clock restarts, so the pattern's first note,
    which may come a beat later, finds its pool (it used to wait for the main thread to build it
    again, late behind a command: the soak's late notes). Idle for `FREE_AFTER` again, it goes."""
    monkeypatch.setattr(engine_module, "FREE_AFTER", 1.0)
    with _engine() as engine:
        _played_then_panicked(engine)
        engine.add_track("d1", ["beep"])                  # a new pattern for d1 goes live
        beep = resolve_test_voice("beep")
        pool = engine._tracks["d1"].pools[beep]
        _run(engine, 0.8)                                 # voices asleep, strip asleep
        assert engine._tracks["d1"].pools == {beep: pool}
        engine.schedule(NoteEvent(engine.now() + 2 * BLOCK, "d1", {"s": "beep", "gain": 0.1, "note": 60.0}, SR // 20))
        _run(engine, 0.2)
        stats = engine.stats()
        assert stats["late"] == 0 and stats["waited"] == 0 and engine._tracks["d1"].pools[beep] is pool
        _run(engine, 2.0)                                 # asleep for FREE_AFTER: freed as before
        assert engine.stats()["pools"] == 0
