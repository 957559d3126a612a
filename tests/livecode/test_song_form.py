"""Song form without an engine: the scheduler driven by a manual clock, its onsets in a list.

Sections switch for every track on one cycle; loop/next/goto land where they say; restart and
align start patterns where they say; bad input is one line and the music goes on; keep()
writes a set file that plays the same events again.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from livecode.clock import ManualClock
from livecode.outputs import ListSink
from livecode.session import Session
from livecode.song.render import song_length

__all__: list[str] = []

SECTIONS = """
bpm(120)
section("a", d1=s("a*2"), d2=note("c4"))
section("b", d1=s("b*2"), d2=note("e4"))
section("c", d1=s("c*2"), others="stop")
"""


class Rig:
    """A session on a manual clock whose scheduler hands its onsets to a list."""

    def __init__(self, code: str) -> None:
        self.clock = ManualClock(48000)
        self.session = Session(clock=self.clock)
        self.sink = ListSink()
        self.session.scheduler.sink = self.sink
        result = self.session.evaluate(code)
        assert result.ok, result.error

    def run_to(self, cycle: float) -> None:
        """Advance the clock in 50 ms steps, ticking, until the horizon passes `cycle`."""
        while self.session.scheduler.horizon < cycle:
            self.clock.advance(0.05)
            self.session.scheduler.tick()

    def played(self, track: str = "d1") -> list[tuple[Fraction, str]]:
        """(cycle, value) of what `track` sent: the `s` or the `note`."""
        tempo = self.session.tempo
        out = []
        for note in self.sink.notes:
            if note.track == track:
                cycle = Fraction(round(tempo.cycle_at(note.time / self.clock.sample_rate) * 64), 64)
                out.append((cycle, str(note.params.get("s", note.params.get("note")))))
        return out

    def evaluate(self, code: str) -> str | None:
        return self.session.evaluate(code).error

    def close(self) -> None:
        self.session.close()


@pytest.fixture()
def rig() -> Rig:
    made = Rig(SECTIONS)
    yield made
    made.close()


def first_of(played: list[tuple[Fraction, str]], value: str) -> Fraction:
    return next(cycle for cycle, v in played if v == value)


def test_the_form_switches_every_track_on_the_same_cycle(rig: Rig) -> None:
    assert rig.evaluate('song(["a", 2], ["b", 1], ["c", 1])') is None
    rig.run_to(5)
    d1, d2 = rig.played("d1"), rig.played("d2")
    assert [v for c, v in d1] == ["a"] * 4 + ["b"] * 2 + ["c"] * 2     # and then the song ends
    assert first_of(d1, "b") == first_of(d2, "64") == 2
    assert first_of(d1, "c") == 3 and all(c < 3 for c, v in d2)        # others="stop" silenced d2
    assert rig.session.song.playing is False


def test_loop_holds_and_next_moves_on_at_the_next_bar(rig: Rig) -> None:
    rig.evaluate('song(["a", 2], ["b", 2], ["c", 2])')
    rig.run_to(Fraction(1, 2))
    assert rig.evaluate("loop()") is None
    rig.run_to(Fraction(21, 4))                      # a held for 3 passes: bars 1-6
    assert rig.session.song.label(5.5).startswith("a 2/2 (0 left) ⟲")
    assert rig.session.evaluate("next()").value_repr == "b at bar 7"
    rig.run_to(9)
    d1 = rig.played()
    assert [v for c, v in d1 if c < 6] == ["a"] * 12 and first_of(d1, "b") == 6
    assert first_of(d1, "c") == 8                    # the form goes on after b


def test_goto_lands_at_the_next_bar_section_end_or_grid(rig: Rig) -> None:
    rig.evaluate('song(["a", 8], ["b", 8], ["c", 8])')
    rig.run_to(Fraction(5, 4))
    assert rig.session.evaluate('goto("c")').value_repr == "c at bar 3"
    rig.run_to(Fraction(9, 4))
    assert rig.session.evaluate('goto("b", at="section")').value_repr == "b at bar 11"
    rig.run_to(Fraction(45, 4))
    assert rig.session.evaluate('goto("a", at=4)').value_repr == "a at bar 15"    # b began at bar 11
    rig.run_to(17)
    d1 = rig.played()
    assert first_of(d1, "c") == 2 and first_of(d1, "b") == 10
    assert [c for c, v in d1 if v == "a"][-1] >= 16 and not any(v == "b" for c, v in d1 if c >= 16)


def test_restart_starts_patterns_at_the_section_and_align_keeps_the_cycle() -> None:
    code = """
