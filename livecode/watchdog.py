"""A watchdog that stops user code running too long in a thread (a runaway pattern, `while True`).

`time_limit(seconds)` is a context manager: if the block is still running when the time is up,
an `EvalTimeout` is raised inside the thread that entered it (through CPython's
`PyThreadState_SetAsyncExc`), at its next bytecode. Code blocked inside one long C call is
interrupted when that call returns. Code inside `critical()` (a call into the engine over its
pipe, which must not be cut between request and reply) is interrupted when it leaves it.

>>> with time_limit(1.0):
...     total = sum(range(1000))
>>> total
499500
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from livecode.errors import EvalError

__all__ = ["EvalTimeout", "time_limit", "critical"]


class EvalTimeout(EvalError):
    """User code ran longer than the evaluation time limit and was stopped."""


@dataclass
class _Guard:
    """The watchdog state of one thread."""

    depth: int = 0          # nesting of critical sections
    pending: bool = False   # time ran out inside a critical section
    fired: bool = False     # the async exception was set


_GUARDS: dict[int, _Guard] = {}
_LOCK = threading.Lock()


def _set_async(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def critical() -> Iterator[None]:
    """A section the watchdog must not cut (no-op in threads without a time limit).

    >>> with time_limit(5.0), critical():
    ...     pass
    """
    thread_id = threading.get_ident()
    with _LOCK:
        guard = _GUARDS.get(thread_id)
        if guard is not None:
            guard.depth += 1
    try:
        yield
    finally:
        if guard is not None:
            with _LOCK:
                guard.depth -= 1
                fire = guard.depth == 0 and guard.pending
                if fire:
                    guard.pending, guard.fired = False, True
            if fire:
                raise EvalTimeout("time is up")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise EvalTimeout in this thread if the block runs longer than `seconds` (None: no limit)."""
    if seconds is None:
        yield
        return
    thread_id = threading.get_ident()
    guard = _Guard()
    done = threading.Event()

    def expire() -> None:
        with _LOCK:
            if done.is_set():
                return
            if guard.depth > 0:
                guard.pending = True
                return
            guard.fired = True
            _set_async(thread_id, EvalTimeout)

    with _LOCK:
        _GUARDS[thread_id] = guard
    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except EvalTimeout:
        raise EvalTimeout(f"stopped after {seconds:g} s (a runaway pattern or an endless loop?)") from None
    finally:
        with _LOCK:
            done.set()
            _GUARDS.pop(thread_id, None)
            fired = guard.fired
        timer.cancel()
        if fired:
            _set_async(thread_id, None)   # an exception set right at the end must not leak out
