"""`show()`: a drum grid or a piano roll of a pattern, in plain text sized to the terminal.

A pattern whose events carry `note` (or plain numbers/note names) shows as a piano roll, one
row per pitch; one whose events carry `s` shows as a drum grid, one row per sound (a stack of
both shows the drum rows above the piano roll). Columns are
steps; a cycle's steps are the finest grid that puts every onset on a step (capped to fit the
width); ``|`` separates cycles. Cells: ``█`` an onset (``▓``/``▒`` quieter), ``═`` a held note,
``·`` nothing.

>>> from patterns.constructors import sequence, silence, stack
>>> kick, snare, hat = {"s": "bd"}, {"s": "sd"}, {"s": "hh", "gain": 0.5}
>>> show(stack(sequence(kick, kick), sequence(silence, [silence, snare]), sequence(*[hat] * 4)), cycles=1)
bd |█·█·|
hh |▓▓▓▓|
sd |···█|
"""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TextIO

from livecode.errors import LivecodeError, ShowError

__all__ = ["ShowError", "PatternView", "GridNote", "show", "grid", "collect", "choose_steps"]

_STEP_CHOICES = (64, 48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1)


@dataclass(frozen=True)
class GridNote:
    """One onset to draw: begin/end in cycles, its row label and pitch (None for drums)."""

    begin: Fraction
    end: Fraction
    label: str
    pitch: int | None
    level: float


@dataclass(frozen=True)
class PatternView:
    """The text of a `show()`; its repr is the grid itself, so the REPL prints it as is."""

    text: str
    kind: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _as_pattern(target: object) -> Any:
    if isinstance(target, str):
        from patterns.controls import s

        return s(target)
    if hasattr(target, "query_arc"):
        return target
    for attr in ("next_pattern", "pattern"):
        inner = getattr(target, attr, None)
        if inner is not None and hasattr(inner, "query_arc"):
            return inner
    if hasattr(target, "pattern") or hasattr(target, "next_pattern"):
        return None
    raise ShowError(f"show: expected a pattern, a track or a mini-notation string, got {type(target).__name__}")


def _level(value: Mapping[str, Any]) -> float:
    for key in ("velocity", "gain"):
        raw = value.get(key)
        if isinstance(raw, (int, float)):
            return float(raw)
    return 1.0


def _legato(value: object) -> Fraction:
    raw = value.get("legato") if isinstance(value, Mapping) else None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 < raw <= 64:
        return Fraction(raw).limit_denominator(64)
    return Fraction(1)


