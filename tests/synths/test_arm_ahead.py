"""Arming notes ahead (issue 8): a live engine sets up a note's voice in a block before the note's
own (`Engine(arm_ahead=True)`, `VoicePool.arm`), so the onset's block only starts it. Armed notes
start on their sample and sound as unarmed ones; nothing armed is lost to a panic or to a pool
that runs out of free voices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent

SR = 48000
BLOCK = 256
KICKS = [3000 + i * 9000 + 37 * i for i in range(8)]      # off the block grid
TONES = [5000 + i * 12000 for i in range(6)]


def _render(tmp_path: Path, arm: bool) -> tuple[dict[str, np.ndarray], int]:
    """The stems, and how many notes were armed."""
    armed = 0
    with Engine("manual", block_size=BLOCK, arm_ahead=arm) as engine:
        engine.add_track("kick", ["bd@808"])
        engine.add_track("keys", ["sine"])
        engine.mixer.master.set_neutral(True)
        for track in ("kick", "keys"):
            for pool in engine._tracks[track].pools.values():
                def counted(*args: Any, _arm: Any = pool.arm, **kwargs: Any) -> bool:
                    nonlocal armed
                    done = bool(_arm(*args, **kwargs))
                    armed += done
                    return done
                pool.arm = counted  # type: ignore[method-assign]
        engine.record_start(tmp_path / f"{arm}.wav", stems=tmp_path / f"stems-{arm}", sample_format="float")
        engine.process_blocks(2)
        events = sorted([(t, "kick", {"s": "bd", "bank": "808"}) for t in KICKS]
                        + [(t, "keys", {"s": "sine", "note": 60.0 + 3 * i, "gain": 0.5}) for i, t in enumerate(TONES)],
                        key=lambda event: event[0])
        for onset, track, params in events:        # given ahead, as the scheduler does
            while engine.now() + 8 * BLOCK < onset:
                engine.process_blocks(1)
            engine.schedule(NoteEvent(onset, track, params, SR // 10))
        engine.process_blocks(int(0.6 * SR / BLOCK))
        assert engine.stats()["late"] == 0
        paths = engine.record_stop()
    return {name: wavfile.read(path)[1].astype(np.float64) for name, path in paths.items()}, armed


def test_armed_notes_start_on_their_sample_and_sound_exactly_as_unarmed_ones(tmp_path: Path) -> None:
    (armed, count), (plain, none) = _render(tmp_path, True), _render(tmp_path, False)
    assert (count, none) == (len(KICKS) + len(TONES), 0)
    assert set(armed) == set(plain) and {"kick", "keys", "master"} <= set(armed)
    for name in armed:                # the same voices, the same values: the same samples
        assert np.array_equal(armed[name], plain[name]), name
    assert np.abs(plain["keys"]).max() > 0.1 and np.abs(plain["kick"]).max() > 0.3


def _count_calls(engine: Engine, track: str) -> dict[str, int]:
    """Count set_note / arm_note / start_note on every voice of `track` (instance wrappers)."""
    calls = {"set_note": 0, "arm_note": 0, "start_note": 0}
    for pool in engine._tracks[track].pools.values():
        for slot in pool.slots:
            for name in calls:
                method = getattr(slot.voice, name)

                def counted(*args: Any, _method: Any = method, _name: str = name) -> Any:
                    calls[_name] += 1
                    return _method(*args)
                setattr(slot.voice, name, counted)
    return calls


def test_the_onset_block_only_starts_a_note_armed_before_it() -> None:
    with Engine("manual", block_size=BLOCK, arm_ahead=True) as engine:
        engine.add_track("d1", ["supersaw"])
        engine.process_blocks(1)
        calls = _count_calls(engine, "d1")
        onset = engine.now() + 10 * BLOCK + 5
        engine.schedule(NoteEvent(onset, "d1", {"s": "supersaw", "note": 48.0}, SR // 4))
        engine.process_blocks(1)                          # the note arrives: armed, not started
        pool = next(iter(engine._tracks["d1"].pools.values()))
        assert calls == {"set_note": 0, "arm_note": 1, "start_note": 0}
        assert [slot.armed_for for slot in pool.slots].count(onset) == 1
        engine.process_blocks(10)
        assert calls == {"set_note": 0, "arm_note": 1, "start_note": 1}
        assert all(slot.armed_for == -1 for slot in pool.slots) and engine.stats()["played"] == 1


def test_a_panic_forgets_what_was_armed_and_the_next_notes_play() -> None:
    with Engine("manual", block_size=BLOCK, arm_ahead=True) as engine:
        engine.add_track("d1", ["bd@808"])
        engine.process_blocks(1)
        for k in range(3):
            engine.schedule(NoteEvent(engine.now() + (20 + 4 * k) * BLOCK, "d1", {"s": "bd", "bank": "808"}, 100))
        engine.process_blocks(3)
        pool = next(iter(engine._tracks["d1"].pools.values()))
        assert sum(slot.armed_for >= 0 for slot in pool.slots) == 3
        engine.panic()
        engine.process_blocks(1)
        assert all(slot.armed_for == -1 and slot.owner is None for slot in pool.slots)
        engine.schedule(NoteEvent(engine.now() + 6 * BLOCK, "d1", {"s": "bd", "bank": "808"}, 100))
        engine.process_blocks(40)
        assert engine.stats()["played"] == 1


def test_a_note_due_when_every_free_voice_is_armed_takes_one_and_both_play() -> None:
    with Engine("manual", block_size=BLOCK, arm_ahead=True, polyphony=1) as engine:
        engine.add_track("d1", ["sine"])
        engine.process_blocks(1)
        pool = next(iter(engine._tracks["d1"].pools.values()))
        assert pool.capacity == 2                           # one voice and one spare
        calls = _count_calls(engine, "d1")
        later = [engine.now() + 30 * BLOCK, engine.now() + 40 * BLOCK]
        for onset in later:
            engine.schedule(NoteEvent(onset, "d1", {"s": "sine", "note": 60.0}, BLOCK))
        engine.process_blocks(1)
        assert sum(slot.armed_for >= 0 for slot in pool.slots) == 2
        engine.schedule(NoteEvent(engine.now() + 10, "d1", {"s": "sine", "note": 72.0}, BLOCK))
        engine.process_blocks(50)
        stats = engine.stats()
        assert stats["played"] == 3 and stats["late"] == 0
        # the note due first took a voice armed for the first later note; that note was then
        # set up at its own onset, the second later note only started (set_note arms and
        # starts: two calls each for the two set up at their onsets)
        assert calls == {"set_note": 2, "arm_note": 2 + 2, "start_note": 1 + 2}


def test_a_retraction_drops_the_notes_given_ahead_and_frees_their_armed_voices(tmp_path: Path) -> None:
    """`Engine.retract(frame)` (a timeline restarted by an incoming MIDI Start): the notes given
    ahead for that frame or later never sound and the voices armed for them are free again;
    the notes before it, and those given after the call, play."""
    with Engine("manual", block_size=BLOCK, arm_ahead=True) as engine:
        engine.add_track("kick", ["bd@808"])
        engine.mixer.master.set_neutral(True)
        engine.record_start(tmp_path / "r.wav", stems=tmp_path / "stems", sample_format="float")
        engine.process_blocks(2)
        for onset in (3000, 30000, 40000):
            engine.schedule(NoteEvent(onset, "kick", {"s": "bd", "bank": "808"}, SR // 10))
        engine.process_blocks(4)                                  # all three are armed by now
        pool = next(iter(engine._tracks["kick"].pools.values()))
        assert sum(1 for slot in pool.slots if slot.owner is not None) == 3
        engine.retract(25000)
        engine.schedule(NoteEvent(50000, "kick", {"s": "bd", "bank": "808"}, SR // 10))
        engine.process_blocks(int(1.5 * SR / BLOCK))
        stats = engine.stats()
        assert (stats["played"], stats["late"]) == (2, 0)
        assert all(slot.owner is None for slot in pool.slots)
        kick = wavfile.read(engine.record_stop()["kick"])[1].astype(np.float64)
    loud = np.flatnonzero(np.abs(kick).max(axis=1) > 0.05)
    onsets = [int(i) for k, i in enumerate(loud) if k == 0 or i - loud[k - 1] > 2000]
    assert len(onsets) == 2 and abs(onsets[0] - 3000) < 64 and abs(onsets[1] - 50000) < 64, onsets
