"""Keyed noise (`synths.noise`): the values of pyo's cheap generator, each voice from a start its
track, instrument and slot pick, so a track sounds the same whatever else the engine built."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from synths._pyo import pyo
from synths.engine import Engine
from synths.events import NoteEvent
from synths.noise import CYCLE, keyed_noise, lcg_cycle, noise_key, start_of

SR = 48000


def _stem(tmp_path: Path, tracks: list[tuple[str, str]], keep: str) -> np.ndarray:
    """Track `keep`'s stem from an engine that built `tracks` (name, instrument) in order, each
    playing its instrument on every 8th of a second for 1 s."""
    out = tmp_path / "_".join(name for name, _ in tracks)
    with Engine("manual", sample_rate=SR, block_size=256) as engine:
        for name, instrument in tracks:
            engine.add_track(name, [instrument])
        engine.record_start(out / "master.wav", stems=out, sample_format="float32")
        for k in range(8):
            for name, instrument in tracks:
                engine.schedule(NoteEvent(1000 + k * SR // 8, name, {"s": instrument, "bank": "808"}, SR // 16))
        engine.process_blocks(SR // 256 + 20)
        engine.record_stop()
    data, _ = sf.read(out / f"{keep}.wav", dtype="float32")
    return data


def test_a_tracks_noise_does_not_depend_on_the_tracks_built_before_it(tmp_path: Path) -> None:
    alone = _stem(tmp_path, [("b", "sd")], "b")
    after = _stem(tmp_path, [("a", "hh"), ("b", "sd")], "b")
    assert np.max(np.abs(alone)) > 0.05                      # the snare sounds (noise and tone)
    assert alone.tobytes() == after.tobytes()


def test_two_voices_of_a_pool_read_different_noise() -> None:
    assert start_of("d1/Snare808/0#0") != start_of("d1/Snare808/1#0")
    assert start_of("d1/Snare808/0#0") != start_of("d2/Snare808/0#0")


def test_the_table_holds_pyos_cheap_generator_and_a_keyed_noise_reads_it_from_its_start() -> None:
    p = pyo()
    server = p.Server(sr=SR, nchnls=1, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        theirs = p.Noise()
        theirs.setType(1)
        with noise_key("t/Voice/0"):
            ours = keyed_noise(near=theirs)
        tables = [p.DataTable(size=1024), p.DataTable(size=1024)]
        recorders = [p.TableRec(theirs, tables[0]).play(), p.TableRec(ours, tables[1]).play()]
        for _ in range(5):
            server.process()
        recorded_theirs, recorded_ours = (np.asarray(table.getTable(), dtype=np.float32) for table in tables)
        del recorders
    finally:
        server.stop()
        server.shutdown()
    cycle = lcg_cycle()
    at = int(np.flatnonzero(cycle == recorded_theirs[0])[0])          # every value is in the cycle once
    assert np.array_equal(recorded_theirs, np.roll(cycle, -at)[:1024])   # pyo's generator, step for step
    start = start_of("t/Voice/0#0")
    assert np.array_equal(recorded_ours, np.roll(cycle, -(start + 1))[:1024])   # ours, from its key's start
