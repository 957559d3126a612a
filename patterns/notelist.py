"""A pattern from a list of timed notes (an imported MIDI file's notes, a recorded riff).

`note_list(notes, period)` plays `notes`, each `(begin, length, note, velocity)` in cycles
(velocity 0..1), as one loop of `period` cycles: every event's whole is the note's own span, so
its length is kept, and it carries `note` and `velocity`. `quantize=F(1, 16)` snaps onsets and
lengths to a grid (a length never below one step). It is a pattern like any other: `fast`,
`add`, `s("piano")`, `every` all apply.

>>> from fractions import Fraction as F
>>> riff = note_list([(F(0), F(1, 4), 60, 0.8), (F(1, 2), F(1, 2), 64, 0.5)], F(1))
>>> [(str(e.whole), e.value) for e in riff.onsets(0, 1)]
[('0 → 1/4', {'note': 60, 'velocity': 0.8}), ('1/2 → 1', {'note': 64, 'velocity': 0.5})]
>>> [str(e.whole.begin) for e in note_list([(F(1, 10), F(1, 5), 60, 1.0)], 1, quantize=F(1, 8)).onsets(0, 1)]
['1/8']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from patterns.errors import NoteListError
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.timespan import TimeSpan, to_time

__all__ = ["note_list", "quantize_notes", "TimedNote"]

TimedNote = tuple[Fraction, Fraction, int, float]
"""(begin, length in cycles, MIDI note, velocity 0..1)."""


def quantize_notes(notes: Sequence[TimedNote], grid: Fraction) -> list[TimedNote]:
    """Onsets and lengths snapped to multiples of `grid` (lengths at least one step).

    >>> quantize_notes([(Fraction(3, 32), Fraction(1, 32), 60, 1.0)], Fraction(1, 16))
    [(Fraction(1, 8), Fraction(1, 16), 60, 1.0)]
    """
    out = []
    for begin, length, number, velocity in notes:
        start = Fraction(round(begin / grid)) * grid
        steps = max(1, round(length / grid))
        out.append((start, steps * grid, number, velocity))
    return out


def _check(notes: Sequence[TimedNote]) -> list[TimedNote]:
    checked = []
    for index, item in enumerate(notes):
        try:
            begin, length, number, velocity = item
        except (TypeError, ValueError):
            raise NoteListError(f"note_list: note {index} must be (begin, length, note, velocity), got {item!r}") from None
        if not isinstance(number, int) or not 0 <= number <= 127:
            raise NoteListError(f"note_list: note {index}: note must be 0..127, got {number!r}")
        if not isinstance(velocity, (int, float)) or not 0 <= velocity <= 1:
            raise NoteListError(f"note_list: note {index}: velocity must be 0..1, got {velocity!r}")
        start, span = to_time(begin), to_time(length)
        if span <= 0 or start < 0:
            raise NoteListError(f"note_list: note {index}: begin must be >= 0 and length > 0, got {begin}, {length}")
        checked.append((start, span, number, float(velocity)))
    return checked


def note_list(notes: Sequence[TimedNote], period: Fraction | int, *, quantize: Fraction | None = None) -> Pattern:
    """A loop of `period` cycles playing `notes` (see the module doc)."""
    loop = to_time(period)
    if loop <= 0:
        raise NoteListError(f"note_list: period must be > 0 cycles, got {period!r}")
    items = _check(notes)
    if quantize is not None:
        grid = to_time(quantize)
        if grid <= 0:
            raise NoteListError(f"note_list: quantize must be a positive grid such as 1/16, got {quantize!r}")
        items = quantize_notes(items, grid)
    items.sort(key=lambda n: (n[0], n[2]))

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        first = math.floor(span.begin / loop) - 1
        last = math.ceil(span.end / loop)
        for rep in range(first, last + 1):
            offset = rep * loop
            for begin, length, number, velocity in items:
                whole = TimeSpan(offset + begin, offset + begin + length)
                lo, hi = max(whole.begin, span.begin), min(whole.end, span.end)
                if lo < hi or (lo == hi and span.begin == span.end == whole.begin):
                    out.append(Event(whole, TimeSpan(lo, hi), {"note": number, "velocity": velocity}))
        out.sort(key=lambda e: e.part.begin)
        return out

    return Pattern(query)
