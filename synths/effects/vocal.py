"""The vocal chain: `tune` (pitch correction), `harmony`, `double`, `deess`, `vocalcomp`, `vocaleq`.

Pitch: pyo's `Yin` tracks the input's pitch (clamped to 60 .. 1200 Hz, so silence or noise can
never give an infinite or NaN shift); a lookup table snaps it to the nearest note of the scale
(or of `notes`, a 12-bit mask of pitch classes, bit 0 = C, for the notes of the current chord);
the correction in semitones is smoothed by the retune time (`speed` 1 = instant, the stepped
"hard" sound; 0 = 0.4 s, natural: vibrato and slides pass, only the note's centre moves); the
shift is done by the phase vocoder `PVAnal -> PVTranspose -> PVSynth` (pyo's `Harmonizer` gives
NaN in the float32 build). The scale is an option string: `scale="A minor"` (also `"a:minor"`,
`"F# dorian"`), read by `parse_scale`.

`harmony` sings one or two diatonic intervals (`interval=3` a third above, `-3` below, 5, 6 ...)
that follow the scale; `double` adds two detuned, delayed copies panned apart; `deess` is a
split-band de-esser (only its 5-9 kHz band is turned down, by a compressor's gain curve keyed on
that band); `vocalcomp` and `vocaleq` are a compressor and an EQ with vocal defaults.

>>> parse_scale("A minor")
(9, (0, 2, 3, 5, 7, 8, 10))
>>> parse_scale("c#:dorian")
(1, (0, 2, 3, 5, 7, 9, 10))
>>> nearest_in_scale(69.4, 0, (0, 2, 4, 5, 7, 9, 11)), nearest_in_scale(60.8, 0, (0, 2, 4, 5, 7, 9, 11))
(69, 60)
>>> scale_step(60, 0, (0, 2, 4, 5, 7, 9, 11), 3), scale_step(62, 0, (0, 2, 4, 5, 7, 9, 11), 3)
(64, 65)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from synths._pyo import PerServer, pyo
from synths.effects.base import Effect, EffectContext, with_mix
from synths.effects.dynamics import Compressor, min_lookahead_ms
from synths.errors import ParamError
from synths.params import ParamSpec, ParamTable

__all__ = [
    "SCALES",
    "parse_scale",
    "nearest_in_scale",
    "scale_step",
    "degree_steps",
    "PitchTracker",
    "SnapTables",
    "shifter_latency",
    "tune_latency",
    "Tune",
    "Harmony",
    "Double",
    "DeEss",
    "VocalComp",
    "VocalEQ",
    "VOCAL_EFFECTS",
]

SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11), "ionian": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10), "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10), "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11), "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10), "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
    "melodic minor": (0, 2, 3, 5, 7, 9, 11), "major pentatonic": (0, 2, 4, 7, 9),
    "minor pentatonic": (0, 3, 5, 7, 10), "blues": (0, 3, 5, 6, 7, 10),
    "chromatic": tuple(range(12)),
}
"""Scale name -> pitch classes above the root."""

_ROOTS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
LOW_HZ, HIGH_HZ = 60.0, 1200.0
"""The pitch range the tracker follows (a voice); outside it the tracked pitch is clamped."""
SNAP_STEPS = 8
"""Snapping table resolution: steps per semitone."""
MAX_RETUNE_S = 0.4
HUMANIZE_S = 0.3
"""Extra retune time `humanize` 1 gives a held note."""
ALIGN_WINDOWS = 1.25
"""The voice waits this many tracker windows before the shift, so each correction meets the
sound it was measured on."""
"""Retune time at `speed` 0 (natural)."""


def parse_scale(text: str) -> tuple[int, tuple[int, ...]]:
    """(root pitch class, scale pitch classes) of "A minor", "a:minor", "F#", "Bb dorian".

    >>> parse_scale("Bb"), parse_scale("e:minor pentatonic")[1], parse_scale("F#m")[0]
    ((10, (0, 2, 4, 5, 7, 9, 11)), (0, 3, 5, 7, 10), 6)
    >>> parse_scale("H minor")
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: scale: 'H minor' must be a root and a scale, e.g. 'A minor' or 'c:major'
    """
    words = str(text).replace(":", " ").replace("_", " ").split()
    bad = ParamError(f"scale: {text!r} must be a root and a scale, e.g. 'A minor' or 'c:major'")
    if not words or words[0][:1].lower() not in _ROOTS:
        raise bad
    head = words[0].lower()
    if len(words) == 1 and len(head) > 1 and head.endswith("m"):
        head, words = head[:-1], [head[:-1], "minor"]      # "Am", "F#m": the short minor form
    root = _ROOTS[head[0]] + sum(1 if ch in "#s" else -1 if ch == "b" else 99 for ch in head[1:])
    if root > 40:
        raise bad
    name = " ".join(words[1:]).lower() or "major"
    if name not in SCALES:
        raise ParamError(f"scale: unknown scale {name!r} in {text!r} (known: {', '.join(SCALES)})")
    return root % 12, SCALES[name]


def _classes(root: int, steps: tuple[int, ...], mask: int = 0) -> list[int]:
    if mask:
        return [pc for pc in range(12) if mask >> pc & 1]
    return sorted((root + step) % 12 for step in steps)


def nearest_in_scale(midi: float, root: int, steps: tuple[int, ...], mask: int = 0) -> int:
    """The scale note (MIDI) nearest `midi`; `mask` (12 bits, bit 0 = C) replaces the scale.

    >>> nearest_in_scale(61.0, 0, (0,), mask=0b10010001)      # C E G: c#4 goes to c4
    60
    """
    classes = _classes(root, steps, mask)
    candidates = [octave * 12 + pc for octave in range(-1, 12) for pc in classes]
    return min(candidates, key=lambda note: (abs(note - midi), note))


def scale_step(note: int, root: int, steps: tuple[int, ...], interval: int, mask: int = 0) -> int:
    """The note `interval` (a diatonic interval: 3 third, 5 fifth, -3 third below) from `note`
    in the scale; `note` itself is snapped first.

    >>> scale_step(67, 9, (0, 2, 3, 5, 7, 8, 10), 3), scale_step(60, 0, (0, 2, 4, 5, 7, 9, 11), -3)
    (71, 57)
    """
    classes = _classes(root, steps, mask)
    ladder = [octave * 12 + pc for octave in range(-2, 13) for pc in classes]
    here = ladder.index(nearest_in_scale(note, root, steps, mask))
    move = degree_steps(interval) * len(classes) // 7 if len(classes) != 7 else degree_steps(interval)
    return ladder[max(0, min(len(ladder) - 1, here + move))]


def degree_steps(interval: int) -> int:
    """Scale steps of a diatonic interval number (3 -> 2, -3 -> -2, 8 -> 7, 1 -> 0).

    >>> degree_steps(5), degree_steps(-6)
    (4, -5)
    """
    if interval == 0:
        return 0
    return (abs(interval) - 1) * (1 if interval > 0 else -1)


def _mono(source: Any) -> Any:
    return pyo().Mix(source, voices=1)


class SnapTables(PerServer):
    """The snapping tables (MIDI pitch x `SNAP_STEPS` -> target note) of one pyo server, built once
    per (scale, mask, interval) and kept with the server, as `WaveBank` keeps its wavetables.

    A table must outlive every reader of it: a `TableIndex` stream that outlived its table
    (an effect discarded while a reference to its streams remained) read freed memory and
    crashed pyo. Shared tables held here live as long as the server.

    >>> table = SnapTables.values(0, (0, 2, 4, 5, 7, 9, 11), 0, 0)
    >>> table[61 * SNAP_STEPS + 1], table[66 * SNAP_STEPS], table[60 * SNAP_STEPS + 1] == 60.0
    (62.0, 65.0, True)
    """


    def __init__(self) -> None:
        self._tables: dict[tuple[int, tuple[int, ...], int, int], Any] = {}

    @staticmethod
    def values(root: int, steps: tuple[int, ...], mask: int, interval: int) -> list[float]:
        """The table's contents: each pitch snapped to the scale (or `mask`), moved `interval`."""
        classes = np.array(_classes(root, steps, mask))
        ladder = np.sort((np.arange(-2, 13)[:, None] * 12 + classes[None, :]).ravel())
        pitch = np.arange(128 * SNAP_STEPS) / SNAP_STEPS
        # nearest rung, ties to the lower one (as `nearest_in_scale`)
        upper = np.clip(np.searchsorted(ladder, pitch, side="left"), 1, len(ladder) - 1)
        lower = upper - 1
        at = np.where(pitch - ladder[lower] <= ladder[upper] - pitch, lower, upper)
        move = degree_steps(interval) * len(classes) // 7 if len(classes) != 7 else degree_steps(interval)
        return [float(v) for v in ladder[np.clip(at + move, 0, len(ladder) - 1)]]

    def table(self, root: int, steps: tuple[int, ...], mask: int = 0, interval: int = 0) -> Any:
        """The shared table for this scale, mask and interval."""
        key = (root, steps, mask, interval)
        found = self._tables.get(key)
        if found is None:
            found = pyo().DataTable(128 * SNAP_STEPS, init=self.values(*key))
            self._tables[key] = found
        return found


