"""Musical time: a tempo map (cycles <-> seconds) and the clocks that say what time it is.

A *cycle* is one bar of `beats_per_cycle` beats (default 4), as in Strudel/Tidal. The tempo map is a
list of segments `(cycle0, time0, cps)`: from `cycle0` on, one cycle lasts `1 / cps` seconds of the
clock's timeline, starting at `time0`. A tempo change starts a new segment on the next beat, at the
time the old segment reaches that beat, so the phase never jumps.

Clocks give the timeline's "now" in seconds and turn timeline seconds into audio sample frames (for
the engine) and `time.monotonic()` seconds (for MIDI):

* `AudioClock` - the engine's frames-processed counter is master (used whenever audio runs);
* `MonotonicClock` - `time.monotonic()` (no audio);
* `ManualClock` - moved by hand (tests);
* `VirtualClock` - moved by the offline renderer in lockstep with the engine.

>>> tempo = TempoMap(bpm=120)          # 4 beats per cycle: 0.5 cycles per second
>>> tempo.time_at(1)
2.0
>>> tempo.set_bpm(60, after_cycle=Fraction(1, 8))   # lands on the next beat: cycle 1/4
Fraction(1, 4)
>>> tempo.time_at(Fraction(1, 4)), tempo.time_at(Fraction(1, 2))
(0.5, 1.5)
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from livecode.errors import ClockError

__all__ = [
    "Segment",
    "TempoMap",
    "Clock",
    "ManualClock",
    "VirtualClock",
    "MonotonicClock",
    "AudioClock",
    "MIN_BPM",
    "MAX_BPM",
]

MAX_SEGMENTS = 256
"""`TempoMap.align` keeps at most this many segments (earlier cycles extrapolate the oldest)."""

OFFSET_READINGS = 32
"""How many recent (frame, monotonic) readings `AudioClock` filters its monotonic offset over
(about 0.3 s of scheduler ticks: short enough to follow an audio device that drifts)."""

MIN_BPM = 10.0
MAX_BPM = 999.0


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of constant tempo: from `cycle0` (at timeline second `time0`) at `cps`."""

    cycle0: Fraction
    time0: float
    cps: float


def _check_bpm(bpm: float, beats_per_cycle: int) -> float:
    if isinstance(bpm, bool) or not isinstance(bpm, (int, float, Fraction)):
        raise ClockError(f"bpm: expected a number between {MIN_BPM:g} and {MAX_BPM:g}, got {bpm!r}")
    value = float(bpm)
    if not math.isfinite(value) or not MIN_BPM <= value <= MAX_BPM:
        raise ClockError(f"bpm: expected a number between {MIN_BPM:g} and {MAX_BPM:g}, got {bpm!r}")
    return value


