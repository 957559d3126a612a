"""Per-note effects at the end of every voice, in Strudel's order where it matters:
`bandf` (band-pass) -> `vowel` (formants) -> `coarse`/`crush` (sample-rate and bit reduction)
-> `shape` (waveshaper) -> `distort` (arctan distortion) -> `hcutoff` (highpass) -> `postgain`.

Strudel applies these per note (`s("bd").shape(0.4)`, `s("hh*8").hpf(6000)`, `.crush(4)`). Each
stage is bypassed exactly when off (an `Interp` passes the dry signal, so samples keep their DC
and sub-bass every Hz) and its DSP objects are stopped, so an unused stage costs almost nothing.
`postgain` is the `mul` of the output: free. When every stage is off the six switches sleep too
and the voice's own signal goes straight to its end: every synthesized voice ends in a 5 Hz DC
blocker (`DC_BLOCK_HZ`). The voice's `Sleeper` must leave the stages' own objects alone: pass
`NoteFx.owned()` in its `exclude`.

>>> [row.name for row in NOTE_FX_ROWS]
['shape', 'hcutoff', 'hresonance', 'bandf', 'bandq', 'vowel', 'crush', 'coarse', 'distort', 'postgain', 'cut']
>>> round(Shaper.drive_of(1.0), 1), Shaper.drive_of(0.0)
(25.0, 1.0)
>>> vowel_index("o"), vowel_index(0.0), vowel_index("x")
(4, 0, 0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.fastset import Setter
from synths.instruments._dsp import q_of, resonance_gain
from synths.instruments._sleeper import Sleeper, streams_of
from synths.params import ParamSpec

__all__ = [
    "NOTE_FX_ROWS",
    "VOWELS",
    "Bypass",
    "vowel_index",
    "Highpass",
    "Shaper",
    "Bandpass",
    "Vowel",
    "Degrade",
    "Distort",
    "NoteFx",
    "DC_BLOCK_HZ",
    "DC_SETTLE",
]

NOTE_FX_ROWS = (
    ParamSpec("shape", 0.0, 0.0, 1.0, "", "waveshaping distortion amount (0 is off)"),
    ParamSpec("hcutoff", 10.0, 10.0, 20000.0, "Hz", "highpass cutoff (alias hpf); 10 Hz is off"),
    ParamSpec("hresonance", 0.0, 0.0, 1.0, "", "highpass resonance (alias hpq)"),
    ParamSpec("bandf", 0.0, 0.0, 20000.0, "Hz", "band-pass centre (alias bpf); 0 is off"),
    # bandq 0 is allowed (the control's range) and clamped to Q 0.1 on purpose: pyo needs Q > 0.
    ParamSpec("bandq", 1.0, 0.0, 50.0, "", "band-pass Q (alias bpq)"),
    ParamSpec("vowel", 0.0, 0.0, 5.0, "", "formant filter: a e i o u (patterns send letters); 0 is off"),
    ParamSpec("crush", 0.0, 0.0, 16.0, "bits", "bit crusher depth, 1 (harsh) .. 16; 0 is off"),
    ParamSpec("coarse", 0.0, 0.0, 64.0, "", "sample-rate reduction factor; 0 and 1 are off"),
    ParamSpec("distort", 0.0, 0.0, 10.0, "", "arctan distortion drive, level-matched (0 is off)"),
    ParamSpec("postgain", 1.0, 0.0, 4.0, "", "gain after all per-note effects"),
    # read by the engine's voice pools, not by a stage: it must reach them through the table
    ParamSpec("cut", 0.0, 0.0, 1024.0, "", "cut group: a new note stops the track's sounding ones (0: none)"),
)
"""The rows every instrument's table gets for its per-note effects (and the `cut` group)."""

