"""A watchdog that stops user code running too long in a thread (a runaway pattern, `while True`).

`time_limit(seconds)` is a context manager: if the block is still running when the time is up,
an `EvalTimeout` is raised inside the thread that entered it (through CPython's
`PyThreadState_SetAsyncExc`), at its next bytecode. Code blocked inside one long C call is
interrupted when that call returns.

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

from livecode.errors import EvalError

__all__ = ["EvalTimeout", "time_limit"]


class EvalTimeout(EvalError):
    """User code ran longer than the evaluation time limit and was stopped."""


def _raise_in(thread_id: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(EvalTimeout))


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise EvalTimeout in this thread if the block runs longer than `seconds` (None: no limit)."""
    if seconds is None:
        yield
        return
    thread_id = threading.get_ident()
    done = threading.Event()
    fired = threading.Event()
    guard = threading.Lock()

    def expire() -> None:
        with guard:
            if not done.is_set():
                fired.set()
                _raise_in(thread_id)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except EvalTimeout:
        raise EvalTimeout(f"stopped after {seconds:g} s (a runaway pattern or an endless loop?)") from None
    finally:
        with guard:
            done.set()
        timer.cancel()
        if fired.is_set():
            # the async exception may still be pending if it fired right at the end: clear it
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
