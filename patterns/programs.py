"""Named drum programs: ten grooves of pop and dance music as documented, variable patterns.

A program is a grid per drum (16 steps to a bar, one bar a cycle) in a few variations and a
one-bar fill. `drums(name, variation, fill, seed)` plays it as control maps with the project's
drum names (`bd sd cp rim hh oh lt mt ht cb cr rd sh`), so `.bank("909")`, `.gain(...)` and
every other transformation apply; `drum_grid(...)` draws the grid of any drum pattern from its
events, which is how docs/songwriting.md shows (and the tests check) every program.

Grid letters: `x` a hit, `g` a ghost note (velocity 0.5), `2`..`9` a roll of that many even
hits inside the step, `.` nothing; `|` separates bars.

>>> print(drum_grid("dembow"))
    1...2...3...4...
bd  x...x...x...x...
sd  ...x..x....x..x.
hh  x.x.x.x.x.x.x.x.
>>> [e.value for e in drums("dembow").onsets(0, 0.25)]
[{'s': 'bd'}, {'s': 'hh'}, {'s': 'hh'}, {'s': 'sd'}]
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from patterns.compose.phrase import PhraseEvent, loop_phrase
from patterns.compose.rng import check_seed
from patterns.errors import DrumProgramError
from patterns.event import Event
from patterns.pattern import Pattern, reify
from patterns.random import seed_offset, time_to_rand
from patterns.register import register
from patterns.timespan import TimeSpan

__all__ = [
    "DrumProgram",
    "DRUM_PROGRAMS",
    "DRUM_ORDER",
    "GHOST_VELOCITY",
    "STEPS_PER_BAR",
    "drum_program",
    "drum_program_names",
    "drums",
    "drum_grid",
    "grid_events",
    "layerHits",
    "layer_hits",
]

STEPS_PER_BAR = 16
"""Steps of a program's grid per bar (a bar is one cycle)."""

GHOST_VELOCITY = 0.5
"""The velocity of a ghost note (`g` in a grid)."""

DRUM_ORDER = ("bd", "kick808", "sd", "cp", "rim", "lt", "mt", "ht", "hh", "oh", "sh", "cb", "cr", "rd")
"""The order of the lanes in a drawn grid (other names follow, sorted)."""

Grid = tuple[tuple[str, str], ...]
"""A grid: (drum name, steps) lanes; steps are 16 letters per bar, bars separated by `|`."""


@dataclass(frozen=True, slots=True)
class DrumProgram:
    """A named groove: its variations (grids of the same length), a one-bar fill, a tempo.

    >>> p = drum_program("trap")
    >>> p.name, p.bpm, len(p.variations), p.bars
    ('trap', 140, 3, 1)
    """

    name: str
    about: str
    bpm: int
    variations: tuple[Grid, ...]
    fill: Grid
    aliases: tuple[str, ...] = ()

    @property
    def bars(self) -> int:
        """Bars of the main variation (every variation has its own length; fills have one)."""
        return grid_bars(self.variations[0])


def _grid(**lanes: str) -> Grid:
    return tuple(lanes.items())


