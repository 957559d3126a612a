"""Which tracks render together, and the render of one such job.

A package renders each track's DSP once. The tracks are split into *jobs*: each job loads the
set in a session of its own, keeps only its tracks, and renders them with a neutral master,
writing one stem per track plus its own send buses' returns (`fx-reverb.wav`, `fx-delay.wav`).
Because every job has its own buses, a bus return holds the sends of that job's tracks only:
the jobs are cut along the roles' *bus groups* (`lead_vocal`, `backing_vocal`, and the rest),
so the instrumental does not keep the vocals' reverb. Tracks tied by a sidechain (`duck`, an
effect's `key=`) render in one job (the key must sound where it is heard); when that ties
tracks of different bus groups the job's returns carry both groups (the report names them).

Jobs are independent and deterministic, and each builds only its own tracks (a voice's noise
is keyed by its track, instrument and slot, `synths.noise`, so a track sounds the same whatever
else was built), so they can run in any order, in one process or in a pool of worker processes,
with the stems of the one-process render, byte for byte.

>>> plan_jobs({"d1": "drums", "d2": "bass", "v": "lead_vocal"}, {"d2": ["d1"]})
(Job(group='lead_vocal', tracks=('v',)), Job(group='rest', tracks=('d1', 'd2')))
>>> plan_jobs({"d1": "drums", "d2": "bass", "d3": "music", "d4": "fx"}, {})
(Job(group='rest', tracks=('d1', 'd2')), Job(group='rest', tracks=('d3', 'd4')))
>>> bus_group("bass"), bus_group("backing_vocal")
('rest', 'backing_vocal')
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from livecode.interrupt import StopCheck
from livecode.limits import SILENCE_DBFS
from livecode.render import render_session
from livecode.session import Session
from livecode.tracks import Track

__all__ = ["Job", "JobSpec", "JobResult", "plan_jobs", "bus_group", "run_job", "sidechain_sources",
           "BUS_GROUPS", "SPLIT_SHARE", "JOB_VOICE_SECONDS", "estimated_cost",
           "costliest_first"]

BUS_GROUPS = ("lead_vocal", "backing_vocal", "rest")
"""Send-bus returns are kept apart for these groups of roles."""

SPLIT_SHARE = 0.5
"""A job holding more than this share of the set's tracks is split at its sidechain groups (the
K-pop example's 9 "rest" tracks: the kick with the 4 tracks it ducks, and the 4 others)."""

JOB_VOICE_SECONDS = 50.0
"""A job's fixed cost (engine boot, the set's load, recording) in seconds of one sounding voice:
fitted to the K-pop example's four jobs and the 16-track bench set's two on the 2-core VM (about
0.25 s fixed and 5.4 ms of CPU per voice-second: every job's CPU predicted within 15 %, and the
order of each set's jobs right)."""


def estimated_cost(job: Job, sounding: Mapping[str, float]) -> float:
    """A job's render cost in voice-seconds (`JOB_VOICE_SECONDS` plus the seconds its tracks'
    voices sound: `synths.render.NoteLoad.seconds`): what orders the jobs, the costliest first.

    >>> estimated_cost(Job("rest", ("d1", "d2")), {"d1": 30.0, "d2": 12.5})
    92.5
    """
    return JOB_VOICE_SECONDS + sum(sounding.get(name, 0.0) for name in job.tracks)


def costliest_first(jobs: Sequence[Job], sounding: Mapping[str, float]) -> list[int]:
    """The jobs' indices, the costliest first (`estimated_cost`; then the most tracks; then
    as planned): the order jobs are handed out in, so that the process that starts rendering
    before the pool is ready takes the longest one.

    >>> costliest_first([Job("rest", ("a", "b")), Job("rest", ("c",)), Job("v", ("d",))],
    ...                 {"a": 10.0, "b": 10.0, "c": 200.0})
    [1, 0, 2]
    """
    return sorted(range(len(jobs)), key=lambda i: (-estimated_cost(jobs[i], sounding), -len(jobs[i].tracks)))


def bus_group(role: str) -> str:
    """The bus group of a role: the two vocal roles have their own, every other role shares "rest"."""
    return role if role in ("lead_vocal", "backing_vocal") else "rest"


@dataclass(frozen=True)
class Job:
    """Tracks rendered together in one session; `group` names the bus group(s) of its returns."""

    group: str
    tracks: tuple[str, ...]


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker process needs to render one job (picklable)."""

    set_path: str
    job: Job
    out_dir: str
    bars: float
    sample_rate: int
    block: int
    tail: float | None
    pool_sizes: Mapping[str, int] = field(default_factory=dict)
    """Voices per instrument of each track (`livecode.poolfit`); the same in every job and in
    the one-process render, so a track's voices, and its bytes, are the same."""


@dataclass(frozen=True)
class JobResult:
    """What one job wrote: stems by track name, bus returns by bus name (`fx-reverb`)."""

    job: Job
    stems: dict[str, str]
    returns: dict[str, str]
    late_events: int
    cpu_seconds: float = 0.0
    """CPU time the job took in its process (for the benchmarks)."""
    frames: int = 0
    """The length of its files (the recorder ends every file of a render on the same frame)."""
    peaks: dict[str, float] = field(default_factory=dict)
    """Each file's sample peak, by the name in `stems` or `returns` (silent stems are not kept)."""
    pid: int = 0
    """The process that ran it."""
    last_sound: int = 0
    """The frame after the last sample of its files at or above `SILENCE_DBFS` (0: none is): a
    package that lets the tails ring out ends a little after the latest one (`stems.gather`)."""


