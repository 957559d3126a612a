"""The examples of the pattern docs (docs/*.md) run as doctests."""

from __future__ import annotations

import doctest
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


# The docstring examples of every module under patterns/ run in test_pat_all_doctests.py.
