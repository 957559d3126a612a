"""Run the render jobs (in this process or a pool of worker processes) and gather the stems.

`render_stems(set_path, jobs, folder, bars, workers=2)` renders every job, then gathers the jobs'
32-bit float stems as one `Stems`: each track's stem, and each bus return per bus group
(`fx-reverb.rest`, `fx-reverb.lead_vocal`; the returns of jobs of one group summed), all padded
with silence to the longest, so every stem is sample-aligned and of equal length. Their sum is
the pre-master mix. The samples stay in the jobs' files until a worker reads them (`StemFile`).

Worker processes come from a `forkserver` pool whose server has imported the engine but booted
no pyo server (pyo allows one server per process; every job boots its own). A job renders the
same bytes wherever it runs: `workers=1` and `workers=2` give equal stems (tests compare them).

>>> Stems(48000, 4, {"d1": StemFile((), 4)}, {}, {"d1": "drums"}).mix().shape
(4, 2)
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Self, TypeVar

import numpy as np

from livecode.errors import PackageInterrupted
from livecode.interrupt import StopCheck
from livecode.package.jobs import Job, JobResult, JobSpec, costliest_first, run_job

__all__ = ["Stems", "StemFile", "Workers", "render_stems", "run_all", "gather", "default_workers", "SILENT_PEAK",
           "RING_OUT_KEEP"]

SILENT_PEAK = 1e-6
"""A stem whose peak stays under this (-120 dBFS) never sounds: it is not written."""

RING_OUT_KEEP = 0.25
"""Seconds a package whose tails ring out (no fixed `tail`) keeps after the last sample of any
stem at or above `livecode.limits.SILENCE_DBFS` (-80 dBFS): a render rings out until every file
stayed below it for a second, which the delivered files need not carry (their QC would count it,
with the decay before it, as silence at the tail)."""

_PRELOAD = ["livecode.package.jobs", "synths.engine", "synths.mastering.offline", "synths.qc", "synths.formats",
            "scipy.signal", "soundfile", "matplotlib.figure", "matplotlib.backends.backend_agg"]
"""Imported once by the fork server, so no worker pays for them (scipy.signal, soundfile and
matplotlib are imported lazily by the QC and the file formats: ~1.5 s of CPU in every worker
otherwise; the QC no longer uses pyloudnorm)."""

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The worker processes a package uses: the CPUs this process may run on (at most 8)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:                      # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(8, cpus))


class Workers:
    """A pool of worker processes (or none: `count` 1 runs everything in this process), opened
    once per package and used for the render jobs and then for mastering and QC.

    `stop` (`livecode.interrupt.StopCheck`) is asked between items and while waiting for the
    pool (10 times a second): at a signal, what is queued is cancelled, the items running finish
    (a worker ignores SIGINT: Ctrl-C in a terminal reaches the whole process group, and only this
    process decides) and `PackageInterrupted` is raised.

    >>> with Workers(1) as workers:
    ...     workers.map(abs, [-1, 2])
    [1, 2]
    """

    def __init__(self, count: int, stop: StopCheck | None = None) -> None:
        self.count = max(1, count)
        self._stop = stop
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._booting: threading.Thread | None = None
        self._ready = threading.Event()

    def __enter__(self) -> Self:
        if self.count > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _start_fork_server()
            self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=self.count, mp_context=context,
                                                                initializer=_ignore_interrupts)
            # the fork server imports _PRELOAD (~1.3 s) before the first worker exists, and the
            # first submit waits for it: start it now, beside whatever this process does next
            self._booting = threading.Thread(target=self._boot, args=(self._pool,), name="livecode-workers-boot",
                                             daemon=True)
            self._booting.start()
        else:
            self._ready.set()
        return self

    def _boot(self, pool: concurrent.futures.ProcessPoolExecutor) -> None:
        try:
            pool.submit(os.getpid).result()
        except (concurrent.futures.BrokenExecutor, RuntimeError, EOFError, OSError):
            pass                                # the next submit raises it where it is handled
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        """True once the worker processes can take work (always, without a pool)."""
        return self._ready.is_set()

    def wait_ready(self) -> None:
        """Block until the worker processes can take work."""
        self._ready.wait()

    def check(self) -> None:
        """Raise `PackageInterrupted` if a signal asked to stop."""
        signum = self._stop() if self._stop is not None else None
        if signum is not None:
            raise PackageInterrupted("interrupted", signum)

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._booting is not None:
            self._booting.join()
            self._booting = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=kind is not None)   # the running items finish
            self._pool = None

    def wait(self, futures: Iterable[concurrent.futures.Future[R]], *, first: bool = False
             ) -> set[concurrent.futures.Future[R]]:
        """Wait for every future (`first`: for the first to finish), asking `stop` meanwhile;
        returns the finished ones."""
        pending = set(futures)
        when = concurrent.futures.FIRST_COMPLETED if first else concurrent.futures.ALL_COMPLETED
        while True:
            done, left = concurrent.futures.wait(pending, timeout=_POLL_SECONDS, return_when=when)
            self.check()
            if not left or (first and done):
                return done

    def map(self, call: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """`[call(item) for item in items]`, spread over the pool (results in order); `call` must
        be a module-level function."""
        if self._pool is None or len(items) <= 1:
            return [self._here(call, item) for item in items]
        futures = [self._pool.submit(call, item) for item in items]
        self.wait(futures)
        return [future.result() for future in futures]

    def _here(self, call: Callable[[T], R], item: T) -> R:
        self.check()
        return call(item)

    def share(self, call: Callable[[T], R], items: Sequence[T], here: Callable[[T], R] | None = None) -> list[R]:
        """`[call(item) for item in items]`, taken in order (put the biggest first): while the
        pool's processes are still starting (its fork server imports for ~1.3 s), this process
        runs items itself (with `here` when given: e.g. `call` that also stops at a signal);
        then the pool takes the rest, `count` at a time. `call` must be a module-level function.

        >>> with Workers(1) as workers:
        ...     workers.share(abs, [-3, -2, -1])
        [3, 2, 1]
        """
        local = here or call
        if self._pool is None or len(items) <= 1:
            return [self._here(local, item) for item in items]
        return _Share(self, self._pool, call, local, items).run()

    def chain(self, call: Callable[[T], R], first: T, follow: Callable[[R], Sequence[T]],
              background: Sequence[T]) -> tuple[list[R], list[R]]:
        """`call(first)`, then `call` on each item `follow` returns for a chained call's result
        (what follows `first`, what follows those, ...: `follow` returns [] to end a branch),
        and `call` on each of `background` in the gaps: at most `count` calls at a time, chained
        items before background ones as soon as a worker is free, in the order they were added
        (so the chain's critical path waits for at most one background call). Returns (the
        chained results in the order their calls were handed out: with several calls running,
        the one that ends first adds its items first; the background's results in order).

        >>> with Workers(1) as workers:
        ...     workers.chain(abs, -2, lambda r: [-r * 3, -r * 4] if r < 5 else [], [-5])
        ([2, 6, 8], [5])
        """
        if self._pool is None:
            chained: list[R] = []
            queue = collections.deque([first])
            while queue:
                chained.append(self._here(call, queue.popleft()))
                queue.extend(follow(chained[-1]))
            return chained, [self._here(call, item) for item in background]
        return _Chain(self, self._pool, call).run(first, follow, background)


_POLL_SECONDS = 0.1
"""How often a wait for the pool asks whether a signal came."""


def _start_fork_server() -> None:
    """Start the fork server (its imports run in the background) with SIGINT ignored, so a
    Ctrl-C during its imports does not print a traceback from it; its workers inherit that.
    Signal handlers can only be changed from the main thread: elsewhere it starts as it is."""
    import multiprocessing.forkserver  # noqa: PLC0415 - only where a pool is opened

    if threading.current_thread() is not threading.main_thread():
        multiprocessing.forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _ignore_interrupts() -> None:
    """A worker's initializer: SIGINT is the package's process to handle (see `Workers`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Share(Generic[T, R]):
    """`Workers.share`: this process takes items while the pool starts; a thread hands the
    rest to the pool once it is ready."""

    def __init__(self, workers: Workers, pool: concurrent.futures.ProcessPoolExecutor, call: Callable[[T], R],
                 here: Callable[[T], R], items: Sequence[T]) -> None:
        self._workers, self._pool, self._call, self._here, self._items = workers, pool, call, here, items
        self._pending = collections.deque(range(len(items)))
        self._lock = threading.Lock()
        self._futures: dict[int, concurrent.futures.Future[R]] = {}
        self._failure: BaseException | None = None

    def _next(self) -> int | None:
        with self._lock:
            return self._pending.popleft() if self._pending else None

    def _feed(self) -> None:
        self._workers.wait_ready()
        try:
            while (index := self._next()) is not None:
                self._futures[index] = self._pool.submit(self._call, self._items[index])
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread in run()
            self._failure = error

    def run(self) -> list[R]:
        feeder = threading.Thread(target=self._feed, name="livecode-workers-feed", daemon=True)
        feeder.start()
        mine: dict[int, R] = {}
        try:
            while not self._workers.ready and (index := self._next()) is not None:
                self._workers.check()
                mine[index] = self._here(self._items[index])
            feeder.join()
            if self._failure is not None:
                raise self._failure
            self._workers.wait(self._futures.values())
        except BaseException:
            with self._lock:
                self._pending.clear()         # stop feeding; what was submitted ends in the pool
            raise
        finally:
            feeder.join()
        return [mine[i] if i in mine else self._futures[i].result() for i in range(len(self._items))]


class _Chain(Generic[T, R]):
    """`Workers.chain` on a process pool: keeps `count` calls in flight, the chained first."""

    def __init__(self, workers: Workers, pool: concurrent.futures.ProcessPoolExecutor, call: Callable[[T], R]) -> None:
        self._workers, self._pool, self._count, self._call = workers, pool, workers.count, call
        self._urgent: collections.deque[tuple[bool, int, T]] = collections.deque()
        self._background: collections.deque[tuple[bool, int, T]] = collections.deque()
        self._running: dict[concurrent.futures.Future[R], tuple[bool, int]] = {}
        self._added = 0

    def _add_chained(self, items: Sequence[T]) -> None:
        for item in items:
            self._urgent.append((True, self._added, item))
            self._added += 1

    def run(self, first: T, follow: Callable[[R], Sequence[T]], background: Sequence[T]) -> tuple[list[R], list[R]]:
        self._add_chained([first])
        self._background.extend((False, index, item) for index, item in enumerate(background))
        results: dict[bool, dict[int, R]] = {True: {}, False: {}}
        while self._urgent or self._background or self._running:
            self._fill()
            for future in self._workers.wait(self._running, first=True):
                chained, index = self._running.pop(future)
                results[chained][index] = future.result()
                if chained:
                    self._add_chained(follow(results[chained][index]))
        return ([results[True][i] for i in sorted(results[True])],
                [results[False][i] for i in sorted(results[False])])

    def _fill(self) -> None:
        while len(self._running) < self._count and (self._urgent or self._background):
            chained, index, item = (self._urgent or self._background).popleft()
            self._running[self._pool.submit(self._call, item)] = (chained, index)


def run_all(call: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`[call(item) for item in items]` in a pool of `workers` processes opened for this call."""
    with Workers(workers) as pool:
        return pool.map(call, items)


@dataclass(frozen=True)
class StemFile:
    """One stem as the render jobs left it: the float WAV(s) it reads (more than one for a bus
    return of a split bus group, summed in float64) and the length every stem is padded to.
    Small and picklable: a worker reads the samples itself (`load`, mapped from the file), so
    no stem's samples cross a process boundary.

    >>> StemFile((), 3).load().shape
    (3, 2)
    """

    paths: tuple[str, ...]
    frames: int

    def samples(self) -> np.ndarray:
        """The samples as written, not padded: float32 mapped from a single file, a float64 sum
        of several (each padded to the longest of them)."""
        parts = [_read_float_stem(path) for path in self.paths]
        if len(parts) <= 1:
            return parts[0] if parts else np.zeros((0, 2), dtype=np.float32)
        total = parts[0].astype(np.float64)
        for data in parts[1:]:
            frames = max(total.shape[0], data.shape[0])
            total = _fit(total, frames) + _fit(data, frames)
        return total

    def load(self) -> np.ndarray:
        """The samples padded with silence, or cut, to `frames`."""
        return _fit(self.samples(), self.frames)


@dataclass
class Stems:
    """Aligned stems by name, and what each one is. Each stem stays in the float file its job
    wrote (`StemFile`: mapped, not copied, when read; the jobs' stems are float32, sums and
    gains are taken in float64 by `variant_mix`)."""

    sample_rate: int
    frames: int
    """The length every stem has: the longest job's, or less when the tails rang out
    (`RING_OUT_KEEP`: `cut` frames of silence left out)."""
    tracks: dict[str, StemFile]
    returns: dict[str, StemFile]
    """Bus returns by `fx-<bus>.<group>` (group: `rest`, `lead_vocal`, `backing_vocal`, or a
    `+`-joined set when a sidechain tied groups)."""
    roles: dict[str, str]
    silent: list[str] = field(default_factory=list)
    """Stems that never sounded (not kept)."""
    late_events: int = 0
    cpu_seconds: float = 0.0
    """CPU time of the render jobs, summed over the processes that ran them."""
    job_cpu_seconds: list[float] = field(default_factory=list)
    """Each job's CPU time (the longest is the stems' critical path on free cores)."""
    worker_cpu_seconds: float = 0.0
    """The CPU time of the jobs other processes ran (the rest is in this process's own)."""
    cut: int = 0
    """Frames of the longest job's files left out after the ring-out (all below -80 dBFS)."""

    def files(self) -> dict[str, StemFile]:
        """Tracks then returns, by name."""
        return {**self.tracks, **self.returns}

    def all(self) -> dict[str, np.ndarray]:
        """Tracks then returns, by name, read and padded (or cut) to `frames`."""
        return {name: stem.load() for name, stem in self.files().items()}

    def mix(self) -> np.ndarray:
        """The pre-master mix: the sum of every stem."""
        total = np.zeros((self.frames, 2))
        for stem in self.files().values():
            data = stem.samples()[:self.frames]
            total[:data.shape[0]] += data
        return total


def _fit(data: np.ndarray, frames: int) -> np.ndarray:
    """`data` cut to `frames`, or padded with silence to it."""
    if data.shape[0] >= frames:
        return data[:frames]
    return np.concatenate([data, np.zeros((frames - data.shape[0], data.shape[1]), dtype=data.dtype)])


def _read_float_stem(path: str) -> np.ndarray:
    from synths.formats import map_float_wav  # noqa: PLC0415 - livecode imports synths lazily

    return _stereo(map_float_wav(path))


def _stereo(data: np.ndarray) -> np.ndarray:
    return data if data.shape[1] == 2 else np.repeat(data[:, :1], 2, axis=1)


def gather(results: Sequence[JobResult], roles: dict[str, str], sample_rate: int, keep: int | None = None) -> Stems:
    """The jobs' files as aligned `Stems` (silent stems left out and named), from what each job
    measured of its files (`JobResult.peaks`, `frames`, `last_sound`): no sample is read here.
    With `keep` (frames), the stems end that long after the latest sound of any job (when
    sooner than the longest job's files): the tails rang out into silence."""
    tracks: dict[str, list[str]] = {}
    returns: dict[str, list[str]] = {}
    peaks: dict[str, float] = {}
    for result in results:
        for name in result.job.tracks:
            if name in result.stems:
                tracks[name] = [result.stems[name]]
                peaks[name] = result.peaks[name]
        for bus, path in result.returns.items():
            key = f"{bus}.{result.job.group}"
            returns.setdefault(key, []).append(path)     # a split group's returns: summed
            peaks[key] = max(peaks.get(key, 0.0), result.peaks[bus])
    longest = max((result.frames for result in results), default=0)
    frames = longest if keep is None else min(longest, max((r.last_sound for r in results), default=0) + keep)
    silent = [name for name, peak in peaks.items() if not peak > SILENT_PEAK]
    silent += [name for name in roles if name not in tracks]
    from synths.mixer import BUSES  # noqa: PLC0415 - livecode imports synths lazily

    groups = {result.job.group for result in results}
    silent += [f"fx-{bus}.{group}" for bus in BUSES for group in sorted(groups) if f"fx-{bus}.{group}" not in returns]
    order = [name for name in roles if name in tracks and name not in silent]
    return Stems(
        sample_rate, frames,
        {name: StemFile(tuple(tracks[name]), frames) for name in order},
        {name: StemFile(tuple(returns[name]), frames) for name in sorted(returns) if name not in silent},
        dict(roles), sorted(set(silent)), sum(r.late_events for r in results),
        sum(r.cpu_seconds for r in results), [round(r.cpu_seconds, 2) for r in results],
        sum(r.cpu_seconds for r in results if r.pid != os.getpid()), longest - frames,
    )


def render_stems(set_path: Path, jobs: Sequence[Job], folder: Path, bars: float, roles: dict[str, str], *,
                 workers: int | Workers = 1, sample_rate: int = 48000, block: int = 256,
                 tail: float | None = None, pool_sizes: Mapping[str, int] | None = None,
                 sounding: Mapping[str, float] | None = None, stop: StopCheck | None = None) -> Stems:
    """Render every job into `folder/job-N/` (in a pool of `workers` processes, or the `Workers`
    given) and gather the stems. The costliest jobs are handed out first (`costliest_first`, from
    `sounding`: the seconds each track's voices sound), so this process, which renders while the
    pool starts, takes the longest. `pool_sizes`: the voices of each track's pools
    (`livecode.poolfit`; None: full pools). `stop`: a job rendering in this process stops at a
    signal (`RenderInterrupted`). Without a fixed `tail` the tails ring out, and the stems end
    `RING_OUT_KEEP` seconds after the last sound (`gather`)."""
    sizes = dict(pool_sizes or {})
    load = dict(sounding or {})
    specs = [JobSpec(str(set_path), job, str(folder / f"job-{i}"), bars, sample_rate, block, tail, sizes)
             for i, job in enumerate(jobs)]
    order = costliest_first(jobs, load)
    here = functools.partial(run_job, stop=stop)
    if isinstance(workers, Workers):
        done = workers.share(run_job, [specs[i] for i in order], here)
    else:
        with Workers(workers, stop) as pool:
            done = pool.share(run_job, [specs[i] for i in order], here)
    results = [result for _, result in sorted(zip(order, done, strict=True))]
    return gather(results, roles, sample_rate, None if tail is not None else round(RING_OUT_KEEP * sample_rate))
