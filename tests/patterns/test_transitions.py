"""Transitions as patterns: where each sits in its period, rolls that accelerate with a velocity
ramp, the filter build and tape-stop automation, and the song-form transforms fill / dropBar /
build (docs/transitions.md)."""

from __future__ import annotations

import doctest
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest

from patterns import drums, note, s, transition, transition_names
from patterns.errors import PatternArgumentError, TransitionError
from patterns.transitions import FILL_FIGURES, TRANSITIONS

__all__: list[str] = []


@pytest.mark.parametrize("name", ["riser", "sweep", "reverse cymbal"])
def test_build_ups_fill_the_last_bars_and_end_on_the_boundary(name: str) -> None:
    events = transition(name, bars=4, every=8).onsets(0, 16)
    assert [(e.whole.begin, e.whole.end) for e in events] == [(4, 8), (12, 16)]


@pytest.mark.parametrize("name", ["impact", "downlifter"])
def test_releases_start_on_the_boundary(name: str) -> None:
    events = transition(name, bars=2, every=8).onsets(0, 16)
    assert [(e.whole.begin, e.whole.end) for e in events] == [(0, 2), (8, 10)]


def test_every_defaults_to_bars_and_options_become_controls() -> None:
    events = transition("sweep", bars=2, note="a3", gain=0.7).onsets(0, 4)
    assert [e.whole.begin for e in events] == [0, 2]
    assert events[0].value == {"s": "sweep", "note": "a3", "gain": 0.7}


@pytest.mark.parametrize(("name", "drum"), [("snare roll", "sd"), ("hat roll", "hh")])
def test_rolls_accelerate_8ths_16ths_32nds_with_a_velocity_ramp(name: str, drum: str) -> None:
    events = transition(name, bars=4, every=8).onsets(0, 8)
    assert events[0].whole.begin == 4 and all(e.value["s"] == drum for e in events)
    per_bar = [len([e for e in events if bar <= e.whole.begin < bar + 1]) for bar in range(4, 8)]
    assert per_bar == [8, 8, 16, 32]                      # 8ths, 8ths, 16ths, 32nds
    gaps = [b.whole.begin - a.whole.begin for a, b in pairwise(events)]
    assert gaps == sorted(gaps, reverse=True)             # never slows down
    velocities = [e.value["velocity"] for e in events]
    assert velocities[0] == pytest.approx(0.3) and velocities[-1] == pytest.approx(1.0)
    assert velocities == sorted(velocities)


def test_a_one_bar_roll_and_other_rates() -> None:
    one = transition("snare roll", bars=1).onsets(0, 1)
    assert [e.whole.end - e.whole.begin for e in one] == [Fraction(1, 8)] * 4 + [Fraction(1, 16)] * 4 + [Fraction(1, 32)] * 8
    triplets = transition("hat roll", bars=1, rates=(12, 24)).onsets(0, 1)
    assert len(triplets) == 6 + 12


def test_the_filter_build_rises_exponentially_and_rests_open() -> None:
    build = transition("filter", bars=4, every=8)
    at = [build.query_arc(Fraction(t), Fraction(t))[0].value for t in range(9)]
    assert at[:5] == [20.0] * 5                           # bars 1-4: the high-pass at 20 Hz
    assert at[5:8] == sorted(at[5:8]) and at[7] == pytest.approx(20 * 100 ** 0.75)
    assert at[8] == 20.0                                  # the next period starts open again
    assert transition("filter", bars=1, to=800).query_arc(Fraction(1, 2), Fraction(1, 2))[0].value == pytest.approx(
        (20 * 800) ** 0.5)


def test_the_tape_stop_gate_holds_its_length_in_beats_over_the_last_beats() -> None:
    gate = transition("tapestop", beats=2, every=4)
    values = [gate.query_arc(Fraction(k, 8), Fraction(k, 8))[0].value for k in range(32)]
    assert values[:28] == [0.0] * 28 and values[28:] == [2.0] * 4


