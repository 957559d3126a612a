"""The docstring examples of the mini-notation modules run as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "patterns.mini",
    "patterns.mini.lexer",
    "patterns.mini.ast",
    "patterns.mini.parser",
    "patterns.mini.compile",
    "patterns.mini.euclid",
]


@pytest.mark.parametrize("name", MODULES)
def test_mini_module_docstring_examples(name: str) -> None:
    import patterns  # noqa: F401 - registers every transformation first

    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"
