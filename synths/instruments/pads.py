"""Pads: `supersaw` (JP-8000 style, 7 saws, stereo), `pad` (warm) and `strings`.

All three are stereo voices (two channels whose detune differs), so they sound wide before any
effect. For `supersaw`, `detune` is the depth of the saw spread (0..100 %) instead of a pitch
offset, `spread` the left/right difference and `unison` the number of saws per side: 7 (the
default) is pyo's JP-8000-style `SuperSaw`; 1 .. 6 switch to a bank of band-limited saws spread
evenly over +-0.6 x `detune` cents (`bal` applies to the 7-saw sound only).

>>> sorted(PADS)
['pad', 'strings', 'supersaw']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import cents_ratio, q_of
from synths.instruments._sleeper import Sleeper, streams_of
from synths.instruments.tonal import TonalVoice, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = ["SuperSaw", "Pad", "Strings", "PADS", "unison_bank"]

_SPREAD_ROW = ParamSpec("spread", 0.5, 0.0, 1.0, "", "stereo width: left/right detune difference")


class SuperSaw(TonalVoice):
    """Supersaw: pyo's 7-saw `SuperSaw` per channel, lowpassed; `detune` (%) and `spread`.

    >>> SuperSaw.PARAMS["detune"].default, SuperSaw.PARAMS["detune"].unit
    (50.0, '%')
    """

    NAME = "supersaw"
    PARAMS = tonal_table(NAME, cutoff=6000.0, attack=0.01, sustain=0.9, release=0.3).extend(
        NAME,
        [
            ParamSpec("detune", 50.0, -100.0, 100.0, "%", "depth of the 7-saw detune (sign ignored)"),
            _SPREAD_ROW,
            ParamSpec("bal", 0.7, 0.0, 1.0, "", "side saws against the centre saw (7 saws)"),
            # the `unison` control goes to 16; the supersaw has 7 saws and clamps on purpose
            ParamSpec("unison", 7.0, 1.0, 16.0, "saws", "saws per side: 1 .. 7"),
        ],
    )
    LEVEL = 1.0
    BANK: ClassVar[int] = 6
    BANK_LEVEL: ClassVar[float] = 0.08  # RMS-matched to the 7-saw SuperSaw at detune 50

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.stereo = p.Sig([1.0, 1.0])
        self.seven_freq = pitch * self.stereo
        self.osc = p.SuperSaw(freq=self.seven_freq, detune=0.5, bal=0.7)
        # unison 1 .. 6: saw k of side s is stream 2k + s (Mix sends even streams left, odd right)
        self.ratios = p.Sig([1.0] * (2 * self.BANK))
        self.gains = p.Sig([0.0] * (2 * self.BANK))
        phases = [(0.37 * k) % 1.0 for k in range(2 * self.BANK)]
        self.bank_freq = pitch * self.ratios
        self.saws = p.Osc(self.wave("saw"), freq=self.bank_freq, phase=phases, mul=self.gains)
        self.bank = p.Mix(self.saws, voices=2)
        self.switch = p.Interp(self.osc, self.bank, interp=0.0)
        self.count = 7
        self._owned = [stream for obj in self.owned() for stream in streams_of(obj)]
        self.wake_owned(-1.0)
        return self.switch

    def owned(self) -> list[Any]:
        return [self.seven_freq, self.osc, self.ratios, self.gains, self.bank_freq, self.saws, self.bank]

    def wake_owned(self, seconds: float) -> None:
        """Run the 7-saw oscillator, or only the bank's first `count` saws per side, for
        `seconds` (negative: stop everything)."""
        if seconds < 0.0:
            running: set[int] = set()
        elif self.count >= 7:
            running = {id(base) for obj in (self.seven_freq, self.osc) for base in streams_of(obj)}
        else:
            used = 2 * self.count
            per_saw = (self.ratios, self.gains, self.bank_freq, self.saws)
            running = {id(base) for obj in per_saw for base in obj._base_objs[:used]}
            running |= {id(base) for base in streams_of(self.bank)}
        for base in self._owned:
            if id(base) in running:
                base.play(0, 0)
                base.stop(seconds + Sleeper.MARGIN)
            else:
                base.stop(0)

    def note_freq(self, params: Mapping[str, float | str]) -> float:
        return float(params.get("freq", 261.6255653))

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        depth = abs(float(params.get("detune", 50.0))) / 100.0
        self.osc.detune = depth
        self.osc.bal = float(params.get("bal", 0.7))
        cents = 6.0 * float(params.get("spread", 0.5))
        self.stereo.value = [cents_ratio(-cents), cents_ratio(cents)]
        count = min(7, int(round(float(params.get("unison", 7.0)))))
        self.count = count
        self.switch.interp = 1.0 if count < 7 else 0.0
        if count < 7:
            self.ratios.value, self.gains.value = unison_bank(count, 60.0 * depth, cents, self.BANK)
            self.gains.mul = self.BANK_LEVEL
            self.saws.table = self.wave("saw")


def unison_bank(count: int, width: float, side: float, size: int) -> tuple[list[float], list[float]]:
    """(frequency ratios, gains) of a `size`-saw-per-side bank playing `count` saws spread evenly
    over +-`width` cents, the right side `side` cents above the left; equal power overall.

    >>> ratios, gains = unison_bank(1, 30.0, 0.0, 2)
    >>> ratios, gains
    ([1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0])
    """
    ratios: list[float] = []
    gains: list[float] = []
    for k in range(size):
        position = 0.0 if count == 1 else -1.0 + 2.0 * k / (count - 1)
        on = k < count
        for sign in (-1.0, 1.0):
            ratios.append(cents_ratio(position * width + sign * side) if on else 1.0)
            gains.append(1.0 / count**0.5 if on else 0.0)
    return ratios, gains


class Pad(TonalVoice):
    """Warm pad: two saws and a triangle per side, detuned, dark lowpass, slow envelope.

    >>> Pad.PARAMS["attack"].default, Pad.PARAMS["release"].default
    (0.4, 1.2)
    """

    NAME = "pad"
    PARAMS = tonal_table(
        NAME, attack=0.4, decay=0.5, sustain=0.8, release=1.2, cutoff=1800.0, detune=10.0
    ).extend(NAME, [_SPREAD_ROW])
    LEVEL = 0.55

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.ratios = p.Sig([1.0, 1.0])
        self.saws = p.Osc(self.wave("saw"), freq=pitch * self.ratios, mul=0.3)
        self.tri = p.LFO(freq=pitch * 0.5, sharp=1.0, type=3, mul=0.3)
        return self.saws + self.tri

    def note_freq(self, params: Mapping[str, float | str]) -> float:
        return float(params.get("freq", 261.6255653))

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        self.filter.freq = self.cutoff_hz(float(params.get("cutoff", 1800.0)))
        self.filter.q = q_of(float(params.get("resonance", 0.1)))

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        cents = float(params.get("detune", 10.0)) * (0.5 + float(params.get("spread", 0.5)))
        self.ratios.value = [cents_ratio(-cents / 2.0), cents_ratio(cents / 2.0)]
        self.saws.table = self.wave("saw")


class Strings(TonalVoice):
    """Strings: detuned saw ensemble per side with vibrato, brighter than the pad.

    >>> Strings.PARAMS["vibrato"].default
    5.2
    """

    NAME = "strings"
    PARAMS = tonal_table(
        NAME, attack=0.25, decay=0.3, sustain=0.9, release=0.7, cutoff=4500.0, detune=8.0
    ).extend(
        NAME,
        [
            _SPREAD_ROW,
            ParamSpec("vibrato", 5.2, 0.0, 12.0, "Hz", "vibrato rate"),
            ParamSpec("vmod", 0.15, 0.0, 1.0, "semitones", "vibrato depth"),
        ],
    )
    LEVEL = 0.36

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.vib = p.Sine(freq=5.2, mul=0.0087, add=1.0)
        self.ratios = p.Sig([1.0, 1.0])
        self.saws = p.Osc(self.wave("saw"), freq=pitch * self.vib * self.ratios, mul=0.5)
        return self.saws

    def note_freq(self, params: Mapping[str, float | str]) -> float:
        return float(params.get("freq", 261.6255653))

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.vib.freq = float(params.get("vibrato", 5.2))
        self.vib.mul = 2.0 ** (float(params.get("vmod", 0.15)) / 12.0) - 1.0
        cents = float(params.get("detune", 8.0)) * (0.5 + float(params.get("spread", 0.5)))
        self.ratios.value = [cents_ratio(-cents / 2.0), cents_ratio(cents / 2.0)]
        self.saws.table = self.wave("saw")


PADS: Mapping[str, type[Voice]] = {"supersaw": SuperSaw, "pad": Pad, "strings": Strings}
