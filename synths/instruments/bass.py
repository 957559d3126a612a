"""Basses: `sub`, `acid` (303-style), `reese`, `pluckbass` and `bass808`.

>>> sorted(BASSES)
['acid', 'bass808', 'pluckbass', 'reese', 'sub']
>>> Acid.GLIDE
'slidetime'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import cents_ratio, resonance_gain, semis_ratio
from synths.instruments._sources import SQUARE_GAIN, PhaseSweep, tanh_drive_limit
from synths.instruments.tonal import MOOG_INPUT, SLIDE_ROW, MoogVoice, TonalVoice, glide_row, moog_drive, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = ["Sub", "Acid", "Reese", "PluckBass", "Bass808", "BASSES"]


class Sub(TonalVoice):
    """Sub bass: a pure sine, for the low end under everything.

    >>> Sub.PARAMS["release"].default
    0.08
    """

    NAME = "sub"
    PARAMS = tonal_table(NAME, attack=0.004, release=0.08, sustain=1.0)
    LEVEL = 0.41

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.osc = p.Sine(freq=pitch)
        return self.osc


class Acid(MoogVoice):
    """Acid (TB-303 style): saw or square, resonant 4-pole lowpass swept by a decaying envelope,
    `accent` (louder, wider sweep) and `slide` (1 = glide from the previous acid note in `slidetime`).

    >>> Acid.PARAMS["cutoff"].default, Acid.PARAMS["resonance"].default
    (500.0, 0.7)
    """

    NAME = "acid"
    GLIDE: ClassVar[str | None] = "slidetime"
    PARAMS = tonal_table(NAME, cutoff=500.0, resonance=0.7, decay=0.2, sustain=0.9, release=0.02).extend(
        NAME,
        [
            ParamSpec("env", 3.0, 0.0, 7.0, "octaves", "filter envelope depth above cutoff"),
            ParamSpec("fdecay", 0.18, 0.005, 4.0, "s", "filter envelope decay"),
            ParamSpec("accent", 0.0, 0.0, 1.0, "", "accent: louder, sharper filter sweep"),
            SLIDE_ROW,
            glide_row("slidetime", 0.06, "time of a slide from the previous acid note"),
            ParamSpec("wave", 0.0, 0.0, 1.0, "", "0 saw, 1 square"),
        ],
    )
    LEVEL = 0.49 / MOOG_INPUT

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.osc = p.Osc(self.wave("saw"), freq=pitch, mul=MOOG_INPUT / 1.85)
        self.fenv = p.TrigExpseg(trig, [(0.0, 500.0), (0.001, 500.0)], exp=3.0, inverse=True)
        return self.osc

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        self.filter = p.MoogLP(source, freq=self.fenv, res=0.7, mul=self.amp)
        return self.filter

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        accent = float(params.get("accent", 0.0))
        cutoff = self.moog_hz(float(params.get("cutoff", 500.0)))
        depth = float(params.get("env", 3.0)) * (1.0 + 0.5 * accent)
        peak = self.moog_hz(cutoff * 2.0**depth)
        fdecay = float(params.get("fdecay", 0.18)) * (1.0 - 0.4 * accent)
        self.fenv.setList([(0.0, peak), (fdecay, cutoff)])
        self.put(self.filter, "res", float(params.get("resonance", 0.7)) * 1.05)

    def makeup(self, params: Mapping[str, float | str]) -> float:
        """Accent, and the level the filter's lighter drive at high notes took (`moog_drive`)."""
        return (1.0 + 0.4 * float(params.get("accent", 0.0))) * super().makeup(params)

    def glide_time(self, params: Mapping[str, float | str]) -> float:
        return float(params.get("slidetime", 0.06)) if float(params.get("slide", 0.0)) >= 0.5 else 0.0

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.put_table(self.osc, self.wave("square" if float(params.get("wave", 0.0)) >= 0.5 else "saw"))
        self.osc.mul = MOOG_INPUT / 1.85 * moog_drive(self.top_freq)


class Reese(MoogVoice):
    """Reese: two saws `detune` cents apart (slow beating) plus a sine at the note, through a lowpass.

    >>> Reese.PARAMS["detune"].default
    20.0
    """

    NAME = "reese"
    PARAMS = tonal_table(NAME, detune=20.0, cutoff=1200.0, resonance=0.2, sustain=1.0, release=0.1)
    LEVEL = 0.525 / MOOG_INPUT
    DETUNE_SPREADS = True

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.spread = p.Sig([1.0, 1.0])
        self.saws = p.Osc(self.wave("saw"), freq=pitch * self.spread, mul=0.5)
        self.sub = p.Sine(freq=pitch, mul=0.35)
        self.sum = p.Mix([self.saws, self.sub], voices=1, mul=MOOG_INPUT / 2.2)
        return self.sum

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        self.filter = p.MoogLP(source, freq=self.moog_hz(1200.0), res=0.2, mul=self.amp)
        return self.filter

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        self.put(self.filter, "freq", self.moog_hz(float(params.get("cutoff", 1200.0))))
        self.put(self.filter, "res", float(params.get("resonance", 0.2)) * 0.9)

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        half = float(params.get("detune", 20.0)) / 2.0
        self.spread.value = [cents_ratio(-half), cents_ratio(half)]
        self.put_table(self.saws, self.wave("saw"))
        self.sum.mul = MOOG_INPUT / 2.2 * moog_drive(self.top_freq)


