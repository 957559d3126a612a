"""EngineProcess with the manual backend, and a recording that survives kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths.errors import EngineError, ParamError
from synths.events import NoteEvent
from synths.process import EngineProcess
from synths.testvoices import resolve_test_voice

ROOT = Path(__file__).parents[2]


def test_engine_process_round_trip_manual(tmp_path: Path) -> None:
    with EngineProcess("manual", resolver=resolve_test_voice, block_size=128) as engine:
        assert (engine.sample_rate, engine.block_size, engine.backend) == (48000, 128, "manual")
        engine.add_track("d1", ["click"])
        engine.set_param("master", "mix", 0.0)
        engine.process_blocks(20)
        engine.record_start(tmp_path / "p.wav", stems=tmp_path / "stems", sample_format=16)
        start = engine.now()
        engine.schedule_many(NoteEvent(start + t, "d1", {"s": "click", "gain": 0.5}, 10) for t in (100, 333, 1000))
        engine.process_blocks(20)
        with pytest.raises(ParamError, match="velocity"):
            engine.schedule(NoteEvent(0, "d1", {"s": "click", "velocity": -1}, 10))
        with pytest.raises(EngineError, match="already recording"):
            engine.record_start(tmp_path / "q.wav")
        stats = engine.stats()
        paths = engine.record_stop()
        assert engine.tracks() == ["d1"]
    assert not engine.alive
    assert stats["played"] == 3 and stats["frames"] == 40 * 128
    rate, audio = wavfile.read(paths["master"])
    assert audio.dtype == np.int16 and rate == 48000
    assert [int(i) for i in np.nonzero(np.abs(audio[:, 0]) > 3000)[0]] == [100, 333, 1000]
    assert wavfile.read(paths["d1"])[1].shape == audio.shape


def test_engine_process_reports_a_boot_failure() -> None:
    with pytest.raises(ParamError, match="block_size must be an int"):
        EngineProcess("manual", resolver=resolve_test_voice, block_size=3).boot()


RECORDER = textwrap.dedent("""
    import sys, time
    from synths.engine import Engine
    from synths.events import NoteEvent
    from synths.testvoices import resolve_test_voice
    engine = Engine("manual", resolver=resolve_test_voice).boot()
    engine.add_track("d1", ["beep"])
    engine.record_start(sys.argv[1])
    blocks = 0
    while True:
        engine.schedule(NoteEvent(engine.now() + 10, "d1", {"s": "beep", "gain": 0.5}, 4000))
        engine.process_blocks(16)
        blocks += 16
        if blocks == 800:
            print("recording", flush=True)
        time.sleep(0.001)
""")


def test_recording_survives_kill_minus_9(tmp_path: Path) -> None:
    path = tmp_path / "live.wav"
    proc = subprocess.Popen([sys.executable, "-c", RECORDER, str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"recording"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with wave.open(str(path)) as wav:
        frames = wav.getnframes()
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 3, 48000)
        assert frames >= 800 * 256 - 48000 // 2    # at most ~0.2 s not yet flushed
        raw = wav.readframes(frames)
    assert len(raw) == frames * 6
    samples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
    ints = (samples[:, 0].astype(np.int32) | samples[:, 1].astype(np.int32) << 8
            | samples[:, 2].astype(np.int32) << 16)
    ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
    assert np.max(np.abs(ints)) > 0.2 * (1 << 23)
