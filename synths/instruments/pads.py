"""Pads: `supersaw` (JP-8000 style, 7 saws, stereo), `pad` (warm) and `strings`.

All three are stereo voices (two channels whose detune differs), so they sound wide before any
effect. For `supersaw`, `detune` is the depth of the saw spread (0..100 %) instead of a pitch
offset, `spread` the left/right difference and `unison` the number of saws per side: 7 (the
default) has the JP-8000's spacing and mix (`bal`); 1 .. 6 spread the saws evenly over
+-0.6 x `detune` cents. Every saw is band-limited (a wavetable per octave band).

>>> sorted(PADS)
['pad', 'strings', 'supersaw']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import cents_ratio, q_of
from synths.instruments._sleeper import Sleeper, streams_of
from synths.instruments._sources import TRIANGLE_GAIN
from synths.instruments.tonal import TonalVoice, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = ["SuperSaw", "Pad", "Strings", "PADS", "unison_bank", "jp8000_ratios", "jp8000_gains", "JP8000_OFFSETS"]

_SPREAD_ROW = ParamSpec("spread", 0.5, 0.0, 1.0, "", "stereo width: left/right detune difference")


class SuperSaw(TonalVoice):
    """Supersaw: 7 band-limited saws per channel in the JP-8000's detune and mix, lowpassed;
    `detune` (%), `spread`, `bal`, `unison`.

    pyo's `SuperSaw` (the same spacing and mix, from the same tables) sums naive saws, which
    alias from a3 up (-35 dB at a3, -24 dB at c8); here every saw is a wavetable oscillator
    whose table holds no harmonic above 20 kHz. Saw k of side s is stream 2k + s of one `Osc`
    (Mix sends even streams left, odd right), its frequency and gain set per note; unused saws
    (`unison` below 7) are stopped.

    >>> SuperSaw.PARAMS["detune"].default, SuperSaw.PARAMS["detune"].unit
    (50.0, '%')
    >>> [round(r, 4) for r in jp8000_ratios(1.0)]
    [1.0, 0.89, 1.1075, 0.9371, 1.0622, 0.9805, 1.0199]
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
    DETUNE_SPREADS = True
    BANK: ClassVar[int] = 7
    SAW_GAIN: ClassVar[float] = 0.2 * 2.0 / math.pi
    """pyo's SuperSaw scales its sum of +-1 saws by 0.2; a table saw (sum of sin(kx)/k) peaks at pi/2."""
    BANK_LEVEL: ClassVar[float] = 0.08
    """Level of the evenly spread unison (1 .. 6 saws), RMS-matched to the 7 saws at detune 50."""

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        streams = 2 * self.BANK
        # pyo's SuperSaw starts its saws an eighth of a period apart in the order of their
        # detune; the same start keeps the sound (near unison, those phases set the level)
        phases = [0.125 + 0.125 * JP8000_ORDER[k // 2] for k in range(streams)]
        self.saws = p.Osc(self.wave("saw"), freq=[261.6255653] * streams, phase=phases, mul=[0.0] * streams)
        self.bank = p.Mix(self.saws, voices=2)
        self.count = 7
        self._owned = [stream for obj in self.owned() for stream in streams_of(obj)]
        self.wake_owned(-1.0)
        return self.bank

    def owned(self) -> list[Any]:
        return [self.saws, self.bank]

    def wake_owned(self, seconds: float) -> None:
        """Run the first `count` saws per side (and the sum) for `seconds` (negative: stop all)."""
        running: set[int] = set()
        if seconds >= 0.0:
            running = {id(base) for base in self.saws._base_objs[: 2 * self.count]}
            running |= {id(base) for base in streams_of(self.bank)}
        for base in self._owned:
            if id(base) in running:
                base.play(0, 0)
                base.stop(seconds + Sleeper.MARGIN)
            else:
                base.stop(0)

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        depth = min(1.0, abs(float(params.get("detune", 50.0))) / 100.0)
        cents = 6.0 * float(params.get("spread", 0.5))
        count = min(self.BANK, int(round(float(params.get("unison", 7.0)))))
        self.count = count
        if count == self.BANK:
            ratios = [r for ratio in jp8000_ratios(depth) for r in (ratio * cents_ratio(-cents), ratio * cents_ratio(cents))]
            gains = [g * self.SAW_GAIN for gain in jp8000_gains(float(params.get("bal", 0.7))) for g in (gain, gain)]
        else:
            ratios, gains = unison_bank(count, 60.0 * depth, cents, self.BANK)
            gains = [g * self.BANK_LEVEL for g in gains]
        self.top_freq = freq * max(ratios)
        self.put_each(self.saws, "freq", [freq * ratio for ratio in ratios])
        self.put_each(self.saws, "mul", gains)
        self.put_table(self.saws, self.wave("saw"))


JP8000_OFFSETS: tuple[float, ...] = (0.0, -0.11002313, 0.10745242, -0.06288439, 0.06216538, -0.01952356, 0.01991221)
"""The JP-8000 supersaw's saw offsets at full detune (Szabo, 2010), centre saw first, then the
others from the outside in (so `unison` below 7 keeps the centre)."""
JP8000_ORDER: tuple[int, ...] = (3, 0, 6, 1, 5, 2, 4)
"""The place of each of those saws from the lowest to the highest (pyo's SuperSaw order)."""


def jp8000_ratios(depth: float) -> list[float]:
    """Frequency ratios of the 7 saws at `depth` 0 .. 1: offsets x depth**6, the curve of pyo's
    SuperSaw tables (subtle up to about 0.6, wide at 1).

    >>> jp8000_ratios(0.0)
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    curve = max(0.0, min(1.0, depth)) ** 6
    return [1.0 + offset * curve for offset in JP8000_OFFSETS]


def jp8000_gains(bal: float) -> list[float]:
    """Gains of the 7 saws (centre first) for `bal` 0 .. 1: the centre falls, the sides rise.

    >>> [round(g, 3) for g in jp8000_gains(0.0)]
    [0.998, 0.044, 0.044, 0.044, 0.044, 0.044, 0.044]
    """
    x = max(0.0, min(1.0, bal))
    centre = -0.55366 * x + 0.99785
    side = -0.73764 * x * x + 1.2841 * x + 0.044372
    return [centre] + [side] * 6


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
    DETUNE_SPREADS = True

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.ratios = p.Sig([1.0, 1.0])
        self.saws = p.Osc(self.wave("saw"), freq=pitch * self.ratios, mul=0.3)
        self.tri = p.Osc(self.waves.table("triangle", self.top_freq * 0.5), freq=pitch * 0.5, mul=0.3 * TRIANGLE_GAIN)
        return self.saws + self.tri

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        self.put(self.filter, "freq", self.cutoff_hz(float(params.get("cutoff", 1800.0))))
        self.put(self.filter, "q", q_of(float(params.get("resonance", 0.1))))

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        cents = float(params.get("detune", 10.0)) * (0.5 + float(params.get("spread", 0.5)))
        self.ratios.value = [cents_ratio(-cents / 2.0), cents_ratio(cents / 2.0)]
        self.put_table(self.saws, self.wave("saw"))
        self.put_table(self.tri, self.waves.table("triangle", self.top_freq * 0.5))


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
    DETUNE_SPREADS = True

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.vib = p.Sine(freq=5.2, mul=0.0087, add=1.0)
        self.ratios = p.Sig([1.0, 1.0])
        self.saws = p.Osc(self.wave("saw"), freq=pitch * self.vib * self.ratios, mul=0.5)
        return self.saws

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.vib.freq = float(params.get("vibrato", 5.2))
        self.vib.mul = 2.0 ** (float(params.get("vmod", 0.15)) / 12.0) - 1.0
        cents = float(params.get("detune", 8.0)) * (0.5 + float(params.get("spread", 0.5)))
        self.ratios.value = [cents_ratio(-cents / 2.0), cents_ratio(cents / 2.0)]
        self.put_table(self.saws, self.wave("saw"))


PADS: Mapping[str, type[Voice]] = {"supersaw": SuperSaw, "pad": Pad, "strings": Strings}
