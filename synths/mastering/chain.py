"""The mastering chain as pyo objects, the same offline and (later) live.

```
input -> trim -> low cut -> tilt EQ -> glue compressor -> width / mono bass   (MasteringFront)
      -> drive -> true-peak limiter -> DC block -> true-peak limiter -> out         (MasteringBack)
```

- **trim**: gain that brings the mix to `input_lufs` (measured offline), so the glue compressor
  sees every mix at the same level.
- **low cut**: two cascaded 2nd-order Butterworth high-passes (`ButHP`), 24 dB/octave.
- **tilt**: a low shelf (-tilt/2 dB) and a high shelf (+tilt/2 dB), both at 1 kHz.
- **glue**: pyo `Compress` set up as the master bus's glue compressor (knee 0.5, one sample of
  look-ahead).
- **width / mono bass**: mid = (L+R)/2, side = (L-R)/2; the side goes through a 4th-order
  Linkwitz-Riley high-pass (two `ButHP`) at `mono_below`, so everything below it is mono, and is
  scaled by `width`; L = mid + side, R = mid - side.
- **drive** into the **limiter**: the master bus's brickwall true-peak look-ahead limiter (not a
  second one), ceiling in dBTP; then a one-pole DC blocker (5 Hz, `Atone`: hard limiting of an
  asymmetric bass leaves an offset) and a second, catching instance of the same limiter for
  the peaks that removing the offset lifts (it works only on those, typically 0-1 dB).

`MasteringChain` joins both halves for live use; the offline master renders the front once and
re-runs only the back while it searches the drive (`synths.mastering.offline`).

>>> CHAIN_LATENCY
157

Usage (not run as a doctest: it needs a running engine)::

    chain = MasteringChain(mixer_out, preset("streaming"), sr=48000); chain.out.out()
"""

from __future__ import annotations

from typing import Any

from synths._pyo import pyo
from synths.effects.dynamics import min_lookahead_ms
from synths.master import LIMITER_LATENCY, TruePeakLimiter
from synths.mastering.presets import ChainSettings, Preset

__all__ = ["MasteringFront", "DriveStage", "MasteringBack", "MasteringChain", "CHAIN_LATENCY", "TILT_PIVOT",
           "RAMP", "DC_BLOCK_HZ"]

TILT_PIVOT = 1000.0
"""Centre of the tilt EQ (Hz)."""

DC_BLOCK_HZ = 5.0
"""Corner of the one-pole high-pass after the limiter: hard limiting of low, asymmetric
waveforms (a saw bass, +20 dB of drive) leaves a DC offset, which it removes."""

RAMP = 0.02
"""Seconds over which trim and drive glide when they change (live)."""

CHAIN_LATENCY = 1 + 2 * LIMITER_LATENCY
"""Samples the chain delays its input: the glue compressor's one-sample look-ahead plus twice
the limiter's look-ahead and interpolators."""


def _db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


class MasteringFront:
    """trim -> low cut -> tilt -> glue -> width / mono bass, on a stereo pyo signal.

    Usage (not run as a doctest: it needs a running engine)::

        front = MasteringFront(source, ChainSettings(), sr=48000, trim_db=-3); front.out
    """

    def __init__(self, input: Any, settings: ChainSettings, *, sr: float, trim_db: float = 0.0) -> None:
        p = pyo()
        self.settings = settings
        self._trim = p.SigTo(_db_to_gain(trim_db), time=RAMP, init=_db_to_gain(trim_db))
        signal: Any = input * self._trim
        self._trimmed = signal
        self._lowcut: list[Any] = []
        if settings.lowcut > 0:
            for _ in range(2):
                signal = p.ButHP(signal, freq=settings.lowcut)
                self._lowcut.append(signal)
        self._low_shelf = p.EQ(signal, freq=TILT_PIVOT, q=0.7, boost=-settings.tilt / 2.0, type=1)
        self._high_shelf = p.EQ(self._low_shelf, freq=TILT_PIVOT, q=0.7, boost=settings.tilt / 2.0, type=2)
        self._glue = p.Compress(self._high_shelf, thresh=settings.glue_threshold, ratio=settings.glue_ratio,
                                risetime=settings.glue_attack, falltime=settings.glue_release,
                                lookahead=min_lookahead_ms(sr), knee=0.5)
        self.out = self._width(self._glue, settings)
        self.latency = 1
        """Samples the front delays its input (the glue compressor's look-ahead)."""

    def _width(self, signal: Any, settings: ChainSettings) -> Any:
        p = pyo()
        self._left, self._right = p.Sig(signal[0]), p.Sig(signal[1])
        self._mid = (self._left + self._right) * 0.5
        side: Any = (self._left - self._right) * 0.5
        self._side_filters: list[Any] = []
        if settings.mono_below > 0:
            for _ in range(2):
                side = p.ButHP(side, freq=settings.mono_below)
                self._side_filters.append(side)
        self._side = side * settings.width
        return p.Mix([self._mid + self._side, self._mid - self._side], voices=2)

    def set_trim(self, db: float) -> None:
        """Change the input trim (glides over `RAMP`)."""
        self._trim.value = _db_to_gain(db)


