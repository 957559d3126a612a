"""Replaying a journal: bring a session's state back without repeating what it did.

`resume(session)` (`Session.resume`, `livecode --resume`) evaluates every readable entry of a
journal again, so tempo, tracks and their patterns, instruments, effects, mix, samples and
definitions come back. What the old session *did* is not done again:

* **Output** is dropped: what replayed code writes to `sys.stdout` or `sys.stderr` (`print`,
  `show()` grids, warnings) goes nowhere, and values are not shown.
* **Actions** do nothing: a function or method marked with `@action` touches the world outside
  the session's state (files, audio devices, MIDI, the network, the running process) and returns
  None while `session.replaying` is true. The prelude's `save`, `show` and `midi_outputs` are
  actions, and so are the Session's `save`, `reconnect_audio`, `start`, `run_blocks`, `close`,
  `resume`, `midiclock`, `midiclock_in`, `link` and the release half of `panic` (voices off,
  MIDI note-offs, CC 123); `panic()`'s hush half is state and is replayed.

Every evaluation that ran is journaled, actions included: the journal stays the faithful record
of the performance, and one mechanism (the flag checked by `@action`) keeps replay safe for any
journal, old ones too, however an action was reached (`show(d1)`, `s = session; s.save(...)`).
Calls that reach past the Session into its parts (`session.engine.record_start(...)`) are not
guarded.

A damaged journal never stops a resume: the entries that cannot be read and the ones whose
evaluation fails are skipped and named in the report.

>>> class Lamp:
...     replaying = False
...     @action
...     def switch_on(self) -> str:
...         return "on"
>>> lamp = Lamp(); lamp.switch_on()
'on'
>>> lamp.replaying = True; lamp.switch_on() is None
True
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from livecode.errors import SessionError
from livecode.journal import JournalRead, SkippedEntry, journal_dir, latest_journal, read_journal

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["action", "actions_of", "is_action", "replaying", "replay", "resume", "ResumeReport",
           "MAX_LISTED"]

P = ParamSpec("P")
R = TypeVar("R")
ACTION_MARK = "__livecode_action__"
MAX_LISTED = 5
"""The summary names at most this many skipped entries, then says how many more."""


class Replaying(Protocol):
    """Anything with the `replaying` flag (the Session)."""

    replaying: bool


S = TypeVar("S", bound=Replaying)


def action(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | None]:
    """Mark a method as an action: it does nothing and returns None while `self.replaying`."""

    def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        if self.replaying:
            return None
        return method(self, *args, **kwargs)

    functools.update_wrapper(guarded, method)
    setattr(guarded, ACTION_MARK, True)
    return guarded


def actions_of(owner: Replaying) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """A decorator marking functions bound to `owner` (the prelude's) as actions.

    >>> class Owner: replaying = True
    >>> @actions_of(Owner())
    ... def shout() -> str: return "!"
    >>> shout() is None, is_action(shout)
    (True, True)
    """

    def mark(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
            if owner.replaying:
                return None
            return func(*args, **kwargs)

        setattr(guarded, ACTION_MARK, True)
        return guarded

    return mark


def is_action(func: object) -> bool:
    """True for a function or method marked with `action`/`actions_of`.

    >>> from livecode.session import Session
    >>> is_action(Session.reconnect_audio), is_action(Session.hush)
    (True, False)
    """
    return bool(getattr(func, ACTION_MARK, False))


@contextlib.contextmanager
def replaying(session: Replaying) -> Iterator[None]:
    """Meanwhile actions are no-ops and what is written to stdout/stderr is dropped.

    The output streams are the process's, so replay before anything else runs (the CLI does:
    before the REPL and the scheduler start).
    """
    sink = io.StringIO()
    session.replaying = True
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield
    finally:
        session.replaying = False


@dataclass
class ResumeReport:
    """What a resume did: the journal used, how many entries came back, which were skipped.

    >>> report = ResumeReport(Path("/j/journal-1.py"), total=3, restored=2,
    ...                       skipped=[SkippedEntry(2, 3, "cut short")])
    >>> report.summary()
    'resume: restored 2 of 3 entries from /j/journal-1.py; skipped entry 2 (line 3): cut short'
    """

    path: Path
    total: int = 0
    restored: int = 0
    skipped: list[SkippedEntry] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the performer."""
        entries = "entry" if self.total == 1 else "entries"
        line = f"resume: restored {self.restored} of {self.total} {entries} from {self.path}"
        if not self.skipped:
            return line
        listed = "; ".join(str(item) for item in self.skipped[:MAX_LISTED])
        more = len(self.skipped) - MAX_LISTED
        return f"{line}; skipped {listed}" + (f"; and {more} more" if more > 0 else "")


def replay(session: Session, journal: JournalRead) -> ResumeReport:
    """Evaluate the readable entries of `journal` in `session` (see the module doc)."""
    report = ResumeReport(journal.path, total=journal.total)
    failed: list[SkippedEntry] = []
    with replaying(session):
        for entry in journal.entries:
            error = _evaluate(session, entry.code)
            if error is None:
                report.restored += 1
            else:
                failed.append(SkippedEntry(entry.number, entry.line, error))
    report.skipped = sorted([*journal.skipped, *failed], key=lambda item: item.number)
    return report


def _evaluate(session: Session, code: str) -> str | None:
    """Evaluate one entry; its error line, or None if it ran."""
    try:
        result = session.evaluate(code)
    except SystemExit:
        return "exit() is not replayed"
    return None if result.ok else result.error or "failed"


def resume(session: Session, journal_file: Path | None = None) -> ResumeReport:
    """Replay `journal_file` (default: the latest journal other than the session's own).

    SessionError when there is no journal; JournalError when it cannot be read at all.
    """
    own = session.journal.path if session.journal is not None else None
    path = journal_file or latest_journal(exclude=own)
    if path is None:
        raise SessionError(f"resume: no journal found in {journal_dir()}")
    return replay(session, read_journal(path))
