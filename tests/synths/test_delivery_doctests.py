"""The docstring examples of the mastering, QC, formats and delivery modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["synths.formats", "synths.qc", "synths.qc.measure", "synths.qc.curves",
           "synths.qc.translation", "synths.qc.report", "synths.qc.plot", "synths.mastering",
           "synths.mastering.presets", "synths.mastering.chain", "synths.mastering.offline",
           "livecode.deliver", "synths.errors"]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
