"""The audio engine as livecode sees it: a typed protocol, the options it boots with, one lock.

`AudioEngine` is every engine call livecode makes (the outputs, the engine mirror, the session):
`synths.engine.Engine` (in this process) and `synths.process.EngineProcess` (in a child) both
satisfy it. `ManualEngine` adds what an offline render drives: the mixer, and how far the
recording got. `EngineOptions` are the options `Session.create(engine_options=...)` hands over.

`LockedEngine` serialises every call into an engine process: an `EngineProcess` speaks over one
pipe, and the scheduler thread and the REPL thread both use it; the evaluation watchdog never
cuts such a call between request and reply (`livecode.watchdog.critical`).

>>> class Fake:                        # stands for an EngineProcess
...     sample_rate = 48000
...     def now(self): return 42
>>> engine = LockedEngine(Fake())
>>> engine.now(), engine.sample_rate
(42, 48000)
>>> sorted(EngineOptions.__optional_keys__)
['free_idle', 'inputs', 'jackname', 'metering', 'polyphony', 'pool_sizes', 'resolver', 'seed', 'sleep_idle']
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from livecode.watchdog import critical

if TYPE_CHECKING:
    from synths.engine import Resolver
    from synths.errors import RecordingWriteError
    from synths.events import NoteEvent, ParamEvent
    from synths.process import EngineProcess

__all__ = ["AudioEngine", "ManualEngine", "EngineOptions", "LockedEngine"]

PathLike = str | os.PathLike[str]


class EngineOptions(TypedDict, total=False):
    """What `Session.create(engine_options=...)` passes to the engine (see `synths.engine.Engine`)."""

    polyphony: int
    seed: int
    jackname: str
    resolver: Resolver
    sleep_idle: bool
    metering: bool | None
    inputs: int
    pool_sizes: Mapping[str, int]
    free_idle: bool


class AudioEngine(Protocol):
    """The engine calls livecode makes (docs/engine.md has their meaning)."""

    @property
    def sample_rate(self) -> int: ...

    @property
    def block_size(self) -> int: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...

    def now(self) -> int: ...

    def clock(self) -> tuple[int, int | None]: ...

    def process_blocks(self, count: int) -> None: ...

    def add_track(self, name: str, instruments: Iterable[str] = (), *, polyphony: int | None = None) -> None: ...

    def schedule(self, event: NoteEvent | ParamEvent) -> None: ...

    def schedule_many(self, events: Iterable[NoteEvent | ParamEvent]) -> None: ...

    def set_param(self, track: str, path: str, value: float, time: int | None = None) -> None: ...

    def retract(self, start: int) -> None: ...

    def set_chain(self, track: str, specs: Sequence[Mapping[str, Any]]) -> None: ...

    def set_tempo(self, bpm: float) -> None: ...

    def panic(self) -> None: ...

    def stats(self) -> dict[str, Any]: ...

    def record_start(self, path: PathLike, *, stems: PathLike | None = None,
                     sample_format: str | int = "int24") -> None: ...

    def record_stop(self) -> dict[str, Path]: ...

    def load_samples(self, path: PathLike) -> list[str]: ...

    def describe(self) -> dict[str, dict[str, list[str]]]: ...


class ManualEngine(AudioEngine, Protocol):
    """An in-process engine an offline render drives (`synths.engine.Engine` in manual mode)."""

    @property
    def mixer(self) -> Any: ...

    def record_start(self, path: PathLike, *, stems: PathLike | None = None,
                     sample_format: str | int = "int24", silence_dbfs: float = -80.0) -> None: ...

    def recorded_frames(self) -> int: ...

    def recorded_silence(self) -> int: ...

    def record_error(self) -> RecordingWriteError | None: ...


class LockedEngine:
    """An engine process whose every call holds a lock, and is never cut by the watchdog. The
    scheduler's calls (the clock, notes, parameters, panic: `synths.process.FAST`, a pipe of
    their own) hold a second lock, so they never wait behind a track being built."""

    def __init__(self, engine: EngineProcess) -> None:
        self.inner = engine
        self._lock = threading.RLock()
        self._fast_lock = threading.RLock()

    @property
    def pid(self) -> int | None:
        """The engine process's id."""
        return self.inner.pid

    @property
    def sample_rate(self) -> int:
        """The sample rate the engine runs at."""
        return self.inner.sample_rate

    @property
    def block_size(self) -> int:
        """The block size the engine uses (JACK imposes its own)."""
        return self.inner.block_size

    def start(self) -> None:
        """Start computing audio."""
        with critical(), self._lock:
            self.inner.start()

    def stop(self) -> None:
        """Stop computing audio."""
        with critical(), self._lock:
            self.inner.stop()

    def close(self) -> None:
        """Close the engine (and its process)."""
        with critical(), self._lock:
            self.inner.close()

    def now(self) -> int:
        """The engine's sample clock."""
        with critical(), self._fast_lock:
            return self.inner.now()

    def clock(self) -> tuple[int, int | None]:
        """The engine's frames and its engine-to-JACK frame offset."""
        with critical(), self._fast_lock:
            return self.inner.clock()

    def process_blocks(self, count: int) -> None:
        """Compute `count` blocks (manual and offline backends)."""
        with critical(), self._lock:
            self.inner.process_blocks(count)

    def add_track(self, name: str, instruments: Iterable[str] = (), *, polyphony: int | None = None) -> None:
        """Create a track and the voice pools of `instruments`."""
        with critical(), self._lock:
            self.inner.add_track(name, instruments, polyphony=polyphony)

    def schedule(self, event: NoteEvent | ParamEvent) -> None:
        """Queue one event."""
        with critical(), self._fast_lock:
            self.inner.schedule(event)

    def schedule_many(self, events: Iterable[NoteEvent | ParamEvent]) -> None:
        """Queue several events."""
        with critical(), self._fast_lock:
            self.inner.schedule_many(events)

    def set_param(self, track: str, path: str, value: float, time: int | None = None) -> None:
        """A (timed) mixer or effect parameter change."""
        with critical(), self._fast_lock:
            self.inner.set_param(track, path, value, time)

    def set_chain(self, track: str, specs: Sequence[Mapping[str, Any]]) -> None:
        """Replace a track's effect chain."""
        with critical(), self._lock:
            self.inner.set_chain(track, specs)

    def set_tempo(self, bpm: float) -> None:
        """Tell tempo-synced effects the tempo."""
        with critical(), self._lock:
            self.inner.set_tempo(bpm)

    def retract(self, start: int) -> None:
        """Forget what was scheduled for frame `start` or later."""
        with critical(), self._fast_lock:
            self.inner.retract(start)

    def panic(self) -> None:
        """Drop pending notes and fade out every voice."""
        with critical(), self._fast_lock:
            self.inner.panic()

    def stats(self) -> dict[str, Any]:
        """CPU, xruns, late events, meters ..."""
        with critical(), self._lock:
            return self.inner.stats()

    def record_start(self, path: PathLike, *, stems: PathLike | None = None,
                     sample_format: str | int = "int24") -> None:
        """Record the master (and stems) to WAV files valid at every moment."""
        with critical(), self._lock:
            self.inner.record_start(path, stems=stems, sample_format=sample_format)

    def record_stop(self) -> dict[str, Path]:
        """Finish the recording; the written paths by name."""
        with critical(), self._lock:
            return self.inner.record_stop()

    def load_samples(self, path: PathLike) -> list[str]:
        """Register the sample kits under `path`."""
        with critical(), self._lock:
            return self.inner.load_samples(path)

    def describe(self) -> dict[str, dict[str, list[str]]]:
        """Per track: its instruments' names and its effects' kinds."""
        with critical(), self._lock:
            return self.inner.describe()

    def record_take(self, path: PathLike, first: int, last: int | None = None, *,
                    channels: Sequence[int] = (1,), sample_format: str = "float32") -> str:
        """Record the dry input into `path` from input frame `first` to `last` (docs/takes.md)."""
        with critical(), self._lock:
            return self.inner.record_take(path, first, last, channels=channels, sample_format=sample_format)

    def stop_take(self, last: int | None = None) -> Any:
        """Punch the take out at input frame `last` (None: now); its state."""
        with critical(), self._lock:
            return self.inner.stop_take(last)

    def take_state(self) -> Any:
        """The current (or last) take recording's state."""
        with critical(), self._lock:
            return self.inner.take_state()

    def input_latency(self) -> dict[str, int]:
        """The frames from a timeline frame to its echo at the input, and their parts."""
        with critical(), self._lock:
            return self.inner.input_latency()
