"""The session options of the command line (the REPL's and `play`'s) as one typed value, and the
steps both take with them once the session exists: resume, then connect the tempo sync.

>>> options = SessionOptions(audio="none", bpm=90.0, midi_clock_out="Synth", link=True)
>>> with create_session(options) as session:
...     session.tempo.bpm
90.0
>>> class Sync:
...     def midiclock(self, port): print("clock out", port)
...     def midiclock_in(self, port): print("clock in", port)
...     def link(self, enabled=True): print("link", enabled); return 0
>>> apply_sync(Sync(), options)
clock out Synth
link True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from livecode.errors import plain_line
from livecode.replay import ResumeReport
from patterns.errors import LivecodeError

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["SessionOptions", "create_session", "apply_sync", "resume_line", "Syncable", "Resumable"]


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """Every session option of the `livecode` command (docs/cli.md, "Session options").

    The first six are `Session.create`'s (`create_session`); `midi_clock_out`, `midi_clock_in` and `link` connect
    the tempo sync once the session exists (`apply_sync`); `resume` replays the last journal
    first (`resume_line`); `socket` is where `livecode send` reaches the session (None: the
    REPL's default socket, and no socket for `play`).
    """

    audio: str = "auto"
    bpm: float | None = None
    sr: int = 48000
    block: int = 256
    lookahead: float = 0.1
    midi_out: str | None = None
    midi_clock_out: str | None = None
    midi_clock_in: str | None = None
    link: bool = False
    resume: bool = False
    socket: Path | None = None
    inputs: int = 0
    """Audio input channels the engine opens (`--inputs`, docs/takes.md); 0: none."""


def create_session(options: SessionOptions, *, journal: Path | None = None,
                   engine_log: Path | None = None) -> Session:
    """`Session.create` with these options (and a journal folder, and a log for the engine's output)."""
    from livecode.session import Session          # the CLI imports this module; sessions load on use

    return Session.create(audio=options.audio, bpm=options.bpm, sr=options.sr, block=options.block,
                          lookahead=options.lookahead, midi_out=options.midi_out, journal=journal,
                          engine_log=engine_log,
                          engine_options={"inputs": options.inputs} if options.inputs else None)


class Syncable(Protocol):
    """A session's tempo sync (`livecode.session.Session`)."""

    def midiclock(self, port: str | None) -> None: ...

    def midiclock_in(self, port: str | None, delay: float = ...) -> None: ...

    def link(self, enabled: bool = True) -> int | None: ...


class Resumable(Protocol):
    """A session that can replay a journal (`livecode.session.Session`)."""

    def resume(self, journal_file: Path | None = None) -> ResumeReport | None: ...


def apply_sync(session: Syncable, options: SessionOptions) -> None:
    """`--midi-clock-out`, `--midi-clock-in` and `--link`, in that order (docs/sync.md)."""
    if options.midi_clock_out:
        session.midiclock(options.midi_clock_out)
    if options.midi_clock_in:
        session.midiclock_in(options.midi_clock_in)
    if options.link:
        session.link(True)


def resume_line(session: Resumable) -> str:
    """Replay the last journal into `session` (`--resume`); the one line that says how it went.

    A missing, unreadable or damaged journal never stops what follows.
    """
    try:
        report = session.resume()
    except LivecodeError as err:
        return f"{plain_line(err)}; starting with an empty session"
    return "resume: nothing replayed" if report is None else report.summary()
