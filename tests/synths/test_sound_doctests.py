"""The docstring examples of the modules the sound work touched run."""

from __future__ import annotations

import doctest
import importlib

import pytest

__all__: list[str] = []

MODULES = [
    "synths.instruments.audit", "synths.instruments._sources", "synths.instruments._dsp",
    "synths.instruments._notefx", "synths.instruments.drums", "synths.instruments.drums808",
    "synths.instruments.drums909", "synths.instruments.pads", "synths.instruments.keys",
    "synths.instruments.tonal", "synths.instruments.bass", "synths.instruments.leads",
    "synths.instruments.preview", "synths.recorder", "synths.render", "synths.master",
    "synths.effects.audit", "synths.effects.base", "synths.effects.distortion",
    "synths.effects.modulation",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no examples"