class TempoMap:
    """Cycles <-> timeline seconds, piecewise linear; tempo changes land on a beat.

    >>> tm = TempoMap(bpm=120, beats_per_cycle=4)
    >>> tm.bpm, tm.cps
    (120.0, 0.5)
    >>> tm.cycle_at(3.0)
    1.5
    """

    def __init__(self, bpm: float = 120.0, beats_per_cycle: int = 4, time0: float = 0.0) -> None:
        if not isinstance(beats_per_cycle, int) or isinstance(beats_per_cycle, bool) or beats_per_cycle < 1:
            raise ClockError(f"beats_per_cycle: expected a positive integer, got {beats_per_cycle!r}")
        self.beats_per_cycle = beats_per_cycle
        cps = _check_bpm(bpm, beats_per_cycle) / 60.0 / beats_per_cycle
        self._segments: list[Segment] = [Segment(Fraction(0), float(time0), cps)]
        self._lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------------
    @property
    def segments(self) -> tuple[Segment, ...]:
        """The segments, oldest first."""
        return tuple(self._segments)

    @property
    def cps(self) -> float:
        """The tempo of the last segment in cycles per second."""
        return self._segments[-1].cps

    @property
    def bpm(self) -> float:
        """The tempo of the last segment in beats per minute (rounded to 1e-9, so that the
        tempo typed comes back as typed).

        >>> TempoMap(bpm=124).bpm
        124.0
        """
        return round(self.cps * 60.0 * self.beats_per_cycle, 9)

    def cps_at(self, cycle: Fraction | float) -> float:
        """The tempo (cycles per second) in force at `cycle`."""
        return self._segment_for_cycle(cycle).cps

    def _segment_for_cycle(self, cycle: Fraction | float) -> Segment:
        segs = self._segments
        index = bisect.bisect_right([s.cycle0 for s in segs], cycle) - 1
        return segs[max(index, 0)]

    def time_at(self, cycle: Fraction | float) -> float:
        """Timeline seconds at which `cycle` starts.

        >>> TempoMap(bpm=240).time_at(Fraction(3, 2))
        1.5
        """
        seg = self._segment_for_cycle(cycle)
        return seg.time0 + float(cycle - seg.cycle0) / seg.cps

    def cycle_at(self, seconds: float) -> float:
        """The (float) cycle position at timeline second `seconds`.

        >>> TempoMap(bpm=240).cycle_at(0.5)
        0.5
        """
        segs = self._segments
        index = bisect.bisect_right([s.time0 for s in segs], seconds) - 1
        seg = segs[max(index, 0)]
        return float(seg.cycle0) + (seconds - seg.time0) * seg.cps

    # -- changing ------------------------------------------------------------------------------
    def next_beat(self, cycle: Fraction | float) -> Fraction:
        """The first beat boundary at or after `cycle`.

        >>> TempoMap(beats_per_cycle=4).next_beat(Fraction(1, 3))
        Fraction(1, 2)
        """
        beats = math.ceil(Fraction(cycle) * self.beats_per_cycle)
        return Fraction(beats, self.beats_per_cycle)

    def set_bpm(self, bpm: float, after_cycle: Fraction | float = 0) -> Fraction:
        """Change tempo on the first beat at or after `after_cycle`; returns that cycle.

        Later changes already in the map are dropped. The new segment starts at the time the old
        tempo reaches the beat, so nothing scheduled before it moves.
        """
        cps = _check_bpm(bpm, self.beats_per_cycle) / 60.0 / self.beats_per_cycle
        return self.set_cps(cps, after_cycle)

    def set_cps(self, cps: float, after_cycle: Fraction | float = 0) -> Fraction:
        """Like `set_bpm` in cycles per second.

        >>> TempoMap(bpm=120).set_cps(1.0, after_cycle=2)
        Fraction(2, 1)
        """
        if isinstance(cps, bool) or not isinstance(cps, (int, float, Fraction)) or not cps > 0:
            raise ClockError(f"setcps: expected a positive number of cycles per second, got {cps!r}")
        _check_bpm(float(cps) * 60.0 * self.beats_per_cycle, self.beats_per_cycle)
        with self._lock:
            at = self.next_beat(max(Fraction(after_cycle), Fraction(0)))
            start_time = self.time_at(at)
            kept = [s for s in self._segments if s.cycle0 < at]
            if not kept:
                kept = []
            kept.append(Segment(at, start_time, float(cps)))
            self._segments = kept
        return at

    def align(self, cycle: Fraction, time0: float, cps: float) -> None:
        """From `cycle` on, run at `cps` with `cycle` at timeline second `time0` (an external clock).

        Unlike `set_cps` this may move the phase: it is how Link and MIDI clock in correct the map
        at the scheduler's horizon. Later segments are dropped.

        >>> tm = TempoMap(bpm=120); tm.align(Fraction(1), 2.01, 0.5); tm.time_at(2)
        4.01
        """
        if isinstance(cps, bool) or not isinstance(cps, (int, float, Fraction)) or not cps > 0:
            raise ClockError(f"align: expected a positive number of cycles per second, got {cps!r}")
        _check_bpm(float(cps) * 60.0 * self.beats_per_cycle, self.beats_per_cycle)
        at = Fraction(cycle)
        with self._lock:
            kept = [s for s in self._segments if s.cycle0 < at and s.time0 < time0]
            kept.append(Segment(at, float(time0), float(cps)))
            self._segments = kept[-MAX_SEGMENTS:]        # a long synced set: the distant past goes

    def restart(self, cycle: Fraction, time0: float, cps: float | None = None) -> None:
        """Forget the map: `cycle` starts at timeline second `time0` (at `cps`, default the current).

        >>> tm = TempoMap(bpm=120); tm.restart(Fraction(0), 5.0); tm.time_at(1)
        7.0
        """
        rate = self.cps if cps is None else cps
        with self._lock:
            self._segments = [Segment(Fraction(cycle), float(time0), float(rate))]

    def rebase(self, time0: float) -> None:
        """Shift the whole map so that cycle 0 falls at timeline second `time0`.

        >>> tm = TempoMap(bpm=120); tm.rebase(10.0); tm.time_at(1)
        12.0
        """
        self.shift(time0 - self._segments[0].time0)

    def shift(self, seconds: float) -> None:
        """Move every segment `seconds` later on the timeline (phase kept).

        >>> tm = TempoMap(bpm=120); tm.shift(1.0); tm.time_at(0)
        1.0
        """
        with self._lock:
            self._segments = [Segment(s.cycle0, s.time0 + seconds, s.cps) for s in self._segments]


