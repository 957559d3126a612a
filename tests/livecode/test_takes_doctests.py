"""The docstring examples of the takes modules run (livecode.takes and synths.instruments.take)."""

from __future__ import annotations

import doctest
import importlib

import pytest

__all__: list[str] = []

MODULES = ["livecode.takes", "livecode.takes.spec", "livecode.takes.placing", "livecode.takes.timeline",
           "livecode.takes.prelude", "livecode.takes.recording", "synths.instruments.take", "synths.live_input",
           "synths.jack_latency"]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
