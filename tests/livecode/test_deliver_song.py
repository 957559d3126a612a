"""A set with a song form delivers the form: the MIDI file and the lyrics follow its sections
(what each track plays in each section, its tempo), not the tracks' first patterns."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import mido

from livecode.package.midifile import write_song
from livecode.package.played import played
from livecode.session import Session

__all__: list[str] = []

SONG = """bpm(120)
section("a", d1=note("c4 c4"), d2=note("g2"))
section("b", d1=note("e4*4").lyrics("la la la la"), others="stop", bpm=60)
song(["a", 2], ["b", 1])
"""


def test_played_follows_the_song_form_and_its_tempo(tmp_path: Path) -> None:
    session = Session.create(audio="none")
    try:
        assert session.evaluate(SONG).ok
        notes = played(session, 3, follow_song=True)
        d1 = [(n.begin, n.note) for n in notes["d1"]]
        assert d1 == [(Fraction(0), 60), (Fraction(1, 2), 60), (Fraction(1), 60), (Fraction(3, 2), 60),
                      (Fraction(2), 64), (Fraction(9, 4), 64), (Fraction(5, 2), 64), (Fraction(11, 4), 64)]
        assert [n.begin for n in notes["d2"]] == [Fraction(0), Fraction(1)]       # stopped in "b"
        assert [n.params.get("lyric") for n in notes["d1"]][4:] == ["/la", "la", "la", "la"]
        path = write_song(notes, session.tempo, tmp_path / "song.mid")
    finally:
        session.close()
    tempos = [m.tempo for m in mido.MidiFile(path).tracks[0] if m.type == "set_tempo"]
    assert tempos[0] == 500000 and 1000000 in tempos                             # 120, then 60 BPM


def test_without_follow_song_the_first_patterns_are_read() -> None:
    session = Session.create(audio="none")
    try:
        assert session.evaluate(SONG).ok
        assert {n.note for n in played(session, 3)["d1"]} == {60}
    finally:
        session.close()
