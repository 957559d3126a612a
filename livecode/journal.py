"""The session journal: every successful evaluation, appended with a timestamp, on disk.

One file per session, `journal-YYYYmmdd-HHMMSS-PID.py` in `$XDG_STATE_HOME/livecode/` (default
`~/.local/state/livecode/`). Each entry is a header line `# --- <UTC ISO time>` followed by the
code as evaluated, so a journal is itself a readable Python file. Entries are flushed and fsynced
as they are written, so a crash loses nothing.

Resume (`livecode --resume`, `Session.resume()`) replays the entries of the latest journal in a
fresh session before it starts playing: output stays silent until the end, and since no cycle has
been scheduled yet every swap and tempo change applies at cycle 0, so the result is the state the
old session ended in (tempo, tracks, instruments, effects, mix).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> journal = Journal.open(folder)
>>> journal.append('d1 >> s("bd*4")')
>>> journal.close()
>>> [entry.code for entry in read_entries(journal.path)]
['d1 >> s("bd*4")']
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from livecode.errors import JournalError

__all__ = ["Journal", "JournalEntry", "journal_dir", "read_entries", "latest_journal", "HEADER"]

HEADER = "# --- "


def journal_dir() -> Path:
    """`$XDG_STATE_HOME/livecode`, or `~/.local/state/livecode`.

    >>> journal_dir().name
    'livecode'
    """
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "livecode"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One evaluation: when (UTC ISO string) and the code.

    >>> JournalEntry("2026-11-21T15:00:00.000+00:00", "bpm(120)").code
    'bpm(120)'
    """

    when: str
    code: str


class Journal:
    """An append-only journal file (see the module doc): `Journal.open().append("bpm(120)")`."""

    def __init__(self, path: Path, handle: TextIO) -> None:
        self.path = path
        self._handle: TextIO | None = handle

    @classmethod
    def open(cls, where: Path | str | None = None) -> Journal:
        """A new journal file in the folder `where` (default `journal_dir()`), or at that `.py` path."""
        target = Path(where) if where is not None else journal_dir()
        if target.suffix != ".py":
            stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
            target = target / f"journal-{stamp}-{os.getpid()}.py"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = target.open("a", encoding="utf-8")
        except OSError as err:
            raise JournalError(f"journal: cannot open {target}: {err.strerror}") from None
        return cls(target, handle)

    def append(self, code: str) -> None:
        """Write one entry and flush it to disk."""
        if self._handle is None:
            raise JournalError(f"journal: {self.path} is closed")
        when = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")
        body = "\n".join(_escape(line) for line in code.rstrip("\n").splitlines())
        self._handle.write(f"{HEADER}{when}\n{body}\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file (idempotent); a journal nothing was written to is removed."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
            try:
                if self.path.stat().st_size == 0:
                    self.path.unlink()
            except OSError:
                pass


def _escape(line: str) -> str:
    return "#" + line if line.startswith(HEADER) or line.startswith("#" + HEADER) else line


def _unescape(line: str) -> str:
    return line[1:] if line.startswith("#" + HEADER) or line.startswith("##" + HEADER) else line


def read_entries(path: Path | str) -> Iterator[JournalEntry]:
    """The entries of a journal file, oldest first: `[e.code for e in read_entries(path)]`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise JournalError(f"journal: cannot read {path}: {err.strerror}") from None
    when: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith(HEADER):
            if when is not None:
                yield JournalEntry(when, "\n".join(lines))
            when, lines = line[len(HEADER):].strip(), []
        elif when is not None:
            lines.append(_unescape(line))
    if when is not None:
        yield JournalEntry(when, "\n".join(lines))


def latest_journal(folder: Path | None = None, exclude: Path | None = None) -> Path | None:
    """The most recently modified non-empty journal in `folder` (default `journal_dir()`)."""
    base = folder or journal_dir()
    if not base.is_dir():
        return None
    candidates = [
        p for p in base.glob("journal-*.py")
        if p.stat().st_size > 0 and (exclude is None or p.resolve() != Path(exclude).resolve())
    ]
    return max(candidates, key=lambda p: (p.stat().st_mtime, p.name), default=None)
