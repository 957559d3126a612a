"""The status snapshot the REPL's status bar shows: position, tempo, tracks, engine meters.

>>> status = Status(cycle=4.5, bar=5, beat=3, bpm=120.0, tracks=[TrackStatus("d1", False, False, True, None)])
>>> fill_engine_stats(status, {"cpu": 0.25, "xruns": 1, "late": 2, "meters": {"master": {"peak": -3.0}}})
>>> status.cpu, status.xruns, status.late, status.peak_db
(0.25, 1, 2, -3.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from livecode.tracks import Track

__all__ = ["Status", "TrackStatus", "OutputWatch", "fill_engine_stats", "in_use", "track_status"]


class TrackStatus(NamedTuple):
    """One track in the status bar: `active` means it sent an onset in the last cycle."""

    name: str
    muted: bool
    soloed: bool
    active: bool
    error: str | None


@dataclass
class Status:
    """A snapshot for the status bar (bar and beat are 1-based): `session.status().bar`."""

    cycle: float
    bar: int
    beat: int
    bpm: float
    tracks: list[TrackStatus]
    cpu: float = 0.0
    xruns: int = 0
    late: int = 0
    peak_db: float = -math.inf
    lufs_s: float = -math.inf
    running: bool = False
    audio: str = "none"
    engine_error: str | None = None
    sync: str = ""          # "link 2 peers", "midi clock in", "clock out" (docs/sync.md); "" when none
    output: str = "ok"      # "ok"; "nan": the engine's output was not finite; "dead": no audio computed
    lufs_target: float | None = None   # the live master's loudness target (`master("streaming")`)
    song: str = ""          # "chorus 3/16 (13 left) → bridge" (livecode.song); "" with no song


def in_use(track: Track) -> bool:
    """A track worth showing: it has (had) a pattern, effects, or a non-default state.

    >>> from livecode.tracks import StaticHost
    >>> in_use(Track("d9", StaticHost())), in_use(Track("d9", StaticHost()).mute())
    (False, True)
    """
    return (track.pattern is not None or track.next_pattern is not None or track.last_good is not None
            or bool(track.effects) or track.muted or track.soloed or track.error is not None)


def track_status(track: Track, horizon: Fraction) -> TrackStatus:
    """The status row of `track`, given the scheduler's horizon (cycle)."""
    playing = track.pattern is not None or track.next_pattern is not None
    active = playing and track.active_until >= horizon - 1
    return TrackStatus(track.name, track.muted, track.soloed, active, track.error)


def fill_engine_stats(status: Status, stats: dict[str, object]) -> None:
    """Copy the engine's `stats()` (cpu, xruns, late, master meters) into `status`; a master
    meter that saw a non-finite sample, or a fault the engine contained, makes `output` "nan"."""

    def number(key: str, default: float) -> float:
        value = stats.get(key, default)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default

    status.cpu = number("cpu", 0.0)
    status.xruns = int(number("xruns", 0))
    status.late += int(number("late", 0))
    meters = stats.get("meters")
    master = meters.get("master") if isinstance(meters, dict) else None
    if isinstance(master, dict):
        status.peak_db = float(master.get("peak", -math.inf))
        status.lufs_s = float(master.get("lufs_s", -math.inf))
    if math.isnan(status.peak_db) or stats.get("faults"):
        status.output = "nan"


class OutputWatch:
    """Tells a stopped engine from a running one: audio is "dead" when the engine's frame count
    has not moved for `after` seconds of wall time while the session runs (or the engine is
    gone). `update` returns the status's `output` field.

    >>> watch = OutputWatch(after=0.5)
    >>> watch.update("ok", frames=256, now=10.0), watch.update("ok", frames=256, now=10.6)
    ('ok', 'dead')
    >>> watch.update("nan", frames=512, now=10.7)
    'nan'
    """

    def __init__(self, after: float = 0.5) -> None:
        self.after = after
        self._frames: object = None
        self._since = 0.0

    def update(self, output: str, frames: object, now: float, *, lost: bool = False) -> str:
        """`output` as the engine's stats say; "dead" if the engine is lost or its frames stand."""
        if lost:
            return "dead"
        if frames != self._frames:
            self._frames, self._since = frames, now
            return output
        return "dead" if now - self._since >= self.after else output
