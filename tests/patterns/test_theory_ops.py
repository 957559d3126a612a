"""Theory transformations on patterns, against the reference events of the conformance corpus
and for the behaviour the corpus does not pin down."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import pytest

import conformance_corpus
import patterns
from patterns import mini, note, n, s, chord, progression, sequence, stack
from patterns.errors import LivecodeError, TheoryError
from patterns.pattern import Pattern
from patterns.signals import irand, sine


Row = tuple[Any, tuple[str, str], str]


@cache
def _expected() -> dict[str, Any]:
    return conformance_corpus.expected()


def _rows(pat: Pattern, first: int, last: int) -> list[Row]:
    rows: list[Row] = []
    for cycle in range(first, last):
        for e in pat.query_arc(cycle, cycle + 1):
            whole = None if e.whole is None else (str(e.whole.begin), str(e.whole.end))
            rows.append((whole, (str(e.part.begin), str(e.part.end)), json.dumps(e.value, sort_keys=True)))
    return sorted(rows, key=repr)


def _wanted(case_id: str) -> tuple[list[Row], list[int]]:
    result = _expected()[case_id]
    rows: list[Row] = []
    for e in result["events"]:
        whole = None if e["whole"] is None else (e["whole"]["begin"], e["whole"]["end"])
        rows.append((whole, (e["part"]["begin"], e["part"]["end"]), json.dumps(e["value"], sort_keys=True)))
    return sorted(rows, key=repr), result["cycles"]


def _values_close(got: list[Row], want: list[Row]) -> bool:
    if len(got) != len(want):
        return False
    for (gw, gp, gv), (ww, wp, wv) in zip(got, want):
        if gw != ww or gp != wp:
            return False
        a, b = json.loads(gv), json.loads(wv)
        if a == b:
            continue
        if not (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()):
            return False
        for key in a:
            if a[key] != b[key] and not (
                isinstance(a[key], float | int) and abs(a[key] - b[key]) < 1e-9
            ):
                return False
    return True


def _rev(p: Pattern) -> Pattern:
    return p.rev()


CASES: dict[str, Callable[[], Pattern]] = {
    "op.control_s": lambda: s("bd sd"),
    "op.control_chain": lambda: note("c3 e3 g3").s("sawtooth").lpf(800).gain(0.8),
    "op.scale": lambda: n("0 2 4 7").scale("C:major"),
    "op.scale_minor_range": lambda: n("0 .. 7").scale("D:minor"),
    "op.scale_patterned": lambda: n("0 2 4").scale("<C:major A:minor>"),
    "op.arp": lambda: note("[c,e,g]").arp("0 2 1"),
    "op.arp_wrap": lambda: note("[c,e,g]").arp("0 1 2 3"),
    "op.arp_alt_chords": lambda: note("<[c3,e3,g3] [a2,c3,e3]>").arp("0 1 2 1"),
    "op.arp_sequence_not_chord": lambda: note("c e g").arp("0 1"),
    "op.chord_rootNotes": lambda: chord("<C Am F G>").rootNotes(2),
    "op.transpose": lambda: note("c3 e3 g3").transpose("<0 12>"),
    "op.transpose_interval": lambda: note("c3 e3").transpose("<0 M3>"),
    "op.scaleTranspose": lambda: n("0 2").scale("C:major").scaleTranspose(1),
    "sig.run8_scale": lambda: n(patterns.run(8)).scale("C:minor"),
    "mix.melody_iter_every": lambda: mini("0 1 2 3").iter(4).every(3, _rev).n().scale("C:major"),
    "mix.bass_scale_off": lambda: mini("0 <2 3> [4 ~ 7] 5")
    .off(0.125, lambda p: p.add(7)).n().scale("C2:minor").s("bass"),
    "sig.irand_scale": lambda: irand(8).segment(4).n().scale("C:minor"),
    "mix.bassline": lambda: note("<c2 [c2 eb2] f2 [g2 bb2]>").s("sawtooth")
    .lpf(sine.range(400, 2000).slow(4)),
    "op.add_note_names": lambda: note("c e").add(note(12)),
}


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_matches_reference(case_id: str) -> None:
    want, (first, last) = _wanted(case_id)
    got = _rows(CASES[case_id](), first, last)
    assert _values_close(got, want), f"{case_id}:\n got  {got}\n want {want}"


def test_voicing_sevenths_deviates_deliberately() -> None:
    """Strudel's voicing comes from its iReal dictionary; ours is a close-position voicing under
    the anchor C5 (docs/theory.md, deviations)."""
    values = sorted(e.value["note"] for e in chord("C^7 Dm7").voicing().first_cycle())
    assert values == sorted(["E4", "G4", "B4", "C5", "D4", "F4", "A4", "C5"])


def test_scale_keeps_other_controls_and_drops_n() -> None:
    value = n("2").s("piano").scale("C:major").first_cycle()[0].value
    assert value == {"s": "piano", "note": "E3"}


def test_scale_errors_name_the_problem() -> None:
    with pytest.raises(TheoryError, match="unknown scale name"):
        n("0").scale("C:nope").first_cycle()
    with pytest.raises(TheoryError, match="n \\(scale degrees\\)"):
        s("bd").scale("C:major").first_cycle()


def test_scale_transpose_needs_scale_notes() -> None:
    with pytest.raises(TheoryError, match="scaleTranspose"):
        note("c3").scaleTranspose(1).first_cycle()


def test_transpose_numbers_and_dicts() -> None:
    assert [e.value for e in sequence(60, 62).transpose(3).first_cycle()] == [63, 65]
    assert note(60).transpose("P5").first_cycle()[0].value == {"note": 67}
    assert note("e3").transpose(1).first_cycle()[0].value == {"note": "F3"}
    with pytest.raises(TheoryError):
        s("bd").transpose(2).first_cycle()


def test_voicing_leads_voices_through_a_progression() -> None:
    pat = chord("<C Am F G>").voicing()
    chords = [sorted(e.value["note"] for e in pat.query_arc(c, c + 1)) for c in range(4)]
    assert chords[0] == ["C5", "E4", "G4"]
    assert chords[1] == ["A4", "C5", "E4"]
    assert chords[2] == ["A4", "C5", "F4"]
    assert chords[3] == ["B4", "D4", "G4"]
    # the same notes whatever the query window
    halves = sorted(
        e.value["note"] for e in pat.query_arc(Fraction(5, 2), 3) + pat.query_arc(2, Fraction(5, 2))
        if e.has_onset()
    )
    assert halves == chords[2]


def test_voicing_with_n_plays_the_voicing_as_a_scale() -> None:
    pat = n("0 1 2 3").chord("C").voicing()
    assert [e.value for e in pat.first_cycle()] == [
        {"note": "E4"}, {"note": "G4"}, {"note": "C5"}, {"note": "E5"}
    ]


def test_voicing_keeps_other_controls_and_uses_anchor() -> None:
    events = chord("C").s("piano").anchor("g4").voicing().first_cycle()
    assert sorted(e.value["note"] for e in events) == ["C4", "E4", "G4"]
    assert all(e.value["s"] == "piano" for e in events)


def test_voicing_of_unknown_chord_fails_when_built() -> None:
    with pytest.raises(LivecodeError, match="chord"):
        chord("Cxyz")


def test_root_notes_of_plain_symbols_and_other_controls() -> None:
    assert [e.value for e in mini("<Bb7 F#m>").rootNotes(3).query_arc(0, 2)] == ["Bb3", "F#3"]
    value = chord("Am7").s("bass").rootNotes(1).first_cycle()[0].value
    assert value == {"s": "bass", "note": "A1"}


def test_progression_patterns_and_secondary_dominants() -> None:
    values = [e.value for e in progression("<I V7:V>", "<C:major G:major>").query_arc(0, 2)]
    assert values == [{"chord": "C"}, {"chord": "A7"}]
    notes = [e.value["note"] for e in progression("I IV", "F").voicing().first_cycle()]
    assert sorted(notes) == ["A4", "Bb4", "C5", "D4", "F4", "F4"]  # F4 A4 C5 then D4 F4 Bb4


def test_arp_modes_spread_the_chord_over_its_span() -> None:
    pat = note("[c3,e3,g3]").arp_mode("updown")
    got = [(str(e.whole.begin), e.value["note"]) for e in pat.first_cycle()]
    assert got == [("0", "c3"), ("1/4", "e3"), ("1/2", "g3"), ("3/4", "e3")]
    assert [e.value["note"] for e in note("[c3,e3,g3]").arp("down").first_cycle()] == ["g3", "e3", "c3"]
    assert [e.value["note"] for e in note("[c3,e3]").arpeggiate().first_cycle()] == ["c3", "e3"]


def test_arp_mode_patterned_and_chords_from_voicing() -> None:
    pat = chord("C").voicing().arp("<up down>")
    first = [e.value["note"] for e in pat.query_arc(0, 1)]
    second = [e.value["note"] for e in pat.query_arc(1, 2)]
    assert first == ["E4", "G4", "C5"] and second == ["C5", "G4", "E4"]


def test_arp_errors() -> None:
    with pytest.raises(TheoryError, match="unknown mode"):
        note("[c,e]").arp_mode("sideways").first_cycle()
    with pytest.raises(TheoryError, match="whole-number"):
        note("[c,e]").arp("0.5").first_cycle()


def test_functions_take_the_pattern_last() -> None:
    assert patterns.scale("C:major", n("1")).first_cycle()[0].value == {"note": "D3"}
    assert patterns.transpose(12)(note("c3")).first_cycle()[0].value == {"note": "C4"}
    assert stack(note("c"), note("e")).arp("1").first_cycle()[0].value == {"note": "e"}


def test_slash_chords_in_mini_notation_use_a_colon() -> None:
    assert [e.value for e in chord("<Bb:D C>").query_arc(0, 2)] == [{"chord": "Bb/D"}, {"chord": "C"}]
    notes = sorted(e.value["note"] for e in mini("Bb:D").voicing().first_cycle())
    assert notes == ["Bb4", "D3", "D4", "F4"]
    assert [e.value for e in mini("Bb:D").rootNotes(2).first_cycle()] == ["Bb2"]
