"""The examples of the pattern docs run as doctests."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

__all__: list[str] = []

DOCS = Path(__file__).resolve().parents[2] / "docs"
FILES = [name for name in ("patterns.md", "mini-notation.md", "controls.md", "theory.md") if (DOCS / name).exists()]


@pytest.mark.parametrize("name", FILES)
def test_pat_doc_examples(name: str) -> None:
    result = doctest.testfile(
        str(DOCS / name), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} failing example(s) in docs/{name}"


MODULES = [
    "patterns.timespan",
    "patterns.timemath",
    "patterns.event",
    "patterns.pattern",
    "patterns.register",
    "patterns.constructors",
    "patterns.time_ops",
    "patterns.structure",
    "patterns.conditional",
    "patterns.layering",
    "patterns.arithmetic",
    "patterns.blending",
    "patterns.random",
    "patterns.signals",
    "patterns.euclid",
    "patterns.sampling",
    "patterns.rearrange",
    "patterns.stepwise",
    "patterns.conformance",
]


@pytest.mark.parametrize("name", MODULES)
def test_pat_module_docstring_examples(name: str) -> None:
    import patterns  # noqa: F401 - registers every transformation first

    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"