def _pitch(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return int(round(raw))
    if isinstance(raw, str):
        from patterns.theory.notes import note_to_midi

        try:
            return note_to_midi(raw)
        except LivecodeError:
            return None
    return None


def _note_of(value: object) -> GridNote | None:
    """Label and pitch of one event value (begin/end filled in by the caller)."""
    if isinstance(value, Mapping):
        pitch = _pitch(value.get("note", value.get("freq_note")))
        if pitch is None and "s" not in value:
            pitch = _pitch(value.get("n"))
        if pitch is not None:
            return GridNote(Fraction(0), Fraction(0), "", pitch, _level(value))
        sound = value.get("s")
        if sound is None:
            return None
        number = value.get("n")
        label = f"{sound}:{int(number)}" if isinstance(number, (int, float)) and number else str(sound)
        return GridNote(Fraction(0), Fraction(0), label, None, _level(value))
    if value is None:
        return None
    pitch = _pitch(value)
    if pitch is not None:
        return GridNote(Fraction(0), Fraction(0), "", pitch, 1.0)
    return GridNote(Fraction(0), Fraction(0), str(value), None, 1.0)


def collect(pattern: Any, cycles: int) -> list[GridNote]:
    """The onsets of `pattern` in [0, cycles) as GridNotes.

    >>> from patterns.constructors import sequence
    >>> [(str(n.begin), n.pitch) for n in collect(sequence({"note": "c4"}, {"note": 64}), 1)]
    [('0', 60), ('1/2', 64)]
    """
    notes: list[GridNote] = []
    for event in pattern.query_arc(Fraction(0), Fraction(cycles)):
        whole = event.whole
        if whole is None or whole.begin != event.part.begin:
            continue
        found = _note_of(event.value)
        if found is not None:
            end = whole.begin + (whole.end - whole.begin) * _legato(event.value)
            notes.append(GridNote(Fraction(whole.begin), Fraction(end), found.label, found.pitch, found.level))
    return sorted(notes, key=lambda n: (n.begin, n.label, n.pitch or 0))


def choose_steps(times: Iterable[Fraction], max_steps: int) -> int:
    """Steps per cycle: the least common denominator of `times`, or the finest grid that fits.

    >>> choose_steps([Fraction(0), Fraction(1, 4), Fraction(3, 8)], 64)
    8
    >>> choose_steps([Fraction(1, 7)], 4)
    4
    """
    lcd = 1
    for time in times:
        lcd = math.lcm(lcd, Fraction(time).denominator)
        if lcd > 4096:
            break
    if lcd <= max_steps:
        return max(lcd, 1)
    return next((n for n in _STEP_CHOICES if n <= max_steps), 1)


def _cell(level: float) -> str:
    return "█" if level >= 0.75 else "▓" if level >= 0.4 else "▒"


def _grid_line(label: str, width: int, cells: list[str], steps: int) -> str:
    chunks = ["".join(cells[i : i + steps]) for i in range(0, len(cells), steps)]
    return f"{label:>{width}} |" + "|".join(chunks) + "|"


def _drum_grid(notes: list[GridNote], cycles: int, steps: int) -> list[str]:
    labels = sorted({n.label for n in notes})
    width = max(len(label) for label in labels)
    rows: list[str] = []
    for label in labels:
        cells = ["·"] * (steps * cycles)
        for note in notes:
            if note.label == label:
                index = int(note.begin * steps)
                if 0 <= index < len(cells):
                    cells[index] = _cell(note.level)
        rows.append(_grid_line(label, width, cells, steps))
    return rows


def _pitch_rows(pitches: set[int], max_rows: int) -> list[int]:
    full = list(range(max(pitches), min(pitches) - 1, -1))
    return full if len(full) <= max_rows else sorted(pitches, reverse=True)[:max_rows]


def _piano_roll(notes: list[GridNote], cycles: int, steps: int, max_rows: int) -> list[str]:
    from patterns.theory.notes import midi_to_note

    pitches = _pitch_rows({n.pitch for n in notes if n.pitch is not None}, max_rows)
    width = max(len(midi_to_note(p)) for p in pitches)
    rows: list[str] = []
    for pitch in pitches:
        cells = ["·"] * (steps * cycles)
        for note in notes:
            if note.pitch != pitch:
                continue
            first = int(note.begin * steps)
            last = max(first + 1, math.ceil(note.end * steps))
            for index in range(first, min(last, len(cells))):
                cells[index] = "═"
            if 0 <= first < len(cells):
                cells[first] = _cell(note.level)
        rows.append(_grid_line(midi_to_note(pitch), width, cells, steps))
    return rows


def show(
    target: object, cycles: int = 2, width: int | None = None, height: int | None = None, file: TextIO | None = None
) -> None:
    """Print the grid of `target` (see `grid`) to `file` (default stdout); returns None.

    It prints rather than returning the text so that the REPL shows the whole grid (values are
    shortened when echoed), above the prompt.

    >>> from patterns.constructors import sequence
    >>> show(sequence({"s": "bd"}, {"s": "sd"}), cycles=1)
    bd |█·|
    sd |·█|
    """
    print(grid(target, cycles, width, height), file=file or sys.stdout)


def grid(target: object, cycles: int = 2, width: int | None = None, height: int | None = None) -> PatternView:
    """The grid of `target` (a pattern, a track such as `d1`, or a mini string) over `cycles` cycles.

    >>> from patterns.constructors import sequence
    >>> print(grid(sequence({"note": 60}, [{"note": 64}, {"note": 67}]), cycles=1, width=30))
     G4 |···█|
    Gb4 |····|
     F4 |····|
     E4 |··█·|
    Eb4 |····|
     D4 |····|
    Db4 |····|
     C4 |█═··|
    """
    if not isinstance(cycles, int) or isinstance(cycles, bool) or not 1 <= cycles <= 64:
        raise ShowError(f"show: cycles must be an integer from 1 to 64, got {cycles!r}")
    size = shutil.get_terminal_size((100, 30))
    columns = width if width is not None else size.columns
    rows_max = height if height is not None else max(4, size.lines - 4)
    pattern = _as_pattern(target)
    if pattern is None:
        return PatternView(f"({getattr(target, 'name', 'track')} has no pattern)", "empty")
    notes = collect(pattern, cycles)
    if not notes:
        return PatternView(f"(no onsets in {cycles} cycle{'s' if cycles > 1 else ''})", "empty")
    pitched = [n for n in notes if n.pitch is not None]
    drums = [n for n in notes if n.pitch is None]
    label_width = max(4 if pitched else 0, max((len(n.label) for n in drums), default=0))
    usable = max(cycles, columns - label_width - 2 - cycles)
    times = [n.begin for n in notes] + [n.end for n in pitched]
    steps = choose_steps(times, max(1, usable // cycles))
    rows = _drum_grid(drums, cycles, steps) if drums else []
    if pitched:
        rows += _piano_roll(pitched, cycles, steps, max(1, rows_max - len(rows)))
    kind = "mixed" if drums and pitched else "notes" if pitched else "drums"
    return PatternView("\n".join(_align(rows[:rows_max])), kind)


def _align(rows: list[str]) -> list[str]:
    """Right-align the labels of rows drawn with different label widths."""
    width = max(row.index(" |") for row in rows)
    return [" " * (width - row.index(" |")) + row for row in rows]
