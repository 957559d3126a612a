"""Retired tracks (`synths.retire`): after `panic()` (the session's `hush()`) a track whose strip
sleeps and whose pools are freed leaves pyo's graph, so a silent engine walks the stream list of
an empty one; any later use brings it back with its chain, fader, pan, sends, mute and solo, and
a note that brings it back plays on its sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent
from synths.testvoices import resolve_test_voice

SR = 48000
BLOCK = 256


def _engine() -> Engine:
    return Engine("manual", block_size=BLOCK, resolver=resolve_test_voice, grow_pools=True, free_idle=True)


def _run(engine: Engine, seconds: float) -> None:
    """Blocks, with `stats()` polled every 10 (as `livecode play` and the status bar do)."""
    for index in range(int(seconds * SR / BLOCK)):
        engine.process_blocks(1)
        if index % 10 == 0:
            engine.stats()


def _play(engine: Engine, tracks: list[str], seconds: float = 0.4) -> None:
    """A beep on every track every 0.1 s, for `seconds`."""
    start = engine.now() + 4 * BLOCK
    for k in range(int(seconds * 10)):
        for track in tracks:
            engine.schedule(NoteEvent(start + k * SR // 10, track,
                                      {"s": "beep", "gain": 0.1, "release": 0.02, "note": 60.0}, SR // 20))
    _run(engine, seconds + 0.1)


def _played_then_panicked(engine: Engine, tracks: list[str]) -> None:
    """`tracks` play for 0.4 s, then `panic()` and one block (its quick free and retiring start)."""
    for name in tracks:
        engine.add_track(name)
    engine.process_blocks(2)
    _play(engine, tracks)
    engine.panic()
    engine.process_blocks(1)


def _empty_streams() -> int:
    with _engine() as engine:
        engine.process_blocks(2)
        _run(engine, 0.5)
        return int(engine.stats()["streams"])


def test_hushed_tracks_leave_the_graph_and_the_stream_list_is_an_empty_engines() -> None:
    empty = _empty_streams()
    with _engine() as engine:
        for name in ("d1", "d2", "d3"):
            engine.add_track(name)
        engine.set_chain("d2", [{"kind": "lpf", "cutoff": 800.0}])
        engine.process_blocks(2)
        _play(engine, ["d1", "d2", "d3"])
        asleep_only = None
        engine.panic()
        for _ in range(20):                               # 0.2 s at a time, up to 4 s
            _run(engine, 0.2)
            stats = engine.stats()
            if stats["strips_asleep"] == 3 and asleep_only is None:
                asleep_only = stats["streams"]
            if stats["strips_retired"] == 3 and engine._reaper().pending == 0:
                break
        assert engine.stats()["strips_retired"] == 3
        assert engine.tracks() == ["d1", "d2", "d3"]
        assert engine.describe() == {"d1": {"instruments": ["beep"], "effects": []},
                                     "d2": {"instruments": ["beep"], "effects": ["lpf"]},
                                     "d3": {"instruments": ["beep"], "effects": []}}
        assert engine.stats()["streams"] == empty


def test_a_retired_track_comes_back_with_its_settings_and_its_note_on_its_sample(tmp_path: Path) -> None:
    with _engine() as engine:
        engine.add_track("d1")
        engine.add_track("d2")
        engine.mixer.master.set_neutral(True)
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 800.0}])
        engine.set_param("d1", "gain", -6.0)
        engine.set_param("d1", "pan", 0.25)
        engine.set_param("d2", "mute", 1.0)
        engine.process_blocks(2)
        _play(engine, ["d1", "d2"])
        before = engine.mixer.strip("d1")
        settings = (before.chain_specs(), before.values, engine.mixer.strip("d2").muted)
        engine.panic()
        _run(engine, 2.0)
        assert engine.stats()["strips_retired"] == 2
        engine.record_start(tmp_path / "out.wav", stems=tmp_path / "stems", sample_format="float")
        assert engine.stats()["strips_retired"] == 0       # a stem recording brings every track back
        after = engine.mixer.strip("d1")
        assert after is not before
        assert (after.chain_specs(), after.values, engine.mixer.strip("d2").muted) == settings
        onset = engine.now() + 8 * BLOCK + 77
        engine.schedule(NoteEvent(onset, "d1", {"s": "click", "gain": 0.5}, 10))
        start = engine.now()
        _run(engine, 0.2)
        assert engine.stats()["late"] == 0
        paths = engine.record_stop()
    audio = wavfile.read(paths["d1"])[1]
    sounding = np.flatnonzero(np.abs(audio).max(axis=1) > 1e-4)
    assert sounding.size and sounding[0] == onset - start


def test_a_note_brings_a_retired_track_back_without_a_recording() -> None:
    with _engine() as engine:
        engine.add_track("d1")
        engine.set_param("d1", "gain", -3.0)
        engine.process_blocks(2)
        _play(engine, ["d1"])
        engine.panic()
        _run(engine, 2.0)
        assert engine.stats()["strips_retired"] == 1
        played = engine.stats()["played"]
        engine.schedule(NoteEvent(engine.now() + 8 * BLOCK, "d1", {"s": "beep", "gain": 0.1, "note": 60.0}, SR // 10))
        _run(engine, 0.3)
        stats = engine.stats()
        assert stats["played"] == played + 1 and stats["late"] == 0 and stats["strips_retired"] == 0
        assert engine.mixer.strip("d1").values["gain"] == -3.0


def test_a_parameter_or_a_chain_brings_a_retired_track_back() -> None:
    with _engine() as engine:
        _played_then_panicked(engine, ["d1", "d2"])
        _run(engine, 2.0)
        assert engine.stats()["strips_retired"] == 2
        engine.set_param("d1", "gain", -9.0)
        engine.set_chain("d2", [{"kind": "hpf", "cutoff": 200.0}])
        _run(engine, 0.1)
        assert engine.stats()["errors"] == 0
        assert engine.mixer.strip("d1").values["gain"] == -9.0
        assert [fx.KIND for fx in engine.mixer.strip("d2").chain] == ["hpf"]


def test_no_retirement_while_recording_or_for_a_playing_ducks_key(tmp_path: Path) -> None:
    with _engine() as engine:
        for name in ("kick", "bass"):
            engine.add_track(name)
        engine.set_chain("bass", [{"kind": "duck", "key": "kick"}])
        engine.process_blocks(2)
        _play(engine, ["kick", "bass"])
        engine.record_start(tmp_path / "out.wav", sample_format="float")
        engine.panic()
        _run(engine, 2.0)
        assert engine.stats()["strips_retired"] == 0       # recording: the strips stay
        engine.record_stop()
        engine.add_track("bass", ["beep"])                 # the bass plays on, ducked by the kick
        _run(engine, 1.0)
        assert engine.stats()["strips_retired"] == 0
        engine.panic()                                     # now both are silent: both may go
        _run(engine, 2.0)
        assert engine._retired.keys() == {"kick", "bass"}
        engine.add_track("bass", ["beep"])                 # back: its duck's key comes back with the kick
        engine.add_track("kick", ["beep"])
        _run(engine, 0.1)
        duck = next(iter(engine.mixer.strip("bass").chain))
        assert duck.key_signal is not None and engine.stats()["errors"] == 0
        engine.panic()
        _run(engine, 2.0)
        assert engine._retired.keys() == {"kick", "bass"}
        engine.set_chain("bass", [{"kind": "duck", "key": "kick", "amount": 0.5}])   # needs the kick
        assert engine._retired.keys() == set()


def test_a_track_asked_for_after_panic_is_not_retired() -> None:
    with _engine() as engine:
        _played_then_panicked(engine, ["d1"])
        engine.add_track("d1", ["beep"])                   # a pattern is about to play on it
        _run(engine, 2.0)
        assert engine.stats()["strips_retired"] == 0


def test_a_parameter_set_after_panic_keeps_the_track_in_the_graph() -> None:
    with _engine() as engine:
        _played_then_panicked(engine, ["d1", "d2"])
        engine.set_param("d1", "gain", -4.0, time=engine.now() + int(1.5 * SR))   # due after the retiring
        _run(engine, 2.0)
        assert engine._retired.keys() == {"d2"}
        assert engine.stats()["errors"] == 0 and engine.mixer.strip("d1").values["gain"] == -4.0


def test_a_strip_gone_under_the_sleep_check_is_skipped() -> None:
    """The main thread retires a track between the callback's copy of the tracks and its look
    at the strip (seen in a soak: the block's housekeeping raised, and the clock lost a block)."""
    with _engine() as engine:
        _played_then_panicked(engine, ["d1", "d2"])
        engine.mixer.remove_track("d1")                    # as `_retire` does, midway
        start = engine.now()
        _run(engine, 0.5)
        assert engine.now() == start + int(0.5 * SR / BLOCK) * BLOCK
        assert engine.stats()["errors"] == 0


def test_the_block_clock_advances_whatever_the_housekeeping_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    with _engine() as engine:
        engine.add_track("d1")
        engine.process_blocks(2)

        def broken() -> None:
            raise RuntimeError("dictionary changed size during iteration")

        monkeypatch.setattr(engine, "_sleep_quiet_strips", broken)
        start = engine.now()
        engine.process_blocks(2 * 8)                         # two sleep checks
        assert engine.now() == start + 16 * BLOCK
        assert engine.stats()["errors"] == 2
        assert engine.stats()["last_error"] == "RuntimeError: dictionary changed size during iteration"
