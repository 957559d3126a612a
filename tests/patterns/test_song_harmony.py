"""Named chord progressions, the bass that follows them, and key changes that move pitched
events only."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import chord, drums, n, note, progression, s, stack
from patterns.errors import LivecodeError, TheoryError, UnknownProgressionError
from patterns.pattern import Pattern
from patterns.theory import chord_notes, get_scale, note_to_midi, parse_chord, to_midi
from patterns.theory.bass import bass_note
from patterns.theory.keychange import change_key_of, transpose_chord
from patterns.theory.progressions import (
    PROGRESSIONS,
    find_progression,
    key_for,
    named_chords,
    named_progression,
    progression_names,
)

__all__: list[str] = []

TONICS = ["C", "G", "D", "A", "E", "B", "F#", "Db", "Ab", "Eb", "Bb", "F"]
DIATONIC = ["pop", "sensitive", "royal road", "royal road 7", "ii-V-I", "epic", "canon", "fifties", "komuro"]


def chords(pat: Pattern, cycles: int) -> list[str]:
    return [e.value["chord"] for e in pat.onsets(0, cycles)]


@pytest.mark.parametrize(
    ("name", "numerals"),
    [
        ("pop", "I V vi IV"), ("axis", "I V vi IV"), ("sensitive", "vi IV I V"),
        ("royal road", "IV V iii vi"), ("ii-V-I", "ii7 V7 Imaj7"), ("epic", "i VI III VII"),
        ("canon", "I V vi iii IV I IV V"), ("Pachelbel", "I V vi iii IV I IV V"),
    ],
)
def test_the_issue_progressions_by_name(name: str, numerals: str) -> None:
    assert named_progression(name).numerals == numerals


def test_named_progression_plays_one_chord_a_cycle() -> None:
    assert chords(progression("royal road", "A:minor"), 4) == ["F", "G", "Em", "Am"]
    assert chords(progression("canon", "D:major"), 8) == ["D", "A", "Bm", "F#m", "G", "D", "G", "A"]
    assert chords(progression("ii-V-I", "Bb"), 3) == ["Cm7", "F7", "Bbmaj7"]
    assert chords(progression("epic", "C:major"), 4) == ["Am", "F", "C", "G"]


def test_numerals_keep_their_meaning() -> None:
    # written-out numerals are counted in the key as given, four to a cycle, as before
    assert chords(progression("I V vi IV", "A:minor"), 1) == ["A", "E", "Fm", "D"]
    assert chords(progression("<i iv V7:V>", "A:minor"), 3) == ["Am", "Dm", "B7"]
    assert find_progression("I V vi IV") is None and find_progression("vi") is None


def test_theoretical_keys_spell_chords_with_one_accidental() -> None:
    # Db minor's VI is Bbb: written as A, a chord symbol takes one accidental
    assert named_chords("epic", "Db:minor") == ["Dbm", "A", "Fb", "Cb"]
    assert chords(progression("i VI", "Db:minor"), 1) == ["Dbm", "A"]


def test_key_may_be_patterned_with_a_name() -> None:
    pat = progression("pop", "<C:major A:minor>")
    assert chords(pat, 2) == ["C", "G"]
    assert chords(pat.fast(1), 8)[4:] == ["C", "G", "Am", "F"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DIATONIC), st.sampled_from(TONICS), st.sampled_from(["major", "minor"]))
def test_diatonic_progressions_stay_in_the_key_signature(name: str, tonic: str, mode: str) -> None:
    key = f"{tonic}:{mode}"
    counted = get_scale(key_for(named_progression(name), key))
    in_key = {note_to_midi(counted.step(d)) % 12 for d in range(7)}
    # the relative key has the same notes as the key asked for
    assert in_key == {note_to_midi(get_scale(key).step(d)) % 12 for d in range(7)}
    for symbol in named_chords(name, key):
        assert {note_to_midi(c) % 12 for c in chord_notes(symbol)} <= in_key, (name, key, symbol)


@pytest.mark.parametrize("name", progression_names())
def test_every_named_progression_voices_and_has_a_bass(name: str) -> None:
    bars = named_progression(name).bars
    pads = progression(name, "A:minor").voicing()
    for cycle in range(bars):
        voiced = [to_midi(e.value["note"]) for e in pads.onsets(cycle, cycle + 1)]
        assert len(voiced) >= 3 and all(48 <= m <= 72 for m in voiced)
    line = progression(name, "A:minor").bass().onsets(0, bars)
    symbols = named_chords(name, "A:minor")
    assert len(line) == bars
    for event, symbol in zip(line, symbols):
        assert to_midi(event.value["note"]) % 12 == parse_chord(symbol).root.chroma


def test_unknown_names_say_which_names_exist() -> None:
    with pytest.raises(UnknownProgressionError, match="did you mean royal road"):
        progression("royal raod", "C")
    with pytest.raises(UnknownProgressionError, match="names: pop, sensitive"):
        named_chords("blah")
    assert isinstance(UnknownProgressionError("x"), TheoryError)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["C", "Am", "F#m7", "Bb/D", "Ebmaj7", "G7sus4", "C#dim", "Ab/C"]),
       st.integers(0, 90))
def test_bass_note_is_the_chords_bass_in_one_octave(symbol: str, low: int) -> None:
    got = to_midi(bass_note(symbol, low))
    chord_ = parse_chord(symbol)
    wanted = (chord_.bass or chord_.root).chroma
    assert got % 12 == wanted and low <= got <= low + 11


def test_bass_follows_and_keeps_other_controls() -> None:
    line = progression("pop", "A:minor").s("bass808").bass()
    assert [e.value for e in line.onsets(0, 2)] == [{"s": "bass808", "note": "C2"}, {"s": "bass808", "note": "G1"}]
    assert [e.value["note"] for e in chord("<C:E Am>").bassFrom("E2").onsets(0, 2)] == ["E2", "A2"]
    assert [str(e.whole) for e in progression("pop", "C").bass().onsets(0, 1)] == ["0 → 1"]


def test_bass_rhythm_jumps_and_slides() -> None:
    line = progression("royal road", "A:minor").bass().struct("x*4")
    assert [e.value["note"] for e in line.octaveJumps("[0 1]*2").onsets(0, 1)] == ["F1", "F2", "F1", "F2"]
    slid = line.slideOnChange(0.08)
    flags = [e.value.get("slide", 0) for e in slid.onsets(0, 4)]
    assert flags == [1, 0, 0, 0] * 4
    assert all(e.value["slidetime"] == 0.08 for e in slid.onsets(0, 4) if "slide" in e.value)
    # slideOnChange before octaveJumps: only chord changes glide
    both = line.slideOnChange(0.08).octaveJumps("[0 1]*2")
    assert [e.value.get("slide", 0) for e in both.onsets(1, 2)] == [1, 0, 0, 0]
    assert [e.value.get("slide", 0) for e in note("c2 c2 c3").slideOnChange(0.1).onsets(1, 2)] == [1, 0, 1]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: chord("C").bassFrom("x1"), "bassFrom: expected the window's lowest note"),
        (lambda: note("c2").octaveJumps(0.5), "octaveJumps: expected whole octaves"),
        (lambda: note("c2").slideOnChange(9), "slideOnChange: expected a slide time"),
        (lambda: s("bd").bass().first_cycle(), "bass: expected chord symbols"),
        (lambda: note("c4").keyChange("x"), "interval"),
        (lambda: note("c4").keyChange(0.5), "keyChange: a key moves by whole semitones"),
    ],
)
def test_harmony_errors(build: Any, message: str) -> None:
    with pytest.raises(LivecodeError, match=message):
        build()


# ------------------------------------------------------------------ key change

DRUM = st.builds(lambda name, num: {"s": name, **({"n": num} if num is not None else {})},
                 st.sampled_from(["bd", "sd", "hh", "cp", "oh"]), st.none() | st.integers(0, 4))
PITCHED = st.one_of(
    st.builds(lambda m: {"note": m, "s": "piano"}, st.integers(24, 100)),
    st.builds(lambda name: {"note": name, "s": "pad"}, st.sampled_from(["c4", "eb3", "F#2", "a4", "Bb3"])),
    st.builds(lambda symbol: {"chord": symbol}, st.sampled_from(["C", "Am7", "F/A", "Bbmaj7", "G7sus4"])),
    st.builds(lambda f: {"freq": f, "s": "sine"}, st.floats(50, 2000)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(DRUM, min_size=1, max_size=4), st.lists(PITCHED, min_size=1, max_size=4),
       st.integers(-12, 12))
def test_key_change_moves_pitched_events_only(drum_values: list[dict[str, Any]],
                                              pitched: list[dict[str, Any]], amount: int) -> None:
    from patterns import sequence

    mix = stack(sequence(*drum_values), sequence(*pitched))
    before = [e.value for e in mix.onsets(0, 1)]
    after = [e.value for e in mix.keyChange(amount).onsets(0, 1)]
    assert len(before) == len(after)
    for old, new in zip(before, after):
        if "s" in old and not {"note", "chord", "freq"} & set(old):
            assert new == old  # a drum does not move
        elif "note" in old:
            assert to_midi(new["note"]) - to_midi(old["note"]) == amount
            assert {k: v for k, v in new.items() if k != "note"} == {k: v for k, v in old.items() if k != "note"}
        elif "chord" in old:
            moved, original = parse_chord(new["chord"]), parse_chord(old["chord"])
            assert (moved.root.chroma - original.root.chroma) % 12 == amount % 12
            assert moved.quality == original.quality
        else:
            assert new["freq"] == pytest.approx(old["freq"] * 2 ** (amount / 12))


def test_key_change_on_a_band() -> None:
    band = stack(drums("dembow"), progression("pop", "A:minor").voicing().s("pad"),
                 progression("pop", "A:minor").bass().s("bass808"))
    plain, lifted = band.onsets(0, 4), band.keyChange("<0 0 1 1>").onsets(0, 4)
    for old, new in zip(plain, lifted):
        if "note" not in old.value:
            assert new.value == old.value
        else:
            cycle = int(old.whole.begin)
            assert to_midi(new.value["note"]) - to_midi(old.value["note"]) == (1 if cycle >= 2 else 0)


def test_key_change_keeps_scales_and_spells_by_interval() -> None:
    lifted = n("0 2 4").scale("A:minor").keyChange(1)
    assert [e.value["note"] for e in lifted.onsets(0, 1)] == ["Bb3", "Db4", "F4"]
    assert {e.value["note"].scale for e in lifted.onsets(0, 1)} == {"Bb:minor"}
    assert [e.value["note"] for e in lifted.scaleTranspose(2).onsets(0, 1)] == ["Db4", "F4", "Ab4"]
    assert [e.value["note"] for e in note("e4 b3").keyChange("M2").onsets(0, 1)] == ["F#4", "C#4"]
    assert transpose_chord("C#m7/G#", -1) == "Cm7/G"
    assert change_key_of({"s": "bd", "n": 2}, 5) == {"s": "bd", "n": 2}
    assert change_key_of("bd", 5) == "bd" and change_key_of("c4", 12) == "C5"


def test_key_change_then_voicing_voices_the_new_key() -> None:
    pads = progression("royal road", "A:minor").keyChange(2).voicing()
    symbols = named_chords("royal road", "B:minor")
    for cycle, symbol in enumerate(symbols):
        chromas = {to_midi(e.value["note"]) % 12 for e in pads.onsets(cycle, cycle + 1)}
        assert chromas == set(parse_chord(symbol).chromas())
    assert Fraction(1) in {e.whole.begin for e in pads.onsets(0, 2)}


def test_all_named_progressions_are_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "songwriting.md").read_text()
    for name, entry in PROGRESSIONS.items():
        assert f"| `{name}` | {entry.numerals} |" in docs, name
