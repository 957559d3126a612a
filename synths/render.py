"""Offline rendering of a timed event list to WAV: master plus optional per-track stems.

The render runs the very engine used live, in `offline` mode: tracks and voice pools are created
up front (so pyo's creation order keeps every onset sample-exact), every event is queued, and the
engine computes blocks as fast as it can while a `Recording` writes master and stems. With a seed
(> 0) the output is deterministic: the same input gives a byte-identical 24-bit file.

>>> from synths.testvoices import resolve_test_voice
>>> events = [NoteEvent(480, "d1", {"s": "click"}, 100)]

Usage (not run as a doctest: it needs a running engine or device)::

    result = render(events, "/tmp/x.wav", duration=0.1, resolver=resolve_test_voice)
    result.frames
    # -> 4864
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import cast
from pathlib import Path

from synths.engine import FX_STEM_PREFIX, Engine, Resolver, default_resolver
from synths.errors import RenderError, SynthError
from synths.events import NoteEvent, ParamEvent, prepare_note
from synths.voice import Voice

__all__ = [
    "RenderResult", "render", "instruments_by_track", "end_frame", "shift_events", "polyphony_needed", "note_load", "NoteLoad",
]


@dataclass(frozen=True, slots=True)
class RenderResult:
    """Where the render went and how long it took (`speed`: multiples of real time)."""

    path: Path
    stems: dict[str, Path] = field(default_factory=dict)
    fx_stems: dict[str, Path] = field(default_factory=dict)
    """The shared send buses' returns that carried sound (`{"fx-reverb": Path(...)}`): tracks +
    fx returns sum to a neutral master."""
    skipped: tuple[str, ...] = ()
    """The send buses' returns not written because nothing was sent to them (`("fx-delay",)`)."""
    frames: int = 0
    sample_rate: int = 48000
    elapsed: float = 0.0

    @property
    def seconds(self) -> float:
        """Rendered audio length in seconds."""
        return self.frames / self.sample_rate

    @property
    def speed(self) -> float:
        """Audio seconds per wall-clock second."""
        return self.seconds / self.elapsed if self.elapsed > 0 else math.inf


def instruments_by_track(events: Iterable[NoteEvent | ParamEvent]) -> dict[str, list[str]]:
    """The `s` (with `@bank`) names each track plays, in first-use order.

    >>> instruments_by_track([NoteEvent(0, "d1", {"s": "bd", "bank": "808"}, 1),
    ...                       NoteEvent(9, "d2", {"s": "beep"}, 1)])
    {'d1': ['bd@808'], 'd2': ['beep']}
    """
    found: dict[str, list[str]] = {}
    for event in events:
        if not isinstance(event, NoteEvent):
            continue
        name = event.params.get("s", event.params.get("sound"))
        bank = event.params.get("bank")
        key = f"{name}@{bank}" if bank is not None else str(name)
        names = found.setdefault(event.track, [])
        if key not in names:
            names.append(key)
    return found


def end_frame(events: Iterable[NoteEvent | ParamEvent]) -> int:
    """The last frame any event reaches (onset + held duration).

    >>> end_frame([NoteEvent(100, "d1", {"s": "x"}, 50), ParamEvent(400, "d1", "gain", 1.0)])
    400
    """
    last = 0
    for event in events:
        if isinstance(event, NoteEvent):
            last = max(last, event.time + event.duration)
        elif event.time is not None:
            last = max(last, event.time)
    return last


@dataclass(frozen=True)
class NoteLoad:
    """What a track's notes ask of its voice pools (`note_load`)."""

    voices: dict[str, int]
    """Per track, the most notes of one instrument that sound at once (`polyphony_needed`)."""
    seconds: dict[str, float]
    """Per track, the seconds its voices sound, summed over its notes (onset to the end of the
    tail): what rendering the track costs grows with it (`livecode.package.jobs` orders its
    render jobs by it)."""


def note_load(
    events: Iterable[NoteEvent | ParamEvent], resolver: Resolver | None, sample_rate: int, block_size: int,
) -> NoteLoad:
    """Per track, the voices its notes need at once and the seconds they sound (each note from
    its onset to the end of the voice's tail, plus two blocks of the pool's bookkeeping).

    A track whose notes cannot be measured (bad params: the render raises on them anyway, or a
    voice whose tail needs a built voice) is left out of both.

    >>> from synths.testvoices import resolve_test_voice
    >>> beeps = [NoteEvent(t, "d1", {"s": "beep"}, 4800) for t in (0, 2400, 96000)]
    >>> load = note_load(beeps, resolve_test_voice, 48000, 256)
    >>> load.voices, round(load.seconds["d1"], 2)
    ({'d1': 2}, 0.39)
    """
    resolve = resolver or default_resolver
    spans: dict[tuple[str, type], list[tuple[int, int]]] = {}
    broken: set[str] = set()
    for event in events:
        if not isinstance(event, NoteEvent) or event.track in broken:
            continue
        try:
            note = prepare_note(event, resolve, sample_rate)
            blank = cast(Voice, object.__new__(note.voice_cls))   # tail() reads PARAMS only
            tail = blank.tail(note.params, note.dur)
        except (SynthError, AttributeError, KeyError, TypeError, ValueError):
            broken.add(event.track)
            continue
        # the pool keeps a voice busy a block past its tail, and counts what sounds at the start
        # of the block a new note falls in: one more block
        end = event.time + math.ceil(max(0.0, float(tail)) * sample_rate) + 2 * block_size + 1
        spans.setdefault((event.track, note.voice_cls), []).append((event.time, end))
    needed: dict[str, int] = {}
    seconds: dict[str, float] = {}
    for (track, _), intervals in spans.items():
        if track not in broken:
            needed[track] = max(needed.get(track, 1), _max_overlap(intervals))
            seconds[track] = seconds.get(track, 0.0) + sum(end - start for start, end in intervals) / sample_rate
    return NoteLoad(needed, seconds)


