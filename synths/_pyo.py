"""The one place that imports pyo: quietly, lazily, once.

Importing pyo prints a banner and may try to load wxPython; `pyo()` sets the quiet environment
variables first and returns the module. Nothing is imported until it is called.

>>> pyo().Sine.__name__
'Sine'
"""

from __future__ import annotations

import contextlib
import io
import os
from types import ModuleType

__all__ = ["pyo"]

_MODULE: ModuleType | None = None


def pyo() -> ModuleType:
    """Import pyo without its banner or GUI and return the module.

    >>> pyo() is pyo()
    True
    """
    global _MODULE
    if _MODULE is None:
        os.environ.setdefault("PYO_GUI_WX", "0")
        with contextlib.redirect_stdout(io.StringIO()):
            import pyo as module  # noqa: PLC0415 - deliberately lazy
        _MODULE = module
    return _MODULE
