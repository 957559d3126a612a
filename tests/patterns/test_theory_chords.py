"""Chord symbols, voicings, voice leading and roman-numeral progressions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns.errors import TheoryError
from patterns.theory.chords import CHORD_ALIASES, CHORDS, chord_midi, chord_notes, parse_chord
from patterns.theory.progression import progression_chords, roman_chord
from patterns.theory.voicing import voice, voice_lead, voicing_candidates

SYMBOLS = {
    "C": ["C", "E", "G"],
    "Cm7": ["C", "Eb", "G", "Bb"],
    "Fmaj9": ["F", "A", "C", "E", "G"],
    "G7sus4": ["G", "C", "D", "F"],
    "Am7b5": ["A", "C", "Eb", "G"],
    "Cadd9": ["C", "E", "G", "D"],
    "C^7": ["C", "E", "G", "B"],
    "Dm7": ["D", "F", "A", "C"],
    "C6": ["C", "E", "G", "A"],
    "Cdim7": ["C", "Eb", "Gb", "Bbb"],
    "Caug": ["C", "E", "G#"],
    "C9": ["C", "E", "G", "Bb", "D"],
    "C13": ["C", "E", "G", "Bb", "D", "A"],
    "C7#9": ["C", "E", "G", "Bb", "D#"],
    "Bb/D": ["D", "Bb", "D", "F"],
    "F#m": ["F#", "A", "C#"],
    "Ebm7": ["Eb", "Gb", "Bb", "Db"],
    "C6/9": ["C", "E", "G", "A", "D"],
    "Co": ["C", "Eb", "Gb"],
    "Ch7": ["C", "Eb", "Gb", "Bb"],
    "C-7": ["C", "Eb", "G", "Bb"],
}


@pytest.mark.parametrize(("symbol", "notes"), list(SYMBOLS.items()))
def test_chord_symbols(symbol: str, notes: list[str]) -> None:
    assert chord_notes(symbol) == notes


def test_every_quality_and_alias_parses() -> None:
    for quality in [*CHORDS, *CHORD_ALIASES]:
        chord = parse_chord("D" + quality)
        assert chord.intervals[0].semitones == 0, quality


@pytest.mark.parametrize("bad", ["", "H7", "Cxyz", "C/H", "7"])
def test_bad_chord_symbols(bad: str) -> None:
    with pytest.raises(TheoryError, match="chord"):
        parse_chord(bad)


def test_chord_midi_and_inversions() -> None:
    assert chord_midi("C", 4) == [60, 64, 67]
    assert chord_midi("C", 4, inversion=2) == [67, 72, 76]
    assert chord_midi("Am", 3, inversion=-1) == [52, 57, 60]


def test_voicings_stay_in_range() -> None:
    for symbol in SYMBOLS:
        for cand in voicing_candidates(symbol, 48, 72):
            upper = cand[1:] if parse_chord(symbol).bass else cand
            assert 48 <= min(upper) and max(upper) <= 72, (symbol, cand)


def test_anchor_voicings_of_a_pop_progression() -> None:
    assert [voice(c) for c in ("C", "Am", "F", "G")] == [
        (64, 67, 72), (64, 69, 72), (65, 69, 72), (62, 67, 71)
    ]


def test_slash_chord_has_the_bass_lowest() -> None:
    voiced = voice("Bb/D")
    assert voiced[0] % 12 == 2 and voiced[0] < voiced[1]


def test_voicing_modes_and_offset() -> None:
    assert voice("C", mode="above", anchor="E4")[0] == 64
    assert voice("C", mode="root")[0] % 12 == 0
    assert voice("C", mode="duck")[-1] < 72
    assert voice("C", offset=-1)[-1] < voice("C")[-1]
    with pytest.raises(TheoryError, match="mode"):
        voice("C", mode="sideways")
    with pytest.raises(TheoryError, match="octave"):
        voice("C", low="C4", high="E4")


chord_symbols = st.sampled_from(["C", "Am", "F", "G", "Dm7", "G7", "Cmaj7", "Bb", "E7", "F#m7b5"])


@settings(max_examples=40, deadline=None)
@given(st.lists(chord_symbols, min_size=2, max_size=6))
def test_voice_leading_moves_least(symbols: list[str]) -> None:
    voiced = voice_lead(symbols)
    for previous, symbol, chosen in zip(voiced, symbols[1:], voiced[1:]):
        def cost(c: tuple[int, ...]) -> int:
            if len(c) == len(previous):
                return sum(abs(a - b) for a, b in zip(previous, c))
            return sum(min(abs(n - p) for p in previous) for n in c) + sum(
                min(abs(p - n) for n in c) for p in previous
            )
        assert cost(chosen) == min(cost(c) for c in voicing_candidates(symbol, 48, 72))
        assert all(48 <= n <= 72 for n in chosen)


@pytest.mark.parametrize(
    ("numerals", "key", "chords"),
    [
        ("I V vi IV", "E:major", ["E", "B", "C#m", "A"]),
        ("ii7 V7 Imaj7", "C:major", ["Dm7", "G7", "Cmaj7"]),
        ("ii7 V7 Imaj7", "Bb", ["Cm7", "F7", "Bbmaj7"]),
        ("i iv v III", "A:minor", ["Am", "Dm", "Em", "C"]),
        ("bVII bVI I", "C", ["Bb", "Ab", "C"]),
        ("viio viiø7 I+ V7/V ii7/V", "C", ["Bdim", "Bm7b5", "Caug", "D7", "Am7"]),
        ("Isus4 IV6 vi9", "G", ["Gsus4", "C6", "Em9"]),
    ],
)
def test_progressions(numerals: str, key: str, chords: list[str]) -> None:
    assert progression_chords(numerals, key) == chords


@pytest.mark.parametrize(("numeral", "key"), [("X", "C"), ("Iwat", "C"), ("I", "C:major pentatonic")])
def test_bad_numerals(numeral: str, key: str) -> None:
    with pytest.raises(TheoryError, match="progression"):
        roman_chord(numeral, key)
