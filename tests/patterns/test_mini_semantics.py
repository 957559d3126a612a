"""What each mini-notation construct means: golden events and equivalences with the pattern
functions, over several cycles."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from patterns import (
    cat,
    fastcat,
    mini,
    polymeter,
    pure,
    sequence,
    stack,
    timecat,
)
from patterns.pattern import Pattern
from patterns.random import time_to_rand
from patterns.signals import chooseCycles


def events(pat: Pattern, cycles: int = 1, start: int = 0) -> list[tuple[Any, ...]]:
    """(whole begin, whole end, part begin, part end, value) per event, queried a cycle at a
    time, sorted."""
    rows = []
    for cycle in range(start, start + cycles):
        for e in pat.query_arc(cycle, cycle + 1):
            whole = None if e.whole is None else (e.whole.begin, e.whole.end)
            rows.append((whole, e.part.begin, e.part.end, repr(e.value)))
    return sorted(rows, key=repr)


def onsets(source: str, cycles: int = 1, start: int = 0) -> list[tuple[F, F, Any]]:
    """(begin, end, value) of the onsets, in time order."""
    pat = mini(source)
    out = []
    for cycle in range(start, start + cycles):
        out.extend((e.whole.begin, e.whole.end, e.value) for e in pat.onsets(cycle, cycle + 1))
    return out


EQUIVALENT = [
    ("bd*2", pure("bd").fast(2)),
    ("bd*1.5", pure("bd").fast(F(3, 2))),
    ("[a b]/2", sequence("a", "b").slow(2)),
    ("a/1.5", pure("a").slow(F(3, 2))),
    ("a b c", sequence("a", "b", "c")),
    ("<a b c>", cat("a", "b", "c")),
    ("<a [b c]>", cat("a", sequence("b", "c"))),
    ("a, b c", stack("a", sequence("b", "c"))),
    ("[a, b c]", stack("a", sequence("b", "c"))),
    ("a@3 b", timecat((3, "a"), (1, "b"))),
    ("a@1.5 b", timecat((F(3, 2), "a"), (1, "b"))),
    ("a*<2 3>", pure("a").fast(cat(2, 3))),
    ("a*[2 3]", pure("a").fast(sequence(2, 3))),
    ("a/<1 2>", pure("a").slow(cat(1, 2))),
    ("bd(3,8)", pure("bd").euclid(3, 8)),
    ("bd(3,8,2)", pure("bd").euclidRot(3, 8, 2)),
    ("bd(<3 5>,8)", pure("bd").euclid(cat(3, 5), 8)),
    ("{a b c, d e}", polymeter(sequence("a", "b", "c"), sequence("d", "e"))),
    ("a*8?", pure("a").fast(8).degradeBy(0.5)),
    ("a*8?0.3", pure("a").fast(8).degradeBy(0.3)),
    ("a | b | c", chooseCycles("a", "b", "c")),
    ("<a b>!3 c", fastcat(cat("a", "b"), cat("a", "b"), cat("a", "b"), "c")),
]


@pytest.mark.parametrize(("source", "pattern"), EQUIVALENT, ids=[e[0] for e in EQUIVALENT])
def test_mini_equals_the_pattern_functions(source: str, pattern: Pattern) -> None:
    assert events(mini(source), cycles=6, start=-2) == events(pattern, cycles=6, start=-2)


SAME_AS = [
    ("a!3 b", "a a a b"),
    ("a ! ! b", "a a a b"),
    ("a!2 ! b", "a a a b"),
    ("a _ b _ _", "a@2 b@3"),
    ("a __ b", "a@3 b"),
    ("a@ b", "a@2 b"),
    ("a . b c", "[a] [b c]"),
    ("a b . c . d e f", "[a b] [c] [d e f]"),
    ("0 .. 4", "0 1 2 3 4"),
    ("0..4", "0 1 2 3 4"),
    ("3 .. -1", "3 2 1 0 -1"),
    ("0.5 .. 2", "0.5 1.5"),
    ("[0 .. 2]*2", "[0 1 2]*2"),
    ("<0 .. 2>", "<[0 1 2]>"),
    ("~ a", "- a"),
    ("[a b c]", "a b c"),
    ("^a b", "a b"),
    ("a*2 b", "[a a] b"),
    ("a? b?", "a? b?"),
]


@pytest.mark.parametrize(("source", "same"), SAME_AS, ids=[s[0] for s in SAME_AS])
def test_mini_equals_other_mini(source: str, same: str) -> None:
    assert events(mini(source), cycles=4) == events(mini(same), cycles=4)


def test_replicate_then_weight_differs_from_weight_then_replicate() -> None:
    # "!" sets the weight to the repeat count; a later "@2" adds one more: a a a share 4/5
    assert onsets("a!3@2 b") == [
        (F(0), F(4, 15), "a"),
        (F(4, 15), F(8, 15), "a"),
        (F(8, 15), F(4, 5), "a"),
        (F(4, 5), F(1), "b"),
    ]
    # "@2" first, then "!3" resets the weight to 3: a a a share 3/4
    assert onsets("a@2!3 b") == [
        (F(0), F(1, 4), "a"),
        (F(1, 4), F(1, 2), "a"),
        (F(1, 2), F(3, 4), "a"),
        (F(3, 4), F(1), "b"),
    ]


def test_alternation_weights_count_in_cycles() -> None:
    assert onsets("<a@3 b>", cycles=8) == [
        (F(0), F(3), "a"),
        (F(3), F(4), "b"),
        (F(4), F(7), "a"),
        (F(7), F(8), "b"),
    ]
    assert [v for _, _, v in onsets("<a!2 b>", cycles=6)] == ["a", "a", "b", "a", "a", "b"]
    assert [v for _, _, v in onsets("<a <b c>>", cycles=8)] == list("abacabac")
    assert [v for _, _, v in onsets("<a <b <c d>>>", cycles=8)] == list("abacabad")


def test_slow_by_a_fraction_spans_cycles() -> None:
    pat = mini("a/1.5")
    assert [(e.whole.begin, e.whole.end, e.has_onset()) for e in pat.query_arc(1, 2)] == [
        (F(0), F(3, 2), False),
        (F(3, 2), F(3), True),
    ]


def test_patterned_factor_as_a_sequence_fragments_events() -> None:
    assert events(mini("a*[2 3]")) == [
        ((F(0), F(1, 2)), F(0), F(1, 2), "'a'"),
        ((F(1, 3), F(2, 3)), F(1, 2), F(2, 3), "'a'"),
        ((F(2, 3), F(1)), F(2, 3), F(1), "'a'"),
    ]


def test_bare_weight_and_steps_in_polymeter() -> None:
    assert [v for _, _, v in onsets("{a b c}%4", cycles=2)] == list("abcabcab")
    assert [v for _, _, v in onsets("{a b, c d e}", cycles=1)] == ["a", "c", "b", "d"]
    assert [v for _, _, v in onsets("{a b c}%<2 4>", cycles=2)] == list("abbcab")


def test_euclid_negative_and_rotation_and_patterned() -> None:
    def pulses(source: str) -> list[F]:
        return [b for b, _, _ in onsets(source)]

    assert pulses("x(3,8)") == [F(0), F(3, 8), F(3, 4)]
    assert pulses("x(-3,8)") == [F(1, 8), F(1, 4), F(1, 2), F(5, 8), F(7, 8)]
    assert pulses("x(3,8,2)") == [F(0), F(1, 4), F(5, 8)]
    assert pulses("x(0,8)") == []
    assert pulses("x(3,8,<0 2>)") == [F(0), F(3, 8), F(3, 4)]
    assert [b - 1 for b, _, _ in onsets("x(3,8,<0 2>)", start=1)] == [F(0), F(1, 4), F(5, 8)]


def test_numbers_and_note_names() -> None:
    values = [v for _, _, v in onsets("0 1.5 -2 1e3 0x10 c4 eb3 a#2 c 007 1.")]
    assert values == [0, 1.5, -2, 1000.0, 16, "c4", "eb3", "a#2", "c", 7, 1.0]
    assert isinstance(values[0], int) and isinstance(values[1], float)


def test_tails_make_lists_and_can_be_patterned() -> None:
    assert [v for _, _, v in onsets("bd:3 sn:1:x")] == [["bd", 3], ["sn", 1, "x"]]
    assert [v for _, _, v in onsets("a:<1 2>", cycles=2)] == [["a", 1], ["a", 2]]
    assert [v for _, _, v in onsets("[a b]:3")] == [["a", 3], ["b", 3]]


def test_ranges_with_patterned_ends() -> None:
    assert [v for _, _, v in onsets("[<0 1> .. <2 4>]*2")] == [0, 1, 2, 1, 2, 3, 4]
    assert [v for _, _, v in onsets("0 .. <1 3>", cycles=2)] == [0, 1, 0, 1, 2, 3]


def test_each_random_operator_takes_the_next_seed() -> None:
    shift = F(3, 10000)
    grid = [F(i, 16) for i in range(16)]
    # two "?" in one string: the second samples 0.0003 cycles later (each in its step's own
    # time, before the step is squeezed into the sequence)
    first = [t for t in grid if time_to_rand(t) > 0.5]
    second = [t for t in grid if time_to_rand(t + shift) > 0.5]
    got = [b for b, _, v in onsets("x*16? y*16?") if v == "x"]
    assert got == [t / 2 for t in first]
    got = [b for b, _, v in onsets("x*16? y*16?") if v == "y"]
    assert got == [F(1, 2) + t / 2 for t in second]
    # inner before outer: the inner "?" is seed 0, the outer one seed 1
    both = [t for t in grid if time_to_rand(t) > 0.5 and time_to_rand(t + shift) > 0.5]
    assert [b for b, _, _ in onsets("[x*16?]?")] == both
    # a "." group takes a seed too: "c?" below is seed 1 (sampled in c*16's own time)
    after_feet = [t for t in grid if time_to_rand(t + shift) > 0.5]
    assert after_feet != first
    got = [b for b, _, v in onsets("[a . b] c*16?") if v == "c"]
    assert got == [F(1, 2) + t / 2 for t in after_feet]


def test_random_choice_samples_once_per_cycle_with_its_seed() -> None:
    shift = F(3, 10000)
    picks = [v for _, _, v in onsets("[a? | b c]", cycles=12)]
    expected: list[str] = []
    for cycle in range(12):
        # "a?" is seed 0, the choice seed 1
        if time_to_rand(cycle + shift) * 2 < 1:
            if time_to_rand(cycle) > 0.5:
                expected.append("a")
        else:
            expected.extend(["b", "c"])
    assert picks == expected


def test_randomness_is_repeatable_and_seedable() -> None:
    first = events(mini("hh*16?"), cycles=4)
    assert first == events(mini("hh*16?"), cycles=4)
    assert events(mini("hh*16?").seed(3), cycles=4) != first


def test_atoms_carry_their_source_columns() -> None:
    source = "bd*2 [sn <cp hh>]"
    contexts = {e.value: e.context for e in mini(source).query_arc(0, 2)}
    assert contexts["bd"] == ((0, 2),)
    assert contexts["sn"] == ((6, 8),)
    assert contexts["cp"] == ((10, 12),)
    assert contexts["hh"] == ((13, 15),)
    tail = mini("bd:3").first_cycle()[0]
    assert sorted(tail.context) == [(0, 2), (3, 4)]


def test_empty_source_is_silence_and_mini_is_cached() -> None:
    assert mini("").first_cycle() == []
    assert mini("   ").first_cycle() == []
    assert mini("a [b c]") is mini("a [b c]")


def test_negative_cycles_and_rests() -> None:
    assert [v for _, _, v in onsets("<a b c>", cycles=3, start=-3)] == ["a", "b", "c"]
    assert onsets("~ ~") == []
    assert [v for _, _, v in onsets("[~ hh]*2")] == ["hh", "hh"]
