"""Nothing typed at the prompt delays the scheduler (issue 7): runaway patterns are refused at
once, an endless loop is stopped, and a steady track plays every onset on time meanwhile."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator

import numpy as np
import pytest

from jackcapture import JackCapture
from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack

RUNAWAYS = [
    'd3 >> s("click*8").fast(1e9)',
    'd2 >> s("~ click").every(4, fast(1e9))',
    'd4 >> s("click*100000")',
    'd5 >> s("click*1e9")',
    'd6 >> s("e*1e9")',
    'd3 >> s("click").fast("<1 1e9>")',
    'd3 >> s("click").segment(1e9)',
    'd3 >> s("[click*10000 click]*10000")',
    'd3 >> s("[click click]*10000").ply(10000)',
    "while True: pass",
]


@pytest.fixture()
def quick_gil() -> Iterator[None]:
    """The session's scheduler thread runs in this process, beside the evaluations of the
    runaways (an endless loop runs until the watchdog stops it): with Python's default 5 ms
    switch interval every hand-over of the GIL can cost it 5 ms and its onsets can reach the
    engine late (a full-suite run without this counted 6 late onsets). The engine process runs
    at 0.5 ms; so does this test. (The capture runs in a process of its own: tests/jackcapture.py.)
    Late in a full suite this process holds the objects of thousands of tests, and a full garbage
    collection of them holds the GIL for tens of milliseconds: what exists is frozen first, as
    the engine process freezes its own (2 and 8 late onsets in two full-suite runs
    without it, none alone)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("quick_gil")
def test_runaways_leave_a_playing_track_on_time(jack_server: object) -> None:
    session = Session.create(audio="jack", bpm=120, lookahead=0.1,
                             engine_options={"resolver": resolve_test_voice, "jackname": "lc-runaway"})
    errors: list[str] = []
    try:
        session.outputs.send_param("master", "mix", 0.0, None)          # neutral: exact clicks
        assert session.evaluate('d1 >> s("click*8").gain(0.5)').ok
        session.start()
        time.sleep(0.5)
        capture = JackCapture("lc-runaway", name="lc-runaway-cap")
        before = session.status()
        for line in RUNAWAYS:
            result = session.evaluate(line)
            assert not result.ok, line
            errors.append(result.error or "")
            time.sleep(0.2)
        time.sleep(0.5)
        after = session.status()
        late, xruns = after.late - before.late, after.xruns - before.xruns
        _, audio = capture.close().placed()    # a cycle the capture missed leaves zeros in place
    finally:
        session.close()
    assert all("\n" not in error for error in errors), errors
    assert all("runaway" in error or "stopped after" in error for error in errors), errors
    assert late == 0
    onsets = np.nonzero(np.abs(audio) > 0.25)[0]
    gaps = np.diff(onsets)
    assert len(onsets) > 20
    # an eighth at 120 BPM, every one there; a cycle the engine missed (an xrun, counted by the
    # engine and measured in benchmarks/bench_live_engine.py) moves what follows by one block
    slips = [(gap - 12000) // 256 for gap in gaps.tolist()]
    assert all((gap - 12000) % 256 == 0 and slip >= 0 for gap, slip in zip(gaps.tolist(), slips)), gaps
    assert sum(slips) <= xruns
