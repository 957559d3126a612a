"""The scheduler's calls to the engine process never wait behind a track being built (issue 7:
the last late events of a soak were note batches queued behind an `add_track`, 65-224 ms, or a
pool growing for them, 78-172 ms). On a private JACK server: one thread builds tracks of heavy
instruments while another, as the scheduler does, reads the clock and sends a kick 50 ms ahead
every 20 ms (on a timeline read once); every kick is on time."""

from __future__ import annotations

import threading
import time

import pytest
from jackserver import JackServer

from livecode.engine_api import LockedEngine
from synths.events import NoteEvent
from synths.process import EngineProcess

__all__: list[str] = []

pytestmark = pytest.mark.jack

AHEAD = 2400          # 50 ms at 48 kHz
HEAVY = ["supersaw", "pad", "epiano", "lead", "strings", "choir", "reese", "bell"]


def test_notes_sent_while_tracks_are_built_are_not_late(jack_server: JackServer) -> None:
    engine = LockedEngine(EngineProcess("jack", jackname="lc-fastpipe").boot())
    try:
        engine.add_track("d1", ["bd@808"])
        built: list[float] = []

        def build() -> None:
            for index in range(4):
                start = time.monotonic()
                engine.add_track(f"x{index}", HEAVY)
                built.append(time.monotonic() - start)

        frames, _ = engine.clock()                  # the timeline, from one reading, as a
        started = time.monotonic()                   # scheduler's clock runs between readings
        builder = threading.Thread(target=build)
        builder.start()
        sent = 0
        while builder.is_alive() or sent < 10:
            onset = frames + int((time.monotonic() - started) * 48000) + AHEAD
            engine.schedule_many([NoteEvent(onset, "d1", {"s": "bd", "bank": "808"}, 100)])
            sent += 1
            time.sleep(0.02)
        builder.join()
        time.sleep(0.2)
        stats = engine.stats()
    finally:
        engine.close()
    assert max(built) > 0.05                 # the builds took longer than the notes' lookahead
    assert stats["played"] == sent and stats["late"] == 0, (stats["late"], sent, built)
