"""Samples loaded while a set plays reach the engine process, and again after `reconnect_audio()`;
an instrument the engine refuses is one error line and the track keeps its pattern (issue 7)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from jackcapture import JackCapture
from livecode.session import Session

__all__: list[str] = []

pytestmark = pytest.mark.jack

SR = 48000


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _kit(folder: Path) -> Path:
    """A kit `mykit` of two samples: a 1 kHz burst (n=0) and a 3 kHz burst (n=1), 50 ms each."""
    kit = folder / "mykit"
    kit.mkdir(parents=True)
    t = np.arange(int(0.05 * SR)) / SR
    for index, freq in enumerate((1000.0, 3000.0)):
        wave = (0.5 * np.sin(2 * np.pi * freq * t) * np.hanning(len(t))).astype(np.float32)
        wavfile.write(kit / f"{index:02d}.wav", SR, wave)
    return folder


def _band(audio: np.ndarray, freq: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio))
    bins = np.fft.rfftfreq(len(audio), 1 / SR)
    return float(spectrum[np.abs(bins - freq) < 100].sum() / max(spectrum.sum(), 1e-12))


def _plays_the_3k_sample(session: Session) -> bool:
    capture = JackCapture("lc-samples", name="lc-samples-cap")
    start = session.status().cycle
    wait_for(lambda: session.status().cycle > start + 2.2)
    audio = capture.close().concatenated()
    return np.abs(audio).max() > 0.05 and _band(audio, 3000.0) > 0.3


def test_samples_loaded_live_play_and_survive_a_reconnect(jack_server: object, tmp_path: Path) -> None:
    folder = _kit(tmp_path / "samples")
    session = Session.create(audio="jack", bpm=240, engine_options={"jackname": "lc-samples"})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)
        assert session.evaluate('d1 >> s("~")').ok
        session.start()
        assert wait_for(lambda: session.status().cycle > 0.5)
        loaded = session.evaluate(f"load_samples({str(folder)!r})")
        assert loaded.ok, loaded.error
        result = session.evaluate('d8 >> s("~ ~ mykit:1 ~")')
        assert result.ok, result.error
        assert not [m for m in session.messages() if "unknown instrument" in m]
        assert _plays_the_3k_sample(session)

        session.reconnect_audio()                              # a new engine process
        session.outputs.send_param("master", "mix", 0.0, None)
        assert session.status().engine_error is None
        assert _plays_the_3k_sample(session)

        refused = session.evaluate('d8 >> s("nokit:1")')
        assert not refused.ok and "nokit" in (refused.error or "")
        assert "\n" not in (refused.error or "")
        assert _plays_the_3k_sample(session)                     # d8 keeps its last good pattern
    finally:
        session.close()
