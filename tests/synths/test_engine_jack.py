"""The engine live on a private JACK dummy server: exact onsets, EngineProcess, dying server/child."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jack
import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.errors import EngineError
from synths.events import NoteEvent
from synths.process import EngineProcess
from synths.testvoices import resolve_test_voice

sys.path.insert(0, str(Path(__file__).parents[1]))
from jackserver import JackServer, JackUnavailable  # noqa: E402

pytestmark = pytest.mark.jack


@pytest.fixture(scope="module")
def jack_server(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[JackServer]:
    """The conftest server, but retried: JACK allows few servers at once and other helpers' test
    runs on this machine hold some of them for a few seconds."""
    deadline = time.monotonic() + 60.0
    while True:
        server = JackServer(rate=48000, period=256)
        try:
            server.start()
            break
        except JackUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)
    monkeypatch_module.setenv("JACK_DEFAULT_SERVER", server.name)
    try:
        yield server
    finally:
        server.stop()

OFFSETS = [0, 1237, 2600, 4111, 5000, 7777, 9001, 12345, 15001, 16383]


class Capture:
    """A JACK-Client client recording two input ports connected to `source` client's outputs."""

    def __init__(self, source: str) -> None:
        self.client = jack.Client("lc-capture", no_start_server=True)
        self.ports = [self.client.inports.register(f"in_{i}") for i in (1, 2)]
        self.chunks: list[np.ndarray] = []
        self.client.set_process_callback(self._process)
        self.client.activate()
        outs = self.client.get_ports(f"{source}:", is_output=True, is_audio=True)
        assert len(outs) == 2, outs
        for out, port in zip(outs, self.ports):
            self.client.connect(out, port)

    def _process(self, frames: int) -> None:
        self.chunks.append(self.ports[0].get_array().copy())

    def close(self) -> np.ndarray:
        self.client.deactivate()
        self.client.close()
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.float32)


def _onsets(signal_: np.ndarray) -> list[int]:
    found = np.nonzero(np.abs(signal_) > 0.1)[0]
    return [int(i - found[0]) for i in found] if len(found) else []


def _wait_frames(get_now: object, frames: int, timeout: float = 10.0) -> None:
    target = get_now() + frames  # type: ignore[operator]
    deadline = time.monotonic() + timeout
    while get_now() < target and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


def test_live_onsets_on_jack_are_sample_exact(jack_server: JackServer) -> None:
    with Engine("auto", resolver=resolve_test_voice, jackname="lc-live") as engine:
        assert engine.backend == "jack" and engine.block_size == 256
        engine.add_track("d1", ["click"])
        engine.mixer.master.set_neutral(True)
        engine.start()
        capture = Capture("lc-live")
        _wait_frames(engine.now, 4800)
        base = engine.now() + 4800                     # 100 ms ahead
        engine.schedule_many(NoteEvent(base + o, "d1", {"s": "click", "gain": 0.5}, 10) for o in OFFSETS)
        _wait_frames(engine.now, 4800 + OFFSETS[-1] + 4800)
        stats = engine.stats()
        audio = capture.close()
    assert _onsets(audio) == OFFSETS
    assert stats["late"] == 0 and stats["played"] == len(OFFSETS)


def test_engine_process_round_trip_on_jack(jack_server: JackServer, tmp_path: Path) -> None:
    with EngineProcess("jack", resolver=resolve_test_voice, jackname="lc-proc") as engine:
        assert engine.backend == "jack" and engine.sample_rate == 48000
        engine.add_track("d1", ["click"])
        engine.set_param("master", "mix", 0.0)
        capture = Capture("lc-proc")
        _wait_frames(engine.now, 4800)
        engine.record_start(tmp_path / "live.wav", stems=tmp_path / "stems", sample_format="float")
        base = engine.now() + 9600                     # 200 ms ahead: the pipe adds latency
        engine.schedule_many(NoteEvent(base + o, "d1", {"s": "click", "gain": 0.5}, 10) for o in OFFSETS)
        _wait_frames(engine.now, 9600 + OFFSETS[-1] + 4800)
        stats = engine.stats()
        paths = engine.record_stop()
        audio = capture.close()
    assert _onsets(audio) == OFFSETS
    recorded = wavfile.read(paths["master"])[1]
    assert _onsets(recorded[:, 0]) == OFFSETS
    assert wavfile.read(paths["d1"])[1].shape == recorded.shape
    assert stats["played"] == len(OFFSETS) and stats["late"] == 0
    assert set(stats) >= {"cpu", "xruns", "late", "meters"} and "master" in stats["meters"]


def test_a_dying_jack_server_or_engine_process_raises_engine_error(jack_server: JackServer) -> None:
    """Last in the module: it stops the module's JACK server (one server less on a shared machine)."""
    engine = EngineProcess("jack", resolver=resolve_test_voice, jackname="lc-die", timeout=5.0).boot()
    try:
        engine.stats()
        jack_server.stop()
        started = time.monotonic()
        with pytest.raises(EngineError, match="JACK server stopped|engine process died|lost the engine"):
            for _ in range(50):
                engine.stats()
                time.sleep(0.1)
        assert time.monotonic() - started < 10.0
    finally:
        engine.close()
    killed = EngineProcess("manual", resolver=resolve_test_voice).boot()
    assert killed.pid is not None
    os.kill(killed.pid, signal.SIGKILL)
    time.sleep(0.2)
    with pytest.raises(EngineError, match="engine process died"):
        killed.stats()
    killed.close()
