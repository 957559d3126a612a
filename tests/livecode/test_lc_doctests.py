"""The docstring examples of the live core's modules run."""

from __future__ import annotations

import doctest
import importlib

import pytest

__all__: list[str] = []

MODULES = ["livecode", "livecode.errors", "livecode.clock", "livecode.scheduler", "livecode.tracks",
           "livecode.session", "livecode.prelude", "livecode.journal", "livecode.setfile",
           "livecode.render", "livecode.play", "livecode.targets", "livecode.outputs",
           "livecode.evaluation", "livecode.status", "livecode.watchdog", "livecode.replay",
           "livecode.limits", "livecode.cli", "livecode.interrupt", "livecode.server", "livecode.send",
           "livecode.devices", "livecode.mirror", "livecode.engine_api", "livecode.output_log", "livecode.options",
           "livecode.reference", "livecode.tune",
           "livecode.midi.port", "livecode.midi.messages", "livecode.midi.dispatcher", "livecode.midi.errors",
           "livecode.midi.jack_link", "livecode.midi.jack_clients", "livecode.midi.clock_out",
           "livecode.midi.jack_backend"]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name not in ("livecode.errors", "livecode.midi.errors"):
        assert result.attempted > 0, f"{name} has no examples"
