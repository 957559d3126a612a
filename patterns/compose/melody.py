"""Melody generators in a key: `motif`, `walk` and `lsystem_melody`, seeded and repeatable.

Each builds a phrase once from its seed and settings, then loops it, so it is a pure function
of time: the same seed plays the same notes on every run. Every note comes from the scale
(a note that remembers its scale, so `scaleTranspose`, `keyChange` and the variations in
`patterns.compose.variations` can move it along the scale). A seed may be a pattern
(`seed="<1 2 3>"`): each cycle then plays the phrase of the seed in force, at its place in
the loop.

>>> [e.value["note"] for e in motif("A:minor", seed=3).onsets(0, 1)]
['A3', 'C4', 'G4', 'A4', 'G4', 'F4', 'D4', 'A3']
>>> [e.value["note"] for e in walk("C:major", seed=1, steps=4).onsets(0, 1)]
['C3', 'D3', 'C3', 'B2']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from patterns.compose.phrase import PhraseEvent, loop_phrase, per_seed
from patterns.compose.rng import Stream, check_seed
from patterns.errors import GeneratorError
from patterns.pattern import Pattern
from patterns.runaway import MAX_COUNT
from patterns.theory.scales import get_scale, scale_note

__all__ = [
    "CONTOURS",
    "MAX_LSYSTEM",
    "motif",
    "motif_steps",
    "walk",
    "walk_degrees",
    "lsystem",
    "lsystem_melody",
    "lsystem_degrees",
]

CONTOURS: dict[str, Callable[[float], float] | None] = {
    "arch": lambda x: math.sin(math.pi * x),
    "valley": lambda x: 1.0 - math.sin(math.pi * x),
    "rise": lambda x: x,
    "fall": lambda x: 1.0 - x,
    "wave": lambda x: 0.5 - 0.5 * math.cos(4.0 * math.pi * x),
    "flat": lambda x: 0.5,
    "random": None,
}
"""Melodic shapes: position in the phrase (0 .. 1) -> height in the range (0 .. 1); `random`
has no shape (every note anywhere in the range)."""

MAX_LSYSTEM = 4096
"""The longest L-system string `lsystem` grows (a runaway guard)."""

Degree = tuple[int, int, int]
"""A generated note: start step, length in steps, scale degree."""


def _whole(value: Any, name: str, low: int, high: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise GeneratorError(f"{where}: {name} must be a whole number {low} .. {high}, got {value!r}")
    return value


def _fraction(value: Any, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise GeneratorError(f"{where}: {name} must be a number 0 .. 1, got {value!r}")
    return float(value)


def _phrase(degrees: list[Degree], scale: str, steps: int, length: int) -> Pattern:
    step = Fraction(1, steps)
    events: list[PhraseEvent] = [
        (begin * step, (begin + size) * step, {"note": scale_note(degree, scale)})
        for begin, size, degree in degrees
    ]
    return loop_phrase(events, length)


# ------------------------------------------------------------------ motif


def _onsets(stream: Stream, total: int, density: float) -> list[int]:
    return [0] + [slot for slot in range(1, total) if stream.chance(density)]


def _cadence(degree: int, low: int, span: int, size: int) -> int:
    tonics = [d for d in range(low, low + span + 1) if d % size == 0]
    return min(tonics, key=lambda d: (abs(d - degree), d)) if tonics else degree


def motif_steps(
    seed: int,
    size: int,
    steps: int = 8,
    length: int = 1,
    density: float = 0.75,
    contour: str = "arch",
    span: int = 7,
    low: int = 0,
    cadence: bool = True,
) -> list[Degree]:
    """The notes of a motif as (start step, length in steps, scale degree), for a scale of
    `size` notes: onsets on a grid of `steps` a cycle (the first always, each other one with
    probability `density`), each held to the next; degrees follow `contour` over the range
    `low` .. `low + span` with a step of jitter; with `cadence` the last note is the tonic
    nearest to it in the range.

    >>> motif_steps(3, 7, steps=4, density=1.0)
    [(0, 1, 0), (1, 1, 5), (2, 1, 7), (3, 1, 0)]
    """
    where = "motif"
    check_seed(seed, where)
    _whole(steps, "steps", 1, 64, where)
    _whole(length, "length", 1, 64, where)
    _whole(span, "span", 0, 48, where)
    _whole(low, "low", -48, 48, where)
    _whole(size, "the scale size", 1, 24, where)
    chance = _fraction(density, "density", where)
    if contour not in CONTOURS:
        raise GeneratorError(f"motif: unknown contour {contour!r}; contours: {', '.join(CONTOURS)}")
    total = steps * length
    onsets = _onsets(Stream(seed, "rhythm"), total, chance)
    pitches = Stream(seed, "pitch")
    shape = CONTOURS[contour]
    out: list[Degree] = []
    for index, begin in enumerate(onsets):
        end = onsets[index + 1] if index + 1 < len(onsets) else total
        height = pitches.random() if shape is None else shape(begin / max(1, total - 1))
        jitter = pitches.weighted([1, 2, 1]) - 1 if span else 0
        degree = low + max(0, min(span, round(height * span) + jitter))
        out.append((begin, end - begin, degree))
    if cadence:
        begin, size_, degree = out[-1]
        out[-1] = (begin, size_, _cadence(degree, low, span, size))
    return out


def motif(
    scale: str = "C:major",
    seed: Any = 0,
    steps: int = 8,
    length: int = 1,
    density: float = 0.75,
    contour: str = "arch",
    span: int = 7,
    low: int = 0,
    cadence: bool = True,
) -> Pattern:
    """A seeded motif in a key, looping every `length` cycles.

    `steps` grid steps a cycle, rhythm `density` (0 .. 1), a `contour` (arch, valley, rise,
    fall, wave, flat, random) over the scale degrees `low` .. `low + span`, ending on the
    tonic when `cadence`.

    >>> [e.value["note"] for e in motif("C:major", 3, steps=4, density=1.0).onsets(0, 1)]
    ['C3', 'A3', 'C4', 'C3']
    >>> [(str(e.whole.begin), e.value["note"]) for e in motif("E:minor", 5, 4, density=0.5).onsets(0, 1)]
    [('0', 'E3'), ('1/2', 'D4'), ('3/4', 'E3')]
    """
    size = len(get_scale(scale))

    def build(value: int) -> Pattern:
        degrees = motif_steps(value, size, steps, length, density, contour, span, low, cadence)
        return _phrase(degrees, scale, steps, length)

    return per_seed(seed, "motif", build)


# ------------------------------------------------------------------ random walk


def walk_degrees(seed: int, count: int, start: int = 0, low: int = -3, high: int = 7,
                 leap: int = 1) -> list[int]:
    """`count` scale degrees of a random walk from `start`: each moves up to `leap` steps
    (never staying put), choosing only among the moves that stay within `low` .. `high`.

    >>> walk_degrees(1, 8)
    [0, 1, 0, -1, -2, -1, -2, -3]
    """
    where = "walk"
    check_seed(seed, where)
    _whole(count, "the note count", 1, MAX_COUNT, where)
    _whole(low, "low", -48, 48, where)
    _whole(high, "high", low + 1, 96, where)
    _whole(start, "start", low, high, where)
    _whole(leap, "leap", 1, 12, where)
    stream = Stream(seed, "walk")
    moves = [m for m in range(-leap, leap + 1) if m]
    degrees = [start]
    for _ in range(count - 1):
        here = degrees[-1]
        degrees.append(here + stream.choice([m for m in moves if low <= here + m <= high]))
    return degrees


def walk(scale: str = "C:major", seed: Any = 0, steps: int = 8, length: int = 1, start: int = 0,
         low: int = -3, high: int = 7, leap: int = 1) -> Pattern:
    """A seeded random walk through a scale, looping every `length` cycles.

    `steps` notes a cycle from degree `start`, each up to `leap` steps from the last, within
    the degrees `low` .. `high`.

    >>> [e.value["note"] for e in walk("D:dorian", 2, 4, leap=2).onsets(0, 1)]
    ['D3', 'E3', 'F3', 'A3']
    """
    get_scale(scale)
    _whole(steps, "steps", 1, 64, "walk")
    _whole(length, "length", 1, 64, "walk")

    def build(value: int) -> Pattern:
        degrees = walk_degrees(value, steps * length, start, low, high, leap)
        return _phrase([(i, 1, d) for i, d in enumerate(degrees)], scale, steps, length)

    return per_seed(seed, "walk", build)


# ------------------------------------------------------------------ L-systems


def lsystem(axiom: str, rules: Mapping[str, str], generations: int) -> str:
    """Rewrite `axiom` `generations` times, every symbol with a rule replaced at once.

    >>> lsystem("A", {"A": "AB", "B": "A"}, 4)
    'ABAABABA'
    >>> lsystem("A", {"A": "AA"}, 20)
    Traceback (most recent call last):
    ...
    patterns.errors.GeneratorError: lsystem: the string grows past 4096 symbols after 13 generations; use fewer
    """
    if not isinstance(axiom, str) or not axiom:
        raise GeneratorError(f"lsystem: the axiom must be a non-empty string, got {axiom!r}")
    if not isinstance(rules, Mapping) or not all(
        isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in rules.items()
    ):
        raise GeneratorError(f"lsystem: rules map one symbol to a string, like {{'A': 'AB'}}, got {rules!r}")
    _whole(generations, "generations", 0, 64, "lsystem")
    text = axiom
    for generation in range(generations):
        text = "".join(rules.get(symbol, symbol) for symbol in text)
        if len(text) > MAX_LSYSTEM:
            raise GeneratorError(
                f"lsystem: the string grows past {MAX_LSYSTEM} symbols after {generation + 1} "
                "generations; use fewer"
            )
    return text


def _fold(degree: int, low: int, high: int) -> int:
    """Reflect a degree back into [low, high] (a mirror at each end)."""
    width = high - low
    offset = (degree - low) % (2 * width)
    return low + (offset if offset <= width else 2 * width - offset)


def lsystem_degrees(text: str, moves: Mapping[str, int] | None = None, low: int = -7,
                    high: int = 14) -> list[int | None]:
    """Read an L-system string as a melody: `+`/`-` move a scale step up/down, `[` and `]`
    save and restore the degree, `.` or `~` is a rest (None); any other symbol plays the
    current degree after moving by `moves[symbol]` (0 if it has none). Degrees fold back
    into `low` .. `high`.

    >>> lsystem_degrees("A+A+A-[-A]A.A", {"A": 0})
    [0, 1, 2, 0, 1, None, 1]
    """
    if isinstance(low, bool) or isinstance(high, bool) or not isinstance(low, int) \
            or not isinstance(high, int) or high <= low:
        raise GeneratorError(f"lsystem: low and high are whole degrees, high above low, got {low!r} .. {high!r}")
    table = dict(moves or {})
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in table.values()):
        raise GeneratorError(f"lsystem: moves map symbols to whole scale steps, got {moves!r}")
    degree = 0
    saved: list[int] = []
    out: list[int | None] = []
    for symbol in text:
        if symbol == "+":
            degree += 1
        elif symbol == "-":
            degree -= 1
        elif symbol == "[":
            saved.append(degree)
        elif symbol == "]":
            degree = saved.pop() if saved else degree
        elif symbol in ".~":
            out.append(None)
        elif not symbol.isspace():
            degree += int(table.get(symbol, 0))
            out.append(_fold(degree, low, high))
    return out


def lsystem_melody(axiom: str, rules: Mapping[str, str], generations: int,
                   scale: str = "C:major", steps: int = 8, moves: Mapping[str, int] | None = None,
                   low: int = -7, high: int = 14) -> Pattern:
    """An L-system played as a melody in a scale, `steps` symbols a cycle, looping.

    See `lsystem` (the string) and `lsystem_degrees` (how symbols move and play).

    >>> pat = lsystem_melody("A", {"A": "A+B", "B": "-A"}, 3, "C:minor", steps=4, moves={"B": 2})
    >>> [e.value["note"] for e in pat.onsets(0, 1)]
    ['C3', 'F3', 'F3', 'F3']
    """
    get_scale(scale)
    _whole(steps, "steps", 1, 64, "lsystem")
    degrees = lsystem_degrees(lsystem(axiom, rules, generations), moves, low, high)
    if not degrees:
        raise GeneratorError("lsystem: the string plays no notes")
    cycles = math.ceil(len(degrees) / steps)
    notes = [(i, 1, d) for i, d in enumerate(degrees) if d is not None]
    return _phrase(notes, scale, steps, cycles)