def test_fill_changes_only_the_last_bar_of_every_n_and_is_seeded() -> None:
    groove = drums("dance-pop")
    filled = groove.fill(4)
    for bar in range(8):
        same = filled.onsets(bar, bar + 1) == groove.onsets(bar, bar + 1)
        assert same == (bar % 4 != 3), bar
    assert filled.onsets(0, 16) == drums("dance-pop").fill(4).onsets(0, 16)   # repeatable
    # each fill keeps the groove before it, then plays one of the figures to the bar's end
    for bar in (3, 7, 11, 15):
        kept = [e for e in filled.onsets(bar, bar + 1) if e.value.get("velocity", 1) < 1 or e.value["s"] in ("sd", "lt", "mt", "ht")]
        assert kept, bar
    figures = {tuple((e.value["s"], e.whole.begin - bar) for e in drums("dance-pop").fill(4).seed(seed).onsets(bar + Fraction(1, 2), bar + 1))
               for seed in range(6) for bar in (3,)}
    assert len(figures) > 1                               # other seeds, other fills
    assert len(FILL_FIGURES) >= 6


def test_fill_keeps_the_bank_of_the_groove() -> None:
    events = s("bd*4").bank("909").fill(1).onsets(0, 1)
    assert {e.value.get("bank") for e in events} == {"909"}


def test_drop_bar_is_silent_over_its_bar_only() -> None:
    pat = s("hh*8").dropBar(4)
    assert [len(pat.onsets(c, c + 1)) for c in range(8)] == [8, 8, 8, 0, 8, 8, 8, 0]
    held = note("c3").slow(2).dropBar(2)                  # a note starting before the bar keeps sounding
    assert [e.whole.begin for e in held.onsets(0, 4)] == [0, 2]


def test_build_ramps_the_high_pass_of_the_notes() -> None:
    built = note("c3*4").build(2, 4).onsets(0, 4)
    cuts = [e.value.get("hcutoff") for e in built]
    assert cuts[:8] == [None] * 8
    assert cuts[8] == pytest.approx(20.0) and cuts[8:] == sorted(cuts[8:]) and cuts[-1] < 2000.0


@pytest.mark.parametrize(("call", "message"), [
    (lambda: transition("risr"), "transition('risr'): unknown transition (did you mean: riser?)"),
    (lambda: transition("riser", bars=0), "transition('riser'): bars must be more than 0 and at most 64, got 0"),
    (lambda: transition("riser", bars="4"), "transition('riser'): bars must be a number of bars, got '4'"),
    (lambda: transition("riser", bars=8, every=4), "transition('riser'): every (4) must be at least bars (8)"),
    (lambda: transition("snare roll", rates=(0,)), "transition('snare roll'): rates must be subdivisions per bar like (8, 16, 32), got (0,)"),
    (lambda: transition("tapestop", beats=40), "transition('tapestop'): beats must be 0 .. 16 (beats of the bar to stop over), got 40"),
    (lambda: transition("riser", cutof=900), "transition('riser'): unknown control 'cutof'; did you mean cutoff or hcutoff or cut?"),
    (lambda: transition("hat roll", low=2), "transition('hat roll'): low (the first velocity) must be 0 .. 1, got 2"),
    (lambda: s("bd").fill(0), "fill(every): every must be a whole number of bars 1 .. 64, got 0"),
    (lambda: s("bd").dropBar(1.5), "dropBar(every): every must be a whole number of bars 1 .. 64, got 1.5"),
    (lambda: s("bd").build(8, 4), "build(bars, every): every (4) must be at least bars (8)"),
])
def test_bad_arguments_are_one_clear_line(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionError) as info:
        call()
    assert str(info.value) == message and "\n" not in str(info.value)


def test_a_transform_without_its_argument_names_its_signature() -> None:
    with pytest.raises(PatternArgumentError):
        s("bd").fill(4, 2)


def test_every_transition_has_a_doc_and_answers_its_aliases() -> None:
    assert transition_names() == list(TRANSITIONS)
    for spec in TRANSITIONS.values():
        assert spec.doc and spec.kind in ("sound", "automation") and spec.place in ("start", "end")
        for alias in spec.aliases:
            assert transition(alias, bars=1).query_arc(0, 1) is not None
    assert transition("Tape-Stop", bars=1).query_arc(0, 0)[0].value == 0.0


def test_the_examples_of_docs_transitions_run() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "transitions.md"
    result = doctest.testfile(str(docs), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 10
