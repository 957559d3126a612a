"""livecode: live coding music in Python — the session, its tracks, the REPL and the CLI.

The session is the composition root (`livecode.session.Session`); the names below are loaded on
first use, so `import livecode` is cheap and has no side effects.

>>> import livecode
>>> livecode.Session.__name__, livecode.render_set.__name__
('Session', 'render_set')
"""

from __future__ import annotations

import importlib

__all__ = ["Session", "EvalResult", "Status", "render_set", "RenderReport", "play_set", "PlayReport"]

_HOMES = {
    "Session": "livecode.session",
    "EvalResult": "livecode.session",
    "Status": "livecode.session",
    "render_set": "livecode.render",
    "RenderReport": "livecode.render",
    "play_set": "livecode.play",
    "PlayReport": "livecode.play",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'livecode' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
