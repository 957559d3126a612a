"""The mini.* and time.* conformance cases: mini() must give exactly the reference events."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

import conformance_corpus
from patterns.mini import mini
from patterns.pattern import Pattern

CASES, EXPECTED = conformance_corpus.cases(), conformance_corpus.expected()
MINI_CASES = [
    case
    for case in CASES
    if case["id"].startswith(("mini.", "time.")) and case.get("mini") is not None
]


def canonical_value(value: Any) -> Any:
    """A hashable, comparable form of an event value (numbers rounded to 1e-9)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Fraction)):
        return ("num", round(float(value), 9))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(canonical_value(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, canonical_value(v)) for k, v in value.items())))
    return ("str", str(value))


def _span(span: Any) -> tuple[Fraction, Fraction] | None:
    if span is None:
        return None
    if isinstance(span, dict):
        return Fraction(span["begin"]), Fraction(span["end"])
    return span.begin, span.end


def expected_events(case_id: str) -> list[tuple[Any, ...]]:
    """The reference events of a case, canonical and sorted."""
    events = EXPECTED[case_id]["events"]
    rows = [
        (_span(e["whole"]), _span(e["part"]), e["onset"], canonical_value(e["value"]))
        for e in events
    ]
    return sorted(rows, key=repr)


def actual_events(pattern: Pattern, cycles: list[int]) -> list[tuple[Any, ...]]:
    """Our events, one cycle queried at a time, canonical and sorted."""
    rows = []
    for cycle in range(cycles[0], cycles[1]):
        for e in pattern.query_arc(cycle, cycle + 1):
            rows.append((_span(e.whole), _span(e.part), e.has_onset(), canonical_value(e.value)))
    return sorted(rows, key=repr)


def apply_ops(pattern: Pattern, ops: list[list[Any]]) -> Pattern:
    """The few plain operations the time.* cases use (fast/slow with a number)."""
    for name, *args in ops:
        pattern = getattr(pattern, name)(*args)
    return pattern


@pytest.mark.parametrize("case", MINI_CASES, ids=[c["id"] for c in MINI_CASES])
def test_mini_case_matches_reference(case: dict[str, Any]) -> None:
    pattern = apply_ops(mini(case["mini"]), case.get("ops") or [])
    assert actual_events(pattern, case["cycles"]) == expected_events(case["id"])


def test_euclid_rotation_matches_reference_euclidRot() -> None:
    # the corpus pins "a(3,8,2)" through euclidRot(3, 8, 2): same events
    assert actual_events(mini("a(3,8,2)"), [0, 1]) == expected_events("op.euclidRot")


def test_every_mini_case_is_covered() -> None:
    ids = {case["id"] for case in MINI_CASES}
    assert len([i for i in ids if i.startswith("mini.")]) == 59
    assert "time.negative_cycles" in ids
