"""Persistent REPL history: one file in $XDG_STATE_HOME/livecode/history.

>>> import os
>>> history_path({"XDG_STATE_HOME": "/tmp/st"}).as_posix()
'/tmp/st/livecode/history'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

__all__ = ["history_path", "open_history"]


def history_path(environ: Mapping[str, str] | None = None) -> Path:
    """The history file: $XDG_STATE_HOME/livecode/history, else ~/.local/state/livecode/history.

    >>> history_path({"HOME": "/home/x"}).as_posix()
    '/home/x/.local/state/livecode/history'
    """
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or ""
    if not state:
        home = env.get("HOME") or str(Path.home())
        state = str(Path(home) / ".local" / "state")
    return Path(state) / "livecode" / "history"


def open_history(path: Path | None = None) -> History:
    """A FileHistory at `path` (default `history_path()`); in memory if the folder can't be made.

    >>> import tempfile
    >>> h = open_history(Path(tempfile.mkdtemp()) / "h")
    >>> type(h).__name__
    'FileHistory'
    """
    target = history_path() if path is None else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(target))