class PitchTracker:
    """Yin on a mono signal -> clamped MIDI pitch -> a snapped target (through a shared table).

    `shift` is the correction (target - pitch) in semitones, clamped to +-14.
    """

    def __init__(self, mono: Any, sr: float, root: int, steps: tuple[int, ...], mask: int = 0,
                 interval: int = 0) -> None:
        p = pyo()
        self.sr = sr
        win = 1 << max(8, int(round(math.log2(0.0213 * sr))))
        self.yin = p.Yin(mono, tolerance=0.2, minfreq=LOW_HZ, maxfreq=HIGH_HZ, cutoff=1200.0, winsize=win)
        self.hz = p.Clip(self.yin, LOW_HZ, HIGH_HZ)
        self.steps_midi = p.FToM(self.hz)
        # Yin gives one estimate per window (of the window before); a ramp over one window joins
        # them, so the pitch curve is followed, one and a half windows late
        self.window = win
        self.midi = p.SigTo(self.steps_midi, time=win / sr, init=60.0)
        self.snap = SnapTables.of(mono).table(root, steps, mask, interval)
        self.index = p.Round(self.midi * SNAP_STEPS)
        self.target = p.TableIndex(self.snap, self.index)
        self.raw_shift = p.Clip(self.target - self.midi, -14.0, 14.0)
        self.interval = interval

    def use(self, root: int, steps: tuple[int, ...], mask: int) -> None:
        """Snap to another scale or set of notes from the next block (a shared table; nothing
        is created while running but the table of a mask not used before)."""
        self.snap = SnapTables.of(self.target).table(root, steps, mask, self.interval)
        self.target.setTable(self.snap)


