"""The live status bar: bar:beat, BPM, sync, song section, tracks, CPU, meters, late events, xruns.

`StatusPoller` asks the session for a status snapshot in a worker thread about ten times a
second, so a slow `session.status()` never blocks typing; `render_status` turns the latest
snapshot into prompt_toolkit formatted text for the bottom toolbar.

>>> from types import SimpleNamespace as NS
>>> st = NS(cycle=4.5, bar=5, beat=3, bpm=124.0, tracks=[("d1", False, False, True, None)],
...         cpu=0.12, xruns=0, late=0, peak_db=-6.02, lufs_s=-14.3)
>>> plain_status(st)
' 5:3  124 BPM  d1●  cpu 12%  peak -6.0 dB  LUFS -14.3  late 0  xruns 0'

A tempo source other than the session's own clock shows after the tempo:

>>> st.sync = "link 2 peers"
>>> plain_status(st)[:30]
' 5:3  124 BPM [link 2 peers]  '

Silence reads `-`; output that is not finite, or audio that stopped, reads in red instead of a
meter that looks normal:

A song shows its section, the bar in it, the bars left and what comes next (livecode.song):

>>> st.sync, st.song = "", "chorus 3/16 (13 left) → bridge"
>>> plain_status(st)[:49]
' 5:3  124 BPM chorus 3/16 (13 left) → bridge  d1●'

>>> st.song = ""; st.peak_db, st.lufs_s = -120.0, -120.0
>>> plain_status(st)[20:]
'cpu 12%  peak -  LUFS -  late 0  xruns 0'
>>> st.output = "nan"
>>> plain_status(st)[20:]
'cpu 12%  peak NaN  late 0  xruns 0'
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.formatted_text import StyleAndTextTuples

__all__ = [
    "SILENCE_DB",
    "TrackView",
    "track_views",
    "render_status",
    "plain_status",
    "StatusPoller",
]


SILENCE_DB = -120.0
"""The engine's meters report this floor for silence (`synths.meters.FLOOR_DB`); shown as `-`."""


@dataclass(frozen=True)
class TrackView:
    """One track as the status bar shows it.

    >>> TrackView("d1", muted=False, soloed=True, active=True, error=None).glyph
    'S'
    """

    name: str
    muted: bool
    soloed: bool
    active: bool
    error: str | None

    @property
    def glyph(self) -> str:
        """One character: ! error, M muted, S soloed, ● playing, ○ idle."""
        if self.error:
            return "!"
        if self.muted:
            return "M"
        if self.soloed:
            return "S"
        return "●" if self.active else "○"

    @property
    def style(self) -> str:
        """The style class for this track's cell."""
        if self.error:
            return "class:status.track.error"
        if self.muted:
            return "class:status.track.muted"
        if self.soloed:
            return "class:status.track.soloed"
        return "class:status.track" if self.active else "class:status.track.idle"


def _track_view(item: Any) -> TrackView:
    if isinstance(item, TrackView):
        return item
    if isinstance(item, (tuple, list)):
        padded = list(item) + [None] * (5 - len(item))
        name, muted, soloed, active, error = padded[:5]
    else:
        name = getattr(item, "name", "?")
        muted = getattr(item, "muted", False)
        soloed = getattr(item, "soloed", False)
        active = getattr(item, "active", False)
        error = getattr(item, "error", None)
    return TrackView(str(name), bool(muted), bool(soloed), bool(active), str(error) if error else None)


def track_views(status: Any) -> list[TrackView]:
    """The tracks of a status snapshot (tuples or objects) as `TrackView`s.

    >>> from types import SimpleNamespace as NS
    >>> [t.glyph for t in track_views(NS(tracks=[("d1", True, False, True, None), ("d2",)]))]
    ['M', '○']
    """
    tracks: Sequence[Any] = getattr(status, "tracks", None) or ()
    return [_track_view(item) for item in tracks]


def _num(status: Any, name: str) -> float | None:
    value = getattr(status, name, None)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "-" if value is None else f"{format(value, spec)}{unit}"


def _position(status: Any) -> str:
    bar, beat = _num(status, "bar"), _num(status, "beat")
    if bar is None or beat is None:
        return " -:-"
    return f"{int(bar):>2}:{int(beat)}"


def _level(status: Any, name: str) -> float | None:
    """A meter reading in dB, None for silence (at or under the meters' -120 dB floor)."""
    value = _num(status, name)
    return None if value is None or value <= SILENCE_DB else value


def _to_target(status: Any) -> str:
    """` (+1.2)`: LU above (+) or below (-) the live master's loudness target, when it has one.

    >>> class S: lufs_s, lufs_target = -12.8, -14.0
    >>> _to_target(S())
    ' (+1.2)'
    """
    target = _num(status, "lufs_target")
    level = _level(status, "lufs_s")
    return "" if target is None or level is None else f" ({level - target:+.1f})"


