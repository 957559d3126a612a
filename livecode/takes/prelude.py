"""The prelude names of takes: `audio`, `audio_in`, `comp`, `comp_ranges`, and, bound to the
session, `record_take`, `stop_take`, `take_status` (docs/takes.md).

>>> sorted(take_functions(None))
['audio', 'audio_in', 'comp', 'comp_ranges']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livecode.replay import actions_of
from livecode.takes.placing import audio, audio_in, comp, comp_ranges
from livecode.takes.recording import (
    TakeEngine,
    finish_take,
    next_take_path,
    plan_take,
    start_take,
)
from livecode.takes.spec import parse_time
from synths.errors import TakeError

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["take_functions"]


def _engine(session: Session) -> TakeEngine:
    engine: Any = session.engine
    if engine is None or not hasattr(engine, "record_take"):
        raise TakeError("record_take: no audio engine to record with (livecode runs with --audio none)")
    return engine  # type: ignore[no-any-return]


def _recording_functions(session: Session) -> dict[str, Callable[..., object]]:
    as_action = actions_of(session)
    adjusted = {"frames": 0}                  # record_take's `adjust`, for stop_take's punch-out

    @as_action
    def record_take(at: object = None, bars: object = None, count_in: object = 1, channels: object = 1,
                    folder: str = "takes", name: str = "take", adjust: object = 0) -> str:
        """Record the input to the next numbered take (takes/take1.wav, ...), aligned to the bar.

        From bar `at` for `bars` bars after `count_in` bars of clicks; `adjust` (ms, or "64smp")
        is added to the round trip JACK reports (for a measured loopback); returns what it records.
        Example: record_take(at=9, bars=4)"""
        engine = _engine(session)
        chans = channels if isinstance(channels, (tuple, list)) else (channels,)
        clock, tempo = session.clock, session.tempo
        adjusted["frames"] = parse_time(adjust, "adjust").samples(clock.sample_rate)
        latency = int(engine.input_latency()["round_trip"]) + adjusted["frames"]
        with session.lock:
            now = clock.now()
            plan = plan_take(tempo, clock.to_frame, now, session.scheduler.lookahead,
                             path=Path(folder) / name, at=at, bars=bars, count_in=count_in, latency=latency)
        path = next_take_path(Path(folder).expanduser(), name)      # checked first: no number wasted
        plan = dataclasses.replace(plan, path=path)
        try:
            start_take(engine, plan, [int(c) for c in chans])  # type: ignore[call-overload]
        except Exception:
            path.unlink(missing_ok=True)             # nothing was recorded: free the number
            raise
        return plan.describe()

    @as_action
    def stop_take() -> object:
        """Punch out at the next bar line (a take recorded without bars=). Example: stop_take()"""
        engine = _engine(session)
        latency = int(engine.input_latency()["round_trip"]) + adjusted["frames"]
        with session.lock:
            return finish_take(engine, session.tempo, session.clock.to_frame, session.clock.now(),
                               session.scheduler.lookahead, latency)

    def take_status() -> object:
        """The take being recorded (file, frames written, done). Example: take_status()"""
        return _engine(session).take_state()

    return {"record_take": record_take, "stop_take": stop_take, "take_status": take_status}


def take_functions(session: Session | None) -> dict[str, Callable[..., object]]:
    """The take names a performer types; with a session, the recording ones too."""
    names: dict[str, Callable[..., object]] = {"audio": audio, "audio_in": audio_in, "comp": comp,
                                               "comp_ranges": comp_ranges}
    if session is not None:
        names.update(_recording_functions(session))
    return names
