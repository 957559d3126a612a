"""The engine's guard: a track that turns non-finite is caught within a block, silenced, named and
rebuilt; the master, the send buses and the other tracks keep playing."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent, ParamEvent
from synths.guard import FiniteGuard, last_samples
from synths._pyo import pyo
from synths.testvoices import resolve_test_voice

SR = 48000
BLOCK = 256


def _read(path: Path) -> np.ndarray:
    rate, data = wavfile.read(path)
    assert rate == SR
    return data.astype(np.float64)


def _beeps(track: str, voice: str, start: int, every: int, count: int, gain: float = 0.3,
           **extra: float) -> list[NoteEvent]:
    return [NoteEvent(start + i * every, track, {"s": voice, "gain": gain, "note": 69.0, **extra}, every // 2)
            for i in range(count)]


def test_the_guard_names_only_the_non_finite_signals() -> None:
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual").boot()
    server.start()
    try:
        good = p.Sine(440, mul=[0.5, 0.5])
        bad = p.Pow(p.Sig([-1.0, 1.0]), 0.5)                     # NaN on the left channel
        guard = FiniteGuard()
        guard.watch({"good": good})
        server.process()
        assert guard.check() == ()
        guard.watch({"good": good, "bad": bad})
        server.process()
        assert list(guard.check()) == ["bad"]
        assert math.isnan(last_samples(bad)[0])
    finally:
        server.shutdown()


def test_a_poisoned_track_is_silenced_named_and_rebuilt_while_the_rest_plays(tmp_path: Path) -> None:
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.add_track("d2", ["poison"])
        engine.set_chain("d2", [{"kind": "lpf", "cutoff": 2000.0}])
        engine.set_param("d2", "gain", -3.0)
        engine.set_param("d2", "send.reverb", 0.3)                  # the NaN reaches the reverb too
        engine.schedule_many(_beeps("d1", "beep", 0, SR // 4, 16))
        engine.schedule_many(_beeps("d2", "poison", SR // 8, SR // 4, 16))
        engine.schedule(NoteEvent(SR + SR // 8, "d2", {"s": "poison", "gain": 1.0, "note": 69.0}, 100))
        engine.record_start(tmp_path / "m.wav", stems=tmp_path / "stems", sample_format="float")
        engine.process_blocks(4 * SR // BLOCK + 1)
        stats = engine.stats()
        strip = engine.mixer.strip("d2")
        paths = engine.record_stop()
    master = _read(paths["master"])
    d1 = _read(paths["d1"])
    d2 = _read(paths["d2"])
    poisoned = SR + SR // 8
    # the master (recorded without its look-ahead latency) is non-finite for at most the block
    # the NaN arrived in, and finite again from the next one
    bad = np.nonzero(~np.isfinite(master).all(axis=1))[0]
    assert len(bad) > 0 and bad.min() >= poisoned - BLOCK and bad.max() < poisoned + BLOCK
    after = master[poisoned + 3 * BLOCK:]
    assert np.isfinite(after).all() and np.abs(after).max() > 0.05
    # d1 played through: one beep every quarter second, all there
    for i in range(16):
        onset = i * SR // 4
        assert np.abs(d1[onset + 200:onset + 2000]).max() > 0.05, i
    # d2 was rebuilt with its chain, fader and send, and plays its later notes
    assert [fx.KIND for fx in strip.chain] == ["lpf"] and strip.values["gain"] == -3.0
    assert strip.values["send_reverb"] == 0.3
    later = d2[2 * SR:]
    assert np.isfinite(later).all() and np.abs(later).max() > 0.02
    # one clear line naming the track and the instrument
    assert any(line.startswith("d2:") and "'poison'" in line for line in stats["faults"]), stats["faults"]
    assert stats["nonfinite"] >= 1


def test_a_poisoned_master_is_reset(tmp_path: Path) -> None:
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.schedule_many(_beeps("d1", "beep", 0, SR // 4, 12))
        engine.record_start(tmp_path / "m.wav", sample_format="float")
        engine.process_blocks(20)
        master = engine.mixer.master
        engine.schedule(ParamEvent(None, "master", "makeup", 0.0))
        # poison the master's input directly: a NaN source summed into it
        nan = pyo().Sig([math.nan, math.nan])
        master._input.setInput(nan, 0.0)
        engine.process_blocks(4)
        assert engine.mixer.master is not master                    # re-created
        engine.process_blocks(2 * SR // BLOCK)
        stats = engine.stats()
        audio = _read(engine.record_stop()["master"])
    assert any(line.startswith("master:") for line in stats["faults"])
    assert np.isfinite(audio[-SR:]).all() and np.abs(audio[-SR:]).max() > 0.05


def test_a_non_finite_report_for_a_strip_gone_meanwhile_is_passed_over() -> None:
    """The guard's report is read in the audio callback; the main thread may have retired the
    strip since (its track stays the engine's). Nothing is silenced or reset for it, and the
    callback does not stop on a missing strip (it raised ParamError before)."""
    with Engine("manual", block_size=BLOCK, resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        engine.add_track("d2", ["beep"])
        engine.process_blocks(2)
        engine.mixer.remove_track("d2")                 # as a retire does, behind the guard's back
        engine._contain(["d2", "d1"])
        assert list(engine._to_reset) == ["d1"]
        assert [line.split(":")[0] for line in engine.stats()["faults"]] == ["d1"]
