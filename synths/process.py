"""`EngineProcess`: the engine in its own process, with the same API as `Engine`.

Nothing in the caller's process (REPL, pattern queries, garbage collection) can then take the GIL
from the audio callback. Commands cross a `multiprocessing` Pipe (spawn context); the child boots
an `Engine`, calls `gc.freeze()` after setup and `sys.setswitchinterval(0.0005)`, and serves
commands in its main thread while pyo's audio thread runs the callback; when idle, it frees the
pyo objects rebuilds retired, a slice at a time (`Engine.reap`). The scheduler's calls (`FAST`:
the clock, batches of notes, parameters, panic) cross a second Pipe on the live backends, served
by a thread of their own: a note batch never waits behind a track being built (an `add_track`
or `set_chain` takes 20-200 ms), and a pool that must grow for it, or be built again (freed
while idle), is built later, in the main thread (`Engine.defer_growth`). Manual and offline
engines, driven block by block by their caller, keep every call on one pipe, in order. Events
are validated in the caller first, so a bad control raises `ParamError` at once; `schedule`
does not wait for the child. A child that dies, a JACK server that stops, or a child that does
not answer within `timeout` seconds raises `EngineError`.

>>> from synths.testvoices import resolve_test_voice

Usage (not run as a doctest: it needs a running engine or device)::

    with EngineProcess("manual", resolver=resolve_test_voice) as engine:
    # -> ...     engine.schedule(NoteEvent(100, "d1", {"s": "click"}, 10))
    # -> ...     engine.process_blocks(10)
    # -> ...     engine.stats()["played"]
    # -> 1
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from synths.engine import Engine, Resolver, default_resolver
from synths.errors import EngineError, SynthError
from synths.events import NoteEvent, ParamEvent, prepare_note
from synths.instruments._sources import warm_tables
from synths.live_input import TakeState

__all__ = ["EngineProcess"]

_NO_REPLY = "no-reply"

FAST = frozenset({"now", "clock", "schedule", "schedule_many", "set_param", "retract", "panic"})
"""The calls that cross the second pipe, served at once by their own thread in the child."""


def _child_main(conn: Connection, fast: Connection, backend: str, options: dict[str, Any]) -> None:
    """Entry point of the engine process: boot, then serve commands until `close` (the `FAST`
    ones on their own pipe and thread). A fatal signal (a crash in pyo or the audio libraries)
    writes every thread's Python stack to the child's stderr (the engine log, with `livecode
    repl`/`play`) before the process dies, so a lost engine leaves a trace."""
    faulthandler.enable(all_threads=True)
    sys.setswitchinterval(0.0005)
    try:
        engine = Engine(backend, **options).boot()
        if engine.metering:
            _warm_meters()
        warm_tables(booted=True)
        engine.start()
    except BaseException as exc:  # noqa: BLE001 - report every boot failure to the parent
        conn.send(("err", exc if isinstance(exc, SynthError) else EngineError(f"engine boot: {exc!r}")))
        return
    gc.collect()
    gc.freeze()
    engine.defer_growth = engine.backend not in ("manual", "offline")
    threading.Thread(target=_serve_fast, args=(fast, engine), name="livecode-engine-fast", daemon=True).start()
    conn.send(("ok", {"sample_rate": engine.sample_rate, "block_size": engine.block_size,
                      "backend": engine.backend, "pid": os.getpid()}))
    try:
        _serve(conn, engine)
    finally:
        engine.close()


def _warm_meters() -> None:
    """Import what the live loudness meter uses before audio starts: importing `scipy.signal`
    (~1 s) on the first `stats()` would hold the GIL against the audio callback mid-set."""
    import scipy.signal  # noqa: F401, PLC0415


def _serve(conn: Connection, engine: Engine) -> None:
    """Serve commands; between them, sleep on the pipe and the engine's wake descriptor (no
    polling), and run `engine.service()` when the audio callback asks (a track to rebuild)."""
    wake = engine.wake_fd()
    while True:
        # retired pyo objects are freed a few at a time between commands (`Engine.reap`)
        ready = multiprocessing.connection.wait([conn, wake], timeout=engine.reap_pause())
        if not ready:
            engine.reap()
            continue
        if wake in ready:
            _drain(wake)
            engine.service()
            if conn not in ready:
                continue
        done = _answer(conn, lambda method, args, kwargs: _command(engine, method, args, kwargs))
        if done is None or done == "close":
            return


def _command(engine: Engine, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """One call of the main pipe."""
    result = getattr(engine, method)(*args, **kwargs)
    if method in ("add_track", "set_chain"):
        gc.collect(0)          # the young garbage only: a full collection holds the GIL
        gc.freeze()            # for ~10 ms, two blocks; what setup made is kept for good
    return result


def _serve_fast(conn: Connection, engine: Engine) -> None:
    """Serve the `FAST` calls as they come (a thread of the child, blocked on its pipe)."""
    while _answer(conn, lambda method, args, kwargs: _fast_call(engine, method, args, kwargs)) is not None:
        pass


def _fast_call(engine: Engine, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """One call of the fast pipe (only the `FAST` ones)."""
    if method not in FAST:
        raise EngineError(f"{method}: not a call for the fast pipe")
    return getattr(engine, method)(*args, **kwargs)


def _answer(conn: Connection, call: Callable[[str, tuple[Any, ...], dict[str, Any]], Any]) -> str | None:
    """Take one call from `conn`, run it with `call`, send the answer when one is wanted. Returns
    the method's name when it succeeded, "" when it raised (the caller gets the error), None when
    the pipe closed."""
    try:
        method, args, kwargs, reply = conn.recv()
    except (EOFError, OSError):
        return None
    try:
        result = call(method, args, kwargs)
    except Exception as exc:  # noqa: BLE001 - forwarded to the caller
        if reply:
            conn.send(("err", _forwarded(method, exc)))
        return ""
    if reply:
        conn.send(("ok", result))
    return str(method)


def _forwarded(method: str, exc: Exception) -> SynthError:
    """What the caller gets for `exc` raised by `method` in the child: a `SynthError` as it is,
    anything else as an `EngineError` with the child's traceback."""
    if isinstance(exc, SynthError):
        return exc
    return EngineError(f"{method}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")


