"""Signal sources shared by the instruments: the phase-reset sweep, band-limited wavetables, noise.

Each builds a fixed set of pyo objects once; per note only values change, as voices must.

>>> WaveBank.band(100.0)
2
"""

from __future__ import annotations

import functools
import math
from typing import Any, ClassVar

import numpy as np

from synths._pyo import PerServer, pyo
from synths.noise import keyed_noise
from synths.instruments._dsp import SILENT_DB, TAU, silent_points

__all__ = ["FMPair", "PhaseSweep", "WaveBank", "waveform", "cheap_noise", "fm_index_limit", "fm_fold", "FM_BAND", "FM_ALIAS_DB",
           "TRIANGLE_GAIN", "SQUARE_GAIN", "tanh_drive_limit", "DecayEnvelope", "warm_tables",
           "INDEX_LIMITS", "compute_index_limits"]


def cheap_noise(mul: Any = 1.0, *, near: Any = None) -> Any:
    """White noise, the values of pyo's cheap linear congruential generator (about 1 µs per
    block of 256, 35x cheaper than its default `rand()` one, and just as white to the ear), from
    a start that depends on the voice's key only (`synths.noise`): a track's noise is the same
    whatever else the set holds. `near`: any pyo object on the server, when `mul` is a number.

    Usage (not run as a doctest: it needs a running engine or device)::

        cheap_noise(0.5, near=trig)
        # -> < Instance of Osc class >
    """
    return keyed_noise(mul, near=near)


FM_BAND = 20000.0
"""The audible band (Hz) that aliased FM sidebands must stay out of."""
FM_ALIAS_DB = -75.0
"""How far below the strongest component a sideband that would fold into the band may be."""
FM_FOLD_AT_48K = 48000.0 - FM_BAND
"""At 48 kHz a sideband above 28 kHz folds below 20 kHz; the limit uses this at every rate of
48 kHz or more, so a note sounds the same at 48 and at 192 kHz (rendering at 4x for a reference
gives the same sidebands, minus the folded ones)."""


def fm_fold(sr: float) -> float:
    """The frequency above which a sideband would fold into the audible band at `sr` (the 48 kHz
    value at higher rates, so the sound does not depend on the rate).

    >>> fm_fold(48000), fm_fold(192000), fm_fold(44100)
    (28000.0, 28000.0, 24100.0)
    """
    return min(float(sr) - FM_BAND, FM_FOLD_AT_48K)


def fm_index_limit(carrier: float, ratio: float, sr: float) -> float:
    """The largest FM index at which every sideband that would fold into the audible band
    (above `fm_fold(sr)`) is at least `FM_ALIAS_DB` below the strongest one (Bessel amplitudes
    |J_n(index)|), as FM keyboards scale the index down with pitch: high notes are purer, never
    aliased. Independent of the rate from 48 kHz up.

    >>> fm_index_limit(440.0, 1.0, 48000) > 20, round(fm_index_limit(4186.0, 1.4, 48000), 2)
    (True, 0.89)
    >>> fm_index_limit(2093.0, 14.0, 48000) < 1e-3              # the tine's first sideband folds
    True
    """
    modulator = max(abs(carrier * ratio), 1e-9)
    fold = fm_fold(sr)
    if carrier >= fold:
        return 0.0
    first = int(math.floor((fold - carrier) / modulator)) + 1     # the first sideband past `fold`
    return _index_limits()[first] if first < len(_index_limits()) else math.inf


FM_INDEX_CAP = 24.0
"""No instrument plays an FM index above 20: limits at or above this count as no limit."""


INDEX_LIMITS: tuple[float, ...] = (
    0.0, 0.00035565532743930817, 0.03771321102976799, 0.2038365788757801, 0.5045941099524498,
    0.8942299280315638, 1.320973933674395, 1.850613221526146, 2.4052858958020806, 3.0085110291838646,
    3.6271256571635604, 4.300985265523195, 4.955562149174511, 5.675026847049594, 6.393456989899278,
    7.100860685110092, 7.8650041827932, 8.626572635024786, 9.380137213505805, 10.153172928839922,
    10.95266698859632, 11.74557687714696, 12.533359943889081, 13.336657293140888, 14.16313125193119,
    14.98489773273468, 15.802810840308666, 16.617521680891514, 17.459525227546692, 18.30664173513651,
    19.150573387742043, 19.991785369813442, 20.83065292239189, 21.68259197473526, 22.548992939293385,
    23.41295376420021) + (math.inf,) * 12