section("gap", d1=s("~"))
section("restart", d1=s("<x y>"))
section("align", d1=s("<x y>"), start="align")
song(["gap", 1], ["restart", 2], ["gap", 2], ["align", 2])
"""
    made = Rig(code)
    try:
        made.run_to(7)
        played = made.played()
    finally:
        made.close()
    # restart: the pattern's cycle 0 (x) on the section's bar 1 (cycle 1);
    # align: cycle 5 of the session is the pattern's cycle 5 (y)
    assert played == [(1, "x"), (2, "y"), (5, "y"), (6, "x")]


def test_mute_key_and_like() -> None:
    code = """
section("v", d1=s("k"), d2=note("c4"))
section("q", like="v", mute=["d1"], key=2)
song(["v", 1], ["q", 1], ["v", 1])
"""
    made = Rig(code)
    try:
        made.run_to(3)
        assert made.played("d1") == [(0, "k"), (2, "k")]
        assert made.played("d2") == [(0, "60"), (1, "62"), (2, "60")]
    finally:
        made.close()


@pytest.mark.parametrize(("code", "needle"), [
    ('song(["chorsu", 8])', "song: part 1 ['chorsu', 8]: unknown section 'chorsu'; sections: a, b, c"),
    ('song(["a", -4])', "bars must be a whole number of 1 or more, got -4"),
    ('song(["a", 2.5])', "bars must be a whole number of 1 or more, got 2.5"),
    ('song()', "song: expected parts like"),
    ('goto("a")', "goto: no song is playing"),
    ('next()', "next: no song is playing"),
    ('goto("zzz")', "goto: unknown section 'zzz'"),
    ('loop("zzz")', "loop: unknown section 'zzz'"),
    ('section("x", d1=s("bd"), others="halt")', "section: others must be 'keep' or 'stop', got 'halt'"),
    ('section("x", d1=s("bd"), start="now")', "section: start must be 'restart' or 'align'"),
    ('section("x", d1=s("bd"), bpm=5)', "section: bpm must be a number from 10 to 999"),
    ('section("x", d1=s("bd"), key="Q9")', "section: key 'Q9'"),
    ('section("x", d1=42.5j)', "section 'x': d1"),
    ('section("x", like="nope")', "section: like='nope' is not a section"),
    ('section("", d1=s("bd"))', "section: name must be a non-empty string"),
    ('keep(bars=0)', "keep: bars must be a whole number from 1 to 64"),
])
def test_bad_input_is_one_line_and_the_music_keeps_playing(rig: Rig, code: str, needle: str) -> None:
    assert rig.evaluate('d5 >> s("keep*4")') is None
    rig.run_to(1)
    error = rig.evaluate(code)
    assert error is not None and needle in error and "\n" not in error, error
    rig.run_to(3)
    assert [v for c, v in rig.played("d5") if 1 <= c < 3] == ["keep"] * 8


def test_goto_a_section_outside_the_song_and_bad_at(rig: Rig) -> None:
    rig.evaluate('song(["a", 4])')
    rig.run_to(Fraction(1, 2))
    error = rig.evaluate('goto("b")')
    assert error is not None and "goto: section 'b' is not in the song (a); loop('b') holds it" in error
    error = rig.evaluate('goto("a", at="soon")')
    assert error is not None and "goto: at must be 'bar', 'section' or a whole number of bars, got 'soon'" in error
    assert rig.evaluate('loop("b")') is None                 # a section outside the song can be held
    rig.run_to(3)
    assert first_of(rig.played(), "b") == 1


def test_loop_and_next_keep_their_other_meanings(rig: Rig) -> None:
    assert rig.session.evaluate('next(iter([5]))').value_repr == "5"
    assert rig.evaluate('d3 >> s("x").loop(2)') is None
    assert rig.session.evaluate('loop("1 2")').ok                 # the control, as before


def test_the_status_shows_section_bar_left_and_next(rig: Rig) -> None:
    rig.evaluate('song(["a", 4], ["b", 2])')
    rig.run_to(Fraction(3, 2))                       # the clock at cycle ~1.45 (lookahead 0.1 s)
    assert rig.session.status().song == "a 2/4 (2 left) → b"


def test_keep_writes_a_set_that_plays_the_same_events(rig: Rig, tmp_path: Path) -> None:
    rig.evaluate('HOOK = "c4 [e4 g4]"\nd6 >> note(HOOK).degradeBy(0.5).s("x")\nsong(["a", 2], ["b", 2])')
    rig.run_to(3)
    keep = rig.session.namespace["keep"]
    kept = keep(str(tmp_path / "idea.py"), bars=2)
    text = kept.path.read_text()
    assert kept.path == tmp_path / "idea.py" and "--from 2 --bars 2" in text
    assert 'song(["a", 2], ["b", 2])' in text and 'section("a"' in text and "HOOK = " in text
    again = keep(str(tmp_path / "idea.py"))
    assert again.path.name == "idea-2.py"                           # never overwrites
    rig.run_to(4)
    replay = Rig(text)
    try:
        replay.run_to(4)
        for track in ("d1", "d2", "d6"):
            assert replay.played(track) == [item for item in rig.played(track) if item[0] < 4], track
    finally:
        replay.close()


def test_the_song_length_is_the_sum_of_its_parts(tmp_path: Path) -> None:
    path = tmp_path / "set.py"
    path.write_text(SECTIONS + 'song(["a", 8], ["b", 16, 2], ["c", 4])\n')
    assert song_length(path) == 8 + 16 * 2 + 4


def test_redefining_while_playing_keeps_the_place_and_end_loop(rig: Rig) -> None:
    rig.evaluate('song(["a", 4], ["b", 2])')
    rig.run_to(Fraction(3, 2))
    assert rig.evaluate('section("a", d1=s("z*2"), d2=note("c4"))') is None      # from the next bar
    assert rig.evaluate('song(["c", 1], ["a", 4], ["b", 1], end="loop")') is None  # a goes on, then b
    rig.run_to(9)
    d1 = rig.played()
    assert [v for c, v in d1 if c < 2] == ["a"] * 4 and first_of(d1, "z") == 2
    assert first_of(d1, "b") == 4 and first_of(d1, "c") == 5                       # b 1 bar, round again
    assert [v for c, v in d1 if 6 <= c < 7] == ["z", "z"]


def test_a_new_form_shows_its_lengths_at_once(rig: Rig) -> None:
    rig.evaluate('song(["a", 4], ["b", 2])')
    rig.run_to(Fraction(3, 2))
    rig.evaluate('song(["a", 8], ["c", 2])')
    assert rig.session.status().song == "a 2/8 (6 left) → c"


def test_play_stops_at_the_end_of_a_song(tmp_path: Path) -> None:
    from livecode.options import SessionOptions
    from livecode.play import play_set

    path = tmp_path / "song.py"
    path.write_text('bpm(480)\nsection("a", d1=s("x*4"))\nsection("b", d1=s("y*4"))\nsong(["a", 1], ["b", 1])\n')
    report = play_set(path, None, SessionOptions(audio="none"), on_message=lambda text: None)
    assert 2.0 <= report.cycles < 3.0 and not report.interrupted