def _drain(fd: int) -> None:
    """Empty a non-blocking wake pipe."""
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


class EngineProcess:
    """An `Engine` running in a child process; same methods, same errors.

    Options are those of `Engine` (`sample_rate`, `block_size`, `polyphony`, `seed`,
    `jackname`, `resolver` — a module-level function, as it is pickled).
    """

    def __init__(self, backend: str = "auto", *, timeout: float = 10.0, **options: Any) -> None:
        self.backend = backend
        self.timeout = timeout
        self._options = options
        self._resolver: Resolver = options.get("resolver") or default_resolver
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._fast: Connection | None = None
        self._info: dict[str, Any] = {}

    # ------------------------------------------------------------------ plumbing
    def boot(self) -> EngineProcess:
        """Start the child process and wait until its engine runs."""
        if self._proc is not None:
            return self
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        fast_parent, fast_child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_child_main, args=(child, fast_child, self.backend, self._options), name="livecode-engine",
            daemon=True,
        )
        self._proc.start()
        child.close()
        fast_child.close()
        self._conn, self._fast = parent, fast_parent
        self._info = self._wait("boot", self.timeout + 20.0)
        self.backend = self._info["backend"]
        return self

    def _wait(self, what: str, timeout: float, conn: Connection | None = None) -> Any:
        conn, proc = conn or self._conn, self._proc
        if conn is None or proc is None:
            raise EngineError(f"{what}: the engine process is not running; call boot() first")
        waited = 0.0
        while not conn.poll(0.05):
            waited += 0.05
            if not proc.is_alive():
                self._dead(f"{what}: the engine process died (exit code {proc.exitcode})")
            if waited >= timeout:
                raise EngineError(f"{what}: the engine process did not answer within {timeout} s")
        try:
            status, value = conn.recv()
        except (EOFError, OSError):
            proc.join(timeout=1.0)
            self._dead(f"{what}: the engine process died (exit code {proc.exitcode})")
        if status == "err":
            raise value
        return value

    def _dead(self, message: str) -> None:
        self._conn = self._fast = None
        raise EngineError(message)

    def _send(self, method: str, *args: Any, reply: bool = True, **kwargs: Any) -> Any:
        fast = method in FAST and self.backend not in ("manual", "offline")   # those keep one order
        conn, proc = (self._fast if fast else self._conn), self._proc
        if conn is None or proc is None:
            raise EngineError(f"{method}: the engine process is not running; call boot() first")
        if not proc.is_alive():
            self._dead(f"{method}: the engine process died (exit code {proc.exitcode})")
        try:
            conn.send((method, args, kwargs, reply))
        except (BrokenPipeError, OSError) as exc:
            self._dead(f"{method}: lost the engine process ({exc})")
        return self._wait(method, self.timeout, conn) if reply else None

    @property
    def pid(self) -> int | None:
        """The child's process id."""
        return self._proc.pid if self._proc is not None else None

    @property
    def alive(self) -> bool:
        """True while the child runs."""
        return self._proc is not None and self._proc.is_alive()

    # ------------------------------------------------------------------ the Engine API
    def start(self) -> None:
        """Start computing audio (the child starts its engine at boot; this is idempotent)."""
        self._send("start")

    def stop(self) -> None:
        """Stop computing audio."""
        self._send("stop")

    def close(self) -> None:
        """Close the engine and wait for the child to exit (kill it if it hangs)."""
        proc = self._proc
        if proc is None:
            return
        try:
            if self._conn is not None and proc.is_alive():
                self._send("close")
        except EngineError:
            pass
        proc.join(timeout=5.0)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5.0)
        for conn in (self._conn, self._fast):
            if conn is not None:
                conn.close()
        self._proc, self._conn, self._fast = None, None, None

    def __enter__(self) -> EngineProcess:
        return self.boot()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sample_rate(self) -> int:
        """The sample rate the child's backend runs at."""
        return int(self._info["sample_rate"])

    @property
    def block_size(self) -> int:
        """The block size the child's backend uses."""
        return int(self._info["block_size"])

    def now(self) -> int:
        """The child engine's sample clock (frames computed)."""
        return int(self._send("now"))

    def clock(self) -> tuple[int, int | None]:
        """The child's frames and its engine-to-JACK frame offset (`Engine.clock`)."""
        frames, offset = self._send("clock")
        return int(frames), None if offset is None else int(offset)

    def add_track(self, name: str, instruments: Iterable[str] = (), *, polyphony: int | None = None) -> None:
        """Create a track and its voice pools in the child."""
        self._send("add_track", name, list(instruments), polyphony=polyphony)

    def remove_track(self, name: str) -> None:
        """Remove a track in the child."""
        self._send("remove_track", name)

    def schedule(self, event: NoteEvent | ParamEvent) -> None:
        """Validate here, then queue in the child without waiting."""
        if isinstance(event, NoteEvent):
            prepare_note(event, self._resolver, self.sample_rate)
        self._send("schedule", event, reply=False)

    def schedule_many(self, events: Iterable[NoteEvent | ParamEvent]) -> None:
        """Validate all, then queue them in the child with one message."""
        items = list(events)
        for event in items:
            if isinstance(event, NoteEvent):
                prepare_note(event, self._resolver, self.sample_rate)
        self._send("schedule_many", items, reply=False)

    def set_param(self, track: str, path: str, value: float, time: int | None = None) -> None:
        """Set a mixer/effect parameter at a sample time (None: next block)."""
        ParamEvent(time, track, path, value)
        self._send("set_param", track, path, value, time, reply=False)

    def retract(self, start: int) -> None:
        """Forget what was scheduled for frame `start` or later (`Engine.retract`), in order
        with the notes around it (the fast pipe)."""
        self._send("retract", int(start), reply=False)

    def set_chain(self, track: str, specs: Sequence[Mapping[str, Any]]) -> None:
        """Replace a track's effect chain in the child."""
        self._send("set_chain", track, [dict(spec) for spec in specs])

    def stats(self) -> dict[str, Any]:
        """The child's stats: cpu, xruns, late, meters ...; EngineError if the child or JACK died."""
        return dict(self._send("stats"))

    def panic(self) -> None:
        """Drop pending notes and fade out every voice."""
        self._send("panic")

    def record_start(
        self, path: str | os.PathLike[str], *, stems: str | os.PathLike[str] | None = None,
        sample_format: str | int = "int24",
    ) -> None:
        """Record the master (and stems) in the child to WAV files valid at every moment."""
        self._send("record_start", str(path), stems=None if stems is None else str(stems),
                   sample_format=sample_format)

    def record_stop(self) -> dict[str, Path]:
        """Finish the recording; the written paths by name."""
        return dict(self._send("record_stop"))

    def process_blocks(self, count: int) -> None:
        """Compute `count` blocks in the child (manual/offline backends)."""
        self._send("process_blocks", count)

    def load_samples(self, path: str | os.PathLike[str]) -> list[str]:
        """Register sample kits here (for validation) and in the child; returns the kit names."""
        from synths.instruments import load_sample_folder  # noqa: PLC0415

        load_sample_folder(Path(path))
        return list(self._send("load_samples", str(path)))

    def set_tempo(self, bpm: float) -> None:
        """Tell tempo-synced effects the new tempo."""
        self._send("set_tempo", bpm)

    def master_latency(self) -> int:
        """Frames the master bus delays its output."""
        return int(self._send("master_latency"))

    def tracks(self) -> list[str]:
        """Track names in the child."""
        return list(self._send("tracks"))

    def describe(self) -> dict[str, dict[str, list[str]]]:
        """Per track in the child: its instruments' names and its effects' kinds."""
        return dict(self._send("describe"))

    def record_take(self, path: str | os.PathLike[str], first: int, last: int | None = None, *,
                    channels: Sequence[int] = (1,), sample_format: str = "float32") -> str:
        """Record the dry input into `path` from input frame `first` to `last` (see `Engine`)."""
        return str(self._send("record_take", str(path), first, last, channels=tuple(channels),
                              sample_format=sample_format))

    def stop_take(self, last: int | None = None) -> TakeState | None:
        """Punch the take out at input frame `last` (None: now)."""
        return self._send("stop_take", last)  # type: ignore[no-any-return]

    def take_state(self) -> TakeState | None:
        """The current (or last) take recording's state."""
        return self._send("take_state")  # type: ignore[no-any-return]

    def input_latency(self) -> dict[str, int]:
        """The round trip from a timeline frame to the input, and its parts (see `Engine`)."""
        return dict(self._send("input_latency"))
