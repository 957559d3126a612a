"""How an evaluation result is shown: the value, warnings, or one error line (with a caret).

>>> from types import SimpleNamespace as NS
>>> format_result(NS(ok=False, value_repr=None, error="NameError: name 'x' is not defined", warnings=[]))
[('class:error', "error: NameError: name 'x' is not defined\\n")]
"""

from __future__ import annotations

import ast
import re
from typing import Any

from prompt_toolkit.formatted_text import StyleAndTextTuples

__all__ = ["caret_lines", "format_error", "format_result"]

_COLUMN_IN_SOURCE = re.compile(r"at column (?P<column>\d+) in (?P<source>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")$")


def caret_lines(message: str) -> tuple[str, int] | None:
    """(source, 0-based column) of a one-line mini-notation error, if the message names them.

    >>> caret_lines("mini-notation: unclosed '[' at column 4 in 'bd ['")
    ('bd [', 3)
    >>> caret_lines("NameError: name 'x' is not defined") is None
    True
    """
    match = _COLUMN_IN_SOURCE.search(message)
    if match is None:
        return None
    try:
        source = ast.literal_eval(match.group("source"))
    except (ValueError, SyntaxError):
        return None
    return (source, max(0, int(match.group("column")) - 1)) if isinstance(source, str) else None


def format_error(result: Any) -> StyleAndTextTuples:
    """The error of an evaluation result; a mini-notation error gets its source and a caret.

    >>> from types import SimpleNamespace as NS
    >>> msg = "mini-notation: unclosed '[' at column 4 in 'bd ['"
    >>> print("".join(t for _, t in format_error(NS(error=msg))), end="")
    error: mini-notation: unclosed '[' at column 4 in 'bd ['
        bd [
           ^
    """
    message = str(getattr(result, "error", None) or "unknown error")
    parts: StyleAndTextTuples = [("class:error", f"error: {message}\n")]
    located = caret_lines(message) if "\n" not in message else None
    if located is not None:
        source, column = located
        parts.append(("class:error", f"    {source}\n"))
        parts.append(("class:caret", "    " + " " * min(column, len(source)) + "^\n"))
    return parts


def format_result(result: Any) -> StyleAndTextTuples:
    """Formatted lines for an evaluation result: warnings, then the value or the error."""
    parts: StyleAndTextTuples = [
        ("class:warning", f"warning: {warning}\n") for warning in getattr(result, "warnings", None) or ()
    ]
    if getattr(result, "ok", False):
        value = getattr(result, "value_repr", None)
        if value:
            parts.append(("class:value", f"{value}\n"))
        return parts
    return parts + format_error(result)
