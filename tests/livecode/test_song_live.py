"""`goto` on a live session on a private JACK server: the whole section switches at the next bar,
on the exact JACK frame of that bar (captured frame-exact)."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest

from jackcapture import JackCapture
from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack


def test_goto_switches_every_track_at_the_next_bar_on_jack(jack_server: object) -> None:
    session = Session.create(audio="jack", bpm=240, lookahead=0.1,
                             engine_options={"resolver": resolve_test_voice, "jackname": "lc-song"})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)          # neutral: exact clicks
        code = """
section("verse", d1=s("click*4").gain(0.3), d2=s("~"))
section("chorus", d1=s("click").gain(0.8), d2=s("~ click").gain(0.5))
song(["verse", 64], ["chorus", 8])
"""
        assert session.evaluate(code).ok
        session.start()
        time.sleep(0.4)
        capture = JackCapture("lc-song", name="lc-song-cap")
        time.sleep(1.1)
        before = session.status().xruns
        asked_at = session.tempo.cycle_at(session.clock.now())
        result = session.evaluate('goto("chorus")')
        assert result.ok, result.error
        time.sleep(1.6)
        bar = next(j.start for j in session.song.history if j.section == "chorus")
        frame = session.clock.jack_frame(session.clock.to_frame(session.tempo.time_at(bar)))
        half = session.clock.jack_frame(session.clock.to_frame(session.tempo.time_at(bar + Fraction(1, 2))))
        after = session.status()
        label, xruns = after.song, after.xruns - before
        first, audio = capture.close().placed()      # each block at its JACK frame
    finally:
        session.close()
    assert frame is not None and half is not None
    assert asked_at < bar <= asked_at + 1 + 0.2            # the next bar (the lookahead is 0.1 cycle)
    loud = np.nonzero(audio > 0.7)[0]
    chorus_d2 = np.nonzero((audio > 0.4) & (audio < 0.6))[0]
    verse = np.nonzero((audio > 0.2) & (audio < 0.4))[0]
    assert loud.size and chorus_d2.size and verse.size
    # an engine xrun (counted; benchmarks/bench_live_engine.py) moves what follows by whole blocks
    slip = (first + loud[0]) - frame
    assert slip == 0 or (xruns > 0 and slip % 256 == 0), (slip, xruns)
    assert first + loud[0] == frame + slip                    # d1's chorus on the bar's exact frame
    assert first + chorus_d2[0] == half + slip                # d2 (silent in the verse) from the same bar
    gap = first + loud[0] - (first + verse[-1])               # the verse's last quarter (240 BPM) right before
    assert gap == 12000 or (xruns > 0 and (gap - 12000) % 256 == 0), (gap, xruns)
    assert label.startswith("chorus ")
