"""Headless play of a set file: load it into a live session and let it run.

`play_set("set.py", bars=8)` plays 8 cycles (bars) and stops cleanly; without `bars` it plays
until interrupted (Ctrl-C / SIGTERM handled by the caller, e.g. the CLI, which calls
`Session.close()`: notes off, engine stopped). Scheduler messages (errors, warnings) go to
`on_message` (default: stderr).

>>> report = play_set("examples/four_on_the_floor.py", bars=1, audio="none")   # doctest: +SKIP
>>> report.cycles >= 1                                                           # doctest: +SKIP
True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livecode.errors import SetFileError
from livecode.session import Session

__all__ = ["PlayReport", "play_set", "play_session"]


@dataclass(frozen=True, slots=True)
class PlayReport:
    """How far the set played and how many events were late.

    >>> PlayReport(cycles=8.0, late_events=0, interrupted=False).cycles
    8.0
    """

    cycles: float
    late_events: int
    interrupted: bool


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def play_session(
    session: Session,
    bars: float | None = None,
    *,
    on_message: Callable[[str], None] = _stderr,
    poll: float = 0.05,
) -> PlayReport:
    """Start `session` and wait until `bars` cycles played (None: until KeyboardInterrupt)."""
    session.start()
    interrupted = False
    cycle = 0.0
    try:
        while True:
            for message in session.messages():
                on_message(message)
            cycle = session.status().cycle
            if bars is not None and cycle >= bars:
                break
            time.sleep(poll)
    except KeyboardInterrupt:
        interrupted = True
    return PlayReport(cycle, session.scheduler.stats.late, interrupted)


def play_set(
    path: str | Path,
    bars: float | None = None,
    audio: str = "auto",
    *,
    bpm: float | None = None,
    lookahead: float = 0.1,
    sr: int = 48000,
    block: int = 256,
    midi_out: str | None = None,
    on_message: Callable[[str], None] = _stderr,
) -> PlayReport:
    """Play the set file `path` headless for `bars` cycles (None: until interrupted); then close.

    `bpm` is the tempo until the set file sets its own; the other options are `Session.create`'s.
    """
    if bars is not None and (isinstance(bars, bool) or not isinstance(bars, (int, float)) or bars <= 0):
        raise SetFileError(f"play_set: bars must be a positive number, got {bars!r}")
    session = Session.create(audio=audio, bpm=bpm, lookahead=lookahead, sr=sr, block=block, midi_out=midi_out)
    try:
        session.load(Path(path))
        return play_session(session, bars, on_message=on_message)
    finally:
        session.close()
