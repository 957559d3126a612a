"""Property-based tests (hypothesis) of the pattern model's laws."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from patterns import Pattern, cat, fastcat, pure, silence, stack, timecat
from patterns.mini import mini
from patterns.signals import rand
from patterns.structure import rev
from patterns.time_ops import fast

__all__: list[str] = []

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.sampled_from(["a", "b", "c", 0, 1, 2])
fractions = st.fractions(min_value=Fraction(1, 4), max_value=Fraction(4), max_denominator=6)
times = st.fractions(min_value=Fraction(-2), max_value=Fraction(6), max_denominator=12)
lengths = st.fractions(min_value=Fraction(1, 8), max_value=Fraction(3), max_denominator=8)


def _patterns() -> st.SearchStrategy[Pattern]:
    leaves = st.one_of(values.map(pure), st.just(silence))

    def extend(children: st.SearchStrategy[Pattern]) -> st.SearchStrategy[Pattern]:
        lists = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            lists.map(lambda ps: fastcat(*ps)),
            lists.map(lambda ps: cat(*ps)),
            lists.map(lambda ps: stack(*ps)),
            st.tuples(st.integers(1, 3), children, st.integers(1, 2), children).map(
                lambda t: timecat((t[0], t[1]), (t[2], t[3]))
            ),
            st.tuples(children, fractions).map(lambda t: t[0].fast(t[1])),
            st.tuples(children, fractions).map(lambda t: t[0].slow(t[1])),
            st.tuples(children, fractions).map(lambda t: t[0].early(t[1])),
            children.map(lambda p: p.rev()),
            st.tuples(children, st.integers(1, 3)).map(lambda t: t[0].ply(t[1])),
            st.tuples(children, st.integers(2, 4)).map(lambda t: t[0].iter(t[1])),
            st.tuples(children, st.integers(2, 3)).map(lambda t: t[0].every(t[1], rev)),
            children.map(lambda p: p.degradeBy(0.3)),
            st.tuples(children, st.sampled_from(["1 2", "<1 2>", "1 [2 3]"])).map(lambda t: t[0].fast(t[1])),
            st.tuples(children, st.integers(1, 3)).map(lambda t: t[0].chop(t[1])),
            st.tuples(children, st.integers(2, 3)).map(lambda t: t[0].striate(t[1])),
            children.map(lambda p: p.off(0.25, lambda q: q.fast(2))),
            children.map(lambda p: p.palindrome()),
            children.map(lambda p: p.chunk(2, rev)),
            children.map(lambda p: p.swing(2)),
            st.tuples(children, st.integers(1, 5)).map(lambda t: t[0].segment(t[1])),
            children.map(lambda p: p.struct("1 0 1")),
            children.map(lambda p: p.mask("1 [0 1]")),
            st.tuples(children, st.integers(1, 5), st.integers(5, 8)).map(lambda t: t[0].euclid(t[1], t[2])),
            children.map(lambda p: p.inside(2, rev)),
            children.map(lambda p: p.shuffle(2)),
            children.map(lambda p: p.press()),
            children.map(lambda p: p.brak()),
            children.map(lambda p: p.zoom(0.25, 0.75)),
            children.map(lambda p: p.linger(0.25)),
            children.map(lambda p: p.compress(0.25, 0.75)),
            children.map(lambda p: p.ribbon(1, 2)),
            children.map(lambda p: p.bite(2, "0 1 1")),
            children.map(lambda p: p.echoWith(2, 0.125, rev)),
            children.map(lambda p: p.sometimesBy(0.5, lambda q: q.fast(2))),
            children.map(lambda p: p.jux(rev)),
            children.map(lambda p: p.rolledBy(0.25)),
        )

    return st.recursive(leaves, extend, max_leaves=6)


patterns_st = _patterns()


def _key(event: Any) -> tuple[Any, ...]:
    whole = None if event.whole is None else (event.whole.begin, event.whole.end)
    return (whole, event.part.begin, event.part.end, repr(event.value))


def _onsets(pat: Pattern, begin: Fraction, end: Fraction) -> Counter[tuple[Any, ...]]:
    return Counter(
        (e.whole.begin, e.whole.end, repr(e.value)) for e in pat.query_arc(begin, end) if e.has_onset()
    )


def _events(pat: Pattern, begin: Fraction, end: Fraction) -> Counter[tuple[Any, ...]]:
    return Counter(_key(e) for e in pat.query_arc(begin, end))


@SETTINGS
@given(patterns_st, times, lengths, lengths)
def test_pat_query_splitting_keeps_onsets(pat: Pattern, a: Fraction, d1: Fraction, d2: Fraction) -> None:
    b, c = a + d1, a + d1 + d2
    # zoom maps an event that crosses a cycle relative to its own cycle, as Strudel's withCycle
    # does, and can leave a part outside its whole (zoom(1/4, 3/4) of `echoWith(2, 1/8, rev)`):
    # such events have no well-defined onset, so the property is about well-formed ones
    assume(all(_within(e) for e in pat.query_arc(a, c)))
    assert _onsets(pat, a, c) == _onsets(pat, a, b) + _onsets(pat, b, c)


def _within(event: Any) -> bool:
    whole = event.whole
    return whole is None or (whole.begin <= event.part.begin and event.part.end <= whole.end)


@SETTINGS
@given(patterns_st, fractions)
def test_pat_fast_then_slow_is_identity(pat: Pattern, n: Fraction) -> None:
    assert _events(pat.fast(n).slow(n), Fraction(0), Fraction(3)) == _events(pat, Fraction(0), Fraction(3))


@SETTINGS
@given(patterns_st)
def test_pat_rev_rev_is_identity(pat: Pattern) -> None:
    for cycle in range(-1, 3):
        assert _events(rev(rev(pat)), Fraction(cycle), Fraction(cycle + 1)) == _events(
            pat, Fraction(cycle), Fraction(cycle + 1)
        )


@SETTINGS
@given(patterns_st, times)
def test_pat_randomness_is_repeatable(pat: Pattern, start: Fraction) -> None:
    degraded = pat.degradeBy(0.5).sometimesBy(0.5, lambda p: p.fast(2))
    first = _events(degraded, start, start + 2)
    again = _events(degraded, start, start + 2)
    assert first == again


@SETTINGS
@given(times)
def test_pat_rand_is_a_function_of_time(t: Fraction) -> None:
    sampled = [e.value for e in rand.query_arc(t, t + Fraction(1, 8))]
    assert sampled == [e.value for e in rand.query_arc(t, t + 1)]
    assert 0 <= sampled[0] < 1


words = st.sampled_from(["bd", "sd", "hh", "cp"])


@SETTINGS
@given(words, st.integers(1, 5))
def test_pat_mini_star_equals_fast(word: str, n: int) -> None:
    assert _events(mini(f"{word}*{n}"), Fraction(0), Fraction(2)) == _events(
        fast(n, word), Fraction(0), Fraction(2)
    )


@SETTINGS
@given(st.lists(words, min_size=1, max_size=5))
def test_pat_mini_sequences_and_alternations(items: list[str]) -> None:
    source = " ".join(items)
    assert _events(mini(f"[{source}]"), Fraction(0), Fraction(2)) == _events(
        fastcat(*[pure(w) for w in items]), Fraction(0), Fraction(2)
    )
    assert _events(mini(f"<{source}>"), Fraction(0), Fraction(6)) == _events(
        cat(*[pure(w) for w in items]), Fraction(0), Fraction(6)
    )


@SETTINGS
@given(words, st.integers(1, 4))
def test_pat_mini_slow_equals_slow(word: str, n: int) -> None:
    assert _events(mini(f"{word}/{n}"), Fraction(0), Fraction(4)) == _events(
        pure(word).slow(n), Fraction(0), Fraction(4)
    )
