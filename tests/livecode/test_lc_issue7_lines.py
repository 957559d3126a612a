"""The lines that turned the master into NaN for good on JACK (issue 7), typed a little faster
than a person would while a status bar polls the engine: the output stays finite and never
goes silent once the beat has started."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from jackcapture import JackCapture
from livecode.session import Session

__all__: list[str] = []

pytestmark = pytest.mark.jack

LINES = '''bpm(120)
d1 >> s("bd*4")
d2 >> s("~ sd ~ sd")
d3 >> s("hh*8").gain(0.5)
d1 >> s("bd(3,8)")
d2 >> s("~ cp").every(4, fast(2))
d3 >> s("hh*8").sometimes(lambda p: p.fast(2))
d4 >> s("~ oh").jux(rev)
d3 >> s("hh*16").degradeBy(0.3)
d5 >> note("c2 eb2 g2 bb2").s("bass808")
d7 >> n("0 2 4 7").scale("A:minor:pentatonic").s("bell")
d6 >> chord("<Cm7 Ab^7 Eb^7 Bb7>").voicing().s("supersaw")
d7 >> note("c4 e4 g4").arp("updown").s("pluck")
d7 >> progression("vi IV I V", "C:major").voicing().s("epiano")'''.splitlines()


def test_the_issue_lines_play_finite_and_never_silent(jack_server: object) -> None:
    session = Session.create(audio="jack", engine_options={"jackname": "lc-issue7"})
    capture = JackCapture("lc-issue7", name="lc-issue7-cap", channels=2)
    polling = True
    faults: list[str] = []

    def poll() -> None:                                  # the REPL's status bar, ten times a second
        while polling:
            session.status()
            faults.extend(m for m in session.messages() if "non-finite" in m)
            time.sleep(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    try:
        session.start()
        poller.start()
        for line in LINES:
            assert session.evaluate(line).ok, line
            time.sleep(0.7)
        time.sleep(4.0)                                   # the epiano's chords play two cycles
        status = session.status()
    finally:
        polling = False
        poller.join(timeout=2)
        recording = capture.close()
        session.close()
    audio = recording.audio                               # both outputs, blocks back to back
    assert np.isfinite(audio).all()
    assert not faults and status.output != "nan"
    level = np.abs(audio).max(axis=0)
    start = int(np.argmax(level > 0.05))                  # the first kick
    beat = 24000                                          # 0.5 s: a kick of bd*4 at 120 BPM in each
    windows = level[start:start + (len(level) - start) // beat * beat].reshape(-1, beat).max(axis=1)
    assert (windows > 1e-3).all()                         # never silent once the beat started
