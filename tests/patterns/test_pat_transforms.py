"""Transformations beyond the shared corpus: each asserts the Tidal/Strudel semantics."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from patterns import Pattern, PatternError, arrange, cat, polymeter, pure, run, sequence, stack, stepcat
from patterns.signals import chooseCycles, irand, perlin, rand, saw, sine, square, tri, wchooseCycles
from patterns.structure import rev

__all__: list[str] = []


def onsets(pat: Pattern, begin: Any = 0, end: Any = 1) -> list[tuple[str, Any]]:
    return [(str(e.whole.begin), e.value) for e in pat.onsets(begin, end)]


def values(pat: Pattern, begin: Any = 0, end: Any = 1) -> list[Any]:
    return [e.value for e in pat.onsets(begin, end)]


abcd = sequence(*"abcd")


def test_pat_linger_negative_repeats_the_end_as_tidal() -> None:
    assert values(sequence(*range(8)).linger(F(-1, 4))) == [6, 7, 6, 7, 6, 7, 6, 7]


def test_pat_echo_with_is_cumulative_as_tidal_stut_with() -> None:
    got = onsets(pure(0).echoWith(3, F(1, 8), lambda p: p.add(12)))
    assert got == [("0", 0), ("1/8", 12), ("1/4", 24)]


def test_pat_within_uses_tidal_semantics() -> None:
    got = values(sequence(1, 2, 3, 4).within(0, 0.5, lambda p: p.fast(2)))
    assert got == [1, 2, 3, 4, 3, 4]


def test_pat_loop_at_is_tempo_independent() -> None:
    event = pure({"s": "break"}).loopAt(2).first_cycle()[0]
    assert event.whole.end == 2 and event.value == {"s": "break", "speed": 0.5, "unit": "c"}


def test_pat_zoom_compress_fastgap() -> None:
    assert values(abcd.zoom(0.25, 0.75)) == ["b", "c"]
    assert onsets(pure("a").compress(0.25, 0.5)) == [("1/4", "a")]
    assert [str(e.whole) for e in sequence("a", "b").fastGap(2).first_cycle()] == ["0 → 1/4", "1/4 → 1/2"]
    assert pure("a").compress(0.5, 0.25).first_cycle() == []


def test_pat_inside_outside() -> None:
    assert values(abcd.inside(2, rev)) == ["b", "a", "d", "c"]
    assert values(cat("a", "b").outside(2, rev), 0, 2) == ["b", "a"]


def test_pat_chunk_and_chunk_back() -> None:
    loud = lambda p: p.fmap(str.upper)  # noqa: E731
    assert values(abcd.chunk(4, loud), 1, 2) == ["a", "B", "c", "d"]
    assert values(abcd.chunkBack(4, loud), 1, 2) == ["a", "b", "c", "D"]


def test_pat_whenmod_and_when() -> None:
    tens = lambda p: p.fmap(lambda v: v * 10)  # noqa: E731
    assert values(cat(1).whenmod(4, 2, tens), 0, 4) == [1, 1, 10, 10]
    assert values(sequence(1, 2).when("0 1", tens)) == [1, 20]


def test_pat_brak_press_swing() -> None:
    assert onsets(sequence("a", "b").brak(), 1, 2) == [("5/4", "a"), ("3/2", "b")]
    assert onsets(sequence("a", "b").press()) == [("1/4", "a"), ("3/4", "b")]
    assert [o[0] for o in onsets(sequence(*"abcd").swing(2))] == ["0", "1/3", "1/2", "5/6"]


def test_pat_euclid_family() -> None:
    assert [o[0] for o in onsets(pure("x").euclid(3, 8))] == ["0", "3/8", "3/4"]
    assert [o[0] for o in onsets(pure("x").euclidOff(3, 8, 2))] == ["1/8", "1/2", "3/4"]
    assert [str(e.whole) for e in pure("x").euclidLegato(3, 8).first_cycle()] == [
        "0 → 3/8", "3/8 → 3/4", "3/4 → 1",
    ]
    assert [o[0] for o in onsets(pure("x").euclid(-3, 8))][:2] == ["1/8", "1/4"]


def test_pat_struct_mask_invert() -> None:
    assert values(pure("a").struct("1 0 1")) == ["a", "a"]
    assert values(abcd.mask("1 0")) == ["a", "b"]
    assert values(sequence(True, False).invert()) == [False, True]


def test_pat_superimpose_layer_off_jux_echo() -> None:
    assert sorted(values(pure(0).superimpose(lambda p: p.add(7)))) == [0, 7]
    assert values(pure(0).layer(lambda p: p.add(1), lambda p: p.add(2))) == [1, 2]
    assert onsets(pure(0).off(0.25, lambda p: p.add(12))) == [("0", 0), ("1/4", 12)]
    pans = sorted(e.value["pan"] for e in pure({"s": "a"}).jux(rev).first_cycle())
    assert pans == [0.0, 1.0]
    assert [e.value["gain"] for e in pure({"s": "a"}).echo(2, 0.5, 0.5).onsets(0, 1)] == [1.0, 0.5]


def test_pat_arithmetic_variants_and_operators() -> None:
    left = sequence(1, 2)
    assert values(left.add("10 20 30")) == [11, 22]
    assert values(left.add.mix("10 20 30")) == [11, 21, 22, 32]
    assert values(left.sub.squeeze("1 0")) == [0, 1, 1, 2]
    assert values(left * 3 + 1) == [4, 7]
    assert values(10 - left) == [9, 8]
    assert values(sequence(-1, 7).mod(3)) == [2, 1]
    assert values(pure("c").add(12)) == [60]
    assert values(pure({"note": 60}).add({"note": 2})) == [{"note": 62}]
    with pytest.raises(PatternError, match="cannot use 'bd' as a number"):
        pure("bd").add(1).first_cycle()


def test_pat_range_family() -> None:
    assert values(sine.segment(4).range(1, 5)) == pytest.approx([3, 5, 3, 1])
    assert values(saw.segment(2).rangex(100, 400)) == pytest.approx([100, 200])
    assert values(sequence(-1, 1).range2(0, 10)) == pytest.approx([0, 10])


def test_pat_signals_and_random() -> None:
    assert values(square.segment(4)) == [0, 0, 1, 1]
    assert values(tri.segment(4)) == pytest.approx([0, 0.5, 1, 0.5])
    assert all(0 <= v < 1 for v in values(perlin.segment(16), 0, 3))
    assert all(v in range(8) for v in values(irand(8).segment(8), 0, 4))
    assert values(rand.segment(1), 0, 2) == values(rand.segment(1), 0, 2)
    assert {v for v in values(chooseCycles("a", "b"), 0, 16)} == {"a", "b"}
    heavy = values(wchooseCycles(("a", 1), ("b", 9)), 0, 40)
    assert heavy.count("b") > heavy.count("a")


def test_pat_shuffle_is_a_permutation_and_scramble_stays_in_range() -> None:
    for cycle in range(5):
        assert sorted(values(abcd.shuffle(4), cycle, cycle + 1)) == list("abcd")
        assert set(values(abcd.scramble(4), cycle, cycle + 1)) <= set("abcd")


def test_pat_pick_inhabit_squeeze_bite() -> None:
    assert values(sequence(0, 5).pick(["a", "b c"])) == ["a", "c"]
    assert values(sequence("x", "y").inhabit({"x": "a b", "y": "c"})) == ["a", "b", "c"]
    assert values(sequence(0, 1).squeeze(["a b", "c"])) == ["a", "b", "c"]
    assert values(sequence(*range(4)).bite(2, "1 0")) == [2, 3, 0, 1]


def test_pat_sampling() -> None:
    chopped = pure({"s": "x", "begin": 0.5}).chop(2).first_cycle()
    assert [(e.value["begin"], e.value["end"]) for e in chopped] == [(0.5, 0.75), (0.75, 1.0)]
    assert [e.value["begin"] for e in sequence({"s": "a"}, {"s": "b"}).striate(2).onsets(0, 1)] == [
        0.0, 0.0, 0.5, 0.5,
    ]
    spliced = pure("br").splice(2, "0 1").first_cycle()
    assert [e.value["speed"] for e in spliced] == [1.0, 1.0] and spliced[0].value["unit"] == "c"
    assert [e.value["begin"] for e in pure("br").slice(4, "3").first_cycle()] == [0.75]


def test_pat_constructors() -> None:
    assert values(run(4)) == [0, 1, 2, 3]
    assert values(arrange((2, "a"), (1, "b")), 0, 3) == ["a", "a", "b"]
    assert values(polymeter(sequence("a", "b"), sequence("c", "d", "e")), 1, 2) == ["a", "e", "b", "c"]
    assert [o[0] for o in onsets(stepcat(sequence("a", "b", "c"), sequence("d", "e")))] == [
        "0", "1/5", "2/5", "3/5", "4/5",
    ]
    assert values(stack("a", "b")) == ["a", "b"]


def test_pat_stepwise() -> None:
    five = sequence(*"abcde")
    assert values(five.take(2)) == ["a", "b"]
    assert values(five.drop(2)) == ["c", "d", "e"]
    assert values(five.take(-1)) == ["e"]
    assert len(sequence(*"abc").pace(6).onsets(0, 1)) == 6
    assert sequence("a", "b").expand(3).steps == 6


def test_pat_repeat_cycles_ribbon_iter_palindrome() -> None:
    assert values(cat(0, 1).repeatCycles(2), 0, 4) == [0, 0, 1, 1]
    assert values(cat(*range(8)).ribbon(2, 2), 0, 4) == [2, 3, 2, 3]
    assert values(abcd.iter(4), 1, 2) == ["b", "c", "d", "a"]
    assert values(abcd.iterBack(4), 1, 2) == ["d", "a", "b", "c"]
    assert values(sequence(1, 2).palindrome(), 0, 2) == [1, 2, 2, 1]


def test_pat_hurry_segment_ply() -> None:
    assert values(pure({"s": "bd", "speed": 2}).hurry(2)) == [{"s": "bd", "speed": 4}] * 2
    assert len(pure("a").segment(3).first_cycle()) == 3
    assert onsets(pure("a").ply(F(3, 2)))[:2] == [("0", "a"), ("2/3", "a")]


def test_pat_some_cycles_by_is_per_cycle() -> None:
    pat = sequence(0, 0, 0, 0).someCyclesBy(0.5, lambda p: p.add(1))
    for cycle in range(6):
        assert len(set(values(pat, cycle, cycle + 1))) == 1


def test_pat_sometimes_family_partitions_events() -> None:
    for name in ("sometimes", "often", "rarely", "almostNever", "almostAlways", "always", "never"):
        pat = getattr(sequence(*[0] * 8), name)(lambda p: p.add(1))
        assert len(values(pat, 0, 2)) == 16, name
    assert values(pure(0).always(lambda p: p.add(1))) == [1]
    assert values(pure(0).never(lambda p: p.add(1))) == [0]


def test_pat_negative_and_zero_factors() -> None:
    assert pure("a").fast(0).first_cycle() == []
    assert values(abcd.fast(-1)) == ["d", "c", "b", "a"]
    assert pure("a").slow(0).first_cycle() == []


def test_pat_seed_changes_randomness_deterministically() -> None:
    from patterns.mini import mini

    base = values(rand.segment(8), 0, 2)
    assert values(rand.segment(8).seed(0), 0, 2) == base
    one = values(rand.segment(8).seed(1), 0, 2)
    assert one != base and one == values(rand.segment(8).seed(1), 0, 2)
    degraded = [values(mini("a*16?").seed(n), 0, 1) for n in range(4)]
    assert len({tuple(d) for d in degraded}) > 1


def test_pat_rot_and_scan() -> None:
    from patterns import scan

    assert values(abcd.rot(1)) == ["b", "c", "d", "a"]
    assert values(abcd.rot(-1)) == ["d", "a", "b", "c"]
    assert values(abcd.rot("<0 1>"), 0, 2) == ["a", "b", "c", "d", "b", "c", "d", "a"]
    assert [e.value for e in abcd.rot(1).query_arc(F(1, 4), F(1, 2))] == ["c"]
    assert values(scan(2), 0, 3) == [0, 0, 1, 0]


def test_pat_blending() -> None:
    from patterns import sew, stitch

    assert onsets(sew("1 0", "a*4", "b*4")) == [("0", "a"), ("1/4", "a"), ("1/2", "b"), ("3/4", "b")]
    assert values(stitch("1 0 1", "a", "b")) == ["a", "b", "a"]
    assert values(sequence(*"abcd").trunc(0.5)) == ["a", "b"]
    assert [str(e.part) for e in pure("a").trunc(0.5).first_cycle()] == ["0 → 1/2"]
    assert onsets(sequence("c", "d").wedge(0.5, "a")) == [("0", "a"), ("1/2", "c"), ("3/4", "d")]
    assert values(sequence(1).plyWith(2, lambda p: p.add(1))) == [1, 2]
    assert len(pure("x").euclidFull(3, 8, "y").onsets(0, 1)) == 8
