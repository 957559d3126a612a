"""`TonalVoice`: the base of every pitched instrument (oscillators -> lowpass x AHDSR -> note fx).

A subclass builds its oscillators in `build(p, trig, pitch)` from `pitch`, a signal in Hz that
already includes portamento, and may replace the filter stage in `shape`. Per note the base sets
the pitch, the attack-hold-decay-sustain-release envelope (levels scaled by velocity * gain * the
class's `LEVEL`), the filter's cutoff and resonance, the note effects (`shape`, `hcutoff`), and the
portamento envelope when the class has a `GLIDE` parameter; then it calls the subclass's
`voice(params, dur, freq)` hook and wakes the voice's objects for the note's tail.

>>> TonalVoice.LEVEL
0.3
>>> glide_points(2.0, 0.1)
[(0.0, 2.0), (0.1, 1.0)]
>>> glide_points(2.0, 0.0)
[(0.0, 1.0), (0.001, 1.0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.instruments._dsp import (
    GlideMemory,
    ahdsr_points,
    freq_of,
    level_of,
    pitch_of,
    q_of,
    resonance_gain,
    scale_points,
    silent_points,
)
from synths.instruments._sleeper import Sleeper
from synths.instruments._notefx import DC_SETTLE, NOTE_FX_ROWS, NoteFx
from synths.instruments._sources import WaveBank
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.voice import Voice

__all__ = [
    "TonalVoice",
    "MoogVoice",
    "GLIDE_MEMORY",
    "share_glide",
    "MOOG_INPUT",
    "moog_drive",
    "SLIDE_ROW",
    "HOLD_ROW",
    "glide_points",
    "glide_row",
    "tonal_table",
]

MOOG_INPUT = 0.45
"""Peak level fed into pyo's `MoogLP`: its nonlinear model diverges (inf) with hotter inputs."""

MOOG_DRIVE_HZ = 700.0
"""Up to this pitch a note drives the Moog filter with `MOOG_INPUT`; above it, less (`moog_drive`)."""


def moog_drive(freq: float) -> float:
    """How hard a note up to `freq` Hz drives pyo's `MoogLP` (1 up to `MOOG_DRIVE_HZ`, then
    `MOOG_DRIVE_HZ / freq`); the voice makes the level up after the filter. The filter's cubic
    saturation makes third-order products of the harmonics: above about c6 they reach past
    28 kHz and fold back below 20 kHz (-58 dB at c7 with the cutoff open); a quieter input
    keeps them 6 dB lower per halving of the drive (keyboard scaling, as FM keyboards do with their index).

    >>> moog_drive(440.0), moog_drive(1400.0)
    (1.0, 0.5)
    """
    return min(1.0, MOOG_DRIVE_HZ / max(freq, 1.0))

GLIDE_MEMORY = GlideMemory()
"""The last pitch of each gliding instrument, for voices no pool has linked with `share_glide`."""


def share_glide(voices: Iterable[object]) -> GlideMemory:
    """Give `voices` (one pool's, i.e. one track's) their own glide memory, so a glide or slide
    starts from the previous note of the same pool and never from another track's; returns it.
    A voice pool calls this once with all its voices; voices without glide are skipped.

    >>> memory = share_glide([])
    >>> memory.ratio("lead", 440.0)
    1.0
    """
    memory = GlideMemory()
    for voice in voices:
        if isinstance(voice, TonalVoice):
            voice.glide = memory
    return memory


def glide_points(ratio: float, seconds: float) -> list[tuple[float, float]]:
    """Breakpoints of a pitch-ratio envelope gliding from `ratio` to 1 in `seconds` (0 = none).

    >>> glide_points(0.5, 0.05)
    [(0.0, 0.5), (0.05, 1.0)]
    """
    if seconds <= 0.0 or ratio == 1.0:
        return [(0.0, 1.0), (0.001, 1.0)]
    return [(0.0, ratio), (seconds, 1.0)]


def glide_row(name: str, default: float, doc: str) -> ParamSpec:
    """A portamento-time row (seconds, 0..4).

    >>> glide_row("glide", 0.0, "portamento").hi
    4.0
    """
    return ParamSpec(name, default, 0.0, 4.0, "s", doc)


