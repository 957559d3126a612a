"""Render notes of one instrument offline into a numpy array (auditioning, tests, benchmarks).

A small stand-in for the engine: a pyo `manual` server, a few voices of one `Voice` class, each
triggered through `Trig -> SDelay((offset + 0.5) / sr)` exactly like the engine's pools, the output
captured with `TableRec`. Only one pyo server may exist per process: do not call this while an
engine is running in the same process.

Usage (not run as a doctest: it needs a running engine or device)::

    from synths.instruments import resolve
    audio = render_notes(resolve("bd"), [Note(0.0, {})], seconds=0.5)
    audio.shape
    # -> (1, 24000)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.denormals import flushed
from synths.errors import RenderError
from synths.instruments.tonal import share_glide
from synths.voice import Voice, note_to_freq

__all__ = ["Note", "note_params", "render_notes"]


@dataclass(frozen=True, slots=True)
class Note:
    """One note to render: onset in seconds, its controls, and its held duration in seconds.

    >>> Note(0.5, {"note": 36}, 0.25).duration
    0.25
    """

    time: float
    params: Mapping[str, float | str] = field(default_factory=dict)
    duration: float = 0.25


def note_params(voice: type[Voice], given: Mapping[str, float | str]) -> dict[str, float | str]:
    """Validate `given` against the voice's table, fill defaults and resolve `note` to `freq`.

    Strings (`vowel="a"`, `unit="c"`) pass unchecked, as in `synths.events.prepare_note`.

    Usage (not run as a doctest: it needs a running engine or device)::

        from synths.instruments import resolve
        round(note_params(resolve("sine"), {"note": 69})["freq"], 3)
        # -> 440.0
    """
    params: dict[str, float | str] = dict(voice.PARAMS.defaults())
    params.update(voice.PARAMS.validate({k: v for k, v in given.items() if not isinstance(v, str)}))
    params.update({k: v for k, v in given.items() if isinstance(v, str) and k in voice.PARAMS})
    if "freq" not in given:
        params["freq"] = note_to_freq(float(params.get("note", 60.0)))
    return params


def render_notes(
    voice: type[Voice],
    notes: Sequence[Note],
    seconds: float,
    *,
    sr: int = 48000,
    block: int = 256,
    voices: int = 4,
    seed: int = 1,
) -> np.ndarray:
    """Render `notes` on a round-robin pool of `voices` voices; returns (channels, frames) float32.

    `seed` (> 0) seeds pyo's random generators, as the engine does: the same call gives the same
    samples (0 leaves them unseeded).

    Usage (not run as a doctest: it needs a running engine or device)::

        from synths.instruments import resolve
        render_notes(resolve("sub"), [Note(0.0, {"note": 36}, 1.0)], 1.5).shape
        # -> (1, 72000)
    """
    if seconds <= 0:
        raise RenderError(f"render_notes: seconds must be > 0, not {seconds}")
    p = pyo()
    server = p.Server(sr=sr, nchnls=2, buffersize=block, duplex=0, audio="manual", verbosity=1)
    server.boot()
    if seed > 0:
        server.setGlobalSeed(int(seed))
    try:
        return _render(p, server, voice, notes, seconds, sr, block, max(1, voices))
    finally:
        server.stop()
        server.shutdown()


def _render(
    p: Any,
    server: Any,
    voice: type[Voice],
    notes: Sequence[Note],
    seconds: float,
    sr: int,
    block: int,
    count: int,
) -> np.ndarray:
    """Build the pool, trigger the notes block by block and return the captured channels."""
    server.start()
    trigs = [p.Trig().stop() for _ in range(count)]  # a new Trig fires once unless stopped
    delays = [p.SDelay(t, delay=0.5 / sr, maxdelay=(block + 1) / sr) for t in trigs]
    pool = [voice(d, sr) for d in delays]
    share_glide(pool)  # one render is one track: glides start from its own previous note
    width = max(len(v.out) for v in pool)
    mixed = p.Mix([v.out for v in pool], voices=width)
    frames = int(round(seconds * sr))
    table = p.NewTable(frames / sr, chnls=width)
    recorder = p.TableRec(mixed, table).play()
    queue = sorted(notes, key=lambda note: note.time)
    next_voice = 0
    with flushed():                      # as the engine's audio thread: no denormals
        for start in range(0, frames + block, block):
            while queue and int(round(queue[0].time * sr)) < start + block:
                note = queue.pop(0)
                slot = next_voice % count
                next_voice += 1
                offset = max(0, int(round(note.time * sr)) - start)
                pool[slot].set_note(note_params(voice, note.params), note.duration)
                delays[slot].delay = (offset + 0.5) / sr
                trigs[slot].play()
            server.process()
    del recorder
    data = table.getTable(all=True) if width > 1 else [table.getTable()]
    return np.asarray(data, dtype=np.float32)[:, :frames]