class Clock(Protocol):
    """What the scheduler needs from a clock: now, and conversions to frames and monotonic time."""

    sample_rate: float

    def now(self) -> float:
        """The current timeline position in seconds."""
        ...

    def to_frame(self, seconds: float) -> int:
        """The audio sample frame at timeline second `seconds`."""
        ...

    def to_monotonic(self, seconds: float) -> float:
        """The `time.monotonic()` value at timeline second `seconds`."""
        ...

    def from_monotonic(self, mono: float) -> float:
        """The timeline second at `time.monotonic()` value `mono`."""
        ...

    def jack_frame(self, frame: int) -> int | None:
        """The JACK frame where timeline frame `frame` sounds, when the clock knows (else None)."""

    def from_jack(self, seconds: float) -> float | None:
        """The timeline second that sounds at JACK time `seconds` (a JACK frame / the rate),
        when the clock knows (else None)."""


class ManualClock:
    """A clock moved by hand, for tests.

    >>> clock = ManualClock(sample_rate=48000)
    >>> clock.advance(0.5); clock.now(), clock.to_frame(clock.now())
    (0.5, 24000)
    """

    def __init__(self, sample_rate: float = 48000.0, start: float = 0.0) -> None:
        self.sample_rate = float(sample_rate)
        self._now = float(start)
        self._mono0 = time.monotonic() - start

    def now(self) -> float:
        """The current position (seconds)."""
        return self._now

    def set(self, seconds: float) -> None:
        """Jump to `seconds` (may not go backwards)."""
        if seconds < self._now:
            raise ClockError(f"ManualClock.set: cannot go back from {self._now} to {seconds}")
        self._now = float(seconds)

    def advance(self, seconds: float) -> None:
        """Move forward by `seconds`."""
        self.set(self._now + seconds)

    def to_frame(self, seconds: float) -> int:
        """Sample frame at `seconds` (frame 0 = second 0)."""
        return round(seconds * self.sample_rate)

    def to_monotonic(self, seconds: float) -> float:
        """A monotonic time consistent with this clock's own origin."""
        return self._mono0 + seconds

    def from_monotonic(self, mono: float) -> float:
        """The timeline second of monotonic time `mono` (inverse of `to_monotonic`)."""
        return mono - self._mono0

    def jack_frame(self, frame: int) -> int | None:
        """No JACK clock here."""
        return None

    def from_jack(self, seconds: float) -> float | None:
        """No JACK clock here."""
        return None


class VirtualClock(ManualClock):
    """The offline renderer's clock: the timeline is the frames the engine has rendered.

    >>> clock = VirtualClock(sample_rate=48000)
    >>> clock.set_frames(480); clock.now()
    0.01
    """

    def set_frames(self, frames: int) -> None:
        """Set now to `frames` samples."""
        self.set(frames / self.sample_rate)