_PROGRAMS: tuple[DrumProgram, ...] = (
    DrumProgram(
        "dance-pop",
        "Four-on-the-floor dance-pop: a kick on every beat, a clap on 2 and 4, off-beat hats.",
        120,
        (
            _grid(bd="x...x...x...x...", cp="....x.......x...", hh="g.x.g.x.g.x.g.x."),
            _grid(bd="x...x...x...x...", cp="....x.......x...", hh="xgxgxgxgxgxgxgx.",
                  oh="..............x."),
            _grid(bd="x...x...x...x...", cp="....x.......x...", hh="g.x.g.x.g.x.g.x.",
                  sh="gxgxgxgxgxgxgxgx", cr="x..............."),
        ),
        _grid(bd="x...x...x.......", sd="........x.x.xxxx", hh="x.x.x.x........."),
        ("four-on-the-floor", "four on the floor", "4otf", "dancepop", "pop"),
    ),
    DrumProgram(
        "trap",
        "Trap at 140 in half time: sparse 808 kicks, a clap on 3, hats in eighths with rolls.",
        140,
        (
            _grid(bd="x......x..x.....", cp="........x.......", hh="x.x.x.x.x.x.x3x."),
            _grid(bd="x.....x...x..x..", cp="........x.......", hh="x.x.x.x2x.x.x.44"),
            _grid(bd="x.......x.x.....", cp="........x.......", hh="x.x.x.x.xxxx2222"),
        ),
        _grid(bd="x......x........", cp="........x.......", hh="x.x.x.x.33334444"),
        ("trap hats",),
    ),
    DrumProgram(
        "moombahton",
        "Moombahton: four-on-the-floor kick under the dembow snare, open hats on the off-beats.",
        110,
        (
            _grid(bd="x...x...x...x...", sd="...x..x....x..x.", oh="..x...x...x...x."),
            _grid(bd="x...x...x...x...", sd="...x..x....x..x.", cp="....x.......x...",
                  oh="..x...x...x...x.", lt="..........x..x.."),
            _grid(bd="x...x...x...x...", sd="...x..x....x..xx", rim="x..x..x.x..x..x.",
                  oh="..x...x...x...x."),
        ),
        _grid(bd="x...x...x...x...", sd="...x..x.x.x.xxxx", lt="........x.x....."),
        ("moombah",),
    ),
    DrumProgram(
        "house",
        "House: four-on-the-floor kick, clap on 2 and 4, open hat on every off-beat, shaker.",
        124,
        (
            _grid(bd="x...x...x...x...", cp="....x.......x...", oh="..x...x...x...x.",
                  sh="gxgxgxgxgxgxgxgx"),
            _grid(bd="x...x...x...x...", cp="....x.......x...", oh="..x...x...x...x.",
                  rd="x.x.x.x.x.x.x.x."),
            _grid(bd="x...x...x...x..x", cp="....x..x....x...", oh="..x...x...x...x.",
                  sh="gxgxgxgxgxgxgxgx"),
        ),
        _grid(bd="x...x...x...x...", cp="....x...x.x.xxxx", oh="..x...x........."),
        ("deep house",),
    ),
    DrumProgram(
        "future bass",
        "Future bass in half time: kick on 1, snare and clap together on 3, busy hats.",
        150,
        (
            _grid(bd="x.........x.....", sd="........x.......", cp="........x.......",
                  hh="x.x.x.x.x.x.x.x."),
            _grid(bd="x.....x...x.....", sd="........x.......", cp="........x.......",
                  hh="x.x.x.x.x.xxx.x."),
            _grid(bd="x.........x..x..", sd="........x.......", cp="........x.......",
                  hh="x.x.x.x.x.x.x2x2"),
        ),
        _grid(bd="x.........x.....", sd="........x.x.xxxx", cp="........x.......",
              hh="x.x.x.x........."),
        ("futurebass",),
    ),
    DrumProgram(
        "jersey club",
        "Jersey club at 140: the bouncing five-kick figure, claps on 2 and 4.",
        140,
        (
            _grid(bd="x..x..x.x.x.....", cp="....x.......x...", hh="x.x.x.x.x.x.x.x."),
            _grid(bd="x..x..x.x.x..x.x", cp="....x.......x...", rim="..x...x...x...x."),
        ),
        _grid(bd="x.x.x.x.xxxxxxxx", cp="....x.......x..."),
        ("jersey",),
    ),
    DrumProgram(
        "half-time",
        "A half-time groove: the backbeat moves to 3, so the bar feels half as fast.",
        140,
        (
            _grid(bd="x.........x.....", sd="........x.......", hh="x...x...x...x..."),
            _grid(bd="x.....x...x.....", sd="........x.......", hh="x.x.x.x.x.x.x.x."),
        ),
        _grid(bd="x...............", sd="........x.......", ht="........xx......",
              mt="..........xx....", lt="............xxxx"),
        ("halftime",),
    ),
    DrumProgram(
        "uk garage",
        "UK garage 2-step: a kick on 1 and the and-of-3, no kick on 2 and 4, snare on 2 and 4.",
        132,
        (
            _grid(bd="x.........x.....", sd="....x.......x...", hh="..x..gx...x..gx."),
            _grid(bd="x.........x..x..", sd="....x.......x...", hh="..x..gx...x..gx.",
                  rim="...x......x....."),
        ),
        _grid(bd="x.........x.....", sd="....x...x.x.x.xx", hh="..x..gx........."),
        ("2-step", "two-step", "ukg", "garage"),
    ),
    DrumProgram(
        "dembow",
        "Dembow / reggaeton: the kick on every beat against the snare's 3+3+2 figure.",
        95,
        (
            _grid(bd="x...x...x...x...", sd="...x..x....x..x.", hh="x.x.x.x.x.x.x.x."),
            _grid(bd="x...x...x...x...", sd="...x..x....x..x.", cp="...x..x....x..x.",
                  oh="..x...x...x...x."),
            _grid(bd="x...x...x...x...", sd="...x..x.x..x..x.", hh="x.x.x.x.x.x.x.x."),
        ),
        _grid(bd="x...x...x...x...", sd="...x..x.x.x.xxxx", hh="x.x.x.x........."),
        ("reggaeton",),
    ),
    DrumProgram(
        "boom bap",
        "Boom bap over two bars: a lazy kick, a hard snare on 2 and 4, straight hats.",
        90,
        (
            _grid(bd="x......x..x.....|x.x.......x.....", sd="....x.......x...|....x.......x...",
                  hh="x.x.x.x.x.x.x.x.|x.x.x.x.x.x.x.x."),
            _grid(bd="x......x.x......|x.x....x..x.....", sd="....x.......x...|....x.......x..g",
                  hh="x.x.x.x.x.x.x.x.|x.x.x.x.x.x.x.x."),
        ),
        _grid(bd="x.......x.x.....", sd="....x.......x.xx", hh="x.x.x.x.x.x....."),
        ("boombap", "hip hop", "hiphop"),
    ),
)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.lower())


