"""Level meters read from ring buffers of audio: peak and RMS (dBFS), plus master loudness.

A `Tap` copies a stereo signal into a pyo table ring (`TableFill`, C code: the audio callback
stays cheap). `Tap.read_new()` returns the frames written since the previous read as numpy, and
`LevelMeter` turns them into peak/RMS; `MasterMeter` also feeds a `LoudnessMeter`. Poll at
least once per ring length (`RING_SECONDS` of audio), or frames are lost.

>>> to_db(1.0), to_db(0.5) > -6.03, to_db(0.0)
(0.0, True, -120.0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.loudness import LoudnessMeter

__all__ = [
    "RING_SECONDS", "TRACK_RING_SECONDS", "FLOOR_DB", "to_db", "Tap", "LevelMeter", "MasterMeter",
]

RING_SECONDS = 4.0
"""Length of the master meter's ring buffer in seconds of audio (loudness needs every frame)."""

TRACK_RING_SECONDS = 1.0
"""Length of a track meter's ring (peak/RMS only look at recent frames)."""

FLOOR_DB = -120.0
"""The value meters report for silence."""


def to_db(amplitude: float) -> float:
    """Amplitude to dBFS, floored at FLOOR_DB."""
    return 20.0 * math.log10(amplitude) if amplitude > 10 ** (FLOOR_DB / 20) else FLOOR_DB


class Tap:
    """A ring buffer fed by a stereo pyo signal; `read_new()` gives the unread frames.

    Usage (not run as a doctest: it needs a running engine)::

        tap = Tap(master_out, 48000); frames = tap.read_new()    # shape (n, 2)
    """

    def __init__(self, signal: Any, sr: float, seconds: float = RING_SECONDS) -> None:
        p = pyo()
        self.size = int(seconds * sr)
        self._table = p.NewTable(length=self.size / sr, chnls=2)
        self.size = self._table.getSize()
        self._fill = p.TableFill(signal, self._table)
        self._server = self._fill.getBaseObjects()[0].getServer()
        self._last = 0
        self._last_time = self._server.getCurrentTimeInSamples()
        self.lost = 0
        """Frames overwritten before they were read (polled too rarely)."""

    def read_new(self) -> np.ndarray:
        """Frames written since the last call, oldest first, shape (n, 2).

        If more than the ring's length was written since, the whole ring (the newest frames)
        is returned and the rest is counted in `lost`.
        """
        pieces = self.pieces()
        if not pieces:
            return np.zeros((0, 2))
        return np.stack([np.concatenate([piece[c] for piece in pieces]) for c in range(2)],
                        axis=1).astype(np.float64)

    def pieces(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """What `read_new` reads, without a copy: (left, right) views into the ring, one pair
        per contiguous piece, oldest first (none while paused). A meter that only needs peak
        and energy reads these: a dozen track meters cost the engine's command thread, with
        the GIL held against the audio callback, a quarter of what copies did."""
        pos = int(self._fill.getCurrentPos()) % self.size
        now = self._server.getCurrentTimeInSamples()
        if not self._fill.isPlaying():                 # paused (a sleeping strip): nothing new
            self._last, self._last_time = pos, now
            return []
        elapsed, self._last_time = now - self._last_time, now
        start, self._last = self._last, pos
        if elapsed >= self.size:
            self.lost += elapsed - self.size
            start = pos
        chans = [np.asarray(self._table.getBuffer(c)) for c in range(2)]
        if elapsed >= self.size or pos < start:
            spans = [(start, self.size), (0, pos)]
        else:
            spans = [(start, pos)]
        return [(chans[0][a:b], chans[1][a:b]) for a, b in spans if b > a]

    def retarget(self, signal: Any) -> None:
        """Fill the same ring from `signal` (after a mixer rebuild): nothing is reallocated.

        The filler is then older than `signal` and reads it one block late, which a meter
        does not mind. Set twice so the filler keeps no reference to the old signal.
        """
        self._fill.setInput(signal, 0.0)
        self._fill.setInput(signal, 0.0)

    def streams(self) -> list[Any]:
        """The streams that fill the ring (what a sleeping strip stops; see `restart`)."""
        return [base._getStream() for obj in (self._fill, self._fill._in_fader)
                for base in obj.getBaseObjects()]

    def restart(self) -> None:
        """After the ring's filler was stopped and played again (`streams`): read only what
        it writes from now on."""
        self._last = int(self._fill.getCurrentPos()) % self.size
        self._last_time = self._server.getCurrentTimeInSamples()

    def close(self) -> None:
        """Stop filling the ring."""
        self._fill.stop()


class LevelMeter:
    """Peak and RMS (dBFS) over the frames since the last `read()` (held if none arrived).

    Usage (not run as a doctest: it needs a running engine)::

        LevelMeter(Tap(strip.post_fader, sr)).read() -> {'peak': -6.1, 'rms': -12.3}
    """

    def __init__(self, tap: Tap) -> None:
        self.tap = tap
        self._last = {"peak": FLOOR_DB, "rms": FLOOR_DB}

    def read(self) -> dict[str, float]:
        """Peak and RMS of the new frames, in dBFS; both NaN when a frame was not finite (a
        meter must never show a normal level for a signal that is NaN)."""
        pieces = self.tap.pieces()
        if not pieces:
            return dict(self._last)
        peak = energy = 0.0
        frames = 0
        for piece in pieces:
            for channel in piece:
                energy += float(np.dot(channel, channel))      # NaN or inf if a sample is
                peak = max(peak, float(channel.max()), -float(channel.min()))
            frames += len(piece[0])
        if not math.isfinite(energy):
            self._last = {"peak": math.nan, "rms": math.nan}
        else:
            self._last = {"peak": to_db(peak), "rms": to_db(math.sqrt(energy / (2 * frames)))}
        return dict(self._last)

    def retarget(self, signal: Any) -> None:
        """Measure `signal` from now on (after a mixer rebuild); keeps accumulated state."""
        self.tap.retarget(signal)


class MasterMeter(LevelMeter):
    """Level meter that also measures loudness: lufs_m (400 ms), lufs_s (3 s), lufs_i.

    Usage (not run as a doctest: it needs a running engine)::

        MasterMeter(Tap(master.out, sr), sr).read()['lufs_i']
    """

    def __init__(self, tap: Tap, sr: float) -> None:
        super().__init__(tap)
        self.loudness = LoudnessMeter(sr, channels=2)

    def _levels(self) -> dict[str, float]:
        """Peak and RMS from every frame (loudness needs them all, as a copy)."""
        frames = self.tap.read_new()
        if frames.size and not np.isfinite(frames).all():
            self.loudness.feed(np.where(np.isfinite(frames), frames, 0.0))
            self._last = {"peak": math.nan, "rms": math.nan}
            return dict(self._last)
        if frames.size:
            self.loudness.feed(frames)
            self._last = {
                "peak": to_db(float(np.max(np.abs(frames)))),
                "rms": to_db(float(np.sqrt(np.mean(frames**2)))),
            }
        return dict(self._last)

    def read(self) -> dict[str, float]:
        """Peak, RMS and the three loudness values."""
        levels = self._levels()
        levels.update(lufs_m=self.loudness.momentary, lufs_s=self.loudness.short_term,
                      lufs_i=self.loudness.integrated)
        return levels
