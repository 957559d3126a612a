"""Shared building blocks of the synthesized instruments: envelopes, pitch sweeps, glide, level.

Everything here is either a pure helper (breakpoint lists, note maths) or a small class that
builds a fixed set of pyo objects once and is then only re-valued per note, as voices must.

>>> perc_points(0.001, 0.2, 0.5)
[(0.0, 0.0), (0.001, 0.5), (0.201, 0.0)]
>>> round(cents_ratio(1200), 6)
2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from synths._pyo import pyo

__all__ = [
    "TAU",
    "PhaseSweep",
    "WaveBank",
    "Sleeper",
    "cheap_noise",
    "GlideMemory",
    "perc_points",
    "burst_points",
    "scale_points",
    "cents_ratio",
    "semis_ratio",
    "level_of",
    "pitch_of",
    "variation",
    "q_of",
    "resonance_gain",
    "silent_points",
]

TAU = 6.283185307179586

# n selects a drum variation: (tune offset in semitones, decay factor), cycling through this list.
_VARIATIONS: tuple[tuple[float, float], ...] = (
    (0.0, 1.0),
    (2.0, 0.8),
    (-2.0, 1.25),
    (4.0, 0.65),
    (-4.0, 1.5),
    (7.0, 0.55),
    (-5.0, 1.8),
    (1.0, 1.1),
)


def perc_points(attack: float, decay: float, peak: float) -> list[tuple[float, float]]:
    """Breakpoints of a percussive envelope: rise to `peak` in `attack`, fall to 0 over `decay`.

    >>> perc_points(0.0, 1.0, 1.0)
    [(0.0, 0.0), (0.0001, 1.0), (1.0001, 0.0)]
    """
    attack = max(attack, 0.0001)
    return [(0.0, 0.0), (attack, peak), (attack + max(decay, 0.0001), 0.0)]


def burst_points(
    count: int, spacing: float, floor: float, tail: float, peak: float
) -> list[tuple[float, float]]:
    """Breakpoints of `count` rapid bursts `spacing` s apart, then a decaying tail (hand clap).

    >>> burst_points(2, 0.01, 0.2, 0.1, 1.0)
    [(0.0, 0.0), (0.0004, 1.0), (0.0096, 0.2), (0.01, 0.0), (0.0104, 0.92), (0.1104, 0.0)]
    """
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    rise = 0.0004
    for i in range(count):
        start = round(i * spacing, 9)
        if i:
            points.append((start, 0.0))
        level = peak * (1.0 - 0.08 * i)
        points.append((round(start + rise, 9), level))
        if i < count - 1:
            points.append((round(start + spacing - rise, 9), peak * floor))
    last = points[-1][0]
    points.append((round(last + max(tail, 0.001), 9), 0.0))
    return points


def scale_points(points: list[tuple[float, float]], factor: float) -> list[tuple[float, float]]:
    """The same breakpoints with every level multiplied by `factor`.

    >>> scale_points([(0.0, 0.0), (0.1, 1.0)], 0.5)
    [(0.0, 0.0), (0.1, 0.5)]
    """
    return [(time, level * factor) for time, level in points]


def silent_points() -> list[tuple[float, float]]:
    """A two-point envelope that stays at 0 (the state of a voice before its first note).

    >>> silent_points()
    [(0.0, 0.0), (0.001, 0.0)]
    """
    return [(0.0, 0.0), (0.001, 0.0)]


def cents_ratio(cents: float) -> float:
    """Frequency ratio of an interval in cents.

    >>> cents_ratio(0)
    1.0
    """
    return 2.0 ** (cents / 1200.0)


def semis_ratio(semitones: float) -> float:
    """Frequency ratio of an interval in semitones.

    >>> semis_ratio(12)
    2.0
    """
    return 2.0 ** (semitones / 12.0)


def level_of(params: Mapping[str, float | str]) -> float:
    """The linear level of a note: velocity times gain.

    >>> level_of({"velocity": 0.5, "gain": 2.0})
    1.0
    """
    return float(params.get("velocity", 1.0)) * float(params.get("gain", 1.0))


def pitch_of(params: Mapping[str, float | str]) -> float:
    """The note's frequency in Hz including the fine `detune` in cents.

    >>> round(pitch_of({"freq": 440.0, "detune": 1200.0}), 6)
    880.0
    """
    return float(params.get("freq", 261.6255653)) * cents_ratio(float(params.get("detune", 0.0)))


def variation(n: float) -> tuple[float, float]:
    """(tune offset in semitones, decay factor) of drum variation `n` (cycles through 8).

    >>> variation(0), variation(8)
    ((0.0, 1.0), (0.0, 1.0))
    >>> variation(1)
    (2.0, 0.8)
    """
    return _VARIATIONS[int(n) % len(_VARIATIONS)]


def q_of(resonance: float, lo: float = 0.707, hi: float = 12.0) -> float:
    """Map a 0..1 resonance to a biquad Q between `lo` (flat) and `hi` (ringing).

    >>> q_of(0.0), q_of(1.0)
    (0.707, 12.0)
    """
    return lo * (hi / lo) ** max(0.0, min(1.0, resonance))


def cheap_noise(mul: Any = 1.0) -> Any:
    """White noise from pyo's linear congruential generator: 35x cheaper than the default
    `rand()` one (about 1 µs instead of 36 µs per block of 256), and just as white to the ear.

    >>> cheap_noise(0.5)                                       # doctest: +SKIP
    < Instance of Noise class >
    """
    noise = pyo().Noise(mul=mul)
    noise.setType(1)
    return noise


class PhaseSweep:
    """A sine whose phase restarts at every trigger and whose pitch falls from `start` to `end` Hz.

    The phase is built from two triggered segments (a linear ramp for the end frequency and a
    polynomial curve for the sweep), so every hit starts at phase 0 exactly on the trigger sample:
    the 808 kick's thump and the 808 bass's glide. After `sweep` seconds the pitch is exactly `end`.

    >>> sweep = PhaseSweep(trig)                             # doctest: +SKIP
    >>> sweep.set(start=180.0, end=50.0, sweep=0.08, length=1.0)   # doctest: +SKIP
    >>> sweep.out                                            # a pyo Sin, not .out()-ed  # doctest: +SKIP
    """

    CURVE = 3.0

    def __init__(self, trig: Any, mul: Any = 1.0) -> None:
        p = pyo()
        self.ramp = p.TrigLinseg(trig, silent_points())
        self.bend = p.TrigExpseg(trig, silent_points(), exp=self.CURVE, inverse=True)
        self.phase = self.ramp - self.bend
        self.out = p.Sin(self.phase, mul=mul)

    def set(self, start: float, end: float, sweep: float, length: float) -> None:
        """Prepare the next hit: glide `start` -> `end` Hz over `sweep` s, keep phase for `length` s.

        The sweep's extra phase is A·(1-(1-t/T)^k), whose derivative is (start-end) at t=0.
        """
        sweep = max(sweep, 0.0005)
        length = max(length, sweep + 0.001)
        extra = (start - end) * sweep / self.CURVE * TAU
        self.ramp.setList([(0.0, extra), (length, extra + end * length * TAU)])
        self.bend.setList([(0.0, extra), (sweep, 0.0)])


class GlideMemory:
    """Remembers the last frequency each instrument played, for portamento/slide between notes.

    >>> memory = GlideMemory()
    >>> memory.ratio("lead", 440.0)
    1.0
    >>> memory.ratio("lead", 220.0)
    2.0
    """

    def __init__(self) -> None:
        self._last: dict[str, float] = {}

    def ratio(self, key: str, freq: float) -> float:
        """Previous frequency / `freq` (1.0 the first time), clamped to 4 octaves; then remember."""
        previous = self._last.get(key, freq)
        self._last[key] = freq
        return max(1.0 / 16.0, min(16.0, previous / freq))

    def forget(self, key: str) -> None:
        """Drop the remembered pitch of `key` (the next note starts without a slide)."""
        self._last.pop(key, None)


def resonance_gain(q: float) -> float:
    """Gain that offsets most of a resonant lowpass's peak (about `q` at the cutoff): 1/sqrt(q/0.707).

    >>> resonance_gain(0.707), round(resonance_gain(12.0), 3)
    (1.0, 0.243)
    """
    return min(1.0, (0.707 / q) ** 0.5)


class WaveBank:
    """Band-limited saw and square wavetables, one per octave band, shared per pyo server.

    pyo's `LFO` keeps only a few dozen harmonics, which leaves a 65 Hz bass dull; these tables
    keep every harmonic below 20 kHz for the top of their band, so a note an octave-band table is
    chosen for is bright and free of aliasing. Build them once (about 8 ms per table), pick one per
    note with `table`.

    >>> WaveBank.band(50.0), WaveBank.band(60.0), WaveBank.band(20000.0)
    (1, 1, 9)
    """

    TOPS: ClassVar[tuple[float, ...]] = tuple(40.0 * 2.0**i for i in range(10))
    SHAPES: ClassVar[tuple[str, ...]] = ("saw", "square")
    _current: ClassVar[tuple[Any, WaveBank] | None] = None

    def __init__(self) -> None:
        p = pyo()
        self._tables: dict[str, list[Any]] = {}
        for shape in self.SHAPES:
            maker = p.SawTable if shape == "saw" else p.SquareTable
            self._tables[shape] = [maker(order=max(1, int(20000.0 / top)), size=8192) for top in self.TOPS]

    @classmethod
    def of(cls, obj: Any) -> WaveBank:
        """The bank of the pyo server that `obj` (any pyo object) runs on; built on first use.

        Only the current server's bank is kept (one pyo server runs per process), so the tables of
        a shut-down server are freed with its voices.
        """
        server = obj._base_objs[0].getServer()
        current = cls._current
        if current is None or current[0] is not server:
            current = (server, cls())
            cls._current = current
        return current[1]

    @classmethod
    def band(cls, freq: float) -> int:
        """The index of the band whose top is the first at or above `freq`."""
        for index, top in enumerate(cls.TOPS):
            if freq <= top:
                return index
        return len(cls.TOPS) - 1

    def table(self, shape: str, freq: float) -> Any:
        """The `shape` ("saw" or "square") table for notes up to `freq` Hz."""
        return self._tables[shape][self.band(freq)]


class Sleeper:
    """Stops a voice's pyo objects while it is silent and wakes them for each note.

    pyo computes every playing object every block, sounding or not, so an idle pool of 16 voices
    would cost as much as 16 sounding ones. `wake(seconds)` plays the voice's objects now and
    schedules their stop `seconds` later (plus a margin for block rounding); a later `wake`
    replaces the pending stop. Start/stop go through the C-level `_base_objs` (about 0.4 µs per
    object) and create nothing. Objects in `exclude` (the engine's trigger) are left alone.

    >>> Sleeper.MARGIN
    0.05
    """

    MARGIN: ClassVar[float] = 0.05

    def __init__(self, owner: object, exclude: Iterable[object] = ()) -> None:
        self._exclude = {id(obj) for obj in exclude}
        self._seen: set[int] = set()
        self.bases: list[Any] = []
        self._visit(owner, 0)
        del self._seen

    def _visit(self, value: object, depth: int) -> None:
        if id(value) in self._seen or id(value) in self._exclude:
            return
        self._seen.add(id(value))
        if isinstance(value, pyo().PyoObject):
            self.bases.extend(value._base_objs)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._visit(item, depth)
        elif depth < 3 and _is_helper(value):
            for item in vars(value).values():
                self._visit(item, depth + 1)

    def sleep(self) -> None:
        """Stop every object now (the voice outputs silence and costs nothing)."""
        for base in self.bases:
            base.stop(0)

    def wake(self, seconds: float) -> None:
        """Play every object now and stop them all `seconds` (+ `MARGIN`) from now."""
        wait = max(seconds, 0.0) + self.MARGIN
        for base in self.bases:
            base.play(0, 0)
            base.stop(wait)


def _is_helper(value: object) -> bool:
    """Whether `value` is one of this package's helper objects (e.g. a `PhaseSweep`) to look into."""
    return type(value).__module__.startswith("synths.instruments") and hasattr(value, "__dict__")
