"""Named scales, degrees and scale transposition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patterns.errors import TheoryError
from patterns.theory.notes import note_to_midi
from patterns.theory.scales import (
    SCALE_ALIASES,
    SCALES,
    ScaleNote,
    get_scale,
    scale_names,
    scale_note,
    scale_transpose_note,
)


def test_at_least_forty_scales_all_parse_and_ascend() -> None:
    assert len(scale_names()) >= 40
    for name in SCALES:
        scale = get_scale(f"C:{name}")
        midis = [note_to_midi(scale.step(d)) for d in range(len(scale) + 1)]
        assert midis == sorted(set(midis)), name
        assert midis[-1] - midis[0] == 12, name


def test_aliases_point_at_real_scales() -> None:
    for alias, target in SCALE_ALIASES.items():
        assert target in SCALES
        assert get_scale(f"D:{alias}").intervals == get_scale(f"D:{target}").intervals


@pytest.mark.parametrize(
    ("spec", "degrees", "notes"),
    [
        ("C:major", [0, 2, 4, 7], ["C3", "E3", "G3", "C4"]),
        ("D:minor", list(range(8)), ["D3", "E3", "F3", "G3", "A3", "Bb3", "C4", "D4"]),
        ("C:minor", [2, 5, 6], ["Eb3", "Ab3", "Bb3"]),
        ("C2:minor", [0, 7, 12], ["C2", "C3", "Ab3"]),
        ("E:major:pentatonic", [0, 1, 2, 3, 4, 5], ["E3", "F#3", "G#3", "B3", "C#4", "E4"]),
        ("A:minor pentatonic", [0, -1, -5], ["A3", "G3", "A2"]),
        ("F#:dorian", [0, 2, 5], ["F#3", "A3", "D#4"]),
        ("Bb4:major", [0, 3], ["Bb4", "Eb5"]),
        ("c:harmonicMinor", [6], ["B3"]),
    ],
)
def test_degrees(spec: str, degrees: list[int], notes: list[str]) -> None:
    assert [scale_note(d, spec) for d in degrees] == notes


def test_degree_forms() -> None:
    assert scale_note(1.5, "C:major") == "E3"  # Strudel rounds up
    assert scale_note("2#", "C:major") == "F3"
    assert scale_note("2b", "C:major") == "D#3"  # Strudel: E3 down a minor second
    assert scale_note(-8, "C:major") == "B1"


@given(st.integers(min_value=-30, max_value=30), st.sampled_from(sorted(SCALES)))
def test_degrees_wrap_by_octaves(degree: int, name: str) -> None:
    spec = f"G:{name}"
    size = len(get_scale(spec))
    up = note_to_midi(scale_note(degree + size, spec))
    assert up - note_to_midi(scale_note(degree, spec)) == 12


@pytest.mark.parametrize(
    ("spec", "message"),
    [("C:blah", "unknown scale name"), ("minor", "expected a tonic"), ("", "expected a tonic"),
     ("H:major", "expected a tonic")],
)
def test_bad_scales(spec: str, message: str) -> None:
    with pytest.raises(TheoryError, match=message):
        get_scale(spec)


def test_bad_degrees() -> None:
    with pytest.raises(TheoryError, match="degree"):
        scale_note("x", "C:major")
    with pytest.raises(TheoryError, match="degree"):
        scale_note(True, "C:major")  # type: ignore[arg-type]


def test_scale_notes_remember_their_scale() -> None:
    note = scale_note(2, "C:major")
    assert isinstance(note, ScaleNote) and note.scale == "C:major" and note == "E3"


def test_scale_transpose() -> None:
    assert scale_transpose_note("E3", 1, "C:major") == "F3"
    assert scale_transpose_note("C3", -1, "C:minor") == "Bb2"
    assert scale_transpose_note("B3", 2, "C:major") == "D4"
    with pytest.raises(TheoryError, match="not in the scale"):
        scale_transpose_note("C#3", 1, "C:major")
    with pytest.raises(TheoryError, match="whole number"):
        scale_transpose_note("C3", 0.5, "C:major")  # type: ignore[arg-type]
