"""Drum programs: every program plays the grid docs/songwriting.md draws for it (read back by
an independent parser here), a few programs against hand-written golden event lists, and the
variation, fill, seed, layering and feel options."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import drums, s
from patterns.errors import DrumProgramError, LivecodeError
from patterns.pattern import Pattern
from patterns.programs import DRUM_PROGRAMS, drum_grid, drum_program, drum_program_names, grid_bars

__all__: list[str] = []

DOC = Path(__file__).resolve().parents[2] / "docs" / "songwriting.md"
Hit = tuple[Fraction, str, Any]


def played(pat: Pattern, begin: int, end: int) -> list[Hit]:
    """(onset, drum, velocity or None) of every onset in [begin, end), sorted."""
    return sorted(
        ((e.whole.begin, e.value["s"], e.value.get("velocity")) for e in pat.onsets(begin, end)),
        key=lambda hit: (hit[0], hit[1]),
    )


def parse_grid(lines: list[str]) -> list[Hit]:
    """Hits of a drawn grid (header line first), read independently of patterns.programs."""
    hits: list[Hit] = []
    for line in lines[1:]:
        name, letters = line.split()
        for bar, steps in enumerate(letters.split("|")):
            assert len(steps) == 16, line
            for index, char in enumerate(steps):
                start = Fraction(bar) + Fraction(index, 16)
                if char == "x":
                    hits.append((start, name, None))
                elif char == "g":
                    hits.append((start, name, 0.5))
                elif char.isdigit():
                    count = int(char)
                    hits.extend((start + Fraction(i, 16 * count), name, None) for i in range(count))
                else:
                    assert char == ".", f"unexpected letter {char!r} in {line!r}"
    return sorted(hits, key=lambda hit: (hit[0], hit[1]))


CALL = re.compile(r'^>>> print\(drum_grid\((?:"([^"]+)"(?:, variation=(\d+))?|drums\("([^"]+)", fill=1\))\)\)')


def documented_grids() -> dict[tuple[str, str], list[str]]:
    """(program, "0"/"1"/.../"fill") -> the grid lines under its call in the docs."""
    lines = DOC.read_text().splitlines()
    found: dict[tuple[str, str], list[str]] = {}
    for index, line in enumerate(lines):
        match = CALL.match(line)
        if match is None:
            continue
        name, variation, filled = match.groups()
        key = (filled, "fill") if filled else (name, variation or "0")
        grid = []
        for following in lines[index + 1:]:
            if not following.strip() or following.startswith(">>>"):
                break
            grid.append(following)
        found[key] = grid
    return found


DOCUMENTED = documented_grids()
CASES = [(name, str(v)) for name, p in DRUM_PROGRAMS.items() for v in range(len(p.variations))]
CASES += [(name, "fill") for name in DRUM_PROGRAMS]


def test_every_variation_and_fill_is_drawn_in_the_docs() -> None:
    assert set(CASES) <= set(DOCUMENTED), sorted(set(CASES) - set(DOCUMENTED))


@pytest.mark.parametrize(("name", "which"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_program_plays_its_documented_grid(name: str, which: str) -> None:
    expected = parse_grid(DOCUMENTED[(name, which)])
    program = drum_program(name)
    if which == "fill":
        pattern, bars = drums(name, fill=1), 1
    else:
        pattern, bars = drums(name, int(which)), grid_bars(program.variations[int(which)])
    assert played(pattern, 0, bars) == expected
    # and it loops: the next bars repeat the grid
    later = [(t - bars, drum, v) for t, drum, v in played(pattern, bars, 2 * bars)]
    assert later == expected


def hits(spec: str) -> list[Hit]:
    """Golden hits written by hand: 'step:drum' words, step in sixteenths (fractions ok)."""
    out: list[Hit] = []
    for word in spec.split():
        step, name = word.split(":")
        velocity = 0.5 if name.endswith("~") else None
        out.append((Fraction(step) / 16, name.rstrip("~"), velocity))
    return sorted(out, key=lambda hit: (hit[0], hit[1]))


GOLDEN = {
    # dembow: kick on every beat, the snare on the 3+3+2 figure, hats in eighths
    "dembow": "0:bd 0:hh 2:hh 3:sd 4:bd 4:hh 6:hh 6:sd 8:bd 8:hh 10:hh 11:sd 12:bd 12:hh 14:hh 14:sd",
    # trap: a three-hit roll inside the 14th sixteenth
    "trap": "0:bd 0:hh 2:hh 4:hh 6:hh 7:bd 8:cp 8:hh 10:bd 10:hh 12:hh 13:hh 40/3:hh 41/3:hh 14:hh",
    # jersey club: the five-kick bounce
    "jersey club": "0:bd 0:hh 2:hh 3:bd 4:cp 4:hh 6:bd 6:hh 8:bd 8:hh 10:bd 10:hh 12:cp 12:hh 14:hh",
    # uk garage: no kick on 2 and 4, ghost hats before the off-beats
    "uk garage": "0:bd 2:hh 4:sd 5:hh~ 6:hh 10:bd 10:hh 12:sd 13:hh~ 14:hh",
    # dance-pop: four on the floor, clap on 2 and 4, ghost hats on the beats
    "dance-pop": "0:bd 0:hh~ 2:hh 4:bd 4:cp 4:hh~ 6:hh 8:bd 8:hh~ 10:hh 12:bd 12:cp 12:hh~ 14:hh",
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_event_lists(name: str) -> None:
    assert played(drums(name), 0, 1) == hits(GOLDEN[name])


def test_boom_bap_is_two_bars() -> None:
    second_bar = [(t - 1, d, v) for t, d, v in played(drums("boom bap"), 1, 2) if d == "bd"]
    assert second_bar == hits("0:bd 2:bd 10:bd")


def test_the_issue_names_every_program() -> None:
    wanted = ["four-on-the-floor", "dance-pop", "trap", "moombahton", "house", "future bass",
              "jersey club", "half-time", "uk garage", "2-step", "dembow", "reggaeton", "boom bap"]
    for name in wanted:
        assert drum_program(name).name in drum_program_names()
    assert len(drum_program_names()) >= 10
    for program in DRUM_PROGRAMS.values():
        assert len(program.variations) >= 2, program.name
        assert grid_bars(program.fill) == 1
        assert program.about and 60 <= program.bpm <= 180


@pytest.mark.parametrize("name", drum_program_names())
def test_only_the_project_drum_names(name: str) -> None:
    known = {"bd", "sd", "hh", "oh", "cp", "rim", "lt", "mt", "ht", "cb", "cr", "rd", "sh"}
    program = drum_program(name)
    for grid in (*program.variations, program.fill):
        assert {lane for lane, _ in grid} <= known


def test_fill_replaces_the_last_bar_of_each_group() -> None:
    pattern = drums("house", fill=4)
    main, fill = drums("house"), drums("house", fill=1)
    for bar in range(8):
        source = fill if bar % 4 == 3 else main
        assert played(pattern, bar, bar + 1) == played(source, bar, bar + 1), bar


def test_a_patterned_variation_is_read_at_each_bar() -> None:
    pattern = drums("trap", "<0 1 2 1>")
    for bar, variation in enumerate([0, 1, 2, 1, 0]):
        assert played(pattern, bar, bar + 1) == played(drums("trap", variation), bar, bar + 1)


@settings(max_examples=40, deadline=None)
@given(st.integers(-10**9, 10**9), st.sampled_from(drum_program_names()))
def test_seeded_variations_are_repeatable_bar_by_bar(seed: int, name: str) -> None:
    program = drum_program(name)
    choices = [drums(name, v) for v in range(len(program.variations))]
    once, again = drums(name, seed=seed), drums(name, seed=seed)
    for bar in (0, 1, 5, 17):
        got = played(once, bar, bar + 1)
        assert got == played(again, bar, bar + 1)
        assert any(got == played(choice, bar, bar + 1) for choice in choices)


def test_seeds_vary_the_bars() -> None:
    sequences = {tuple(len(drums("trap", seed=seed).onsets(b, b + 1)) for b in range(8)) for seed in range(6)}
    assert len(sequences) > 1


def test_controls_apply_to_a_program() -> None:
    values = [e.value for e in drums("house").bank("909").gain(0.8).onsets(0, 1)]
    assert values and all(v["bank"] == "909" and v["gain"] == 0.8 for v in values)


def test_layer_hits() -> None:
    layered = drums("dembow").layer_hits("sd", "cp rim")
    got = played(layered, 0, 1)
    snares = [t for t, d, _ in got if d == "sd"]
    assert [t for t, d, _ in got if d == "cp"] == snares == [t for t, d, _ in got if d == "rim"]
    from patterns import layer_hits
    assert played(layer_hits("sd", "cp")(drums("dembow")), 0, 1) == played(drums("dembow").layerHits("sd", ["cp"]), 0, 1)
    with pytest.raises(DrumProgramError):
        s("bd").layer_hits("", "cp")


@pytest.mark.parametrize("name", drum_program_names())
def test_feel_keeps_the_bar(name: str) -> None:
    pattern = drums(name, fill=3)
    for bar in range(4):
        # half time plays the first half of the same bar, stretched
        half = played(pattern.halftime(), bar, bar + 1)
        first = [(bar + (t - bar) * 2, d, v) for t, d, v in played(pattern, bar, bar + Fraction(1, 2))]
        assert half == first
        # double time then half time gives the bar back
        assert played(pattern.doubletime().halftime(), bar, bar + 1) == played(pattern, bar, bar + 1)
        # double time plays the bar in each half
        double = played(pattern.doubletime(), bar, bar + 1)
        squeezed = [(bar + (t - bar) / 2, d, v) for t, d, v in played(pattern, bar, bar + 1)]
        assert double == sorted(squeezed + [(t + Fraction(1, 2), d, v) for t, d, v in squeezed],
                                key=lambda hit: (hit[0], hit[1]))


def test_drum_grid_draws_any_drum_pattern() -> None:
    assert drum_grid(s("bd*2 [sd,cp]")).splitlines()[1:] == ["bd  x...x...........",
                                                              "sd  ........x.......",
                                                              "cp  ........x......."]
    assert drum_grid(s("bd").late(Fraction(1, 32))).splitlines()[1] == "bd  ?..............."
    with pytest.raises(DrumProgramError):
        drum_grid(s("bd").fmap(lambda v: 3))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: drums("trapp"), "did you mean trap"),
        (lambda: drums("trap", 7), "variation 7 does not exist"),
        (lambda: drums("trap", 1.5), "a variation is a whole number"),
        (lambda: drums("trap", 1, seed=2), "not both"),
        (lambda: drums("trap", fill=-1), "fill is a whole number"),
        (lambda: drums("trap", seed="x"), "seed must be a whole number"),
        (lambda: drums("trap", "<0 9>").query_arc(1, 2), "variation 9 does not exist"),
        (lambda: drums(3), "unknown program 3"),  # type: ignore[arg-type]
    ],
)
def test_errors_name_the_problem(build: Any, message: str) -> None:
    with pytest.raises(LivecodeError) as info:
        build()
    assert message in str(info.value)
