"""OSC errors, rooted at `LivecodeError`.

>>> issubclass(OscError, LivecodeError)
True
"""

from __future__ import annotations

from patterns.errors import LivecodeError

__all__ = ["OscError"]


class OscError(LivecodeError):
    """A bad OSC address, host or port, or a socket that cannot be opened; names the field."""
