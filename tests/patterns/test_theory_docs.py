"""The examples in docs/controls.md, docs/theory.md and in the docstrings of the control and
theory modules run and print what they show."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
MODULES = [
    "patterns.control_table",
    "patterns.controls",
    "patterns.theory",
    "patterns.theory.notes",
    "patterns.theory.intervals",
    "patterns.theory.scales",
    "patterns.theory.chords",
    "patterns.theory.voicing",
    "patterns.theory.progression",
    "patterns.theory.arp",
    "patterns.theory.ops",
]


@pytest.mark.parametrize("name", ["controls.md", "theory.md"])
def test_doc_examples(name: str) -> None:
    result = doctest.testfile(str(DOCS / name), module_relative=False, verbose=False)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
