"""A scheduler tick reaches the engine as one message: its notes and its patterned effect samples.

Each message is a point where the scheduler's thread gives up the GIL; an evaluation computing in
the same process (`while True: pass` until its timeout) then keeps it up to a switch interval.
A tick that sent each of an LFO's 16 samples per cycle on its own was late by all of them
together (the performer simulator: late notes after `while True: pass`).
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from livecode.scheduler import SWITCH_INTERVAL
from livecode.session import Session
from synths.events import NoteEvent, ParamEvent

__all__: list[str] = []

SET = """d1 >> s("bd*4")
d1.fx("lpf", cutoff=sine.range(400, 4000))
d2 >> s("hh*8")
d2.fx("lpf", cutoff=saw.range(2000, 8000), resonance=sine.range(0.1, 0.5))"""


class Counting:
    """The session's engine, with every call that carries events written down."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[str, list[Any]]] = []

    def schedule_many(self, events: Any) -> None:
        items = list(events)
        self.calls.append(("schedule_many", items))
        self.inner.schedule_many(items)

    def schedule(self, event: Any) -> None:
        self.calls.append(("schedule", [event]))
        self.inner.schedule(event)

    def set_param(self, track: str, path: str, value: float, time: int | None = None) -> None:
        self.calls.append(("set_param", [ParamEvent(time, track, path, value)]))
        self.inner.set_param(track, path, value, time)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_each_tick_sends_its_notes_and_effect_samples_in_one_message() -> None:
    with Session.create(audio="manual") as session:
        counting = Counting(session.outputs.engine)
        session.outputs.engine = counting  # type: ignore[assignment]
        result = session.evaluate(SET)
        assert result.ok, result.error
        session.run_blocks(400)                                   # ~2.1 s: one cycle and more
        ticks = session.scheduler.stats.ticks
    kinds = {kind for kind, _ in counting.calls}
    assert kinds == {"schedule_many"}                              # no parameter on its own
    assert len(counting.calls) <= ticks                            # at most one message per tick
    params = [e for _, events in counting.calls for e in events if isinstance(e, ParamEvent)]
    notes = [e for _, events in counting.calls for e in events if isinstance(e, NoteEvent)]
    assert {(e.track, e.path) for e in params} == {("d1", "fx.0.cutoff"), ("d2", "fx.0.cutoff"),
                                                    ("d2", "fx.0.resonance")}
    assert len([e for e in params if e.track == "d1"]) >= 16       # 16 samples per cycle
    assert len([e for e in notes if e.track == "d1"]) >= 4
    for _, events in counting.calls:
        times = [e.time for e in events]
        assert times == sorted(times)                               # one batch, in time order


def test_a_live_scheduler_takes_the_gil_back_within_half_a_millisecond() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)                                   # Python's default
    try:
        with Session.create(audio="none") as session:
            session.start()
            assert sys.getswitchinterval() == SWITCH_INTERVAL == 0.0005
    finally:
        sys.setswitchinterval(before)


def test_a_live_scheduler_freezes_what_the_process_holds_and_thaws_it_at_close() -> None:
    """A full collection of a session process's heap held the GIL 13-19 ms, stalling the JACK
    MIDI callbacks of the process for three periods; frozen, it is not scanned again."""
    gc.unfreeze()
    with Session.create(audio="none") as session:
        session.evaluate('d1 >> s("bd*4")')
        session.start()
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
