"""Basic waves and leads: `sine`, `triangle`, `saw` (`sawtooth`), `square`, and `lead`.

The basic waves are Strudel's: one band-limited wavetable oscillator, lowpass, ADSR. `lead` is two detuned
saws through a resonant Moog-style lowpass with a short filter envelope and portamento (`glide`
seconds from the previous lead note).

>>> Saw.NAME, Lead.GLIDE
('saw', 'glide')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import cents_ratio
from synths.instruments._sources import TRIANGLE_GAIN
from synths.instruments.tonal import MOOG_INPUT, MoogVoice, TonalVoice, moog_drive, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = ["Sine", "Triangle", "Saw", "Square", "Lead", "LEADS"]


class Sine(TonalVoice):
    """A pure sine (Strudel's `sine`).

    >>> Sine.PARAMS["cutoff"].default
    8000.0
    """

    NAME = "sine"
    PARAMS = tonal_table(NAME)
    LEVEL = 0.47

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.osc = p.Sine(freq=pitch)
        return self.osc


class _Wavetable(TonalVoice):
    """One band-limited wavetable oscillator of shape `WAVE`; the table follows each note's pitch."""

    WAVE: ClassVar[str] = "saw"
    WAVE_GAIN: ClassVar[float] = 1.0

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.osc = p.Osc(self.wave(self.WAVE), freq=pitch, mul=self.WAVE_GAIN)
        return self.osc

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.put_table(self.osc, self.wave(self.WAVE))


class Triangle(_Wavetable):
    """A band-limited (wavetable) triangle (Strudel's `triangle`, also `tri`): odd harmonics
    falling 12 dB per octave, none above 20 kHz at any note.

    >>> Triangle.NAME, round(Triangle.WAVE_GAIN, 3)
    ('triangle', 0.811)
    """

    NAME = "triangle"
    WAVE = "triangle"
    WAVE_GAIN = TRIANGLE_GAIN
    PARAMS = tonal_table(NAME)
    LEVEL = 0.5


class Saw(_Wavetable):
    """A band-limited (wavetable) sawtooth (Strudel's `sawtooth`, also `saw`).

    >>> Saw.PARAMS["resonance"].default
    0.1
    """

    NAME = "saw"
    WAVE = "saw"
    PARAMS = tonal_table(NAME)
    LEVEL = 0.19


class Square(_Wavetable):
    """A band-limited (wavetable) square wave (Strudel's `square`).

    >>> Square.NAME
    'square'
    """

    NAME = "square"
    WAVE = "square"
    PARAMS = tonal_table(NAME)
    LEVEL = 0.35


class Lead(MoogVoice):
    """Lead: two saws `detune` cents apart, Moog lowpass with a filter envelope, portamento.

    >>> Lead.PARAMS["glide"].default
    0.0
    """

    NAME = "lead"
    GLIDE: ClassVar[str | None] = "glide"
    PARAMS = tonal_table(NAME, detune=12.0, cutoff=3000.0, resonance=0.3, sustain=0.7).extend(
        NAME,
        [
            # the `glide` control spans bass808's -24 .. 24 semitones; the lead reads it as
            # seconds and clamps to 0 .. 4 on purpose (`glide_time`)
            ParamSpec("glide", 0.0, -24.0, 24.0, "s", "portamento time from the previous lead note (0: none; max 4)"),
            ParamSpec("env", 1.5, 0.0, 7.0, "octaves", "filter envelope depth above cutoff"),
            ParamSpec("fdecay", 0.25, 0.005, 4.0, "s", "filter envelope decay"),
        ],
    )
    LEVEL = 0.54 / MOOG_INPUT
    DETUNE_SPREADS = True

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.spread = p.Sig([1.0, 1.0])
        self.osc = p.Osc(self.wave("saw"), freq=pitch * self.spread)
        self.sum = p.Mix(self.osc, voices=1, mul=MOOG_INPUT / 3.7)
        self.fenv = p.TrigExpseg(trig, [(0.0, 3000.0), (0.001, 3000.0)], exp=2.0, inverse=True)
        return self.sum

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        self.filter = p.MoogLP(source, freq=self.fenv, res=0.3, mul=self.amp)
        return self.filter

    def glide_time(self, params: Mapping[str, float | str]) -> float:
        """`glide` seconds, clamped to 0 .. 4."""
        return min(4.0, max(0.0, float(params.get("glide", 0.0))))

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        cutoff = self.moog_hz(float(params.get("cutoff", 3000.0)))
        peak = self.moog_hz(cutoff * 2.0 ** float(params.get("env", 1.5)))
        self.fenv.setList([(0.0, peak), (float(params.get("fdecay", 0.25)), cutoff)])
        self.put(self.filter, "res", float(params.get("resonance", 0.3)) * 0.9)

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        half = float(params.get("detune", 12.0)) / 2.0
        self.spread.value = [cents_ratio(-half), cents_ratio(half)]
        self.put_table(self.osc, self.wave("saw"))
        self.sum.mul = MOOG_INPUT / 3.7 * moog_drive(self.top_freq)


LEADS: Mapping[str, type[Voice]] = {
    "sine": Sine,
    "triangle": Triangle,
    "tri": Triangle,
    "saw": Saw,
    "sawtooth": Saw,
    "square": Square,
    "lead": Lead,
}