DRUM_PROGRAMS: Mapping[str, DrumProgram] = {program.name: program for program in _PROGRAMS}
"""Every drum program by name, in documentation order."""

_LOOKUP: dict[str, DrumProgram] = {}
for _program in _PROGRAMS:
    for _name in (_program.name, *_program.aliases):
        _LOOKUP[_key(_name)] = _program


def drum_program_names() -> list[str]:
    """The names of the drum programs (aliases left out), in documentation order.

    >>> len(drum_program_names()), drum_program_names()[:3]
    (10, ['dance-pop', 'trap', 'moombahton'])
    """
    return list(DRUM_PROGRAMS)


def drum_program(name: str) -> DrumProgram:
    """A program by name or alias (case, spaces, `-` and `_` ignored).

    >>> drum_program("Reggaeton").name, drum_program("2-step").name
    ('dembow', 'uk garage')
    >>> drum_program("trapp")
    Traceback (most recent call last):
    ...
    patterns.errors.DrumProgramError: drums: unknown program 'trapp' (did you mean trap?); programs: dance-pop, trap, moombahton, house, future bass, jersey club, half-time, uk garage, dembow, boom bap
    """
    found = _LOOKUP.get(_key(name)) if isinstance(name, str) else None
    if found is not None:
        return found
    close = difflib.get_close_matches(_key(str(name)), list(_LOOKUP), n=3)
    names = sorted({_LOOKUP[c].name for c in close}, key=list(DRUM_PROGRAMS).index)
    hint = f" (did you mean {' or '.join(names)}?)" if names else ""
    raise DrumProgramError(f"drums: unknown program {name!r}{hint}; programs: {', '.join(DRUM_PROGRAMS)}")


# ------------------------------------------------------------------ grids to events


def grid_bars(grid: Grid) -> int:
    """How many bars a grid has (all lanes must agree).

    >>> grid_bars((("bd", "x...............|x..............."),))
    2
    """
    counts = {len(steps.split("|")) for _, steps in grid}
    if len(counts) != 1:
        raise DrumProgramError(f"drums: the lanes of a grid must have the same number of bars, got {grid!r}")
    return counts.pop()


def _step_events(lane: str, char: str, begin: Fraction, step: Fraction) -> list[PhraseEvent]:
    if char == ".":
        return []
    if char == "x":
        return [(begin, begin + step, {"s": lane})]
    if char == "g":
        return [(begin, begin + step, {"s": lane, "velocity": GHOST_VELOCITY})]
    if char.isdigit() and int(char) >= 2:
        count = int(char)
        sub = step / count
        return [(begin + sub * i, begin + sub * (i + 1), {"s": lane}) for i in range(count)]
    raise DrumProgramError(f"drums: unknown grid letter {char!r} in lane {lane!r} (use x g . 2-9)")


