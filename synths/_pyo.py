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
from typing import Any, ClassVar, TypeVar

__all__ = ["pyo", "PerServer"]

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


_Kept = TypeVar("_Kept", bound="PerServer")


class PerServer:
    """A base for what is built once per pyo server and shared by everything on it (tables):
    `of(obj)` returns the instance of the server `obj` (any pyo object) runs on, built on first
    use. Only the current server's is kept (one pyo server runs per process at a time), so a
    shut-down server's tables are freed with its objects.

    >>> class Bank(PerServer): pass
    >>> server = pyo().Server(nchnls=2, duplex=0, audio="manual", verbosity=1).boot()
    >>> first = Bank.of(pyo().Sig(0)); first is Bank.of(pyo().Sig(1))
    True
    >>> server.shutdown()
    """

    _current: ClassVar[tuple[Any, Any] | None] = None

    @classmethod
    def of(cls: type[_Kept], obj: Any) -> _Kept:
        """The instance of the server `obj` runs on: built with `cls()` the first time."""
        server = obj._base_objs[0].getServer()
        current = cls._current
        if current is None or current[0] is not server:
            current = (server, cls())
            cls._current = current
        kept: _Kept = current[1]
        return kept