class DriveStage:
    """drive -> true-peak limiter at the ceiling -> DC block: `MasteringBack` up to its catching
    limiter. `detector`: the limiter's detector of the undriven `input`, computed already (a
    mono pyo signal, `synths.master.detector_of`; the offline master's way to skip the
    interpolators); it is scaled by the drive here.

    Usage (not run as a doctest: it needs a running engine)::

        stage = DriveStage(front.out, pyo.Sig(-1.0), sr=48000, drive_db=6.0); stage.out
    """

    def __init__(self, input: Any, ceiling: Any, *, sr: float, drive_db: float = 0.0, release: float = 0.08,
                 oversampling: int = 4, detector: Any = None) -> None:
        p = pyo()
        self._drive = p.SigTo(_db_to_gain(drive_db), time=RAMP, init=_db_to_gain(drive_db))
        self._driven = input * self._drive
        self._detector = None if detector is None else detector * self._drive
        self.limiter = TruePeakLimiter(self._driven, ceiling, sr=sr, release=release, oversampling=oversampling,
                                       detector=self._detector)
        self._dc_block = p.Atone(self.limiter.out, freq=DC_BLOCK_HZ)
        self.out = self._dc_block
        self.latency = self.limiter.latency
        """Samples the stage delays its input."""

    def set_drive(self, db: float) -> None:
        """Change the gain into the limiter (glides over `RAMP`)."""
        self._drive.value = _db_to_gain(db)


class MasteringBack:
    """drive -> true-peak limiter at the ceiling (dBTP) -> DC block -> catching limiter -> `out`.

    Usage (not run as a doctest: it needs a running engine)::

        back = MasteringBack(front.out, ceiling=-1.0, sr=48000, drive_db=6.0); back.out
    """

    def __init__(self, input: Any, *, ceiling: float, sr: float, drive_db: float = 0.0,
                 release: float = 0.08, oversampling: int = 4) -> None:
        p = pyo()
        self._ceiling = p.Sig(ceiling)
        self.drive = DriveStage(input, self._ceiling, sr=sr, drive_db=drive_db, release=release,
                                oversampling=oversampling)
        self.catch = TruePeakLimiter(self.drive.out, self._ceiling, sr=sr, release=release,
                                     oversampling=oversampling)
        self.out = self.catch.out
        self.latency = self.drive.latency + self.catch.latency
        """Samples the limiter delays its input."""

    def set_drive(self, db: float) -> None:
        """Change the gain into the limiter (glides over `RAMP`)."""
        self.drive.set_drive(db)

    def set_ceiling(self, db: float) -> None:
        """Change the ceiling (dBTP)."""
        self._ceiling.value = db


class MasteringChain:
    """The whole chain for a preset on a stereo pyo signal; `out` is stereo, not `.out()`-ed.

    Usage (not run as a doctest: it needs a running engine)::

        chain = MasteringChain(source, preset("club"), sr=48000, trim_db=2.0, drive_db=8.0)
    """

    def __init__(self, input: Any, preset: Preset, *, sr: float, trim_db: float = 0.0,
                 drive_db: float = 0.0) -> None:
        self.preset = preset
        self.front = MasteringFront(input, preset.chain, sr=sr, trim_db=trim_db)
        self.back = MasteringBack(self.front.out, ceiling=preset.target.ceiling, sr=sr,
                                  drive_db=drive_db, release=preset.chain.release)
        self.out = self.back.out
        self.latency = CHAIN_LATENCY