def grid_events(grid: Grid) -> list[PhraseEvent]:
    """The events of a grid as a phrase (times in cycles from its first bar).

    >>> [(str(b), v) for b, _, v in grid_events((("sd", "g..2............"),))]
    [('0', {'s': 'sd', 'velocity': 0.5}), ('3/16', {'s': 'sd'}), ('7/32', {'s': 'sd'})]
    """
    step = Fraction(1, STEPS_PER_BAR)
    out: list[PhraseEvent] = []
    for lane, steps in grid:
        for bar, letters in enumerate(steps.split("|")):
            if len(letters) != STEPS_PER_BAR:
                raise DrumProgramError(
                    f"drums: lane {lane!r} has {len(letters)} steps in bar {bar + 1}, expected {STEPS_PER_BAR}"
                )
            for index, char in enumerate(letters):
                out.extend(_step_events(lane, char, bar + index * step, step))
    out.sort(key=lambda item: item[0])
    return out


@lru_cache(maxsize=128)
def _grid_pattern(grid: Grid) -> Pattern:
    return loop_phrase(grid_events(grid), grid_bars(grid))


# ------------------------------------------------------------------ drums()


def _bar_switch(choose: Callable[[int], Pattern]) -> Pattern:
    """A pattern that plays, in each bar (cycle) c, the pattern `choose(c)` (at its own time)."""

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            out.extend(choose(math.floor(piece.begin)).query(piece))
        return out

    return Pattern(query)


