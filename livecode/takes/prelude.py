"""The prelude names of takes: `audio`, `comp`, `comp_ranges` (and, bound to the session, the
live input and take recording).

>>> sorted(take_functions(None))[:3]
['audio', 'comp', 'comp_ranges']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from livecode.takes.placing import audio, comp, comp_ranges

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["take_functions"]


def take_functions(session: Session | None) -> dict[str, Callable[..., object]]:
    """The take names a performer types, bound to `session` where they need it."""
    return {"audio": audio, "comp": comp, "comp_ranges": comp_ranges}
