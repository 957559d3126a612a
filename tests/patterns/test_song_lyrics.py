"""Lyrics carried on a melody's events, and the timed lines read back from them."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import line_text, lyric, lyric_lines, lyrics, note, s, sequence, split_lyrics, sung
from patterns.control_table import CONTROLS
from patterns.controls import validate_control
from patterns.errors import ControlError, LyricsError
from patterns.pattern import Pattern

__all__: list[str] = []


def sung_on(pat: Pattern, begin: Any = 0, end: Any = 1) -> list[tuple[str, str | None]]:
    return [(str(e.whole.begin), e.value.get("lyric")) for e in pat.onsets(begin, end)]


def test_one_syllable_per_onset_with_holds() -> None:
    pat = note("a4 c5 e5 [d5 c5]").lyrics("sa-rang-hae _ yo")
    assert sung_on(pat) == [("0", "/sa-"), ("1/4", "rang-"), ("1/2", "hae"), ("3/4", "_"), ("7/8", "yo")]
    assert [e.value["note"] for e in pat.onsets(0, 1)] == ["a4", "c5", "e5", "d5", "c5"]


def test_notes_starting_together_share_a_syllable() -> None:
    pat = note("[c4,e4] [d4,f4]").lyrics("hel-lo")
    assert sung_on(pat) == [("0", "/hel-"), ("0", "/hel-"), ("1/2", "lo"), ("1/2", "lo")]


def test_the_lyric_is_a_phrase_that_repeats() -> None:
    pat = note("c4 d4").lyrics("one two three four five")
    # five syllables need three cycles of two notes; the sixth note has no syllable
    assert sung_on(pat, 0, 3) == [("0", "/one"), ("1/2", "two"), ("1", "three"), ("3/2", "four"),
                                 ("2", "five"), ("5/2", None)]
    assert [v for _, v in sung_on(pat, 3, 6)] == ["/one", "two", "three", "four", "five", None]
    # any query window gives the same syllables
    assert sung_on(pat, Fraction(5, 4), Fraction(7, 2)) == sung_on(pat, 0, 4)[3:7]


def test_lines_words_and_holds() -> None:
    assert split_lyrics("sa-rang-hae\nnan neo-reul") == ["/sa-", "rang-", "hae", "/nan", "neo-", "reul"]
    assert split_lyrics("oh _ _ / yeah") == ["/oh", "_", "_", "/yeah"]
    assert split_lyrics("na-_-do") == ["/na-", "_", "do"]
    assert split_lyrics("/hey") == ["/hey"]
    assert [sung(t) for t in split_lyrics("sa-rang-hae _")] == ["sa", "rang", "hae", ""]


WORD = st.lists(st.text(alphabet="abcdeghijklmnoprstuy", min_size=1, max_size=4), min_size=1, max_size=4)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(WORD, min_size=1, max_size=4), min_size=1, max_size=3))
def test_lines_come_back_as_written(lines: list[list[list[str]]]) -> None:
    text = " / ".join(" ".join("-".join(word) for word in line) for line in lines)
    tokens = split_lyrics(text)
    pat = sequence(*[{"note": 60} for _ in tokens]).lyrics(text)
    timed = lyric_lines(pat, 1)
    assert [line_text(line) for line in timed] == [" ".join("".join(w) for w in line) for line in lines]
    assert [t for line in timed for t, _ in line] == [Fraction(i, len(tokens)) for i in range(len(tokens))]


def test_lyric_lines_skip_holds_and_keep_times() -> None:
    pat = note("c4*4").lyrics("ba-by / oh _")
    lines = lyric_lines(pat, 2)
    assert lines == [[(Fraction(0), "ba-"), (Fraction(1, 4), "by")], [(Fraction(1, 2), "oh")],
                     [(Fraction(1), "ba-"), (Fraction(5, 4), "by")], [(Fraction(3, 2), "oh")]]
    assert [line_text(line) for line in lines] == ["baby", "oh", "baby", "oh"]
    assert lyric_lines(pat, 1, begin=1) == lines[2:]
    assert lyric_lines(note("c4"), 4) == []


def test_lyrics_survive_other_transformations() -> None:
    pat = note("c4 d4 e4").lyrics("la la la").s("lead").transpose(12).late(0.5)
    assert [e.value for e in pat.onsets(Fraction(1, 2), Fraction(3, 2))][0] == {
        "note": "C5", "lyric": "/la", "s": "lead"}


def test_the_lyric_control() -> None:
    assert "lyric" in CONTROLS and CONTROLS["lyric"].kind == "str"
    assert [e.value for e in note("c4 d4").lyric("la").onsets(0, 1)] == [
        {"note": "c4", "lyric": "la"}, {"note": "d4", "lyric": "la"}]
    assert [e.value for e in lyric("la") .onsets(0, 1)] == [{"lyric": "la"}]
    assert validate_control("lyric", "/sa-") == {"lyric": "/sa-"}
    with pytest.raises(ControlError):
        validate_control("lyric", "")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: note("c4").lyrics(""), "expected a text like"),
        (lambda: note("c4").lyrics("_ la"), "starts with a hold"),
        (lambda: note("c4").lyrics(3), "expected a text like"),
        (lambda: sequence(1, 2).lyrics("la").first_cycle(), "expected notes as control maps"),
        (lambda: note("c4").slow(300).lyrics("la la"), "2 syllables but only 1 notes in 256 cycles"),
    ],
)
def test_lyrics_errors(build: Any, message: str) -> None:
    with pytest.raises(LyricsError, match=message):
        build()


def test_silence_and_drums() -> None:
    from patterns import silence

    assert silence.lyrics("la").first_cycle() == []
    assert sung_on(s("bd sd").lyrics("ka ta")) == [("0", "/ka"), ("1/2", "ta")]
    assert lyrics("la")(note("c4")).first_cycle()[0].value == {"note": "c4", "lyric": "/la"}