HOLD_ROW = ParamSpec("hold", 0.0, 0.0, 20.0, "s", "time held at full level between attack and decay")
"""Strudel's `hold`: every pitched instrument's envelope is attack, hold, decay, sustain, release."""

SLIDE_ROW = ParamSpec("slide", 0.0, 0.0, 1.0, "", "1 glides into this note from the previous one (303 slide)")
"""Strudel's `slide` flag (0/1); the glide takes `slidetime` seconds."""


def tonal_table(name: str, **defaults: float) -> ParamTable:
    """The common voice table re-defaulted for instrument `name` (e.g. `attack=0.4`).

    >>> tonal_table("pad", attack=0.4)["attack"].default
    0.4
    """
    base = COMMON_VOICE_PARAMS.extend(name, [HOLD_ROW, *NOTE_FX_ROWS])
    rows = []
    for key, value in defaults.items():
        spec = base[key]
        rows.append(ParamSpec(spec.name, value, spec.lo, spec.hi, spec.unit, spec.doc))
    return base.extend(name, rows)


class TonalVoice(Voice):
    """Pitched voice skeleton: `base` Hz (x portamento) -> `build` -> lowpass -> ADSR amp.

    >>> TonalVoice.GLIDE is None
    True
    """

    LEVEL: ClassVar[float] = 0.3
    GLIDE: ClassVar[str | None] = None
    PARAMS: ClassVar[ParamTable] = COMMON_VOICE_PARAMS
    DETUNE_SPREADS: ClassVar[bool] = False
    """True where the voice reads `detune` itself, as the spread of its oscillators (reese,
    lead, the pads, the singers): then it does not move the note's pitch (`note_freq`)."""

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.glide = GLIDE_MEMORY
        self.base = p.Sig(261.6255653)
        self.top_freq = 261.6255653
        self.waves = WaveBank.of(self.base)
        self.bend: Any = None
        pitch: Any = self.base
        if self.GLIDE is not None:
            self.bend = p.TrigExpseg(trig, glide_points(1.0, 0.0), exp=2.0, inverse=True)
            pitch = self.base * self.bend
        self.amp = p.TrigLinseg(trig, silent_points())
        source = self.build(p, trig, pitch)
        self.fx = NoteFx(self.shape(p, trig, source), self.sr)
        self.out = self.fx.out
        self.sleeper = Sleeper(self, exclude=[trig, *self.fx.owned(), *self.owned()])
        self.sleeper.sleep()

    @classmethod
    def link_pool(cls, voices: list[Voice]) -> None:
        """Called by a voice pool with all its voices: they share one glide memory (per track)."""
        share_glide(voices)

    def owned(self) -> list[Any]:
        """Objects the subclass starts and stops itself in `wake_owned` (the Sleeper skips them)."""
        return []

    def wake_owned(self, seconds: float) -> None:
        """Run the subclass's own objects for this note's `seconds` (see `owned`)."""

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        """Create the oscillators from `pitch` (Hz signal) and return the source signal."""
        raise NotImplementedError(f"{type(self).__name__}.build is not implemented")

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        """Filter and amplify `source`; the default is a biquad lowpass whose gain is the ADSR."""
        self.filter = p.Biquad(source, freq=self.cutoff_hz(8000.0), q=0.707, type=0, mul=self.amp)
        return self.filter

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        """Per-note hook for the subclass's own parameters (values only, no new objects)."""

    def filter_gain(self, params: Mapping[str, float | str]) -> float:
        """Level offset for the filter's resonant peak (the default biquad lowpass)."""
        return resonance_gain(q_of(float(params.get("resonance", 0.1))))

    def glide_time(self, params: Mapping[str, float | str]) -> float:
        """Portamento time of this note in seconds (by default the `GLIDE` parameter)."""
        return float(params.get(self.GLIDE, 0.0)) if self.GLIDE is not None else 0.0

    def makeup(self, params: Mapping[str, float | str]) -> float:
        """Extra gain of this note on top of velocity * gain * LEVEL (accent, drive makeup)."""
        return 1.0

    def note_freq(self, params: Mapping[str, float | str]) -> float:
        """The note's frequency in Hz: `freq`, with the `detune` cents applied unless the voice
        spreads its oscillators by them (`DETUNE_SPREADS`)."""
        return freq_of(params) if self.DETUNE_SPREADS else pitch_of(params)

    def envelope(self, params: Mapping[str, float | str], dur: float) -> list[tuple[float, float]]:
        """The attack-hold-decay-sustain breakpoints (level 1 = full) released at `dur`."""
        return ahdsr_points(
            float(params.get("attack", 0.005)),
            float(params.get("hold", 0.0)),
            float(params.get("decay", 0.1)),
            float(params.get("sustain", 0.8)),
            float(params.get("release", 0.05)),
            dur,
        )

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        """Set the default lowpass from `cutoff` and `resonance`."""
        self.put(self.filter, "freq", self.cutoff_hz(float(params.get("cutoff", 8000.0))))
        self.put(self.filter, "q", q_of(float(params.get("resonance", 0.1))))

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Pitch, portamento, envelope, filter, then the subclass's `voice` hook; then run."""
        self.start_note(self.arm_note(params, dur))

    def arm_note(self, params: Mapping[str, float | str], dur: float) -> float:
        """Pitch, portamento, envelope, filter, then the subclass's `voice` hook (values only)."""
        freq = self.note_freq(params)
        self.put(self.base, "value", freq)
        self.top_freq = freq
        if self.GLIDE is not None:
            ratio = self.glide.ratio(self.NAME, freq)
            self.bend.setList(glide_points(ratio, self.glide_time(params)))
            self.top_freq = freq * max(1.0, ratio)
        level = self.LEVEL * level_of(params) * self.makeup(params) * self.filter_gain(params)
        self.amp.setList(scale_points(self.envelope(params, dur), level))
        self.set_filter(params, dur)
        self.fx.set(params)
        self.voice(params, dur, freq)
        return self.sound_tail(params, dur)

    def start_note(self, sound: float) -> None:
        """Run the voice, its note effects and the subclass's own objects for `sound` seconds."""
        self.sleeper.wake(sound)
        self.fx.wake(sound)
        self.wake_owned(sound)

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """Seconds until the voice is silent: its sound, then the DC blocker settling."""
        return self.sound_tail(params, dur) + DC_SETTLE

    def sound_tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """Seconds until the note's sound has died away; by default `dur + release`."""
        return super().tail(params, dur)

    def wave(self, shape: str) -> Any:
        """The band-limited `shape` table ("saw"/"square") for the current note's highest pitch."""
        return self.waves.table(shape, self.top_freq)

    def cutoff_hz(self, hz: float) -> float:
        """`hz` clamped below Nyquist (0.45 * sr), for the biquad filters."""
        return max(20.0, min(hz, 0.45 * self.sr))

    def moog_hz(self, hz: float) -> float:
        """`hz` clamped to 0.3 * sr: pyo's `MoogLP` blows up (inf) above about 0.38 * sr."""
        return max(20.0, min(hz, 0.3 * self.sr))


class MoogVoice(TonalVoice):
    """A voice whose `shape` is pyo's `MoogLP` (acid, reese, lead): the Moog model already loses
    level as resonance rises (no `filter_gain` offset), and a note drives it at `moog_drive` of
    `MOOG_INPUT` (`makeup` gives back the level the lighter drive of high notes took).

    >>> from synths.instruments.bass import Acid, Reese
    >>> from synths.instruments.leads import Lead
    >>> [issubclass(voice, MoogVoice) for voice in (Acid, Reese, Lead)]
    [True, True, True]
    """

    def filter_gain(self, params: Mapping[str, float | str]) -> float:
        """No offset: the Moog model's level already falls as resonance rises."""
        return 1.0

    def makeup(self, params: Mapping[str, float | str]) -> float:
        """The level the filter's lighter drive at high notes took (`moog_drive`)."""
        return 1.0 / moog_drive(self.top_freq)
