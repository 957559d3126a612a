"""The audio engine: pyo voices, effects, mixer, sample-accurate event engine and renderer.

`synths` is the only package that imports pyo, and it does so lazily (`synths._pyo.pyo()`):
importing `synths` boots nothing. The main names are importable from the package and load their
module on first use.

>>> import synths
>>> synths.NoteEvent(0, "d1", {"s": "bd"}, 100).track
'd1'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Engine", "EngineProcess", "NoteEvent", "ParamEvent", "render", "RenderResult", "Voice"]

_HOMES = {
    "Engine": "synths.engine",
    "EngineProcess": "synths.process",
    "NoteEvent": "synths.events",
    "ParamEvent": "synths.events",
    "render": "synths.render",
    "RenderResult": "synths.render",
    "Voice": "synths.voice",
}


def __getattr__(name: str) -> Any:
    """Load `synths.<module>` for a public name on first access."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'synths' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