VOWELS: Mapping[str, tuple[tuple[float, float, float], ...]] = {
    # (formant Hz, Q, gain) x 3: adult male averages (Peterson & Barney), Q ~ centre / bandwidth
    "a": ((730.0, 9.0, 1.0), (1090.0, 11.0, 0.5), (2440.0, 20.0, 0.25)),
    "e": ((530.0, 9.0, 1.0), (1840.0, 15.0, 0.5), (2480.0, 20.0, 0.3)),
    "i": ((270.0, 6.0, 1.0), (2290.0, 18.0, 0.5), (3010.0, 20.0, 0.35)),
    "o": ((570.0, 10.0, 1.0), (840.0, 10.0, 0.6), (2410.0, 20.0, 0.15)),
    "u": ((300.0, 7.0, 1.0), (870.0, 10.0, 0.35), (2240.0, 20.0, 0.1)),
}
"""The vowel formants: three (centre Hz, Q, gain) band-passes per vowel."""

_VOWEL_ORDER = tuple(VOWELS)
_VOWEL_WORDS = {"aah": "a", "eh": "e", "ee": "i", "oh": "o", "ooh": "u"}
"""The sung vowel words the `vowel` control also takes (the singing voice's "oohs and aahs")."""


def vowel_index(value: float | str) -> int:
    """1 .. 5 for a e i o u (a letter or its number), 0 (off) for anything else.

    >>> vowel_index("a"), vowel_index(5.0)
    (1, 5)
    """
    if isinstance(value, str):
        key = value.strip().lower()
        key = _VOWEL_WORDS.get(key, key)
        return _VOWEL_ORDER.index(key) + 1 if key in VOWELS else 0
    number = int(round(float(value)))
    return number if 1 <= number <= len(_VOWEL_ORDER) else 0


class Bypass:
    """A bypassable stage: `switch` selects dry or wet; the wet objects run only when on.

    Usage (not run as a doctest: it needs a running engine or device)::

        stage = Bypass(dry_signal, [wet_filter])
        stage.turn(True); stage.wake(0.5)
    """

    def __init__(self, source: Any, wet: list[Any], out: Any | None = None) -> None:
        self.on = False
        self.wet = wet
        self.switch = pyo().Interp(source, wet[-1] if out is None else out, interp=0.0)
        self.out = self.switch
        self._interp = Setter(self.switch, "interp")
        self._streams = [stream for obj in wet for stream in streams_of(obj)]
        for base in self._streams:
            base.stop(0)
        self._stopped = True

    def turn(self, on: bool) -> bool:
        """Choose wet (on) or dry (off) for the next note; returns `on` (an off stage's own
        parameters need not be set: its objects are stopped)."""
        self.on = on
        self._interp(1.0 if on else 0.0)
        return on

    def wake(self, seconds: float) -> None:
        """Run the wet objects for `seconds` (+ margin) when on, else stop them now (once)."""
        if self.on:
            for base in self._streams:
                base.play(0, 0)
                base.stop(max(seconds, 0.0) + Sleeper.MARGIN)
            self._stopped = False
        elif not self._stopped:
            for base in self._streams:
                base.stop(0)
            self._stopped = True


class Highpass(Bypass):
    """The note highpass: `hcutoff` (at or below 10 Hz: off) and `hresonance`.

    >>> Highpass.OFF
    10.0
    """

    OFF: ClassVar[float] = 10.0

    def __init__(self, source: Any, sr: float) -> None:
        self.sr = sr
        self.filter = pyo().Biquad(source, freq=self.OFF, q=0.707, type=1)
        super().__init__(source, [self.filter])
        self._freq, self._q, self._mul = (Setter(self.filter, name) for name in ("freq", "q", "mul"))

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `hcutoff` and `hresonance`."""
        cutoff = float(params.get("hcutoff", self.OFF))
        if not self.turn(cutoff > self.OFF):
            return
        self._freq(min(cutoff, 0.45 * self.sr))
        q = q_of(float(params.get("hresonance", 0.0)))
        self._q(q)
        self._mul(resonance_gain(q))


class Shaper(Bypass):
    """The note waveshaper: tanh with a drive rising with `shape`, level-matched at -6 dBFS.

    >>> Shaper.REFERENCE
    0.5
    """

    REFERENCE: ClassVar[float] = 0.5

    def __init__(self, source: Any) -> None:
        p = pyo()
        self.drive = p.Sig(1.0)
        self.driven = source * self.drive
        self.curve = p.Tanh(self.driven)
        super().__init__(source, [self.drive, self.driven, self.curve])
        self._drive, self._curve_mul = Setter(self.drive, "value"), Setter(self.curve, "mul")

    @staticmethod
    def drive_of(shape: float) -> float:
        """The input gain for a `shape` amount (1 at 0, 25 at 1)."""
        return 1.0 + 24.0 * shape * shape

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `shape`: 0 bypasses; more drives harder at the same reference level."""
        shape = float(params.get("shape", 0.0))
        if not self.turn(shape > 0.0):
            return
        drive = self.drive_of(shape)
        self._drive(drive)
        self._curve_mul(self.REFERENCE / math.tanh(self.REFERENCE * drive))