"""`compute_index_limits()` as computed once and written down (the test compares them bit for
bit): importing scipy.special for it cost about 0.5 s of CPU in every render process that
played a keys voice (a tenth of the 16-track bench set's render)."""


def _index_limits() -> tuple[float, ...]:
    return INDEX_LIMITS


def compute_index_limits(count: int = 48) -> tuple[float, ...]:
    """For n = 0 .. count-1: the largest index (up to `FM_INDEX_CAP`) whose sidebands n, n+1, ...
    all stay `FM_ALIAS_DB` below the strongest sideband (bisection on |J_n|, which grows with
    the index until it peaks near index n; past n the sidebands decay faster than geometrically).
    About 20 ms plus scipy.special's import; `INDEX_LIMITS` holds the result.

    >>> compute_index_limits(8) == INDEX_LIMITS[:8]
    True
    """
    from scipy.special import jv  # noqa: PLC0415 - only to check the stored table

    ratio = 10.0 ** (FM_ALIAS_DB / 20.0)
    orders = np.arange(count + 24, dtype=np.float64)
    rows = np.arange(count)

    def too_loud(index: np.ndarray) -> np.ndarray:
        everything = np.abs(jv(orders[None, :], index[:, None]))
        strongest = everything.max(axis=1)
        tail = np.maximum.accumulate(everything[:, ::-1], axis=1)[:, ::-1]   # max over k >= n
        return tail[rows, rows] > ratio * strongest

    low = np.zeros(count)
    high = np.minimum(rows + 1.0, FM_INDEX_CAP)
    for _ in range(30):
        middle = (low + high) / 2.0
        loud = too_loud(middle)
        high = np.where(loud, middle, high)
        low = np.where(loud, low, middle)
    return tuple(math.inf if value >= FM_INDEX_CAP - 1e-3 else float(value) for value in low)


def tanh_drive_limit(freq: float, sr: float) -> float:
    """The largest drive d at which tanh(d * sin) of a `freq` Hz sine keeps every harmonic that
    would fold into the audible band (above `fm_fold(sr)`) `FM_ALIAS_DB` below the fundamental
    (a saturated 808 bass at the top of the keyboard drives less; independent of the rate from
    48 kHz up).

    >>> tanh_drive_limit(55.0, 48000) >= TANH_DRIVE_CAP, round(tanh_drive_limit(4186.0, 48000), 2)
    (True, 0.83)
    """
    fold = fm_fold(sr)
    if freq >= fold:
        return 0.0
    first = int(math.floor(fold / max(freq, 1e-9))) + 1              # first harmonic past `fold`
    limits = _tanh_limits()
    return limits[first] if first < len(limits) else TANH_DRIVE_CAP


TANH_DRIVE_CAP = 8.0
"""The largest drive any instrument uses."""


def warm_tables(*, booted: bool = False) -> int:
    """Compute the tanh drive limit table now (the FM index limits are stored:
    `INDEX_LIMITS`), and with `booted` (a pyo server runs) the server's `WaveBank` (30 tables,
    about 45 ms the first time in a process, 5 ms after): the live engine calls it before audio starts, so the first voices of a set do
    not hold its command thread (and with it the events of every other track) for that long.
    Returns how many limits the tables hold.

    >>> warm_tables() > 0
    True
    """
    if booted:
        WaveBank.of(pyo().Sig(0.0))
    return len(_index_limits()) + len(_tanh_limits())


@functools.cache
def _tanh_limits(count: int = 64) -> tuple[float, ...]:
    """For n = 0 .. count-1: the largest drive (up to `TANH_DRIVE_CAP`) whose harmonics n, n+1,
    ... of tanh(drive * sin) stay `FM_ALIAS_DB` below the fundamental (bisection; the harmonics
    of tanh grow with the drive). A few ms, once per process."""
    ratio = 10.0 ** (FM_ALIAS_DB / 20.0)
    theta = np.arange(2048) * (2.0 * math.pi / 2048)
    rows = np.arange(count)

    def too_loud(drive: np.ndarray) -> np.ndarray:
        spectrum = np.abs(np.fft.rfft(np.tanh(drive[:, None] * np.sin(theta)[None, :]), axis=1))
        tail = np.maximum.accumulate(spectrum[:, ::-1], axis=1)[:, ::-1]     # max over k >= n
        return tail[rows, rows] > ratio * spectrum[:, 1]

    low = np.zeros(count)
    high = np.full(count, TANH_DRIVE_CAP)
    for _ in range(30):
        middle = (low + high) / 2.0
        loud = too_loud(middle)
        high = np.where(loud, middle, high)
        low = np.where(loud, low, middle)
    return tuple(float(value) for value in low)


