"""A watchdog that stops user code running too long in a thread (a runaway pattern, `while True`).

`time_limit(seconds)` is a context manager: once the block has used `seconds` of CPU time (or
ten times that of wall time), an `EvalTimeout` is raised inside the thread that entered it (through CPython's
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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from livecode.errors import EvalTimeout

__all__ = ["EvalTimeout", "time_limit", "critical"]


@dataclass
class _Guard:
    """One `time_limit` block."""

    pending: bool = False   # time ran out inside a critical section
    fired: bool = False     # the async exception was set for this block


@dataclass
class _ThreadState:
    """The watchdog state of one thread: its nested limits (innermost last), critical depth."""

    guards: list[_Guard] = field(default_factory=list)
    depth: int = 0          # nesting of critical sections


_THREADS: dict[int, _ThreadState] = {}
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
        state = _THREADS.get(thread_id)
        if state is not None:
            state.depth += 1
    try:
        yield
    finally:
        if state is not None:
            with _LOCK:
                state.depth -= 1
                due = [guard for guard in state.guards if guard.pending] if state.depth == 0 else []
                for guard in due:
                    guard.pending, guard.fired = False, True
            if due:
                raise EvalTimeout("time is up")


def _cpu_clock(thread_id: int) -> Callable[[], float]:
    """The CPU time of thread `thread_id` (POSIX), else the wall clock."""
    try:
        clock_id = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock_id)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock_id)


@contextmanager
def time_limit(seconds: float | None, wall_factor: float = 10.0, message: str | None = None) -> Iterator[None]:
    """Raise EvalTimeout in this thread once the block has used `seconds` of CPU time, or
    `wall_factor` times that of wall time (a block that sleeps); None: no limit. Limits nest:
    an inner, shorter limit stops only its own block (its `message`, if given, is the error).

    CPU time, so that a busy machine (other processes taking the cores) never stops honest code.

    >>> with time_limit(5.0):
    ...     try:
    ...         with time_limit(0.05, message="inner"):
    ...             while True:
    ...                 pass
    ...     except EvalTimeout as err:
    ...         print(err)
    inner
    """
    if seconds is None:
        yield
        return
    thread_id = threading.get_ident()
    guard = _Guard()
    done = threading.Event()
    cpu = _cpu_clock(thread_id)
    cpu_start, wall_deadline = cpu(), time.monotonic() + seconds * wall_factor
    timers: list[threading.Timer] = []

    def arm(delay: float) -> None:
        timer = threading.Timer(delay, expire)
        timer.daemon = True
        timers.append(timer)
        timer.start()

    def expire() -> None:
        with _LOCK:
            if done.is_set():
                return
            used = cpu() - cpu_start
            left = min(seconds - used, wall_deadline - time.monotonic())
            if left > 0.001:
                arm(left)
                return
            if state.depth > 0:
                guard.pending = True
                return
            guard.fired = True
            _set_async(thread_id, EvalTimeout)

    with _LOCK:
        state = _THREADS.setdefault(thread_id, _ThreadState())
        state.guards.append(guard)
    arm(seconds)
    try:
        yield
    except EvalTimeout:
        if not guard.fired:
            raise                                 # an outer limit ran out: its block handles it
        text = message or f"stopped after {seconds:g} s (a runaway pattern or an endless loop?)"
        raise EvalTimeout(text) from None
    finally:
        with _LOCK:
            done.set()
            state.guards.remove(guard)
            if not state.guards:
                _THREADS.pop(thread_id, None)
            fired = guard.fired
        for timer in timers:
            timer.cancel()
        if fired:
            _set_async(thread_id, None)   # an exception set right at the end must not leak out
