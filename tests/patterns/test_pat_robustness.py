"""Every transformation, called with odd arguments, raises only LivecodeError subclasses."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

import patterns
from patterns import LivecodeError, Pattern, pure, rev, saw, sequence, silence
from patterns.register import registry

__all__: list[str] = []

OWN_MODULES = (
    "patterns.time_ops", "patterns.structure", "patterns.conditional", "patterns.layering",
    "patterns.arithmetic", "patterns.random", "patterns.signals", "patterns.euclid",
    "patterns.sampling", "patterns.rearrange", "patterns.stepwise", "patterns.blending",
)  # fmt: skip
NAMES = sorted(
    name
    for name, reg in registry.items()
    if getattr(reg.func, "__module__", "") in OWN_MODULES and reg.name == name
)
TARGETS = [sequence("a", "b", "c"), pure({"s": "bd", "n": 1}), saw.segment(4), silence, saw]
ARGUMENTS: list[tuple[Any, ...]] = [
    (), (2,), ("<1 2>",), (Fraction(1, 3),), (rev,), (2, rev), ("1 0",), (0.5, rev), (3, 8),
    (3, 8, 2), (0, 0.5, rev), (4, "0 1"), (["a", "b c"],), ({"x": "a"},), (0,), (-1,),
    (3, 0.125, rev), (2, 4), ("x",), (None,), (rev, {"s": "bd"}), ("~",), (-3, 8, -1),
    (lambda cycle: cycle % 2 == 0, rev),
]  # fmt: skip
SPANS = [(0, 2), (Fraction(1, 3), Fraction(7, 5)), (-1, 0), (Fraction(1, 2), Fraction(1, 2))]


def test_pat_robustness_covers_the_transformations() -> None:
    assert len(NAMES) > 80 and "fast" in NAMES and "rolledBy" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_pat_only_livecode_errors_escape(name: str) -> None:
    reg = registry[name]
    built = 0
    for target in TARGETS:
        for args in ARGUMENTS:
            try:
                result = reg.call_method(target, args)
                if isinstance(result, Pattern):
                    for begin, end in SPANS:
                        result.query_arc(begin, end)
                    built += 1
            except LivecodeError:
                continue
    assert built > 0, f"{name} never accepted any argument set"


def test_pat_package_exports_are_patterns_or_callables() -> None:
    for name in patterns.__all__:
        value = getattr(patterns, name)
        assert isinstance(value, (Pattern, dict)) or callable(value), name
