"""The latest value of every live control (CCs by number, named values), for patterns to read.

Inputs write (`set`), patterns read through `patterns.livevalues.ValueSource` (`value`). Keys:
`cc74` (CC 74 on any channel of any input, 0..1), `cc74/2` (on channel 2), and the names that
mappings to "a pattern value" write (`map_cc(74, "cut", range=(200, 4000))` writes `cut`).

>>> values = ControlValues()
>>> values.set_cc(74, 2, 127); values.value("cc74"), values.value("cc74/2"), values.value("cc1")
(1.0, 1.0, None)
"""

from __future__ import annotations

import threading

__all__ = ["ControlValues", "cc_key"]


def cc_key(control: int, channel: int | None = None) -> str:
    """The value name of a CC (any channel when `channel` is None).

    >>> cc_key(74), cc_key(74, 3)
    ('cc74', 'cc74/3')
    """
    return f"cc{control}" if channel is None else f"cc{control}/{channel}"


class ControlValues:
    """A thread-safe name -> float table (satisfies `patterns.livevalues.ValueSource`)."""

    def __init__(self) -> None:
        self._values: dict[str, float] = {}
        self._lock = threading.Lock()

    def value(self, name: str) -> float | None:
        """The latest value of `name`, None before the first."""
        with self._lock:
            return self._values.get(name)

    def set(self, name: str, value: float) -> None:
        """Store a value."""
        with self._lock:
            self._values[name] = float(value)

    def set_cc(self, control: int, channel: int, raw: int) -> None:
        """A CC arrived: store it (0..1) under its any-channel and its channel key."""
        x = raw / 127.0
        with self._lock:
            self._values[cc_key(control)] = x
            self._values[cc_key(control, channel)] = x

    def names(self) -> list[str]:
        """Every name with a value."""
        with self._lock:
            return sorted(self._values)
