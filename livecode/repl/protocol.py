"""What the REPL needs from a session: the structural types it calls.

The REPL is written against these protocols, not against `livecode.session.Session`
directly, so it also drives any object with the same shape (the tests use a tiny one).
Every attribute of a status is read defensively: a missing field shows as "-".

>>> from types import SimpleNamespace
>>> result = SimpleNamespace(ok=True, value_repr="3", error=None, warnings=[])
>>> isinstance(result, EvalResultLike)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["EvalResultLike", "SessionLike", "TrackStatusLike", "StatusLike"]


@runtime_checkable
class EvalResultLike(Protocol):
    """The outcome of `session.evaluate(code)`; evaluation never raises."""

    ok: bool
    value_repr: str | None
    error: str | None
    warnings: Sequence[str]


@runtime_checkable
class TrackStatusLike(Protocol):
    """One track's state in a status snapshot (a tuple in the same order also works)."""

    name: str
    muted: bool
    soloed: bool
    active: bool
    error: str | None


@runtime_checkable
class StatusLike(Protocol):
    """A snapshot of the running session for the status bar."""

    cycle: float
    bar: int
    beat: int
    bpm: float
    tracks: Sequence[Any]
    cpu: float
    xruns: int
    late: int
    peak_db: float
    lufs_s: float


@runtime_checkable
class SessionLike(Protocol):
    """The session calls the REPL makes (`livecode.session.Session` provides them)."""

    namespace: Mapping[str, object]

    def evaluate(self, code: str) -> EvalResultLike: ...

    def status(self) -> StatusLike: ...

    def hush(self) -> None: ...

    def panic(self) -> None: ...

    def close(self) -> None: ...