class MonotonicClock:
    """`time.monotonic()` as the timeline (no audio running).

    >>> clock = MonotonicClock(48000); 0 <= clock.now() < 1
    True
    """

    def __init__(self, sample_rate: float = 48000.0) -> None:
        self.sample_rate = float(sample_rate)
        self._origin = time.monotonic()

    def now(self) -> float:
        """Seconds since this clock was made."""
        return time.monotonic() - self._origin

    def to_frame(self, seconds: float) -> int:
        """Nominal sample frame at `seconds` (no engine is listening)."""
        return round(seconds * self.sample_rate)

    def to_monotonic(self, seconds: float) -> float:
        """The monotonic time of timeline second `seconds`."""
        return self._origin + seconds

    def from_monotonic(self, mono: float) -> float:
        """The timeline second of monotonic time `mono`."""
        return mono - self._origin

    def jack_frame(self, frame: int) -> int | None:
        """No JACK clock here."""
        return None

    def from_jack(self, seconds: float) -> float | None:
        """No JACK clock here."""
        return None


class AudioClock:
    """The audio sample clock as master: timeline seconds = engine frames / sample rate.

    `frames` returns the engine's frames-processed counter. Each `now()` reading records a
    (frame, monotonic) pair; `to_monotonic` / `from_monotonic` map through the smallest
    (monotonic - frame time) offset of the last `OFFSET_READINGS` readings: the reading least
    delayed after its block was computed. So MIDI times carry no block-sized jitter, and still
    follow the audio clock when the audio device drifts against the wall clock.

    >>> counter = iter([0, 4800, 9600])
    >>> clock = AudioClock(lambda: next(counter), 48000)
    >>> clock.now(), clock.now()
    (0.0, 0.1)

    A reading may also carry the engine's offset to JACK frames (`Engine.clock()`); then
    `jack_frame` places a timeline frame on JACK's clock, exactly, for JACK-native MIDI:

    >>> clock = AudioClock(lambda: (256, 1000), 48000)
    >>> clock.now(), clock.jack_frame(4800), clock.from_jack(5800 / 48000)
    (0.005333333333333333, 5800, 0.1)
    """

    def __init__(self, frames: Callable[[], int | tuple[int, int | None]], sample_rate: float) -> None:
        self.sample_rate = float(sample_rate)
        self._frames = frames
        self._pair = (0, time.monotonic())
        self._offsets: deque[float] = deque(maxlen=OFFSET_READINGS)
        self._lock = threading.Lock()
        self._jack_offset: int | None = None
        self.error: Exception | None = None

    def now(self) -> float:
        """The engine's position in seconds (block-granular).

        If the engine cannot be read (it died), `error` is set and time goes on from the last
        reading by the monotonic clock, so the session keeps running until it reconnects.
        """
        try:
            reading = self._frames()
            if isinstance(reading, tuple):
                frame, self._jack_offset = int(reading[0]), reading[1]
            else:
                frame = int(reading)
        except Exception as err:  # noqa: BLE001 - a dead engine must not stop the session
            self.error = err
            with self._lock:
                last_frame, last_mono = self._pair
            return last_frame / self.sample_rate + (time.monotonic() - last_mono)
        mono = time.monotonic()
        with self._lock:
            self._pair = (frame, mono)
            self._offsets.append(mono - frame / self.sample_rate)
        return frame / self.sample_rate

    def to_frame(self, seconds: float) -> int:
        """The frame at `seconds`."""
        return round(seconds * self.sample_rate)

    def jack_frame(self, frame: int) -> int | None:
        """The JACK frame where engine frame `frame` sounds (None: not on JACK, or not known)."""
        offset = self._jack_offset
        return None if offset is None else frame + offset

    def from_jack(self, seconds: float) -> float | None:
        """The timeline second that sounds at JACK time `seconds` (JACK frame / rate; None: not
        on JACK). Exact, with no monotonic time between: a JACK MIDI input's frames and the
        engine's meet here (MIDI clock in)."""
        offset = self._jack_offset
        return None if offset is None else seconds - offset / self.sample_rate

    def _offset(self) -> float:
        with self._lock:
            if self._offsets:
                return min(self._offsets)
            frame, mono = self._pair
        return mono - frame / self.sample_rate

    def to_monotonic(self, seconds: float) -> float:
        """Monotonic seconds of timeline second `seconds` (through the filtered offset)."""
        return self._offset() + seconds

    def from_monotonic(self, mono: float) -> float:
        """Timeline second of monotonic time `mono` (through the filtered offset)."""
        return mono - self._offset()
