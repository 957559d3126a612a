"""Recording takes from the live input, aligned to the bar: count-in, punch in/out, numbered
files, the round trip compensated.

`record_take(at=9, bars=4, count_in=1)` plans everything from the tempo map before anything
sounds: a count-in click on every beat of the bar(s) before `at`, the punch-in at the first
sample of bar `at` and the punch-out at the first sample of bar `at + bars` (or at the next bar
line after `stop_take()`). The engine records the input frames that hold what the performer
played in time with those bars: timeline frame + the round trip (the master's look-ahead, the
output's playback latency and the input's capture latency, as JACK reports them), so
`audio("takes/take1.wav", at=9)` puts the take back on the sample it was played on.

Takes are numbered in their folder (`take1.wav`, `take2.wav`, ...): the next number is one more
than the highest there, and the file is created exclusively, so no take is ever overwritten.

>>> import tempfile; folder = Path(tempfile.mkdtemp())
>>> next_take_path(folder).name, next_take_path(folder).name
('take1.wav', 'take2.wav')
>>> punch_frames(timeline=(96000, 192000), latency=591)
(96591, 192591)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from livecode.takes.spec import parse_bar
from synths.errors import TakeError
from synths.events import NoteEvent

__all__ = ["next_take_path", "punch_frames", "TakePlan", "TakeEngine", "TakeTimeline", "plan_take",
           "start_take", "finish_take", "COUNT_IN_TRACK", "COUNT_IN_SOUND"]

COUNT_IN_TRACK = "countin"
"""The engine track the count-in clicks play on."""
COUNT_IN_SOUND = "rim"
"""The count-in click (the first beat of each bar is accented)."""

_SAFETY = 0.05


def next_take_path(folder: Path, name: str = "take") -> Path:
    """Create and return `folder/<name><n>.wav`, n one more than the highest number there."""
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
        raise TakeError(f"record_take: name must be letters, digits, _ or -, got {name!r}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        numbered = re.compile(rf"^{re.escape(name)}(\d+)\.wav$", re.IGNORECASE)
        highest = max((int(m.group(1)) for f in folder.iterdir() if (m := numbered.match(f.name))), default=0)
    except OSError as exc:
        raise TakeError(f"record_take: cannot use the folder {str(folder)!r}: {exc.strerror or exc}") from exc
    number = highest + 1
    while True:
        path = folder / f"{name}{number}.wav"
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            number += 1
            continue
        except OSError as exc:
            raise TakeError(f"record_take: cannot create {str(path)!r}: {exc.strerror or exc}") from exc
        return path


def punch_frames(timeline: tuple[int, int | None], latency: int) -> tuple[int, int | None]:
    """The engine input frames of a punch-in/out given at timeline frames, `latency` later."""
    first, last = timeline
    return first + latency, None if last is None else last + latency


class TakeEngine(Protocol):
    """What take recording needs from the engine (`synths.engine.Engine`, `EngineProcess`)."""

    def record_take(self, path: str | os.PathLike[str], first: int, last: int | None = None, *,
                    channels: Sequence[int] = (1,), sample_format: str = "float32") -> str: ...

    def stop_take(self, last: int | None = None) -> Any: ...

    def take_state(self) -> Any: ...

    def input_latency(self) -> dict[str, int]: ...

    def schedule_many(self, events: Any) -> None: ...


class TakeTimeline(Protocol):
    """The tempo map and clock calls a plan needs."""

    beats_per_cycle: int

    def time_at(self, cycle: Fraction | float) -> float: ...

    def cycle_at(self, seconds: float) -> float: ...


@dataclass(frozen=True, slots=True)
class TakePlan:
    """A take recording, planned: its file, bars, the timeline frames of punch in/out, the round
    trip and the count-in clicks (frame, accented)."""

    path: Path
    at: Fraction
    bars: int | None
    punch_in: int
    punch_out: int | None
    latency: int
    clicks: tuple[tuple[int, bool], ...]

    def describe(self) -> str:
        """One line for the performer."""
        end = f"to bar {self.at + self.bars}" if self.bars is not None else "until stop_take()"
        return (f"recording {self.path}: bar {self.at} {end}, {len(self.clicks)} count-in clicks, "
                f"round trip {self.latency} samples")


def plan_take(tempo: TakeTimeline, to_frame: Any, now: float, ahead: float, *, path: Path, at: object | None,
              bars: object | None, count_in: object, latency: int) -> TakePlan:
    """Plan a take at bar `at` (None: the first bar line after the count-in can still start)."""
    if isinstance(count_in, bool) or not isinstance(count_in, int) or not 0 <= count_in <= 8:
        raise TakeError(f"record_take: count_in must be 0..8 bars, got {count_in!r}")
    if bars is not None and (isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= 1000):
        raise TakeError(f"record_take: bars must be 1..1000 (or None: until stop_take()), got {bars!r}")
    earliest = tempo.cycle_at(now + ahead + _SAFETY)
    soonest = math.ceil(earliest) + count_in + 1             # as a bar number (bar 1 = cycle 0)
    bar = Fraction(soonest) if at is None else parse_bar(at)
    if bar - 1 - count_in < earliest:
        bars_word = "bar" if count_in == 1 else "bars"
        raise TakeError(f"record_take: bar {bar} starts too soon for a count-in of {count_in} {bars_word}; "
                        f"punch in at bar {soonest} or later")
    punch_in = to_frame(tempo.time_at(bar - 1))
    punch_out = None if bars is None else to_frame(tempo.time_at(bar - 1 + bars))
    beats = tempo.beats_per_cycle
    clicks = tuple((to_frame(tempo.time_at(bar - 1 - count_in + Fraction(beat, beats))), beat % beats == 0)
                   for beat in range(count_in * beats))
    return TakePlan(path, bar, bars, punch_in, punch_out, latency, clicks)


def start_take(engine: TakeEngine, plan: TakePlan, channels: Sequence[int]) -> str:
    """Arm the engine's recorder and schedule the count-in; returns the file's path."""
    first, last = punch_frames((plan.punch_in, plan.punch_out), plan.latency)
    path = engine.record_take(plan.path, first, last, channels=tuple(channels))
    if plan.clicks:
        engine.schedule_many([NoteEvent(frame, COUNT_IN_TRACK, {"s": COUNT_IN_SOUND, "gain": 1.0 if accent else 0.6},
                                        2400) for frame, accent in plan.clicks])
    return path


def finish_take(engine: TakeEngine, tempo: TakeTimeline, to_frame: Any, now: float, ahead: float,
                latency: int) -> Any:
    """Punch out at the next bar line the engine can still reach; the take's state."""
    cycle = math.ceil(tempo.cycle_at(now + ahead + _SAFETY))
    return engine.stop_take(to_frame(tempo.time_at(cycle)) + latency)