def _variation_index(program: DrumProgram, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise DrumProgramError(f"drums({program.name!r}): a variation is a whole number, got {value!r}")
    index = int(value)
    if not 0 <= index < len(program.variations):
        raise DrumProgramError(
            f"drums({program.name!r}): variation {index} does not exist (0 .. {len(program.variations) - 1})"
        )
    return index


def _variation_at(program: DrumProgram, variation: Any, seed: int | None) -> Callable[[int], int]:
    """The variation each bar plays: constant, read from a pattern at the bar's start, or seeded."""
    if seed is not None:
        offset = seed_offset(check_seed(seed, f"drums({program.name!r})"))
        count = len(program.variations)
        return lambda bar: min(count - 1, int(time_to_rand(bar + offset) * count))
    if isinstance(variation, int) and not isinstance(variation, bool):
        index = _variation_index(program, variation)
        return lambda bar: index
    choices = reify(variation)

    def read(bar: int) -> int:
        found = [e for e in choices.query_arc(bar, bar) if e.whole is not None]
        return _variation_index(program, found[0].value) if found else 0

    return read


def drums(name: str, variation: Any = 0, fill: int = 0, seed: int | None = None) -> Pattern:
    """Play a drum program by name (docs/songwriting.md draws every grid).

    - `variation`: which of the program's variations plays, a number or a pattern read at the
      start of each bar (`"<0 0 1 2>"`).
    - `fill`: every `fill` bars the last one plays the program's fill (0: never, 1: always).
    - `seed`: each bar plays a variation chosen at random from this seed instead (the same
      bar always gets the same one).

    >>> [e.value["s"] for e in drums("house").onsets(0, 0.25)]
    ['bd', 'sh', 'sh', 'oh', 'sh', 'sh']
    >>> [e.value["s"] for e in drums("trap", fill=2).onsets(1.75, 2)]
    ['hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh', 'hh']
    """
    program = drum_program(name)
    if seed is not None and not (isinstance(variation, int) and variation == 0):
        raise DrumProgramError(f"drums({program.name!r}): give a variation or a seed, not both")
    if isinstance(fill, bool) or not isinstance(fill, int) or fill < 0:
        raise DrumProgramError(f"drums({program.name!r}): fill is a whole number of bars (0 for none), got {fill!r}")
    which = _variation_at(program, variation, seed)
    patterns = [_grid_pattern(grid) for grid in program.variations]
    filled = _grid_pattern(program.fill)

    def choose(bar: int) -> Pattern:
        if fill and (bar + 1) % fill == 0:
            return filled
        return patterns[which(bar)]

    first = which(0)  # a bad variation fails when the code runs, not when the bar plays
    if not fill and isinstance(variation, int) and seed is None:
        return patterns[first]
    return _bar_switch(choose)


# ------------------------------------------------------------------ drawing a grid


def _lane_name(value: Any) -> str:
    if isinstance(value, Mapping) and isinstance(value.get("s"), str):
        return str(value["s"]).split(":", 1)[0]
    if isinstance(value, str):
        return value.split(":", 1)[0]
    raise DrumProgramError(f"drum_grid: expected drum events like {{'s': 'bd'}}, got {value!r}")


def _step_letter(onsets: list[Event], begin: Fraction, step: Fraction) -> str:
    times = sorted({e.whole.begin for e in onsets})  # type: ignore[union-attr]
    if not times:
        return "."
    if len(times) == 1 and times[0] == begin:
        velocity = onsets[0].value.get("velocity", 1.0) if isinstance(onsets[0].value, Mapping) else 1.0
        return "g" if velocity < 0.75 else "x"
    count = len(times)
    even = [begin + step * i / count for i in range(count)]
    return str(count) if times == even and count <= 9 else "?"


def _ordered_lanes(names: set[str]) -> list[str]:
    known = [name for name in DRUM_ORDER if name in names]
    return known + sorted(names - set(known))


def drum_grid(source: str | Pattern, cycles: int | None = None, variation: int = 0) -> str:
    """Draw the first bars of a drum pattern, or of a program's variation, as a text grid.

    16 steps a bar, drawn from the events: `x` a hit, `g` velocity under 0.75, a digit that
    many hits inside the step, `?` a hit off the grid.

    >>> from patterns.controls import note
    >>> print(drum_grid(drums("trap", 1)))
        1...2...3...4...
    bd  x.....x...x..x..
    cp  ........x.......
    hh  x.x.x.x2x.x.x.44
    >>> print(drum_grid(note("c3 e3").s("bd")))
        1...2...3...4...
    bd  x.......x.......
    """
    if isinstance(source, str):
        program = drum_program(source)
        bars = grid_bars(program.variations[_variation_index(program, variation)])
        pattern = drums(source, variation)
        cycles = bars if cycles is None else cycles
    elif isinstance(source, Pattern):
        pattern = source
        cycles = 1 if cycles is None else cycles
    else:
        raise DrumProgramError(f"drum_grid: expected a program name or a drum pattern, got {source!r}")
    if isinstance(cycles, bool) or not isinstance(cycles, int) or not 1 <= cycles <= 64:
        raise DrumProgramError(f"drum_grid: cycles must be a whole number 1 .. 64, got {cycles!r}")
    step = Fraction(1, STEPS_PER_BAR)
    onsets = [e for e in pattern.query_arc(0, cycles) if e.whole is not None and e.has_onset()]
    lanes: dict[str, list[Event]] = {}
    for event in onsets:
        lanes.setdefault(_lane_name(event.value), []).append(event)
    names = _ordered_lanes(set(lanes))
    width = max([len(n) for n in names] + [2]) + 2
    beat = "1...2...3...4..."
    rows = [" " * width + "|".join([beat] * cycles)]
    for name in names:
        lane_bars: list[str] = []
        for bar in range(cycles):
            letters = []
            for index in range(STEPS_PER_BAR):
                begin = bar + index * step
                inside = [e for e in lanes[name] if begin <= e.whole.begin < begin + step]  # type: ignore[union-attr]
                letters.append(_step_letter(inside, begin, step))
            lane_bars.append("".join(letters))
        rows.append(name.ljust(width) + "|".join(lane_bars))
    return "\n".join(row.rstrip() for row in rows)


# ------------------------------------------------------------------ layered hits


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str) and value.split():
        return tuple(value.split())
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise DrumProgramError(f"{where}: expected drum names like 'sd' or 'cp rim', got {value!r}")


def _layer_hits(target: Any, extra: Any, pat: Pattern) -> Pattern:
    """Layer drums: wherever `target` plays, `extra` plays too (a clap on the snare).

    `target` is a drum name (`"sd"`), `extra` one or several (`"cp"`, `"cp rim"`); the layers
    keep the controls. The mini-notation way is a stack in a step, `s("bd [sd,cp]")`.

    >>> from patterns.controls import s
    >>> [e.value for e in s("bd sd").layer_hits("sd", "cp").onsets(0, 1)]
    [{'s': 'bd'}, {'s': 'sd'}, {'s': 'cp'}]
    """
    targets = set(_names(target, "layer_hits(target, extra, pat)"))
    extras = _names(extra, "layer_hits(target, extra, pat)")

    def with_layers(events: list[Event]) -> list[Event]:
        out: list[Event] = []
        for event in events:
            out.append(event)
            value = event.value
            if isinstance(value, Mapping) and value.get("s") in targets:
                out.extend(Event(event.whole, event.part, {**value, "s": name}, event.context)
                           for name in extras)
        return out

    return pat.with_events(with_layers)


layerHits = register(["layerHits", "layer_hits"], _layer_hits, plain=(0, 1))
layer_hits = layerHits
