"""Set files: a Python file of performer lines that `play`, `render` and `load` evaluate.

`save_set` writes a session's current state as such a file. It does not pickle patterns: it keeps
the source text the session evaluated. The file is:

1. `bpm(...)` (the current tempo);
2. the definitions evaluated so far (assignments, functions, imports, `load_samples(...)`), in order;
3. per track, the statement that assigned its pattern and those that shaped its effect chain,
   then generated lines for what plain values describe (duck, gain, pan, quant, target, mute, role);
4. `solo(...)` if any track is soloed;
5. the `section(...)` and `song(...)` statements of a song form, last (a track a section plays
   shows as a comment line in 3.).

Replaying it in a fresh session applies every swap at cycle 0 (nothing is scheduled yet), so the
same tracks produce the same events.

>>> from livecode.tracks import StaticHost, Track
>>> track_expr(Track("d3", StaticHost())), track_expr(Track("bass", StaticHost()))
('d3', 'track("bass")')
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.errors import SetFileError
from livecode.tracks import SLOT_NAMES, Track

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["save_set", "load_set", "set_text", "track_expr", "read_set"]


def track_expr(track: Track) -> str:
    """How a set file names `track`: `d1` or `track("bass")`."""
    return track.name if track.name in SLOT_NAMES else f"track({track.name!r})".replace("'", '"')


def _track_lines(track: Track) -> list[str]:
    ref = track_expr(track)
    lines: list[str] = []
    if track.source is not None:
        lines.append(track.source)
    elif track.pattern is not None or track.next_pattern is not None:
        lines.append(f"# {ref}: its pattern was not set from evaluated code and cannot be saved")
    lines.extend(track.fx_sources)
    if not track.fx_sources:
        for spec in track.effects:
            if not spec.patterned():
                args = "".join(f", {k}={v!r}" for k, v in spec.params.items())
                lines.append(f"{ref}.fx({spec.kind!r}{args})")
    if track.duck_source is not None:
        source, amount = track.duck_source
        src = source if source in SLOT_NAMES else f'track("{source}")'
        lines.append(f"{ref}.duck({src}, amount={amount!r})")
    if track.gain_db != 0.0:
        lines.append(f"{ref}.gain({track.gain_db!r})")
    if track.pan_pos != 0.5:
        lines.append(f"{ref}.pan({track.pan_pos!r})")
    if track.quantum != 1:
        lines.append(f"{ref}.quant({float(track.quantum)!r})")
    target = track.target
    if target.midi_port is not None:
        extra = (f", nudge={target.midi_nudge:g}" if target.midi_nudge else "") + (
            f", device={target.midi_device!r}" if target.midi_device else "")
        lines.append(f"{ref}.midi({target.midi_port!r}, channel={target.midi_channel}, engine={target.engine}{extra})")
    if track.muted:
        lines.append(f"{ref}.mute()")
    if track.role_name is not None:
        lines.append(f"{ref}.role({track.role_name!r})")
    return lines


def set_text(session: Session) -> str:
    """The set file text for the session's current state.

    >>> from livecode.session import Session
    >>> session = Session.create(audio="none", bpm=100)
    >>> _ = session.evaluate('d1 >> s("bd*2")')
    >>> set_text(session).splitlines()[1:]
    ['bpm(100.0)', 'd1 >> s("bd*2")']
    """
    stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    lines = [f"# livecode set, saved {stamp}", f"bpm({round(session.tempo.bpm, 6)!r})"]
    seen: set[str] = set()

    def emit(line: str) -> None:
        if line not in seen:
            seen.add(line)
            lines.append(line)

    for statement in session.statements:
        emit(statement)
    for track in session.tracks:
        for line in _track_lines(track):
            emit(line)
    soloed = [track_expr(t) for t in session.tracks if t.soloed]
    if soloed:
        emit(f"solo({', '.join(soloed)})")
    for line in session.song.sources():          # the sections, then the song form (livecode.song)
        emit(line)
    return "\n".join(lines) + "\n"


def save_set(session: Session, path: Path) -> Path:
    """Write `set_text(session)` to `path` (a `.py` suffix is added if missing); returns the path."""
    target = path if path.suffix == ".py" else path.with_suffix(".py")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(set_text(session), encoding="utf-8")
    except OSError as err:
        raise SetFileError(f"save: cannot write {target}: {err.strerror}") from None
    return target


def read_set(path: Path) -> str:
    """The text of a set file, or SetFileError: `read_set(Path("examples/kpop.py"))`."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise SetFileError(f"set file {path}: {err.strerror}") from None


def load_set(session: Session, path: Path) -> None:
    """Evaluate a set file in `session`; SetFileError names the file and the failing line."""
    result = session.evaluate(read_set(path))
    if not result.ok:
        raise SetFileError(f"set file {path}: {result.error}")
