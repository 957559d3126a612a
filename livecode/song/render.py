"""Rendering a song: the whole form (`--song`), or part of it from a section or a bar (`--from`).

`render_song(path, out, song=True)` renders the set file's form from its first bar to its last,
then lets the tails ring out (or a fixed `tail`), so no `--bars` is needed. `start="chorus"`
begins at the first bar of the chorus, `start=33` at bar 33; with `bars` it renders that many
bars, else (with `song`) to the end of the form. A render that starts later plays what the
whole render plays there, sample for sample: the song is fast-forwarded to that bar (every
section armed, every tempo change made) before the first recorded sample.

>>> plan = plan_span(Fraction(96), Fraction(32), None, song=True)
>>> plan
(Fraction(32, 1), Fraction(64, 1))
>>> plan_span(None, Fraction(0), None, song=False)
Traceback (most recent call last):
...
livecode.errors.SongError: render: give --bars N, or --song to render the whole song form
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from livecode.errors import SongError
from livecode.interrupt import StopCheck
from livecode.limits import MAX_RENDER_BARS
from livecode.poolfit import pool_sizes
from livecode.render import Progress, RenderReport, render_session
from livecode.session import Session

__all__ = ["render_song", "render_song_session", "plan_span", "start_cycle", "song_length"]


def start_cycle(session: Session, start: str | int | None) -> Fraction:
    """The cycle a render starts at: 0, a bar number (1-based), or a section of the song."""
    if start is None:
        return Fraction(0)
    if isinstance(start, int) or isinstance(start, str) and start.strip().isdigit():
        bar = int(start)
        if not 1 <= bar <= MAX_RENDER_BARS:
            raise SongError(f"render --from: expected a bar from 1 to {MAX_RENDER_BARS} or a section name, got {start!r}")
        return Fraction(bar - 1)
    return session.song.start_of(start)


def plan_span(length: Fraction | None, begin: Fraction, bars: float | None, *, song: bool) -> tuple[Fraction, Fraction]:
    """(start cycle, bars to render): `bars` from `begin`, else the rest of the song's form."""
    if bars is not None:
        if isinstance(bars, bool) or not 0 < bars <= MAX_RENDER_BARS:
            raise SongError(f"render: bars must be a number in (0, {MAX_RENDER_BARS}], got {bars!r}")
        return begin, Fraction(bars).limit_denominator(1024)
    if not song or length is None:
        raise SongError("render: give --bars N, or --song to render the whole song form")
    if length - begin > MAX_RENDER_BARS:
        raise SongError(f"render --song: the form has {length - begin} bars from there; at most {MAX_RENDER_BARS}")
    if begin >= length:
        raise SongError(f"render --from: bar {int(begin) + 1} is after the song's end (it has {length} bars)")
    return begin, length - begin


def song_length(path: str | Path) -> Fraction:
    """The length in bars of the song form a set file defines, computed without rendering:
    `song_length("examples/kpop_song.py")`."""
    with Session.create(audio="none") as session:
        session.load(Path(path))
        return session.song.length()


def render_song(
    path: str | Path,
    out_wav: str | Path,
    *,
    song: bool = True,
    start: str | int | None = None,
    bars: float | None = None,
    stems_dir: str | Path | None = None,
    sr: int = 48000,
    bits: int | str = 24,
    progress: Progress | None = None,
    tail: float | None = None,
    block: int = 256,
    stop: StopCheck | None = None,
) -> RenderReport:
    """Render a set file's song form (`song=True`: to its end) or `bars` bars, from `start` (a
    section or a bar number); SongError/SetFileError name what is wrong in one line.

    The voice pools are fitted to the notes up to the end of the form or of the render, whichever
    is later (`livecode.poolfit`): the same sizes for the whole song and for a part of it, so a
    part still plays what the whole render plays there, sample for sample."""
    sizes = pool_sizes(path, lambda dry: float(_fitted_span(dry, song=song, start=start, bars=bars)), sr, block)
    session = Session.create(audio="manual", sr=sr, block=block, engine_options={"pool_sizes": sizes})
    try:
        session.load(Path(path))
        return render_song_session(session, Path(out_wav), song=song, start=start, bars=bars,
                                   stems_dir=Path(stems_dir) if stems_dir is not None else None,
                                   bits=bits, tail=tail, progress=progress, stop=stop)
    finally:
        session.close()


def _fitted_span(session: Session, *, song: bool, start: str | int | None, bars: float | None) -> Fraction:
    """The cycles whose notes size the pools: to the form's end or the render's, the later."""
    length = session.song.end_cycle() if session.song.form is not None else None
    begin, count = plan_span(length if song else None, start_cycle(session, start), bars, song=song)
    return max(length or Fraction(0), begin + count)


def render_song_session(
    session: Session,
    out_wav: Path,
    *,
    song: bool = True,
    start: str | int | None = None,
    bars: float | None = None,
    stems_dir: Path | None = None,
    bits: int | str = 24,
    progress: Progress | None = None,
    tail: float | None = None,
    stop: StopCheck | None = None,
) -> RenderReport:
    """`render_song` on an already loaded manual-mode session (tests build their own)."""
    length = session.song.end_cycle() if song else None
    begin, count = plan_span(length, start_cycle(session, start), bars, song=song)
    if begin:
        session.song.seek(begin)
    return render_session(session, out_wav, float(count), stems_dir=stems_dir, bits=bits, tail=tail,
                          progress=progress, stop=stop, start=begin)