class PluckBass(TonalVoice):
    """Pluck bass: a saw/square blend with a fast filter snap and a short amp decay.

    >>> PluckBass.PARAMS["sustain"].default
    0.15
    """

    NAME = "pluckbass"
    PARAMS = tonal_table(NAME, cutoff=400.0, resonance=0.3, decay=0.25, sustain=0.15, release=0.06).extend(
        NAME,
        [
            ParamSpec("env", 3.5, 0.0, 7.0, "octaves", "filter envelope depth above cutoff"),
            ParamSpec("fdecay", 0.08, 0.005, 4.0, "s", "filter envelope decay"),
        ],
    )
    LEVEL = 0.45

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.osc = p.Osc(self.wave("saw"), freq=pitch, mul=0.6)
        # a band-limited square an octave down (pyo's LFO square aliases at the top of the keyboard)
        self.square = p.Osc(self.waves.table("square", self.top_freq * 0.5), freq=pitch * 0.5, mul=0.3 * SQUARE_GAIN)
        self.sum = p.Mix([self.osc, self.square], voices=1)
        self.fenv = p.TrigExpseg(trig, [(0.0, 400.0), (0.001, 400.0)], exp=3.0, inverse=True)
        return self.sum

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        self.filter = p.Biquad(source, freq=self.fenv, q=0.9, type=0, mul=self.amp)
        return self.filter

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.put_table(self.osc, self.wave("saw"))
        self.put_table(self.square, self.waves.table("square", self.top_freq * 0.5))

    def filter_gain(self, params: Mapping[str, float | str]) -> float:
        return resonance_gain(0.7 + 6.0 * float(params.get("resonance", 0.3)))

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        cutoff = self.cutoff_hz(float(params.get("cutoff", 400.0)))
        peak = self.cutoff_hz(cutoff * 2.0 ** float(params.get("env", 3.5)))
        self.fenv.setList([(0.0, peak), (float(params.get("fdecay", 0.08)), cutoff)])
        self.put(self.filter, "q", 0.7 + 6.0 * float(params.get("resonance", 0.3)))


class Bass808(TonalVoice):
    """808 bass: a phase-reset sine gliding from `glide` semitones away (over `glidetime`), or
    sliding from the previous 808 note (`slide` 1, over `slidetime`), through tanh saturation (`drive`).

    After the glide the pitch is exactly the note.

    >>> Bass808.PARAMS["decay"].default, Bass808.PARAMS["drive"].default
    (1.2, 1.5)
    """

    NAME = "bass808"
    PARAMS = tonal_table(NAME, attack=0.002, decay=1.2, sustain=0.5, release=0.25, cutoff=6000.0).extend(
        NAME,
        [
            ParamSpec("glide", 0.0, -24.0, 24.0, "semitones", "start this far from the note, glide in"),
            glide_row("glidetime", 0.12, "time of the glide into the note"),
            SLIDE_ROW,
            glide_row("slidetime", 0.1, "time of a slide from the previous 808 note (wins over glide)"),
            ParamSpec("drive", 1.5, 0.1, 8.0, "", "tanh saturation amount"),
        ],
    )
    LEVEL = 0.42

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        tanh_drive_limit(55.0, self.sr)              # the harmonics table, here and not in a callback
        self.sweep = PhaseSweep(trig)
        self.drive = p.Sig(1.5)
        self.shaper = p.Tanh(self.sweep.out * self.drive)
        return self.shaper

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        ratio = self.glide.ratio(self.NAME, freq)
        if float(params.get("slide", 0.0)) >= 0.5 and ratio != 1.0:
            start, time = freq * ratio, float(params.get("slidetime", 0.1))
        else:
            start = freq * semis_ratio(float(params.get("glide", 0.0)))
            time = float(params.get("glidetime", 0.12))
        # the saturation's harmonics must not fold back at the top of the keyboard
        drive = min(float(params.get("drive", 1.5)), tanh_drive_limit(max(start, freq), self.sr))
        self.drive.value = drive
        self.shaper.mul = 1.0 / max(math.tanh(drive), 1e-3)          # level-compensated
        self.sweep.set(start, freq, time, self.sound_tail(params, dur) + 0.05)


BASSES: Mapping[str, type[Voice]] = {
    "sub": Sub,
    "acid": Acid,
    "reese": Reese,
    "pluckbass": PluckBass,
    "bass808": Bass808,
}