def _meters(status: Any) -> StyleAndTextTuples:
    cpu = _num(status, "cpu")
    late = _num(status, "late") or 0
    xruns = _num(status, "xruns") or 0
    output = getattr(status, "output", "ok")
    if output in ("nan", "dead"):
        levels: StyleAndTextTuples = [("class:status.warn", "peak NaN" if output == "nan" else "audio dead")]
    else:
        levels = [
            ("class:status.meter", f"peak {_fmt(_level(status, 'peak_db'), '.1f', ' dB')}"),
            ("class:status.sep", "  "),
            ("class:status.meter", f"LUFS {_fmt(_level(status, 'lufs_s'), '.1f')}{_to_target(status)}"),
        ]
    return [
        ("class:status.sep", "  "),
        ("class:status.meter", f"cpu {_fmt(None if cpu is None else cpu * 100, '.0f', '%')}"),
        ("class:status.sep", "  "),
        *levels,
        ("class:status.sep", "  "),
        ("class:status.warn" if late else "class:status.meter", f"late {int(late)}"),
        ("class:status.sep", "  "),
        ("class:status.warn" if xruns else "class:status.meter", f"xruns {int(xruns)}"),
    ]


def _tracks(tracks: list[TrackView], room: int) -> StyleAndTextTuples:
    """Track cells in at most `room` characters: all of them, else the non-idle ones, else a count."""
    def cells(items: list[TrackView]) -> StyleAndTextTuples:
        out: StyleAndTextTuples = []
        for track in items:
            out += [("class:status.sep", " "), (track.style, f"{track.name}{track.glyph}")]
        return out

    def size(parts: StyleAndTextTuples) -> int:
        return sum(len(text) for _style, text, *_ in parts)

    full = cells(tracks)
    if size(full) <= room:
        return full
    busy = [t for t in tracks if t.glyph != "○"]
    shown: list[TrackView] = []
    for track in busy:
        more = len(tracks) - len(shown) - 1
        if size(cells(shown + [track])) + len(f" +{more}") > room:
            break
        shown.append(track)
    rest = len(tracks) - len(shown)
    return cells(shown) + ([("class:status.track.idle", f" +{rest}")] if rest else [])


def render_status(status: Any | None, width: int = 200, message: str = "") -> StyleAndTextTuples:
    """Formatted text for the bottom toolbar; `None` (no snapshot yet) shows "starting".

    The position, tempo and meters always show; tracks get the room that is left (idle ones are
    folded into a "+N" count when they do not all fit).

    >>> render_status(None)[0][1]
    ' starting…'
    """
    if status is None:
        return [("class:status.track.idle", " starting…")]
    head: StyleAndTextTuples = [
        ("class:status.pos", _position(status)),
        ("class:status.sep", "  "),
        ("class:status.bpm", f"{_fmt(_num(status, 'bpm'), '.0f')} BPM"),
        ("class:status.sep", " "),
    ]
    sync = getattr(status, "sync", "")
    if isinstance(sync, str) and sync:
        head[-1:-1] = [("class:status.sep", " "), ("class:status.meter", f"[{sync}]")]
    song = getattr(status, "song", "")
    if isinstance(song, str) and song:
        head += [("class:status.pos", song), ("class:status.sep", " ")]
    meters = _meters(status)
    fixed = sum(len(text) for _style, text, *_ in head + meters)
    parts = head + _tracks(track_views(status), max(0, width - fixed - 1)) + meters
    if message:
        parts += [("class:status.sep", "  "), ("class:status.warn", message)]
    return _clip(parts, width)


def _clip(parts: StyleAndTextTuples, width: int) -> StyleAndTextTuples:
    out: StyleAndTextTuples = []
    used = 0
    for style, text, *_ in parts:
        if used + len(text) > width:
            out.append((style, text[: max(0, width - used - 1)] + "…"))
            break
        out.append((style, text))
        used += len(text)
    return out


def plain_status(status: Any | None, width: int = 200) -> str:
    """The status bar as plain text (for logs, `livecode play` and tests)."""
    return "".join(text for _style, text, *_ in render_status(status, width))


class StatusPoller:
    """Polls `fetch()` in a worker thread every `interval` seconds; `latest` is the newest snapshot.

    A fetch that raises keeps the previous snapshot and stores the error in `last_error`; a fetch
    that hangs never blocks the caller (the next poll waits for it to finish).

    >>> poller = StatusPoller(lambda: 42, interval=0.1)
    >>> poller.poll_once()
    42
    >>> poller.latest
    42
    """

    def __init__(self, fetch: Callable[[], Any], interval: float = 0.1) -> None:
        self._fetch = fetch
        self.interval = interval
        self.latest: Any | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def poll_once(self) -> Any | None:
        """Fetch one snapshot now (in the calling thread)."""
        if not self._lock.acquire(blocking=False):
            return self.latest
        try:
            self.latest = self._fetch()
            self.last_error = None
        except Exception as err:  # a broken status must never stop the REPL
            self.last_error = f"status: {type(err).__name__}: {err}"
        finally:
            self._lock.release()
        return self.latest

    async def run(self, on_update: Callable[[], None] | None = None) -> None:
        """Poll forever (cancel the task to stop), calling `on_update` after each snapshot."""
        loop = asyncio.get_running_loop()
        while True:
            await loop.run_in_executor(None, self.poll_once)
            if on_update is not None:
                on_update()
            await asyncio.sleep(self.interval)
