"""Growing voice pools: a live engine starts each pool small and adds voices, before the notes
that need them are due, from the notes it is given ahead; output and timing stay exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths._pyo import pyo
from synths.engine import GROW_MARGIN, START_SLOTS, Engine
from synths.errors import ParamError
from synths.events import NoteEvent
from synths.pool import VoicePool
from synths.testvoices import TEST_VOICES, resolve_test_voice

SR = 48000
BLOCK = 256


def test_a_pool_grows_up_to_its_full_size_and_sums_every_voice() -> None:
    server = pyo().Server(sr=SR, audio="manual", verbosity=1).boot()
    try:
        pool = VoicePool(TEST_VOICES["beep"], polyphony=8, sr=SR, block_size=BLOCK, slots=2)
        assert (pool.capacity, pool.full) == (2, 10)
        first = pool.out
        assert pool.grow(3) == 3 and pool.capacity == 5 and pool.out is not first
        assert len(pool.out) == 2
        assert pool.grow(100) == 5 and pool.capacity == 10 and pool.grow(1) == 0
        with pytest.raises(ParamError, match="slots must be an int >= 1"):
            VoicePool(TEST_VOICES["beep"], polyphony=8, sr=SR, block_size=BLOCK, slots=0)
    finally:
        server.shutdown()


def _render(tmp_path: Path, grow: bool, onsets: list[int], clicks: list[int] = ()) -> tuple[dict, dict]:
    """Beeps (distinct pitches, so voice phases do not interfere) on d1, clicks on d2."""
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice, grow_pools=grow) as engine:
        engine.add_track("d1", ["beep"])
        engine.add_track("d2", ["click"])
        engine.mixer.master.set_neutral(True)
        engine.record_start(tmp_path / f"{grow}.wav", stems=tmp_path / f"stems-{grow}", sample_format="float")
        engine.process_blocks(2)
        events = sorted([(onset, "d1", index) for index, onset in enumerate(onsets)]
                        + [(onset, "d2", 0) for onset in clicks])
        for onset, track, index in events:        # given ahead, block by block, as the scheduler does
            while engine.now() + 4 * BLOCK < onset:
                engine.process_blocks(1)
            if track == "d1":
                params = {"s": "beep", "gain": 0.1, "release": 0.05, "note": 40.0 + 6 * (index % 10)}
                engine.schedule(NoteEvent(onset, track, params, SR // 3))
            else:
                engine.schedule(NoteEvent(onset, track, {"s": "click", "gain": 0.5}, 10))
        engine.process_blocks(int(0.5 * SR / BLOCK))
        stats = engine.stats()
        pool = next(iter(engine._tracks["d1"].pools.values()))
        info = {"capacity": pool.capacity, "full": pool.full, "late": stats["late"], "steals": stats["steals"]}
        paths = engine.record_stop()
    audio = {name: wavfile.read(path)[1].astype(np.float64) for name, path in paths.items()}
    return audio, info


def _frames_db(audio: np.ndarray, frame: int = SR // 10) -> np.ndarray:
    count = len(audio) // frame
    rms = np.sqrt((audio[:count * frame, 0].reshape(count, frame) ** 2).mean(axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def test_notes_that_overlap_more_grow_the_pool_before_they_play_and_sound_the_same(tmp_path: Path) -> None:
    sparse = [2000 + i * SR // 8 for i in range(8)]                    # one at a time
    dense = [sparse[-1] + SR // 4 + i * SR // 40 for i in range(10)]   # ten sounding together
    grown, info = _render(tmp_path, True, sparse + dense)
    full, reference = _render(tmp_path, False, sparse + dense)
    assert reference["capacity"] == reference["full"] == 20
    assert START_SLOTS < info["capacity"] < info["full"]              # grew, but not to the full 20
    assert info["capacity"] >= 10 + GROW_MARGIN
    assert info["late"] == reference["late"] == 0 and info["steals"] == reference["steals"] == 0
    a, b = _frames_db(grown["master"]), _frames_db(full["master"])
    n = min(len(a), len(b))
    loud = np.maximum(a[:n], b[:n]) > -60
    assert loud.sum() > 10 and np.abs(a[:n][loud] - b[:n][loud]).max() < 0.5   # the same notes


def test_growing_rebuilds_keep_every_other_note_on_its_sample(tmp_path: Path) -> None:
    beeps = [4000 + i * SR // 40 for i in range(14)]                   # growth, twice
    clicks = [3000 + i * 997 for i in range(30)]                       # odd offsets throughout
    audio, info = _render(tmp_path, True, beeps, clicks)
    assert info["capacity"] > 2 * START_SLOTS and info["late"] == 0
    assert list(np.nonzero(np.abs(audio["d2"][:, 0]) > 0.1)[0]) == clicks
