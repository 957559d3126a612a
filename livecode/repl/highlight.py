"""Python syntax highlighting and the REPL's colours.

>>> lexer = python_lexer()
>>> type(lexer).__name__
'PygmentsLexer'
"""

from __future__ import annotations

from prompt_toolkit.lexers import Lexer, PygmentsLexer
from prompt_toolkit.styles import BaseStyle, Style, merge_styles, style_from_pygments_cls
from pygments.lexers.python import PythonLexer
from pygments.styles import get_style_by_name

__all__ = ["python_lexer", "repl_style", "STATUS_STYLE_RULES"]

#: Classes used by the status bar and messages (see statusbar.py and app.py).
STATUS_STYLE_RULES: dict[str, str] = {
    "bottom-toolbar": "noreverse bg:#202020 #d0d0d0",
    "status.pos": "bold #ffffff",
    "status.bpm": "#ffd75f",
    "status.track": "#87d787",
    "status.track.idle": "#808080",
    "status.track.muted": "#5f5f5f strike",
    "status.track.soloed": "bold #ffaf00",
    "status.track.error": "bold #ff5f5f",
    "status.meter": "#87afd7",
    "status.warn": "bold #ff5f5f",
    "status.sep": "#5f5f5f",
    "error": "#ff5f5f",
    "warning": "#ffaf00",
    "value": "#afafaf",
    "caret": "bold #ff5f5f",
}


def python_lexer() -> Lexer:
    """Pygments' PythonLexer wrapped for prompt_toolkit.

    >>> python_lexer() is not None
    True
    """
    return PygmentsLexer(PythonLexer)


def repl_style(pygments_style: str = "monokai") -> BaseStyle:
    """The pygments colour scheme merged with the status-bar classes.

    >>> isinstance(repl_style(), object)
    True
    """
    base = style_from_pygments_cls(get_style_by_name(pygments_style))
    return merge_styles([base, Style.from_dict(STATUS_STYLE_RULES)])
