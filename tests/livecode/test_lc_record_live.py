"""`record("take.wav")` / `record()` from the prelude: the live output to a WAV that stays a
valid file at every moment, even when the engine process is killed (issue 7)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack


def _wait_cycles(session: Session, cycles: float) -> None:
    start = session.status().cycle
    deadline = time.monotonic() + 20
    while session.status().cycle < start + cycles and time.monotonic() < deadline:
        time.sleep(0.05)


def test_record_and_stop_from_the_prelude(jack_server: object, tmp_path: Path) -> None:
    session = Session.create(audio="jack", bpm=240, engine_options={"resolver": resolve_test_voice,
                                                                    "jackname": "lc-record"})
    try:
        assert session.evaluate('d1 >> s("beep*4").gain(0.5)').ok
        session.start()
        started = session.evaluate(f'record({str(tmp_path / "take.wav")!r}, stems={str(tmp_path / "st")!r})')
        assert started.ok, started.error
        again = session.evaluate('record("other.wav")')
        assert not again.ok and "record()" in (again.error or "")     # names what to type
        _wait_cycles(session, 2)
        stopped = session.evaluate("record()")
        assert stopped.ok and "take.wav" in (stopped.value_repr or "")
        assert not session.evaluate("record()").ok                    # nothing recording
    finally:
        session.close()
    rate, audio = wavfile.read(tmp_path / "take.wav")
    assert rate == 48000 and audio.shape[1] == 2 and len(audio) > 48000
    assert np.abs(audio.astype(np.float64)).max() > 0.05 * 2**31
    assert (tmp_path / "st" / "d1.wav").exists()


def test_a_recording_survives_a_killed_engine(jack_server: object, tmp_path: Path) -> None:
    session = Session.create(audio="jack", bpm=240, engine_options={"resolver": resolve_test_voice,
                                                                    "jackname": "lc-record-kill"})
    try:
        assert session.evaluate('d1 >> s("beep*4").gain(0.5)').ok
        session.start()
        assert session.evaluate(f'record({str(tmp_path / "crash.wav")!r})').ok
        _wait_cycles(session, 2)
        pid = session.engine.pid  # type: ignore[union-attr]
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
    finally:
        session.close()
    rate, audio = wavfile.read(tmp_path / "crash.wav")             # a valid file, what was flushed
    assert rate == 48000 and len(audio) > 24000