class Bandpass(Bypass):
    """The note band-pass: centre `bandf` (0: off), `bandq` (clamped to 0.1 .. 50).

    >>> Bandpass.MIN_Q
    0.1
    """

    MIN_Q: ClassVar[float] = 0.1

    def __init__(self, source: Any, sr: float) -> None:
        self.sr = sr
        self.filter = pyo().Biquad(source, freq=1000.0, q=1.0, type=2)
        super().__init__(source, [self.filter])
        self._freq, self._q = Setter(self.filter, "freq"), Setter(self.filter, "q")

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `bandf` and `bandq`."""
        centre = float(params.get("bandf", 0.0))
        if not self.turn(centre > 0.0):
            return
        self._freq(max(10.0, min(centre, 0.45 * self.sr)))
        self._q(max(self.MIN_Q, float(params.get("bandq", 1.0))))


class Vowel(Bypass):
    """The note formant filter: three parallel band-passes per vowel (`VOWELS`), level-restored.

    >>> Vowel.MAKEUP
    3.0
    """

    MAKEUP: ClassVar[float] = 3.0

    def __init__(self, source: Any) -> None:
        p = pyo()
        first = VOWELS["a"]
        self.bands = [p.Biquad(source, freq=f, q=q, type=2, mul=g * self.MAKEUP) for f, q, g in first]
        self.sum = p.Mix(self.bands, voices=len(source))
        super().__init__(source, [*self.bands, self.sum])

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `vowel` (a letter, or 1 .. 5; anything else is off)."""
        index = vowel_index(params.get("vowel", 0.0))
        if self.turn(index > 0):
            for band, (freq, q, gain) in zip(self.bands, VOWELS[_VOWEL_ORDER[index - 1]]):
                band.freq, band.q, band.mul = freq, q, gain * self.MAKEUP


class Degrade(Bypass):
    """`crush` (bits, 1 .. 16; 0 off) and `coarse` (keep every n-th sample; 0/1 off) in one pyo
    `Degrade`.

    >>> Degrade.FULL_BITS
    32.0
    """

    FULL_BITS: ClassVar[float] = 32.0

    def __init__(self, source: Any) -> None:
        self.degrade = pyo().Degrade(source, bitdepth=self.FULL_BITS, srscale=1.0)
        super().__init__(source, [self.degrade])
        self._bits, self._scale = Setter(self.degrade, "bitdepth"), Setter(self.degrade, "srscale")

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `crush` and `coarse`."""
        bits = float(params.get("crush", 0.0))
        factor = float(params.get("coarse", 0.0))
        if not self.turn(bits > 0.0 or factor > 1.0):
            return
        self._bits(max(1.0, bits) if bits > 0.0 else self.FULL_BITS)
        self._scale(1.0 / factor if factor > 1.0 else 1.0)


class Distort(Bypass):
    """The note distortion: pyo's arctan `Disto` with drive `distort / (distort + 1)`, level-matched
    at -6 dBFS (its peak grows with the drive).

    >>> Distort.drive_of(1.0), round(Distort.drive_of(10.0), 3)
    (0.5, 0.909)
    """

    def __init__(self, source: Any) -> None:
        self.disto = pyo().Disto(source, drive=0.0, slope=0.5)
        super().__init__(source, [self.disto])
        self._drive, self._mul = Setter(self.disto, "drive"), Setter(self.disto, "mul")

    @staticmethod
    def drive_of(amount: float) -> float:
        """Disto's drive (0 .. 1) for a `distort` amount (0 .. 10)."""
        return amount / (amount + 1.0)

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's `distort`: 0 bypasses."""
        amount = float(params.get("distort", 0.0))
        if not self.turn(amount > 0.0):
            return
        drive = self.drive_of(amount)
        self._drive(drive)
        self._mul(1.0 / (1.0 + drive))


