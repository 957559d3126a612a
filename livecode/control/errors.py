"""Control errors (mapping, learn, keyboard, recording), rooted at `LivecodeError`.

>>> issubclass(MappingError, ValueError)
True
"""

from __future__ import annotations

from patterns.errors import LivecodeError

__all__ = ["MappingError"]


class MappingError(LivecodeError, ValueError):
    """A bad mapping, target, range, curve or recording request; the message names the field."""
