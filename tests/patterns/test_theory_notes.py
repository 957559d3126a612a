"""Note names, MIDI numbers, intervals and spelled transposition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patterns.errors import LivecodeError, TheoryError
from patterns.theory.intervals import from_semitones, parse_interval, semitones, transpose_note
from patterns.theory.notes import (
    is_note,
    midi_to_note,
    note_to_midi,
    parse_note,
    simplify_note,
    to_midi,
)


@pytest.mark.parametrize(
    ("name", "midi"),
    [
        ("c4", 60), ("C4", 60), ("a4", 69), ("c3", 48), ("c", 48), ("a", 57),
        ("c#4", 61), ("cs4", 61), ("db4", 61), ("df4", 61), ("eb3", 51), ("fs2", 42),
        ("b#3", 60), ("cb4", 59), ("c##4", 62), ("bbb3", 57), ("c-1", 0), ("g9", 127),
    ],
)
def test_note_names_to_midi(name: str, midi: int) -> None:
    assert note_to_midi(name) == midi


def test_default_octave_can_be_chosen() -> None:
    assert note_to_midi("e", 4) == 64
    assert note_to_midi("e5", 4) == 76


@pytest.mark.parametrize("bad", ["h", "c4x", "", "bd", "4c", "c 4", "x#"])
def test_bad_note_names_raise_theory_error(bad: str) -> None:
    with pytest.raises(TheoryError, match="note name"):
        parse_note(bad)
    assert not is_note(bad)


def test_theory_error_is_a_livecode_error() -> None:
    with pytest.raises(LivecodeError):
        note_to_midi("zz")


@given(st.integers(min_value=0, max_value=127), st.booleans())
def test_midi_to_note_round_trips(midi: int, sharps: bool) -> None:
    assert note_to_midi(midi_to_note(midi, sharps=sharps)) == midi


def test_midi_to_note_spelling() -> None:
    assert [midi_to_note(m) for m in (60, 61, 63, 66, 70)] == ["C4", "Db4", "Eb4", "Gb4", "Bb4"]
    assert midi_to_note(61, sharps=True) == "C#4"
    with pytest.raises(TheoryError):
        midi_to_note(60.5)  # type: ignore[arg-type]


def test_to_midi_accepts_numbers_and_names() -> None:
    assert to_midi(61.5) == 61.5
    assert to_midi("g3") == 55
    with pytest.raises(TheoryError):
        to_midi(True)


@pytest.mark.parametrize(
    ("name", "simple"),
    [("E#3", "F3"), ("B#3", "C4"), ("Cb4", "B3"), ("Fb2", "E2"), ("C##4", "D4"),
     ("G#3", "G#3"), ("eb3", "Eb3"), ("Abb2", "G2"), ("c", "C")],
)
def test_simplify(name: str, simple: str) -> None:
    assert simplify_note(name) == simple


@pytest.mark.parametrize(
    ("name", "size"),
    [("P1", 0), ("m2", 1), ("M2", 2), ("m3", 3), ("M3", 4), ("P4", 5), ("A4", 6), ("d5", 6),
     ("P5", 7), ("m6", 8), ("M6", 9), ("m7", 10), ("M7", 11), ("P8", 12), ("M9", 14),
     ("3M", 4), ("5P", 7), ("-M2", -2), ("-2M", -2), ("AA4", 7), ("d7", 9), ("P15", 24)],
)
def test_interval_sizes(name: str, size: int) -> None:
    assert semitones(name) == size


@pytest.mark.parametrize("bad", ["M4", "P3", "X3", "3", "M0", "", "m5"])
def test_bad_intervals(bad: str) -> None:
    if bad == "3":  # a bare number is semitones
        assert semitones(bad) == 3
        return
    with pytest.raises(TheoryError, match="interval"):
        parse_interval(bad)


def test_from_semitones_uses_strudel_names() -> None:
    names = [str(from_semitones(n)) for n in range(13)]
    assert names == ["1P", "2m", "2M", "3m", "3M", "4P", "5d", "5P", "6m", "6M", "7m", "7M", "8P"]
    assert str(from_semitones(-3)) == "-3m"


@pytest.mark.parametrize(
    ("note", "interval", "result"),
    [("E3", "M3", "G#3"), ("C3", 6, "Gb3"), ("D", "P5", "A"), ("B3", "m2", "C4"),
     ("C4", -1, "B3"), ("F#4", "P4", "B4"), ("Bb2", "P8", "Bb3"), ("E4", "-M2", "D4"),
     ("A3", "M3", "C#4"), ("Eb3", "M3", "G3")],
)
def test_transpose_note_spells_by_letter(note: str, interval: str | int, result: str) -> None:
    assert transpose_note(note, interval) == result


@given(st.integers(min_value=24, max_value=100), st.integers(min_value=-24, max_value=24))
def test_transpose_by_semitones_moves_the_midi_number(midi: int, amount: int) -> None:
    moved = transpose_note(midi_to_note(midi), amount)
    assert note_to_midi(moved) == midi + amount
