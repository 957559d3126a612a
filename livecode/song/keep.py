"""`keep()`: write what is playing, and when, to a set file, so a happy accident is never lost.

Patterns are functions of time: a `rand`, a `degradeBy`, a generator with a patterned seed
(`motif(..., seed="<1 2 3 4>")`) play what they play because of the bar they are at. So a
kept moment is the code *and* the bar: `keep()` writes a set file of the session's state (as
`save()` does: tempo, definitions, every track's pattern, effects and mix), plus the sections
and the song form, headed by where it was kept and the command that renders exactly that
moment again (`livecode render FILE --from BAR --bars N`). Files never overwrite each other;
the journal records each keep as a comment entry, so `--resume` sessions show where it went.

>>> from livecode.session import Session
>>> import tempfile
>>> session = Session.create(audio="none", bpm=100)
>>> _ = session.evaluate('d1 >> s("bd*2").degradeBy(0.3)')
>>> kept = keep_moment(session, Path(tempfile.mkdtemp()) / "idea.py", bars=2)
>>> kept.bar, kept.path.name
(1, 'idea.py')
>>> kept.path.read_text().splitlines()[0]
'# livecode keep: bar 1 (cycle 0.00), kept ...'
>>> session.close()
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.errors import SongError, one_line_error
from livecode.journal import journal_dir
from livecode.setfile import set_text

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["Kept", "keep_moment", "keep_text", "free_path", "MAX_KEEP_BARS"]

MAX_KEEP_BARS = 64
"""The longest moment `keep(bars=...)` names."""


@dataclass(frozen=True, slots=True)
class Kept:
    """Where a keep went and which bars it names (1-based, `bars` long from `from_bar`).

    >>> Kept(Path("k.py"), 37, 34, 4, "chorus 5/16")
    kept bar 37 (chorus 5/16) in k.py: livecode render k.py --from 34 --bars 4 -o keep.wav
    """

    path: Path
    bar: int
    from_bar: int
    bars: int
    where: str = ""

    def command(self) -> str:
        """The command that renders the kept moment."""
        return f"livecode render {self.path} --from {self.from_bar} --bars {self.bars} -o keep.wav"

    def __repr__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"kept bar {self.bar}{where} in {self.path}: {self.command()}"


def keep_text(session: Session, cycle: float, bars: int, stamp: str, path: Path | None = None) -> str:
    """The kept set file's text: a header naming the moment, then the set (`save()`'s text, which
    ends with the song's sections and form)."""
    bar = math.floor(cycle) + 1
    first = max(1, bar - bars + 1)
    where = session.song.label(cycle)
    header = [
        f"# livecode keep: bar {bar} (cycle {cycle:.2f}), kept {stamp}" + (f", {where}" if where else ""),
        f"# random patterns and patterned seeds depend on the bar: hear bars {first}-{first + bars - 1} "
        "exactly as they played with",
        f"#   livecode render {path if path is not None else 'THIS_FILE'} --from {first} --bars {bars} -o keep.wav",
    ]
    return "\n".join(header + set_text(session).splitlines()) + "\n"


def free_path(path: Path) -> Path:
    """`path`, or `path-2.py`, `path-3.py`... if it exists (a keep never overwrites).

    >>> free_path(Path("/nonexistent/idea.py")).name
    'idea.py'
    """
    target = path if path.suffix == ".py" else path.with_suffix(".py")
    number = 2
    while target.exists():
        target = target.with_name(f"{path.stem}-{number}.py")
        number += 1
    return target


def keep_moment(session: Session, path: Path | None = None, bars: int = 4) -> Kept:
    """Write the moment (the last `bars` bars up to now) to `path` (default: a new file in the
    journal folder's `keeps/`); returns where it went."""
    if isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_KEEP_BARS:
        raise SongError(f"keep: bars must be a whole number from 1 to {MAX_KEEP_BARS}, got {bars!r}")
    playing = session.running or session.scheduler.horizon > 0
    cycle = max(0.0, session.tempo.cycle_at(session.clock.now())) if playing else 0.0
    now = _dt.datetime.now(_dt.timezone.utc)
    stamp = now.isoformat(timespec="seconds")
    bar = math.floor(cycle) + 1
    if path is None:
        path = journal_dir() / "keeps" / f"keep-{now.strftime('%Y%m%d-%H%M%S')}-bar{bar}.py"
    target = free_path(Path(path).expanduser())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:
            handle.write(keep_text(session, cycle, bars, stamp, target))
    except OSError as err:
        raise SongError(f"keep: cannot write {target}: {err.strerror or one_line_error(err)}") from None
    kept = Kept(target, bar, max(1, bar - bars + 1), bars, session.song.label(cycle))
    if session.journal is not None:
        try:
            session.journal.append(f"# {kept!r}")
        except Exception as err:  # noqa: BLE001 - the file is written; a journal failure is a warning
            session.warn(f"keep: journal: {one_line_error(err)}")
    return kept