def sidechain_sources(track: Track) -> list[str]:
    """The tracks `track`'s chain listens to (an effect's `key=`, the duck source)."""
    sources = [key for fx in track.effects if isinstance(key := fx.static_params().get("key"), str)]
    if track.duck_source is not None:
        sources.append(track.duck_source[0])
    return sources


def _components(names: Sequence[str], links: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tracks tied by sidechains, as groups in the order of `names`."""
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name, keys in links.items():
        for key in keys:
            if name in parent and key in parent:
                parent[root(name)] = root(key)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(root(name), []).append(name)
    return list(groups.values())


def plan_jobs(roles: Mapping[str, str], links: Mapping[str, Sequence[str]]) -> tuple[Job, ...]:
    """Cut the tracks (`roles`: name -> role, in set order) into jobs: one per bus group, the
    sidechain-tied tracks kept together; then, while a job holds more than `SPLIT_SHARE` of the
    set's tracks and more than one tied group, the biggest such job is split in two (same bus
    group: its returns are summed again), so that no job is the whole package's critical path.
    The plan depends on the set alone, not on the number of workers: one process or many
    render the same jobs, and write the same bytes. Sorted by group, deterministic."""
    names = list(roles)
    limit = len(names) * SPLIT_SHARE
    by_group: dict[str, list[list[str]]] = {}
    for component in _components(names, links):
        groups = sorted({bus_group(roles[name]) for name in component}, key=BUS_GROUPS.index)
        by_group.setdefault("+".join(groups), []).append(component)
    jobs: list[list[list[str]]] = [by_group[group] for group in sorted(by_group)]
    labels = sorted(by_group)
    while True:
        splittable = [i for i, job in enumerate(jobs) if len(job) > 1 and sum(len(c) for c in job) > limit]
        if not splittable:
            break
        index = max(splittable, key=lambda i: sum(len(c) for c in jobs[i]))
        job = jobs[index]
        half, count = sum(len(c) for c in job) / 2, 0
        cut = 1
        for cut in range(1, len(job)):
            count += len(job[cut - 1])
            if count >= half:
                break
        jobs[index:index + 1] = [job[:cut], job[cut:]]
        labels[index:index + 1] = [labels[index], labels[index]]
    return tuple(Job(label, tuple(name for component in job for name in component))
                 for label, job in zip(labels, jobs))


def _silence_others(session: Session, keep: set[str]) -> None:
    """Stop the pattern of every track outside `keep` (they never reach the engine:
    `Outputs.only`), so the scheduler queries only the job's tracks, until a song's section
    gives one a pattern again (its events still stop at the outputs)."""
    for track in session.tracks:
        if track.name not in keep:
            track.pattern = track.next_pattern = None
            track.swap_at = None


def run_job(spec: JobSpec, stop: StopCheck | None = None) -> JobResult:
    """Render one job into `spec.out_dir` (`master.wav` and `stems/`); runs in a worker process
    or in this one. Each call boots and closes its own manual-mode engine. A send bus the job's
    tracks never reach leaves no file and no warning: its scratch path means nothing to the
    user, and the package names the stems that never sound in its summary and report. `stop`:
    asked between blocks (`RenderInterrupted` at a signal)."""
    from synths.engine import FX_STEM_PREFIX  # noqa: PLC0415 - livecode imports synths lazily
    from synths.formats import map_float_wav  # noqa: PLC0415
    from synths.recorder import SkippedStemWarning, last_loud  # noqa: PLC0415

    cpu = time.process_time()
    out = Path(spec.out_dir)
    session = Session.create(audio="manual", sr=spec.sample_rate, block=spec.block,
                             engine_options={"pool_sizes": dict(spec.pool_sizes)})
    try:
        session.outputs.only = frozenset(spec.job.tracks)     # the others never reach the engine
        session.load(Path(spec.set_path))
        _silence_others(session, set(spec.job.tracks))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedStemWarning)
            report = render_session(session, out / "master.wav", spec.bars, stems_dir=out / "stems", bits=32,
                                    tail=spec.tail, neutral_master=True, measure=False, stop=stop)
    finally:
        session.close()
    stems = {p.stem: str(p) for p in report.stems if p.stem in spec.job.tracks}
    returns = {p.stem: str(p) for p in report.fx_stems if p.stem.startswith(FX_STEM_PREFIX)}
    frames, peaks, last_sound = 0, {}, 0
    level = 10.0 ** (SILENCE_DBFS / 20.0)
    for name, path in {**stems, **returns}.items():
        data = map_float_wav(path)              # mapped: the pages are still in the file cache
        frames = max(frames, data.shape[0])
        peaks[name] = max(float(data.max()), -float(data.min())) if data.size else 0.0   # as qc.measure.peak
        if peaks[name] >= level:
            last_sound = max(last_sound, last_loud(data, level) + 1)     # read from the end: its tail only
    return JobResult(spec.job, stems, returns, report.late_events, time.process_time() - cpu, frames, peaks,
                     os.getpid(), last_sound)


def cycles_of(bars: float) -> Fraction:
    """Bars as the scheduler's cycles (`Fraction`)."""
    return Fraction(bars).limit_denominator(1024)