def _shifter(mono: Any, ratio: Any, sr: float) -> tuple[Any, Any, Any]:
    p = pyo()
    size = 1 << max(8, int(round(math.log2(0.0213 * sr))))
    anal = p.PVAnal(mono, size=size, overlaps=4)
    trans = p.PVTranspose(anal, transpo=ratio)
    synth = p.PVSynth(trans)
    return anal, trans, synth


def tune_latency(sr: float) -> int:
    """Samples `tune` delays the voice: the alignment wait plus the phase vocoder's frame.

    >>> tune_latency(48000)
    2304
    """
    return int(round(ALIGN_WINDOWS * shifter_latency(sr))) + shifter_latency(sr)


def shifter_latency(sr: float) -> int:
    """Samples the phase-vocoder shift delays the voice (its FFT size, about 21 ms).

    >>> shifter_latency(48000)
    1024
    """
    return 1 << max(8, int(round(math.log2(0.0213 * sr))))


def _scale_option(scale: object) -> tuple[str, tuple[int, tuple[int, ...]]]:
    if not isinstance(scale, str):
        raise ParamError(f"scale must be a string such as 'A minor', not {scale!r}")
    return scale, parse_scale(scale)


class Tune(Effect):
    """Pitch correction to `scale` (or the `notes` mask): `speed` 1 hard .. 0 natural, `humanize`.

    Usage (needs a running engine or session, so it is not a doctest)::

        d1.fx("tune", scale="A minor", speed=1)          # the hard, stepped sound
    """

    KIND: ClassVar[str] = "tune"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("speed", 0.8, 0.0, 1.0, "", "retune speed: 1 hard (instant), 0 natural (0.4 s)"),
        ParamSpec("humanize", 0.0, 0.0, 1.0, "", "slower retune on held notes (keeps their life)"),
        ParamSpec("notes", 0.0, 0.0, 4095.0, "mask", "pitch classes to snap to (bit 0 = C; notemask()); 0: the scale"),
    ], 1.0)

    def __init__(self, input: Any, ctx: EffectContext, *, scale: str = "C major", **params: float) -> None:
        self.scale, (self.root, self.steps) = _scale_option(scale)
        super().__init__(input, ctx, **params)

    @property
    def options(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def _retune(self, target: Any) -> Any:
        """Retune time in seconds (a signal): (1 - speed)^2 x 0.4 s, plus with `humanize` up to
        `HUMANIZE_S` more on a note held past 0.15 s (a new target note restarts the count), so
        short notes snap and long ones keep their life."""
        p = pyo()
        slow = 1.0 - self.p("speed")
        self.new_note = p.Change(target)
        self.held = p.TrigLinseg(self.new_note, [(0.0, 0.0), (0.15, 0.0), (0.5, 1.0)])
        return slow * slow * MAX_RETUNE_S + self.p("humanize") * self.held * HUMANIZE_S + 0.0005

    def _changed(self, name: str, value: float) -> None:
        if name == "notes":
            self.tracker.use(self.root, self.steps, int(value))

    def _build(self, source: Any) -> Any:
        p = pyo()
        self.mono = _mono(source)
        self.tracker = PitchTracker(self.mono, self.ctx.sr, self.root, self.steps, int(self.values["notes"]))
        self.time = self._retune(self.tracker.target)
        self.shift = p.Port(self.tracker.raw_shift, risetime=self.time, falltime=self.time)
        self.ratio = p.Pow(2.0, self.shift / 12.0)
        self.late = p.Delay(self.mono, delay=ALIGN_WINDOWS * self.tracker.window / self.ctx.sr, maxdelay=0.2)
        self.anal, self.trans, self.synth = _shifter(self.late, self.ratio, self.ctx.sr)
        self.stereo = p.Mix(self.synth, voices=2)
        return self.stereo


class Harmony(Effect):
    """Diatonic harmonies following `scale`: `interval` (3 a third above, -3 below, 5, 6, ...) and an
    optional `interval2`, `level` of the harmonies, `spread` their panning; the lead stays dry.

    Usage (needs a running engine or session, so it is not a doctest)::

        d1.fx("harmony", scale="C major", interval=3, interval2=5)
    """

    KIND: ClassVar[str] = "harmony"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = ParamTable(KIND, [
        ParamSpec("interval", 3.0, -8.0, 8.0, "degree", "diatonic interval of the first harmony (0: none)"),
        ParamSpec("interval2", 0.0, -8.0, 8.0, "degree", "diatonic interval of the second harmony (0: none)"),
        ParamSpec("level", 0.7, 0.0, 2.0, "", "harmony level against the lead"),
        ParamSpec("spread", 0.6, 0.0, 1.0, "", "harmonies panned apart (0 centre)"),
        ParamSpec("notes", 0.0, 0.0, 4095.0, "mask", "pitch classes of the harmony (bit 0 = C; notemask()); 0: the scale"),
        ParamSpec("mix", 1.0, 0.0, 1.0, "", "dry/wet: 0 the lead only, 1 lead and harmonies"),
    ])
    STATIC: ClassVar[frozenset[str]] = frozenset({"interval", "interval2"})

    def __init__(self, input: Any, ctx: EffectContext, *, scale: str = "C major", **params: float) -> None:
        self.scale, (self.root, self.steps) = _scale_option(scale)
        super().__init__(input, ctx, **params)

    @property
    def options(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def _changed(self, name: str, value: float) -> None:
        if name == "notes":
            for tracker, _, _ in self.voices:
                tracker.use(self.root, self.steps, int(value))

    def _voice(self, interval: int) -> tuple[PitchTracker, Any, tuple[Any, Any, Any]]:
        p = pyo()
        tracker = PitchTracker(self.mono, self.ctx.sr, self.root, self.steps, int(self.values["notes"]), interval)
        ratio = p.Pow(2.0, p.Port(tracker.raw_shift, risetime=0.02, falltime=0.02) / 12.0)
        return tracker, ratio, _shifter(self.mono, ratio, self.ctx.sr)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self.mono = _mono(source)
        intervals = [int(round(self.values[name])) for name in ("interval", "interval2")]
        self.voices = [self._voice(i) for i in intervals if i not in (0, 1, -1)]
        self.delay = p.Delay(source, delay=shifter_latency(self.ctx.sr) / self.ctx.sr, maxdelay=0.1)
        side = self.p("spread") * 0.5
        pans = [0.5 - side, 0.5 + side]
        self.panned = [p.Pan(v[2][2], outs=2, pan=pan, mul=self.p("level")) for v, pan in zip(self.voices, pans)]
        if not self.panned:
            return self.delay
        # lead and harmonies together keep about the lead's power
        self.norm = 1.0 / p.Sqrt(1.0 + len(self.panned) * self.p("level") * self.p("level"))
        return (self.delay + p.Mix(self.panned, voices=2)) * self.norm


class Double(Effect):
    """Doubling: two copies `detune` cents apart, `delay` ms late, panned by `spread`, at `level`.

    Usage (needs a running engine or session, so it is not a doctest)::

        d1.fx("double", detune=9, delay=18, spread=0.9)
    """

    KIND: ClassVar[str] = "double"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("detune", 9.0, 0.0, 50.0, "cents", "each copy this far off (one sharp, one flat)"),
        ParamSpec("delay", 18.0, 5.0, 60.0, "ms", "delay of the copies"),
        ParamSpec("spread", 0.9, 0.0, 1.0, "", "copies panned apart (0 centre)"),
        ParamSpec("level", 0.5, 0.0, 1.0, "", "level of each copy against the lead"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self.mono = _mono(source)
        # a delay swept by a slow ramp is a steady transposition: d(t) = base - rate * t (wrapped)
        base = self.p("delay") * 0.001
        self.depth = p.Sig(0.008)
        cents = self.p("detune")
        # one copy up, one down: the phasor sweeps the delay over `depth` s at rate r = 1 - ratio
        self.up_rate = (1.0 - p.Pow(2.0, cents / 1200.0)) / self.depth
        self.down_rate = (1.0 - p.Pow(2.0, cents / -1200.0)) / self.depth
        self.copies = []
        for rate, pan in ((self.up_rate, 0.5), (self.down_rate, -0.5)):
            phase = p.Phasor(freq=rate, phase=[0.0, 0.5])
            half = p.Sin(phase * math.pi)
            window = half * half                # sin^2 windows of the two taps sum to 1
            taps = p.Delay(self.mono, delay=base + phase * self.depth, maxdelay=0.1, mul=window)
            mixed = p.Mix(taps, voices=1, mul=self.p("level"))
            where = 0.5 + pan * self.p("spread")
            self.copies.append((phase, half, window, taps, mixed, p.Pan(mixed, outs=2, pan=where)))
        # the copies add level: the sum is scaled back to about the lead's loudness
        self.norm = 1.0 / (1.0 + self.p("level"))
        return (source + p.Mix([c[5] for c in self.copies], voices=2)) * self.norm


class DeEss(Effect):
    """Split-band de-esser: the `lo` .. `hi` band (5-9 kHz) is turned down above `threshold` dB by
    up to `depth` dB; the rest passes untouched.

    Usage (needs a running engine or session, so it is not a doctest)::

        d1.fx("deess", threshold=-30)
    """

    KIND: ClassVar[str] = "deess"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("lo", 5000.0, 2000.0, 12000.0, "Hz", "bottom of the sibilance band"),
        ParamSpec("hi", 9000.0, 3000.0, 16000.0, "Hz", "top of the sibilance band"),
        ParamSpec("threshold", -32.0, -60.0, 0.0, "dB", "band level above which it is turned down"),
        ParamSpec("ratio", 8.0, 1.0, 100.0, "", "compression ratio of the band"),
        ParamSpec("depth", 18.0, 0.0, 40.0, "dB", "most the band is turned down"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self.high = p.ButHP(source, freq=self.p("lo"))
        self.band = p.ButLP(self.high, freq=self.p("hi"))
        self.key = p.Mix(self.band, voices=1)
        self.curve = p.Compress(self.key, thresh=self.p("threshold"), ratio=self.p("ratio"),
                                risetime=0.002, falltime=0.06, lookahead=min_lookahead_ms(self.ctx.sr),
                                knee=0.2, outputAmp=True)
        self.floor = p.DBToA(self.p("depth") * -1.0)
        self.gain = p.Max(self.curve, self.floor)
        return source - self.band * (1.0 - self.gain)


class VocalComp(Compressor):
    """The compressor with vocal defaults: -20 dB, 3:1, 5 ms attack, 120 ms release, +4 dB.

    >>> VocalComp.PARAMS["ratio"].default
    3.0
    """

    KIND: ClassVar[str] = "vocalcomp"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("threshold", -20.0, -60.0, 0.0, "dB", "level above which gain is reduced"),
        ParamSpec("ratio", 3.0, 1.0, 100.0, "", "input dB over threshold per output dB"),
        ParamSpec("attack", 0.005, 0.0001, 2.0, "s", "time to reduce gain"),
        ParamSpec("release", 0.12, 0.0001, 2.0, "s", "time to restore gain"),
        ParamSpec("knee", 0.5, 0.0, 1.0, "", "knee softness (0 hard)"),
        ParamSpec("makeup", 4.0, -24.0, 24.0, "dB", "gain after compression"),
    ], 1.0)


class VocalEQ(Effect):
    """Vocal EQ: a `hpf` high-pass (rumble, plosives), a `presence` peak at `pfreq`, an `air` shelf.

    Usage (needs a running engine or session, so it is not a doctest)::

        d1.fx("vocaleq", hpf=120, presence=3, air=2)
    """

    KIND: ClassVar[str] = "vocaleq"
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("hpf", 100.0, 20.0, 500.0, "Hz", "high-pass cutoff"),
        ParamSpec("presence", 3.0, -12.0, 12.0, "dB", "presence peak gain"),
        ParamSpec("pfreq", 4000.0, 1500.0, 8000.0, "Hz", "presence peak centre"),
        ParamSpec("air", 2.0, -12.0, 12.0, "dB", "high shelf gain above 10 kHz"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self.hp = p.ButHP(source, freq=self.p("hpf"))
        self.peak = p.EQ(self.hp, freq=self.p("pfreq"), q=1.0, boost=self.p("presence"), type=0)
        self.shelf = p.EQ(self.peak, freq=10000.0, q=0.7, boost=self.p("air"), type=2)
        return self.shelf


VOCAL_EFFECTS: tuple[type[Effect], ...] = (Tune, Harmony, Double, DeEss, VocalComp, VocalEQ)
"""The vocal chain's effect classes, for the registry."""
