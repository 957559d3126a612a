"""Runaway patterns are refused before any work (issue 7): speed-ups, counts and densities past
what can play raise `RunawayError` (a mini-notation runaway points at its column), honest
patterns are untouched."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from patterns import mini, pure, s, sequence
from patterns.errors import MiniNotationError, PatternError, RunawayError
from patterns.runaway import MAX_COUNT, MAX_SPEED, check_density


@pytest.mark.parametrize("build", [
    lambda: sequence("a").fast(1e9),
    lambda: sequence("a").slow(1e-9),
    lambda: sequence("a").fast(1000).fast(1000),                  # composed speed-ups
    lambda: sequence("a").hurry(1e9),
    lambda: sequence("a").segment(1e9),
    lambda: sequence("a").chop(1e9),
    lambda: sequence("a").striate(1e9),
    lambda: sequence("a").ply(1e9),
    lambda: sequence("a").iter(1e9),
    lambda: sequence("a").echo(1e9, 0.1, 0.5),
    lambda: sequence("a").shuffle(1e9),
    lambda: s("[bd*10000 sd]*10000"),                             # nested, each under the limit
])
def test_runaways_are_refused_at_once(build: object) -> None:
    start = time.process_time()
    with pytest.raises(RunawayError):
        pattern = build()  # type: ignore[operator]
        pattern.query_arc(0, 1)
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(("source", "column"), [("bd*1e9", 3), ("e*1e9", 2), ("bd sd/1e-9", 6)])
def test_a_mini_notation_runaway_points_at_its_operator(source: str, column: int) -> None:
    with pytest.raises(MiniNotationError) as caught:
        mini(source)
    assert caught.value.column == column - 1
    assert "runaway" in caught.value.one_line()


def test_a_patterned_runaway_fails_at_the_cycle_it_plays() -> None:
    pattern = sequence("a").fast("<1 1e9>")
    assert len(pattern.query_arc(0, 1)) == 1
    with pytest.raises(RunawayError):
        pattern.query_arc(1, 2)


def test_honest_patterns_at_the_limits_still_play() -> None:
    assert len(sequence("a").fast(MAX_SPEED).query_arc(0, Fraction(1, 100))) == MAX_SPEED // 100
    assert len(pure({"s": "a"}).chop(MAX_COUNT).query_arc(0, Fraction(1, 100))) == MAX_COUNT // 100
    check_density(mini("[c e g b d f a]"))            # a chord-like stack counts as one time
    check_density(sequence(*["x"] * 64).fast(1000))   # 64,000 per cycle: dense, not a runaway


def test_runaway_errors_are_pattern_errors() -> None:
    assert issubclass(RunawayError, PatternError)
