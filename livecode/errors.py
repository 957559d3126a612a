"""Errors raised by the live performance core, all rooted at `LivecodeError`.

>>> issubclass(TrackError, LivecodeError)
True
>>> str(TrackError("d1.fx: unknown effect 'lfp' (expected one of: lpf, hpf)"))
"d1.fx: unknown effect 'lfp' (expected one of: lpf, hpf)"
"""

from __future__ import annotations

import signal

from patterns.errors import LivecodeError

__all__ = [
    "LivecodeError",
    "SessionError",
    "ClockError",
    "TrackError",
    "EvalTimeout",
    "CliError",
    "ShowError",
    "SendError",
    "SocketError",
    "LinkError",
    "SchedulerError",
    "JournalError",
    "SetFileError",
    "TargetError",
    "Interrupted",
    "RenderInterrupted",
    "PackageInterrupted",
    "one_line_error",
    "plain_line",
    "StarterError",
    "SongError",
    "DeliverError",
]


class SessionError(LivecodeError):
    """The session cannot do what was asked (closed, no engine, audio backend lost...)."""


class ClockError(LivecodeError, ValueError):
    """A bad tempo (bpm/cps out of range) or a clock used the wrong way."""


class TrackError(LivecodeError, ValueError):
    """A bad track operation: unknown effect or parameter, bad quantum, bad target..."""


class EvalTimeout(LivecodeError):
    """User code ran longer than the evaluation time limit and was stopped (`livecode.watchdog`)."""


class CliError(LivecodeError):
    """A bad command line or an input file that cannot be used."""


class ShowError(LivecodeError, TypeError):
    """`show()` was given something that is not a pattern or a track."""


class SendError(LivecodeError):
    """Bad input to `livecode send` (file, line range)."""


class SocketError(LivecodeError):
    """The session socket cannot be created, trusted or reached."""


class LinkError(ClockError):
    """Ableton Link cannot be used (aalink missing, or it failed to start)."""


class SchedulerError(LivecodeError):
    """The scheduler was used the wrong way (started twice, bad lookahead...)."""


class JournalError(LivecodeError):
    """A session journal could not be written or read."""


class SetFileError(LivecodeError):
    """A set file failed to load (missing, or a statement raised); names the file and line."""


class TargetError(LivecodeError, ValueError):
    """A bad output target: MIDI port missing, channel out of range..."""


class Interrupted(LivecodeError):
    """A command stopped early by SIGINT (Ctrl-C) or SIGTERM; it exits with `exit_status`.

    >>> err = Interrupted("interrupted at bar 3 of 16", signal.SIGTERM)
    >>> (str(err), err.exit_status)
    ('interrupted at bar 3 of 16', 143)
    """

    def __init__(self, message: str, signum: int = signal.SIGINT) -> None:
        super().__init__(message)
        self.signum = int(signum)

    def __reduce__(self) -> tuple[type[Interrupted], tuple[str, int]]:
        """Pickled with its signal number."""
        return type(self), (str(self), self.signum)

    @property
    def exit_status(self) -> int:
        """128 + the signal number, as a shell reports it: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


class RenderInterrupted(Interrupted):
    """A render stopped before its end: the files keep what was rendered, as valid WAVs."""


class PackageInterrupted(Interrupted):
    """A package (`--deliver`) stopped before its end: the files finished so far are kept,
    without `report.json`."""


def plain_line(err: BaseException) -> str:
    """The error's message on one line, without its type (for messages that name the command).

    >>> plain_line(ValueError("bad\\nthing")), plain_line(KeyError())
    ('bad thing', 'KeyError')
    """
    one_line = getattr(err, "one_line", None)
    if callable(one_line):
        return str(one_line())
    return " ".join(str(err).split()) or type(err).__name__


def one_line_error(err: BaseException) -> str:
    """The error as a single line (a mini-notation error keeps its caret in `one_line()`).

    >>> one_line_error(ValueError("bad\\nthing"))
    'ValueError: bad thing'
    """
    one_line = getattr(err, "one_line", None)
    if callable(one_line):
        try:
            return str(one_line())
        except Exception:  # noqa: BLE001 - a broken formatter must not hide the error
            pass
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


class StarterError(CliError, ValueError):
    """`livecode new` cannot write its starter: an unknown style, a key it cannot read, a bad
    seed, or a file that exists (names the option or the file)."""


class SongError(LivecodeError, ValueError):
    """A bad section, song form or navigation (`section`, `song`, `goto`, `loop`, `next`, `keep`):
    one line naming the field; the music keeps playing."""


class DeliverError(LivecodeError, ValueError):
    """A bad deliverable option or role (`d1.role("lead")`, `--deliver` with a bad preset)."""
