"""From a take segment's cycles to engine samples: the scheduler's one step for takes (and for
live input segments, which only need their length).

The scheduler times every onset as `clock.to_frame(tempo.time_at(cycle))`. A take segment gets
the same arithmetic for its end and for the start of its bar `at`, so segment k ends on the
very sample where segment k+1 starts, and the file index at each onset is the number of samples
since the take's placement: exact, whatever the tempo map between them.

>>> from livecode.clock import ManualClock, TempoMap
>>> from livecode.takes.spec import make_take_for_test
>>> params = {"s": "take=/test.wav", "take": make_take_for_test(480000)}
>>> out = place_segment(params, Fraction(2), Fraction(3), TempoMap(bpm=120), ManualClock(48000))
>>> out["take_first"], out["take_count"]
(192000, 96000)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from livecode.takes.placing import TAKE_KEY
from livecode.takes.spec import CompPiece, LiveInput, Take

__all__ = ["place_segment", "TempoLike", "FrameClock"]


class TempoLike(Protocol):
    """The tempo map's one method a segment needs."""

    def time_at(self, cycle: Fraction | float) -> float:
        """Timeline seconds at `cycle`."""


class FrameClock(Protocol):
    """The clock's rate and seconds-to-frame mapping."""

    sample_rate: float

    def to_frame(self, seconds: float) -> int:
        """The frame at timeline second `seconds`."""


def place_segment(params: dict[str, object], onset: Fraction, end: Fraction, tempo: TempoLike,
                  clock: FrameClock) -> dict[str, object] | None:
    """Turn a take segment's `take` control into the engine's sample values (in place); None
    when the segment holds nothing of the file (before it, after it, or trimmed away). Params
    without a take come back unchanged."""
    take = params.pop(TAKE_KEY, None)
    if not isinstance(take, (Take, LiveInput, CompPiece)):
        return params
    frame = clock.to_frame(tempo.time_at(onset))
    stop = clock.to_frame(tempo.time_at(end))
    if isinstance(take, LiveInput):
        params["input_count"] = stop - frame
        return params
    piece = take if isinstance(take, CompPiece) else None
    take = take.take if isinstance(take, CompPiece) else take
    placed = clock.to_frame(tempo.time_at(take.cycle))
    edges: tuple[int | None, int | None, int] = (None, None, 0)
    if piece is not None:
        edges = _crossfade_edges(piece, tempo, clock, placed)
        if piece.end is not None and end == piece.end:
            stop += edges[2] - edges[2] // 2      # the outgoing take rings into the next bar
    plan = take.plan(frame, stop, placed, clock.sample_rate, edges)
    if plan is None:
        return None
    gain = params.get("gain", 1.0)
    params["gain"] = (float(gain) if isinstance(gain, (int, float)) else 1.0) * take.gain
    params.update(take_first=plan.first, take_count=plan.count, take_begin=plan.begin, take_end=plan.end,
                  take_fadein=plan.fadein, take_fadeout=plan.fadeout)
    return params


def _crossfade_edges(piece: CompPiece, tempo: TempoLike, clock: FrameClock,
                     placed: int) -> tuple[int | None, int | None, int]:
    """(low index, high index, fade) of a comp piece: each edge with a neighbour is moved half
    a crossfade before its bar line and fades over the whole crossfade."""
    rate = clock.sample_rate
    fade = max(0, piece.xfade.samples(rate))
    half = fade // 2
    low = high = None
    if piece.start is not None:
        low = piece.take.index(clock.to_frame(tempo.time_at(piece.start)), placed, rate) - half
    if piece.end is not None:
        high = piece.take.index(clock.to_frame(tempo.time_at(piece.end)), placed, rate) - half + fade
    return low, high, fade
