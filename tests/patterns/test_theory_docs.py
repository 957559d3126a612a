"""The examples in docs/controls.md and docs/theory.md run and print what they show (the
docstring examples of the control and theory modules run in test_pat_all_doctests.py)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("name", ["controls.md", "theory.md"])
def test_doc_examples(name: str) -> None:
    result = doctest.testfile(str(DOCS / name), module_relative=False, verbose=False)
    assert result.attempted > 10
    assert result.failed == 0