class FMPair:
    """Two-operator FM as phase modulation: sin(2*pi*fc*t + index * sin(2*pi*ratio*fc*t)).

    The same sidebands as pyo's `FM`, built from `Phasor`s (whose frequency never goes negative)
    and `Sin` (libm's sine): pyo's `FM` integrates carrier + deviation, which runs its table
    pointer backwards for an index above 1, and float32 wrapping can then land exactly on the
    table's end and read one value past it, a NaN: one NaN sample latches every filter
    downstream for good (issue 7: the master went silent live). `carrier`, `ratio` and `index`
    may be numbers or pyo signals; `ratio` and `index` are also settable `Sig`s.

    Usage (not run as a doctest: it needs a running engine or device)::

        pair = FMPair(pyo().Sig(440.0), ratio=1.4, index=5.0)
        pair.ratio.value = 2.0
    """

    def __init__(self, carrier: Any, ratio: Any = 1.0, index: Any = 1.0, mul: Any = 1.0) -> None:
        p = pyo()
        self.ratio = ratio if hasattr(ratio, "_base_objs") else p.Sig(float(ratio))
        self.index = index if hasattr(index, "_base_objs") else p.Sig(float(index))
        self.carrier_phase = p.Phasor(freq=carrier, mul=TAU)
        self.modulator_freq = carrier * self.ratio
        self.modulator_phase = p.Phasor(freq=self.modulator_freq, mul=TAU)
        self.modulator = p.Sin(self.modulator_phase, mul=self.index)
        self.argument = self.carrier_phase + self.modulator
        self.out = p.Sin(self.argument, mul=mul)


NEPERS_PER_DB = math.log(10.0) / 20.0


class DecayEnvelope:
    """A triggered envelope made in the log domain: a `TrigLinseg` of levels in nepers through
    `Exp`, so straight segments are exponential curves. A hit falls at a steady rate in dB to
    silence, as a resonator rings down (pyo's `TrigExpseg` curves, (1 - t/T)^k, fall off a cliff
    at their end: an 808 kick cut off at half a second). `Exp` is cheaper than `TrigExpseg`'s pow.

    Usage (not run as a doctest: it needs a running engine or device)::

        env = DecayEnvelope(trig)
        env.set(decay_db_points(0.0005, 0.8), level=0.7); env.out
    """

    def __init__(self, trig: Any) -> None:
        p = pyo()
        # levels are stored above silence (0 = SILENT_DB): a TrigLinseg outputs 0 until its first
        # trigger, which must not read as 0 dB (full level for up to a block before the onset)
        self.log = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)], add=SILENT_DB * NEPERS_PER_DB)
        self.out = p.Exp(self.log, mul=0.0)

    def set(self, points: list[tuple[float, float]], level: float) -> None:
        """The next hit's (time s, dB re peak) breakpoints and its peak `level` (values only)."""
        self.log.setList([(time, (db - SILENT_DB) * NEPERS_PER_DB) for time, db in points])
        self.out.mul = level


