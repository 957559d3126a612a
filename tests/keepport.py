"""`KeepPort`: a MIDI output for tests that keeps every message it is asked to send.

>>> port = KeepPort("synth"); port.name, port.sent, port.cuts
('synth', [], 0)
"""

from __future__ import annotations

from livecode.midi.port import Keep, MidiOut, Release

__all__ = ["KeepPort"]


class KeepPort(MidiOut):
    """A MIDI output that keeps what it is asked to send (`sent`) and counts each silence or
    panic (`cuts`) and relink (`relinks`)."""

    def __init__(self, name: str = "rec") -> None:
        super().__init__(name)
        self.sent: list[tuple[int, ...]] = []
        self.cuts = 0
        self.relinks = 0

    def _schedule(self, when: float, message: tuple[int, ...]) -> None:
        self.sent.append(message)

    def _send_now(self, message: tuple[int, ...]) -> None:
        self.sent.append(message)

    def _cut(self, keep: Keep, release: Release) -> None:
        self.cuts += 1

    def _close(self) -> None:
        pass

    def relink(self) -> None:
        self.relinks += 1
