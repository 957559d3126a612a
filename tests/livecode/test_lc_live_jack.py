"""Live play on a private JACK server: the session's scheduler drives an EngineProcess and the
drum onsets land where the pattern puts them (relative spacing exact in frames)."""

from __future__ import annotations

import time

import jack
import numpy as np
import pytest

from livecode.session import Session
from synths.testvoices import resolve_test_voice

pytestmark = pytest.mark.jack

FRAMES_PER_CYCLE = 48000  # 240 bpm, 4 beats per cycle, 48 kHz


class Capture:
    """Records the first output port of the JACK client `source`."""

    def __init__(self, source: str) -> None:
        self.client = jack.Client("lc-l1-capture", no_start_server=True)
        self.port = self.client.inports.register("in_1")
        self.chunks: list[np.ndarray] = []
        self.client.set_process_callback(self._process)
        self.client.activate()
        outs = self.client.get_ports(f"{source}:", is_output=True, is_audio=True)
        self.client.connect(outs[0], self.port)

    def _process(self, frames: int) -> None:
        self.chunks.append(self.port.get_array().copy())

    def close(self) -> np.ndarray:
        self.client.deactivate()
        self.client.close()
        return np.concatenate(self.chunks)


def onsets(audio: np.ndarray) -> list[int]:
    """Frames where the signal rises above 0.1 after at least 1000 frames below it."""
    loud = np.nonzero(np.abs(audio) > 0.1)[0]
    found: list[int] = []
    for index in loud:
        if not found or index - found[-1] > 1000:
            found.append(int(index))
    return found


def wait_cycles(session: Session, cycle: float, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while session.status().cycle < cycle and time.monotonic() < deadline:
        time.sleep(0.02)


def test_live_session_onsets_on_jack(jack_server: object) -> None:
    session = Session.create(audio="jack", lookahead=0.15, bpm=240,
                             engine_options={"resolver": resolve_test_voice, "jackname": "lc-l1"})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)         # neutral master
        assert session.evaluate('d1 >> s("click*4").gain(0.5)').ok
        capture = Capture("lc-l1")
        session.start()
        wait_cycles(session, 2.1)
        assert session.evaluate('d1 >> s("click*2 ~").gain(0.5)').ok   # swaps at the next cycle
        swap = session.tracks["d1"].swap_at
        wait_cycles(session, float(swap) + 1.2)
        bad = session.evaluate('d1 >> s("click [")')                  # an error: the beat goes on
        assert not bad.ok
        wait_cycles(session, float(swap) + 2.2)
        status = session.status()
        audio = capture.close()
    finally:
        session.close()
    found = onsets(audio)
    relative = [t - found[0] for t in found]
    quarter = FRAMES_PER_CYCLE // 4
    # the first cycles: a click every quarter cycle, exactly
    assert relative[:8] == [k * quarter for k in range(8)]
    # after the swap, two clicks in the first half of each cycle, on the cycle grid of the old pattern
    later = [t for t in relative if t >= (swap - 0) * FRAMES_PER_CYCLE - 100]
    assert later[:4] == [swap * FRAMES_PER_CYCLE + d for d in (0, FRAMES_PER_CYCLE // 4,
                                                             FRAMES_PER_CYCLE, FRAMES_PER_CYCLE * 5 // 4)]
    assert status.late == 0 and status.engine_error is None