def polyphony_needed(
    events: Iterable[NoteEvent | ParamEvent], resolver: Resolver | None, sample_rate: int, block_size: int,
) -> dict[str, int]:
    """Per track, the most notes of one instrument that sound at once (`note_load`): with that
    many voices no note is ever stolen, so a render may build smaller pools than the live
    default. A track whose notes cannot be measured is left out: it gets the requested polyphony.

    >>> from synths.testvoices import resolve_test_voice
    >>> beeps = [NoteEvent(t, "d1", {"s": "beep"}, 4800) for t in (0, 2400, 96000)]
    >>> polyphony_needed(beeps, resolve_test_voice, 48000, 256)
    {'d1': 2}
    """
    return note_load(events, resolver, sample_rate, block_size).voices


def _max_overlap(intervals: list[tuple[int, int]]) -> int:
    """The most half-open intervals covering one point.

    >>> _max_overlap([(0, 10), (5, 15), (10, 20)])
    2
    """
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    most = current = 0
    for _, step in edges:
        current += step
        most = max(most, current)
    return most


def shift_events(events: Iterable[NoteEvent | ParamEvent], frames: int) -> list[NoteEvent | ParamEvent]:
    """The events moved `frames` later (timeless ParamEvents stay timeless).

    >>> shift_events([NoteEvent(10, "d1", {"s": "x"}, 5)], 100)[0].time
    110
    """
    if frames == 0:
        return list(events)
    return [event if event.time is None else replace(event, time=event.time + frames) for event in events]


def render(
    events: Iterable[NoteEvent | ParamEvent],
    path: str | os.PathLike[str],
    *,
    duration: float | None = None,
    tail: float = 1.0,
    sample_rate: int = 48000,
    block_size: int = 256,
    sample_format: str | int = 24,
    stems: str | os.PathLike[str] | None = None,
    seed: int = 1,
    polyphony: int = 16,
    resolver: Resolver | None = None,
    setup: Callable[[Engine], None] | None = None,
    preroll: float = 0.05,
    sleep_idle: bool = True,
    fit_pools: bool = True,
) -> RenderResult:
    """Render `events` (sample times at `sample_rate`) to `path`; stems into the `stems` folder.

    `duration` (s) defaults to the last event's end plus `tail` seconds. `setup(engine)` runs after
    the tracks exist (set effect chains, gains, ...); the engine then runs `preroll` seconds
    (whole blocks) before frame 0 of the file so smoothed settings have settled. Raises
    `RenderError` for an empty render. With `fit_pools` (default) each track's voice pools get only
    as many voices as its notes ever need at once (`polyphony_needed`, at most `polyphony`):
    nothing is stolen that `polyphony` voices would keep, and the render builds and skips far
    fewer idle voices. Notes then reuse voices sooner, so per-voice noise and oscillator phases
    differ from a full-pool render (deterministic either way; `fit_pools=False` for full pools).
    """
    items = list(events)
    if seed <= 0:
        raise RenderError(f"render: seed must be > 0 for a deterministic render, not {seed!r}")
    frames = int(round(duration * sample_rate)) if duration is not None else end_frame(items) + int(tail * sample_rate)
    if frames <= 0:
        raise RenderError("render: nothing to render (no events and no duration)")
    started = time.perf_counter()
    engine = Engine(
        "offline", sample_rate=sample_rate, block_size=block_size, polyphony=polyphony, seed=seed,
        resolver=resolver, sleep_idle=sleep_idle,
    )
    needed = polyphony_needed(items, resolver, sample_rate, block_size) if fit_pools and sleep_idle else {}
    with engine:
        for track, names in instruments_by_track(items).items():
            engine.add_track(track, names, polyphony=min(polyphony, needed.get(track, polyphony)))
        if setup is not None:
            setup(engine)
        engine.process_blocks(int(preroll * sample_rate) // engine.block_size)
        engine.schedule_many(shift_events(items, engine.now()))
        engine.record_start(path, stems=stems, sample_format=sample_format, max_frames=frames)
        total = frames + engine.master_latency()
        engine.process_blocks(-(-total // engine.block_size))
        written = engine.record_stop()
        buses = [FX_STEM_PREFIX + bus for bus in engine.mixer.buses] if stems is not None else []
    error = engine.record_error()
    if error is not None:
        raise error
    elapsed = time.perf_counter() - started
    master = written.pop("master")
    fx = {name: written.pop(name) for name in list(written) if name.startswith(FX_STEM_PREFIX)}
    skipped = tuple(name for name in buses if name not in fx)
    return RenderResult(master, written, fx, skipped, frames=frames, sample_rate=sample_rate, elapsed=elapsed)
