"""Stems with send effects: tracks + the reverb and delay bus returns sum to a neutral master."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent
from synths.render import render
from synths.testvoices import resolve_test_voice

__all__: list[str] = []


def _read(path: Path) -> np.ndarray:
    return wavfile.read(path)[1].astype(np.float64)


def _neutral(engine: Engine) -> None:
    engine.mixer.master.set_neutral(True)


def test_tracks_and_fx_returns_sum_to_the_neutral_master(tmp_path: Path) -> None:
    events = [
        NoteEvent(300 + 4800 * i, f"d{i % 3 + 1}",
                  {"s": "beep", "note": 50 + 5 * i, "room": 0.2 * (i % 3), "delay": 0.5 if i % 3 == 2 else 0.0},
                  2000)
        for i in range(8)
    ]
    result = render(events, tmp_path / "mix.wav", stems=tmp_path / "stems", sample_format="float",
                    setup=_neutral, resolver=resolve_test_voice, tail=0.5)
    assert sorted(result.stems) == ["d1", "d2", "d3"]
    assert sorted(result.fx_stems) == ["fx-delay", "fx-reverb"]
    assert result.fx_stems["fx-reverb"] == tmp_path / "stems" / "fx-reverb.wav"
    master = _read(result.path)
    tracks = sum(_read(path) for path in result.stems.values())
    returns = {name: _read(path) for name, path in result.fx_stems.items()}
    assert all(ret.shape == master.shape for ret in returns.values())
    assert all(np.max(np.abs(ret)) > 1e-3 for ret in returns.values())     # both buses sound
    assert np.max(np.abs(tracks - master)) > 1e-3                          # tracks alone fall short
    assert np.max(np.abs(tracks + sum(returns.values()) - master)) < 1e-6


def test_fx_stems_follow_a_mixer_rebuild_mid_recording(tmp_path: Path) -> None:
    with Engine("offline", resolver=resolve_test_voice) as engine:
        engine.add_track("d1", ["beep"])
        _neutral(engine)
        engine.process_blocks(8)
        start = engine.now()
        engine.record_start(tmp_path / "m.wav", stems=tmp_path / "st", sample_format="float")
        engine.schedule(NoteEvent(start + 500, "d1", {"s": "beep", "room": 0.5}, 2000))
        engine.process_blocks(10)
        # a new track: its pool is created and the mixer rebuilt while recording
        engine.schedule(NoteEvent(start + 4000, "d2", {"s": "beep", "delay": 0.6}, 2000))
        engine.process_blocks(110)                  # the 3/8 s echo arrives at start + 22000
        paths = engine.record_stop()
    master = _read(paths["master"])
    total = _read(paths["d1"]) + _read(paths["fx-reverb"]) + _read(paths["fx-delay"])
    # d2 was added during the recording: it has no stem, so take it as the rest of the mix
    echo = np.abs(_read(paths["fx-delay"]))
    assert np.max(echo[:21900]) == 0.0 and np.max(echo[22000:]) > 1e-3
    # the rebuild is at frame 2560: the master's recording follows the new master seamlessly
    assert np.max(np.abs(master - total)[:3900]) < 1e-6
