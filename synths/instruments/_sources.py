"""Signal sources shared by the instruments: the phase-reset sweep, band-limited wavetables, noise.

Each builds a fixed set of pyo objects once; per note only values change, as voices must.

>>> WaveBank.band(100.0)
2
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.instruments._dsp import TAU, silent_points

__all__ = ["FMPair", "PhaseSweep", "WaveBank", "cheap_noise", "fm_index_limit"]


def cheap_noise(mul: Any = 1.0) -> Any:
    """White noise from pyo's linear congruential generator: 35x cheaper than the default
    `rand()` one (about 1 µs instead of 36 µs per block of 256), and just as white to the ear.

    >>> cheap_noise(0.5)                                       # doctest: +SKIP
    < Instance of Noise class >
    """
    noise = pyo().Noise(mul=mul)
    noise.setType(1)
    return noise


def fm_index_limit(carrier: float, ratio: float, sr: float, top: float = 0.45) -> float:
    """The largest FM index whose strong sidebands stay under `top` * sr (Carson's rule: the
    band reaches carrier + (index + 1) * modulator), as FM keyboards scale index with pitch.

    >>> fm_index_limit(440.0, 1.0, 48000) > 20, round(fm_index_limit(4186.0, 3.5, 48000), 2)
    (True, 0.19)
    """
    modulator = max(carrier * ratio, 1e-9)
    return max(0.0, (top * sr - carrier) / modulator - 1.0)


class FMPair:
    """Two-operator FM as phase modulation: sin(2*pi*fc*t + index * sin(2*pi*ratio*fc*t)).

    The same sidebands as pyo's `FM`, built from `Phasor`s (whose frequency never goes negative)
    and `Sin` (libm's sine): pyo's `FM` integrates carrier + deviation, which runs its table
    pointer backwards for an index above 1, and float32 wrapping can then land exactly on the
    table's end and read one value past it, a NaN: one NaN sample latches every filter
    downstream for good (issue 7: the master went silent live). `carrier`, `ratio` and `index`
    may be numbers or pyo signals; `ratio` and `index` are also settable `Sig`s.

    >>> pair = FMPair(pyo().Sig(440.0), ratio=1.4, index=5.0)        # doctest: +SKIP
    >>> pair.ratio.value = 2.0                                       # doctest: +SKIP
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