class PhaseSweep:
    """A sine whose phase restarts at every trigger and whose pitch falls from `start` to `end` Hz.

    The phase is built from two triggered segments (a linear ramp for the end frequency and a
    polynomial curve for the sweep), so every hit starts at phase 0 exactly on the trigger sample:
    the 808 kick's thump and the 808 bass's glide. After `sweep` seconds the pitch is exactly `end`.

    Usage (not run as a doctest: it needs a running engine or device)::

        sweep = PhaseSweep(trig)
        sweep.set(start=180.0, end=50.0, sweep=0.08, length=1.0)
        sweep.out                                            # a pyo Sin, not .out()-ed
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


TRIANGLE_GAIN = 8.0 / math.pi**2
"""Scales the triangle table (+-1/k^2 series, peak pi^2/8) to a peak of 1."""
SQUARE_GAIN = 4.0 / math.pi
"""Scales the square table (1/k series over odd k, level pi/4) to a level of 1."""


class WaveBank(PerServer):
    """Band-limited saw, square and triangle wavetables, one per octave band, shared per pyo server.

    pyo's `LFO` keeps only a few dozen harmonics (a 65 Hz bass sounds dull) and its triangle
    aliases at the top of the keyboard; these tables keep every harmonic below 20 kHz at the top
    of their band and none above it, so a note its band's table is chosen for is bright and its
    harmonics never reach Nyquist (at 48 kHz or more). The harmonic amplitudes are the classic
    series (saw 1/k, square 1/k for odd k, triangle +-1/k^2 for odd k; pyo's `SquareTable(order)`
    counts odd harmonics: its tables held twice the harmonics meant). Each period is one inverse
    FFT of the series (`waveform`: exact to float64 rounding, cached per process), copied into a
    `DataTable`: pyo's `HarmTable` sums the sines itself, 3 ms a table (0.1 s a server, paid by
    every render job) and off by up to 9e-5 (float32 sums). Pick one table per note with `table`.

    >>> WaveBank.band(50.0), WaveBank.band(60.0), WaveBank.band(20000.0)
    (1, 1, 9)
    >>> [round(a, 3) for a in WaveBank.harmonics("square", 5)]
    [1.0, 0.0, 0.333, 0.0, 0.2]
    >>> [round(a, 3) for a in WaveBank.harmonics("triangle", 3)]
    [1.0, 0.0, -0.111]
    """

    TOPS: ClassVar[tuple[float, ...]] = tuple(40.0 * 2.0**i for i in range(10))
    SHAPES: ClassVar[tuple[str, ...]] = ("saw", "square", "triangle")
    TOP_HARMONIC: ClassVar[float] = 20000.0

    SIZE: ClassVar[int] = 8192

    def __init__(self) -> None:
        p = pyo()
        self._tables: dict[str, list[Any]] = {}
        for shape in self.SHAPES:
            tables = []
            for top in self.TOPS:
                table = p.DataTable(size=self.SIZE)
                np.asarray(table.getBuffer())[:] = waveform(shape, max(1, int(self.TOP_HARMONIC / top)), self.SIZE)
                tables.append(table)
            self._tables[shape] = tables

    @staticmethod
    def harmonics(shape: str, count: int) -> list[float]:
        """Amplitudes of harmonics 1 .. `count` of `shape` ("saw", "square" or "triangle")."""
        if shape == "saw":
            return [1.0 / k for k in range(1, count + 1)]
        if shape == "square":
            return [1.0 / k if k % 2 else 0.0 for k in range(1, count + 1)]
        return [(-1.0) ** (k // 2) / (k * k) if k % 2 else 0.0 for k in range(1, count + 1)]

    @classmethod
    def band(cls, freq: float) -> int:
        """The index of the band whose top is the first at or above `freq`."""
        for index, top in enumerate(cls.TOPS):
            if freq <= top:
                return index
        return len(cls.TOPS) - 1

    def table(self, shape: str, freq: float) -> Any:
        """The `shape` ("saw", "square" or "triangle") table for notes up to `freq` Hz."""
        return self._tables[shape][self.band(freq)]


@functools.cache
def waveform(shape: str, count: int, size: int) -> np.ndarray:
    """One period (`size` samples) of the first `count` harmonics of `shape` (`WaveBank.harmonics`:
    sines from phase 0), from one inverse FFT; read-only, cached per process.

    >>> wave = waveform("saw", 3, 64)
    >>> i = np.arange(64)
    >>> bool(np.allclose(wave, sum(np.sin(2 * np.pi * k * i / 64) / k for k in (1, 2, 3))))
    True
    """
    if not 0 < count < size // 2:
        raise ValueError(f"waveform: count must be 1 .. {size // 2 - 1} for {size} samples, not {count}")
    spectrum = np.zeros(size // 2 + 1, dtype=complex)
    spectrum[1:count + 1] = -0.5j * size * np.asarray(WaveBank.harmonics(shape, count))
    wave = np.fft.irfft(spectrum, size)
    wave[0] = 0.0                           # a sum of sines from phase 0: pyo's guard point is 0 too
    wave.setflags(write=False)
    return wave
