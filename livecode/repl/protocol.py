"""What the REPL needs from a session: the structural types it calls.

The REPL is written against these protocols, not against `livecode.session.Session`
directly, so it also drives any object with the same shape (the tests use a tiny one). Their
members are read-only: the REPL reads them and never sets one.
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

    @property
    def ok(self) -> bool: ...

    @property
    def value_repr(self) -> str | None: ...

    @property
    def error(self) -> str | None: ...

    @property
    def warnings(self) -> Sequence[str]: ...


@runtime_checkable
class TrackStatusLike(Protocol):
    """One track's state in a status snapshot (a tuple in the same order also works)."""

    @property
    def name(self) -> str: ...

    @property
    def muted(self) -> bool: ...

    @property
    def soloed(self) -> bool: ...

    @property
    def active(self) -> bool: ...

    @property
    def error(self) -> str | None: ...


@runtime_checkable
class StatusLike(Protocol):
    """A snapshot of the running session for the status bar."""

    @property
    def cycle(self) -> float: ...

    @property
    def bar(self) -> int: ...

    @property
    def beat(self) -> int: ...

    @property
    def bpm(self) -> float: ...

    @property
    def tracks(self) -> Sequence[Any]: ...

    @property
    def cpu(self) -> float: ...

    @property
    def xruns(self) -> int: ...

    @property
    def late(self) -> int: ...

    @property
    def peak_db(self) -> float: ...

    @property
    def lufs_s(self) -> float: ...


@runtime_checkable
class SessionLike(Protocol):
    """The session calls the REPL makes (`livecode.session.Session` provides them)."""

    @property
    def namespace(self) -> Mapping[str, object]: ...

    def evaluate(self, code: str) -> EvalResultLike: ...

    def status(self) -> StatusLike: ...

    def hush(self) -> None: ...

    def panic(self) -> None: ...

    def close(self) -> None: ...