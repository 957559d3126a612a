"""The session's sync wiring: one MIDI clock out and at most one followed tempo source.

`SyncHub` is owned by the `Session`; the session's `midiclock`, `link` and `midiclock_in`
delegate here. The hub adds `TempoClockOut.window` to the scheduler's listeners and a
`TempoFollower` to its followers, stops the clock on hush, starts it again with the next pattern,
forwards local tempo changes to Link, and closes everything with the session.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> session.syncs.label(), session.syncs.clock_out is None
('', True)
>>> session.close()
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from livecode.clock import TempoMap
from livecode.errors import SessionError
from livecode.scheduler import Scheduler
from livecode.midi.clock_out import TempoClockOut
from livecode.sync.follow import BeatSource, TempoFollower
from livecode.sync.link import LinkSync
from livecode.sync.midi_clock_in import CLOCK_IN_DELAY, ClockFollower, JackMidiClockIn

if TYPE_CHECKING:
    from livecode.midi.port import MidiOut

__all__ = ["SyncHub", "FollowedSource"]


class FollowedSource(BeatSource, Protocol):
    """A tempo source the hub follows and closes (`LinkSync`, `JackMidiClockIn`)."""

    def close(self) -> None:
        """Stop it (leave Link, close the JACK client)."""
        ...


class SyncHub:
    """MIDI clock out and the followed source of one session (see module doc).

    `open_port(name)` opens a MIDI output (None when it cannot: the opener reported why);
    `warn(message)` reports to the performer.
    """

    def __init__(self, scheduler: Scheduler, tempo: TempoMap, lock: threading.RLock,
                 open_port: Callable[[str], MidiOut | None], warn: Callable[[str], None]) -> None:
        self.scheduler = scheduler
        self.tempo = tempo
        self.lock = lock
        self.open_port = open_port
        self.warn = warn
        self.clock_out: TempoClockOut | None = None
        self.source: FollowedSource | None = None  # LinkSync or JackMidiClockIn while following one
        self.follower: TempoFollower | None = None

    # -- MIDI clock out ------------------------------------------------------------------------
    def midiclock(self, port: str | None) -> None:
        """Clock out to `port` from the next cycle (replacing any other); None: Stop, no clock."""
        if port is not None and (not isinstance(port, str) or not port):
            raise SessionError(f"midiclock(port): port must be a MIDI port name or None, got {port!r}")
        with self.lock:
            old, self.clock_out = self.clock_out, None
            if old is not None:
                self.scheduler.listeners.remove(old.window)
        if old is not None:
            old.stop(at=self.scheduler.horizon)
        if port is None:
            return
        opened = self.open_port(port)
        if opened is None:
            raise SessionError(f"midiclock({port!r}): cannot open that MIDI port (see the message above)")
        out = TempoClockOut(opened, self.tempo, self.scheduler.clock)
        with self.lock:
            out.enable(self.scheduler.horizon)
            self.clock_out = out
            self.scheduler.listeners.append(out.window)

    def hushed(self) -> None:
        """Stop after the pulses already sent (call under the session's lock)."""
        if self.clock_out is not None:
            self.clock_out.stop(at=self.scheduler.horizon)

    def pattern_set(self) -> None:
        """A track got a pattern: Start again at the next cycle if a hush stopped the clock."""
        if self.clock_out is not None and not self.clock_out.running:
            self.clock_out.enable(self.scheduler.horizon)

    def clock_changed(self) -> None:
        """The session has a new clock (reconnect): the clock out converts through it."""
        if self.clock_out is not None:
            self.clock_out.clock = self.scheduler.clock

    # -- followed sources ----------------------------------------------------------------------
    def link(self, enabled: bool, bpm: float, quantum: int) -> int:
        """Join (True) or leave (False) Link; the peer count."""
        if not isinstance(enabled, bool):
            raise SessionError(f"link(enabled): expected True or False, got {enabled!r}")
        current = self.source
        if not enabled:
            if isinstance(current, LinkSync):
                self.unfollow()
            return 0
        if isinstance(current, LinkSync):
            return current.peers
        source = LinkSync(bpm=bpm, quantum=quantum).start()
        self.follow(source)
        return source.peers

    def midiclock_in(self, port: str | None, delay: float = CLOCK_IN_DELAY) -> None:
        """Follow the clock of the JACK MIDI output matching `port`, `delay` seconds behind it
        (`CLOCK_IN_DELAY`: no event after a Start is late); None stops following it."""
        if port is None:
            if isinstance(self.source, JackMidiClockIn):
                self.unfollow()
            return
        if not isinstance(port, str) or not port:
            raise SessionError(f"midiclock_in(port): port must be a JACK MIDI output name or None, got {port!r}")
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0.0 <= delay <= 0.5:
            raise SessionError(f"midiclock_in(delay): seconds from 0 to 0.5, got {delay!r}")
        self.follow(JackMidiClockIn(connect_from=port, delay=float(delay)))

    def follow(self, source: FollowedSource) -> None:
        """Follow `source` (a BeatSource with `close()`), replacing any other."""
        self.unfollow()
        follower = TempoFollower(source, self.tempo, self.scheduler)
        if isinstance(source, ClockFollower):
            source.on_epoch = self.scheduler.wake     # a Start's first notes are due within its delay
        with self.lock:
            self.source, self.follower = source, follower
            self.scheduler.followers.append(follower)

    def unfollow(self) -> None:
        """Stop following (ends a MIDI Stop's pause) and close the source."""
        with self.lock:
            source, follower = self.source, self.follower
            self.source = self.follower = None
            if follower is not None:
                self.scheduler.followers.remove(follower)
                follower.release()
        if source is not None:
            source.close()

    def tempo_set(self, bpm: float) -> None:
        """The performer changed the tempo: Link peers get it; a MIDI clock in overrides it."""
        if isinstance(self.source, LinkSync):
            self.source.set_bpm(bpm)
        elif self.source is not None:
            self.warn("bpm: the tempo follows the incoming MIDI clock (midiclock_in(None) to lead again)")

    # -- status and closing --------------------------------------------------------------------
    def label(self) -> str:
        """What the tempo is synced with, for the status: "link 1 peer, clock out"."""
        parts: list[str] = []
        source = self.source
        if isinstance(source, LinkSync):
            peers = source.peers
            parts.append(f"link {peers} peer{'' if peers == 1 else 's'}")
        elif source is not None:
            playing = isinstance(source, ClockFollower) and source.playing
            parts.append("midi clock in" if playing else "midi clock in (stopped)")
        if self.clock_out is not None:
            parts.append("clock out")
        return ", ".join(parts)

    def close(self) -> None:
        """Stop at once on the clock out, leave Link / close the clock input."""
        if self.clock_out is not None:
            self.clock_out.stop()
        self.unfollow()
