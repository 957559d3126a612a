"""docs/songwriting.md and the docstrings of the songwriting modules run as doctests; every
songwriting transformation is registered (method and function, pattern last) and, called with
odd arguments, raises only LivecodeError subclasses."""

from __future__ import annotations

import doctest
import importlib
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import patterns
from patterns import LivecodeError, Pattern, n, note, progression, pure, rev, s, saw, sequence, silence
from patterns.register import Registered, registry

__all__: list[str] = []

DOCS = Path(__file__).resolve().parents[2] / "docs"
MODULES = [
    "patterns.programs",
    "patterns.feel",
    "patterns.lyrics",
    "patterns.compose",
    "patterns.compose.rng",
    "patterns.compose.phrase",
    "patterns.compose.melody",
    "patterns.compose.variations",
    "patterns.compose.chains",
    "patterns.theory.progressions",
    "patterns.theory.bass",
    "patterns.theory.keychange",
]
SONG_MODULES = tuple(MODULES)


def test_songwriting_doc_examples() -> None:
    result = doctest.testfile(str(DOCS / "songwriting.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 20
    assert result.failed == 0, f"{result.failed} failing example(s) in docs/songwriting.md"


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"


NAMES = sorted(
    name for name, reg in registry.items()
    if getattr(reg.func, "__module__", "") in SONG_MODULES and reg.name == name
)
EXPECTED = {
    "layerHits", "halftime", "doubletime", "bass", "bassFrom", "octaveJumps", "slideOnChange",
    "keyChange", "inversion", "inversionAt", "retrograde", "retrogradeBy", "scaleSequence",
    "augment", "diminish", "ornament", "displace", "lyrics",
}


def test_every_songwriting_transformation_is_registered() -> None:
    assert set(NAMES) == EXPECTED
    for name in NAMES:
        reg = registry[name]
        assert isinstance(reg, Registered) and isinstance(getattr(Pattern, name), Registered)
        assert getattr(patterns, name) is reg, name
    for alias in ("layer_hits", "bass_from", "octave_jumps", "slide_on_change", "key_change",
                  "inversion_at", "retrograde_by", "scale_sequence"):
        assert registry[alias] is getattr(patterns, alias)


def test_functions_take_the_pattern_last_and_curry() -> None:
    beat = s("bd sd")
    assert patterns.layer_hits("sd", "cp", beat).first_cycle() == beat.layer_hits("sd", "cp").first_cycle()
    assert patterns.layer_hits("sd", "cp")(beat).first_cycle() == beat.layer_hits("sd", "cp").first_cycle()
    assert patterns.every(2, patterns.halftime)(beat).first_cycle() == beat.halftime().first_cycle()
    assert patterns.halftime(s("bd sd")).first_cycle() == s("bd sd").halftime().first_cycle()
    assert patterns.lyrics("la", note("c4")).first_cycle() == note("c4").lyrics("la").first_cycle()
    melody = n("0 2 4").scale("C:major")
    assert patterns.keyChange(2, melody).first_cycle() == melody.keyChange(2).first_cycle()
    assert patterns.keyChange(2)(melody).first_cycle() == melody.keyChange(2).first_cycle()
    assert patterns.every(2, patterns.retrograde)(melody).first_cycle() == melody.retrograde().first_cycle()
    assert melody.every(2, patterns.scaleSequence(1, 2)).query_arc(0, 1) == melody.scaleSequence(1, 2).query_arc(0, 1)


TARGETS = [sequence("a", "b", "c"), pure({"s": "bd", "n": 1}), n("0 2").scale("C:major"),
           note("c4 e4"), progression("pop", "C"), saw.segment(4), silence, saw]
ARGUMENTS: list[tuple[Any, ...]] = [
    (), (2,), ("<1 2>",), (Fraction(1, 3),), (rev,), (2, rev), ("1 0",), (0.5,), (3, 8),
    (0,), (-1,), ("x",), (None,), ("~",), ("sd", "cp"), ("turn",), ("c4",), ("M2",), (1e9,),
    ([1, 2],), ({"x": 1},), ("la-la _",),
]  # fmt: skip
SPANS = [(0, 2), (Fraction(1, 3), Fraction(7, 5)), (-1, 0), (Fraction(1, 2), Fraction(1, 2))]


@pytest.mark.parametrize("name", NAMES)
def test_only_livecode_errors_escape(name: str) -> None:
    reg = registry[name]
    built = 0
    for target in TARGETS:
        for args in ARGUMENTS:
            try:
                result = reg.call_method(target, args)
                if isinstance(result, Pattern):
                    for begin, end in SPANS:
                        result.query_arc(begin, end)
                    built += 1
            except LivecodeError:
                continue
    assert built > 0, f"{name} never accepted any argument set"


@pytest.mark.parametrize(
    "call",
    [
        lambda: patterns.drums(None),
        lambda: patterns.drums("trap", [1]),
        lambda: patterns.drums("trap", fill="x"),
        lambda: patterns.drum_grid(3),
        lambda: patterns.motif(3),
        lambda: patterns.motif("C:major", 1, steps="x"),
        lambda: patterns.walk("C:major", 1, leap=None),
        lambda: patterns.markov("c4 e4"),
        lambda: patterns.lsystem("A", "AB", 2),
        lambda: patterns.lsystem_melody("A", {"A": "AB"}, 2, "C:major", steps=1.5),
        lambda: patterns.call_response(note("c4"), cycles="x"),
        lambda: patterns.named_chords(3),
        lambda: patterns.lyric_lines(note("c4"), "x"),
        lambda: patterns.split_lyrics(None),
    ],
)
def test_constructors_raise_livecode_errors(call: Any) -> None:
    with pytest.raises(LivecodeError):
        call()
