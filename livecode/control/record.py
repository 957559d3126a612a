"""Recording what a keyboard played into a pattern: quantize to a grid, print mini-notation.

`Played` notes (cycle of the note-on, length in cycles, note number, velocity 0..1) are
quantized to `grid` steps per cycle (16: sixteenths in 4/4) and written as one mini-notation
bar per cycle, `<[bar 1] [bar 2] ...>` over several; a note longer than a step gets a weight
(`c4@2`), rests are `~` (joined: `~@3`), notes struck together are a chord `[c4,e4]`. Velocities
that differ become a `.velocity("...")` with the same structure.

With `swing=True` the grid is straight but the off-beat lateness the player had is kept as
`.swingBy(amount, grid / 2)` (the average delay of the odd steps, in steps).

>>> riff = [Played(0, 0.125, 60, 0.8), Played(0.25, 0.0625, 63, 0.8), Played(0.5, 0.25, 67, 0.8)]
>>> quantize(riff, start=0, bars=1, grid=8).code
'note("c4 ~ eb4 ~ g4@2 ~@2")'
>>> swung = [Played(i / 16 + (0.33 / 16 if i % 2 else 0), 0.05, 60 + i % 2, 0.8) for i in range(4)]
>>> quantize(swung, 0, 1, 16, swing=True).code
'note("c4 db4 c4 db4 ~@12").swingBy(0.33, 8)'
>>> quantize([Played(0.02, 0.1, 60, 1.0), Played(1.26, 0.1, 62, 0.5)], 0, 2, 4).code
'note("<[c4 ~@3] [~ d4 ~@2]>").velocity("<[1 ~@3] [~ 0.5 ~@2]>")'
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from livecode.control.errors import MappingError

__all__ = ["Played", "Take", "quantize", "note_name", "GRIDS"]

GRIDS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
_NAMES = ("c", "db", "d", "eb", "e", "f", "gb", "g", "ab", "a", "bb", "b")


@dataclass(frozen=True, slots=True)
class Played:
    """One note played: on at `cycle`, held `length` cycles, MIDI `note`, `velocity` 0..1."""

    cycle: float
    length: float
    note: int
    velocity: float


@dataclass(frozen=True, slots=True)
class Take:
    """A quantized recording: the code to type, and the steps per bar it was made of."""

    code: str
    bars: list[list[tuple[tuple[int, ...], int, float]]]   # per bar: (notes, steps long, velocity)


def note_name(number: int) -> str:
    """C4 = 60 as in livecode's note names.

    >>> note_name(60), note_name(61), note_name(45)
    ('c4', 'db4', 'a2')
    """
    return f"{_NAMES[number % 12]}{number // 12 - 1}"


def _velocity_text(v: float) -> str:
    return f"{round(v, 2):g}"


def _bar_text(cells: list[tuple[tuple[int, ...], int, float]], velocity: bool) -> str:
    parts: list[str] = []
    for notes, weight, vel in cells:
        if not notes:
            word = "~"
        elif velocity:
            word = _velocity_text(vel)
        elif len(notes) == 1:
            word = note_name(notes[0])
        else:
            word = "[" + ",".join(note_name(n) for n in notes) + "]"
        parts.append(word if weight == 1 else f"{word}@{weight}")
    return " ".join(parts)


def _cells(steps: dict[int, list[Played]], lengths: dict[int, int], grid: int) -> list[tuple[tuple[int, ...], int, float]]:
    """One bar: each onset step runs to the next onset or its length; rests fill the rest."""
    cells: list[tuple[tuple[int, ...], int, float]] = []
    onsets = sorted(steps)
    position = 0
    for index, step in enumerate(onsets):
        if step > position:
            cells.append(((), step - position, 0.0))
        next_onset = onsets[index + 1] if index + 1 < len(onsets) else grid
        length = max(1, min(lengths[step], next_onset - step))
        notes = tuple(sorted({p.note for p in steps[step]}))
        velocity = max(p.velocity for p in steps[step])
        cells.append((notes, length, velocity))
        position = step + length
    if position < grid:
        cells.append(((), grid - position, 0.0))
    return cells


def _offbeat(position: float) -> int | None:
    """The odd step a note belongs to when it falls between 0.5 and 1.75 steps into its pair."""
    pair = math.floor(position / 2) * 2
    return pair + 1 if 0.5 < position - pair < 1.75 else None


def _swing(positions: list[float]) -> float:
    """How late (in steps) the off-beat notes were on average: `swingBy(x, grid / 2)` delays
    each odd step by x steps."""
    late = [p - odd for p in positions if (odd := _offbeat(p)) is not None]
    return round(min(1.0, max(0.0, sum(late) / len(late))), 2) if late else 0.0


def quantize(notes: list[Played], start: float, bars: int, grid: int = 16, swing: bool = False) -> Take:
    """Quantize `notes` recorded from cycle `start` for `bars` cycles to `grid` steps a cycle."""
    if isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= 64:
        raise MappingError(f"rec: bars={bars!r} must be a whole number 1..64")
    if grid not in GRIDS:
        raise MappingError(f"rec: grid={grid!r} must be one of {', '.join(map(str, GRIDS))}")
    per_bar: list[dict[int, list[Played]]] = [defaultdict(list) for _ in range(bars)]
    lengths: list[dict[int, int]] = [{} for _ in range(bars)]
    positions = [(note.cycle - start) * grid for note in notes]
    amount = _swing(positions) if swing else 0.0
    for note, position in zip(notes, positions):
        odd = _offbeat(position) if amount > 0 else None
        step = odd if odd is not None else round(position)
        bar, within = divmod(step, grid)
        if not 0 <= bar < bars:
            continue
        per_bar[bar][within].append(note)
        lengths[bar][within] = max(lengths[bar].get(within, 1), round(note.length * grid))
    bars_cells = [_cells(per_bar[i], lengths[i], grid) for i in range(bars)]
    code = _wrap([_bar_text(cells, False) for cells in bars_cells], "note")
    velocities = {round(n.velocity, 2) for n in notes if 0 <= (n.cycle - start) * grid < bars * grid + 0.5}
    if len(velocities) > 1:
        code += "." + _wrap([_bar_text(cells, True) for cells in bars_cells], "velocity")
    if amount > 0:
        code += f".swingBy({amount:g}, {grid // 2})"
    return Take(code, bars_cells)


def _wrap(bar_texts: list[str], control: str) -> str:
    if len(bar_texts) == 1:
        return f'{control}("{bar_texts[0]}")'
    return f'{control}("<' + " ".join(f"[{text}]" for text in bar_texts) + '>")'
