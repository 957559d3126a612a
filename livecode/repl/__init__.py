"""The live-coding REPL (prompt_toolkit): highlighting, completion, status bar, hush keys.

>>> from livecode.repl import Repl, run_repl
"""

from __future__ import annotations

from livecode.repl.app import Repl, run_repl
from livecode.repl.results import format_result

__all__ = ["Repl", "format_result", "run_repl"]
