"""Live play on a private JACK server: the session's scheduler drives an EngineProcess and the
onsets of a sampled click land where the pattern puts them (relative spacing exact in frames)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from jackcapture import JackCapture
from livecode.session import Session

__all__: list[str] = []

pytestmark = pytest.mark.jack

FRAMES_PER_CYCLE = 48000  # 240 bpm, 4 beats per cycle, 48 kHz


def click_kit(folder: Path) -> Path:
    """A sample kit `click`: one bipolar pulse (+0.5 for 24 samples, then -0.5 for 24: no DC),
    whose first sample is its onset, the same on every hit."""
    kit = folder / "click"
    kit.mkdir(parents=True)
    pulse = np.concatenate([np.full(24, 0.5), np.full(24, -0.5)]).astype(np.float32)
    wavfile.write(kit / "00.wav", 48000, pulse)
    return folder


def onsets(audio: np.ndarray) -> list[int]:
    """Frames of the first sample at or above 0.01 after at least 2000 frames below it."""
    sounding = np.nonzero(np.abs(audio) >= 0.01)[0]
    found: list[int] = []
    previous = -(10**9)
    for index in sounding:
        if index - previous > 2000:
            found.append(int(index))
        previous = index
    return found


def wait_cycles(session: Session, cycle: float, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while session.status().cycle < cycle and time.monotonic() < deadline:
        time.sleep(0.02)


def test_live_session_onsets_on_jack(jack_server: object, tmp_path: Path) -> None:
    session = Session.create(audio="jack", lookahead=0.15, bpm=240, engine_options={"jackname": "lc-l1"})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)         # neutral master
        assert session.evaluate(f"load_samples({str(click_kit(tmp_path))!r})").ok
        assert session.evaluate('d1 >> s("click")').ok
        capture = JackCapture("lc-l1", name="lc-l1-capture")
        session.start()
        wait_cycles(session, 3.1)
        assert session.evaluate('d1 >> s("~ click")').ok   # from the next cycle
        swap = session.tracks["d1"].swap_at
        wait_cycles(session, float(swap) + 1.2)
        bad = session.evaluate('d1 >> s("bd [")')                      # an error: the beat goes on
        assert not bad.ok
        wait_cycles(session, float(swap) + 2.2)
        status = session.status()
        audio = capture.close().concatenated()
    finally:
        session.close()
    found = onsets(audio)
    relative = [t - found[0] for t in found]
    cycle = FRAMES_PER_CYCLE
    # the first cycles: a kick on every cycle start, exactly a cycle apart
    assert relative[:3] == [0, cycle, 2 * cycle]
    # the swap lands on its cycle: the old pattern up to it, the new one (half a cycle late) from it
    assert (swap - 1) * cycle in relative and swap * cycle not in relative
    later = [t for t in relative if t >= swap * cycle]
    assert later[:2] == [swap * cycle + cycle // 2, (swap + 1) * cycle + cycle // 2]
    assert status.late == 0 and status.engine_error is None