DC_BLOCK_HZ = 5.0
"""Corner of the DC blocker at the end of every synthesized voice (a one-pole high-pass)."""
DC_SETTLE = 0.15
"""Seconds the DC blocker alone runs on after a voice's sound (about 5 time constants): what it
took away during the note comes back as a slow undershoot, and stopping it early would step."""


class NoteFx:
    """The per-note effects applied to a voice's output; see the module doc.

    With `dc_block` (every synthesized voice) the output is a `DC_BLOCK_HZ` one-pole high-pass:
    a kick's first half-cycle, a noise burst, a shaper or an FM body leave no DC in the stem (an
    analog voice's coupling capacitor). It reads the voice's own signal when every stage is off
    (most notes: the stage switches sleep too) and the end of the stages otherwise, re-routed per
    note while the voice is silent. The sampler plays files as they are (`dc_block=False`): one
    `Interp` chooses between its signal and the stages.

    Usage (not run as a doctest: it needs a running engine or device)::

        fx = NoteFx(voice_output, 48000.0)
        fx.set({"shape": 0.3, "hcutoff": 200.0, "vowel": "a"}); fx.wake(0.5)
    """

    def __init__(self, source: Any, sr: float, *, dc_block: bool = True) -> None:
        p = pyo()
        self.bandpass = Bandpass(source, sr)
        self.vowel = Vowel(self.bandpass.out)
        self.degrade = Degrade(self.vowel.out)
        self.shaper = Shaper(self.degrade.out)
        self.distort = Distort(self.shaper.out)
        self.highpass = Highpass(self.distort.out, sr)
        self.stages: tuple[Any, ...] = (
            self.bandpass, self.vowel, self.degrade, self.shaper, self.distort, self.highpass
        )
        self.any_on = False
        self.source = source
        self.select: Any = None
        self.blocker: Any = None
        if dc_block:
            self.blocker = self.out = p.Atone(source, freq=DC_BLOCK_HZ)
        else:
            self.select = self.out = p.Interp(source, self.highpass.out, interp=0.0)
        self._switches = [base for stage in self.stages for base in streams_of(stage.switch)]
        for base in self._switches:
            base.stop(0)
        self._blocker = streams_of(self.blocker) if self.blocker is not None else []
        for base in self._blocker:
            base.stop(0)
        self._switches_stopped = True
        self._select = Setter(self.select, "interp") if self.select is not None else None
        self._postgain = Setter(self.out, "mul")

    def owned(self) -> list[Any]:
        """The objects these stages start and stop themselves (for the Sleeper's `exclude`)."""
        blocker = [self.blocker] if self.blocker is not None else []
        return [obj for stage in self.stages for obj in (*stage.wet, stage.switch)] + blocker

    def set(self, params: Mapping[str, float | str]) -> None:
        """Take the note's per-note effect params (and `postgain`)."""
        for stage in self.stages:
            stage.set(params)
        was_on, self.any_on = self.any_on, any(stage.on for stage in self.stages)
        if self._select is not None:
            self._select(1.0 if self.any_on else 0.0)
        elif self.any_on != was_on:
            chosen = self.highpass.out if self.any_on else self.source
            # twice: the second call ends the fader's crossfade and lets go of the other input
            self.blocker.setInput(chosen, 0.0)
            self.blocker.setInput(chosen, 0.0)
        self._postgain(float(params.get("postgain", 1.0)))

    def wake(self, seconds: float) -> None:
        """Run the stages this note uses (and their switches) for `seconds`, and the DC blocker
        `DC_SETTLE` s longer; stop the others."""
        for stage in self.stages:
            stage.wake(seconds)
        for base in self._blocker:
            base.play(0, 0)
            base.stop(max(seconds, 0.0) + DC_SETTLE + Sleeper.MARGIN)
        if self.any_on:
            for base in self._switches:
                base.play(0, 0)
                base.stop(max(seconds, 0.0) + Sleeper.MARGIN)
            self._switches_stopped = False
        elif not self._switches_stopped:
            for base in self._switches:
                base.stop(0)
            self._switches_stopped = True
