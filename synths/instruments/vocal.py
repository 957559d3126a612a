"""The built-in singing voice: `voice`, `soprano`, `alto`, `tenor`, `basso` and `choir`.

A source-filter singer, synthesized (no recordings): a glottal source (pyo's `Blit`, a band-limited
impulse train: every harmonic equal up to 18 kHz, as FOF synthesis excites its formants) with a
little breath noise, through five parallel formant band-passes (pyo `Biquad` band-pass, 0 dB peak
gain) whose centre, bandwidth and level come from the voice type's table for the vowel sung. The
vowel is the `vowel` control (`a e i o u`, or `aah`, `ooh`, `oh`, `ee`, `eh`) or else the vowel of
the note's `lyric` syllable ("sa-rang-hae" sings a, a, e); a held syllable (`_`) keeps the vowel
before it. Between notes the formants glide (`ftime` s) from the previous vowel of the same track,
the pitch glides (`glide` s, portamento), and vibrato (`vibrato` Hz, `vmod` semitones) fades in
after `vdelay` seconds. A syllable that starts with a fricative (s, sh, ch, f, h, z, j) gets a short
noise burst. `voice` and `choir` choose the voice type from the note's register; `choir` sings four
detuned voices (`detune` cents apart at most, each with its own vibrato), two to each side.

The formant table is the "Formant Values" appendix of the Csound manual (soprano, alto, tenor and
bass; five formants each for a e i o u: centre Hz, level dB, bandwidth Hz).

>>> vowel_of("/sa-"), vowel_of("hae"), vowel_of("_"), vowel_of("sky"), vowel_of("ooh")
('a', 'e', '', 'i', 'u')
>>> voice_type_for(110.0), voice_type_for(200.0), voice_type_for(330.0), voice_type_for(660.0)
('bass', 'tenor', 'alto', 'soprano')
>>> [round(f) for f, _, _ in FORMANTS["tenor"]["a"][:2]]
[650, 1080]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import cents_ratio
from synths.instruments._sources import cheap_noise
from synths.instruments.tonal import TonalVoice, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = [
    "FORMANTS",
    "VOWEL_WORDS",
    "VOICE_TYPES",
    "Formant",
    "vowel_of",
    "voice_type_for",
    "VowelMemory",
    "SingingVoice",
    "Soprano",
    "Alto",
    "Tenor",
    "Basso",
    "Choir",
    "VOCALS",
]

Formant = tuple[float, float, float]
"""(centre Hz, level dB, bandwidth Hz)."""


def _table(rows: Mapping[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]]) -> dict[str, tuple[Formant, ...]]:
    return {vowel: tuple(zip(freqs, dbs, bws)) for vowel, (freqs, dbs, bws) in rows.items()}


FORMANTS: Mapping[str, Mapping[str, tuple[Formant, ...]]] = {
    # The Canonical Csound Reference Manual, Appendix "Formant Values": freq Hz, amp dB, bw Hz
    "soprano": _table({
        "a": ((800, 1150, 2900, 3900, 4950), (0, -6, -32, -20, -50), (80, 90, 120, 130, 140)),
        "e": ((350, 2000, 2800, 3600, 4950), (0, -20, -15, -40, -56), (60, 100, 120, 150, 200)),
        "i": ((270, 2140, 2950, 3900, 4950), (0, -12, -26, -26, -44), (60, 90, 100, 120, 120)),
        "o": ((450, 800, 2830, 3800, 4950), (0, -11, -22, -22, -50), (70, 80, 100, 130, 135)),
        "u": ((325, 700, 2700, 3800, 4950), (0, -16, -35, -40, -60), (50, 60, 170, 180, 200)),
    }),
    "alto": _table({
        "a": ((800, 1150, 2800, 3500, 4950), (0, -4, -20, -36, -60), (80, 90, 120, 130, 140)),
        "e": ((400, 1600, 2700, 3300, 4950), (0, -24, -30, -35, -60), (60, 80, 120, 150, 200)),
        "i": ((350, 1700, 2700, 3700, 4950), (0, -20, -30, -36, -60), (50, 100, 120, 150, 200)),
        "o": ((450, 800, 2830, 3500, 4950), (0, -9, -16, -28, -55), (70, 80, 100, 130, 135)),
        "u": ((325, 700, 2530, 3500, 4950), (0, -12, -30, -40, -64), (50, 60, 170, 180, 200)),
    }),
    "tenor": _table({
        "a": ((650, 1080, 2650, 2900, 3250), (0, -6, -7, -8, -22), (80, 90, 120, 130, 140)),
        "e": ((400, 1700, 2600, 3200, 3580), (0, -14, -12, -14, -20), (70, 80, 100, 120, 120)),
        "i": ((290, 1870, 2800, 3250, 3540), (0, -15, -18, -20, -30), (40, 90, 100, 120, 120)),
        "o": ((400, 800, 2600, 2800, 3000), (0, -10, -12, -12, -26), (40, 80, 100, 120, 120)),
        "u": ((350, 600, 2700, 2900, 3300), (0, -20, -17, -14, -26), (40, 60, 100, 120, 120)),
    }),
    "bass": _table({
        "a": ((600, 1040, 2250, 2450, 2750), (0, -7, -9, -9, -20), (60, 70, 110, 120, 130)),
        "e": ((400, 1620, 2400, 2800, 3100), (0, -12, -9, -12, -18), (40, 80, 100, 120, 120)),
        "i": ((250, 1750, 2600, 3050, 3340), (0, -30, -16, -22, -28), (60, 90, 100, 120, 120)),
        "o": ((400, 750, 2400, 2600, 2900), (0, -11, -21, -20, -40), (40, 80, 100, 120, 120)),
        "u": ((350, 600, 2400, 2675, 2950), (0, -20, -32, -28, -36), (40, 80, 100, 120, 120)),
    }),
}
"""Voice type -> vowel -> five formants (centre Hz, level dB, bandwidth Hz)."""

VOICE_TYPES: tuple[str, ...] = ("soprano", "alto", "tenor", "bass")
"""The voice types, high to low."""

VOWEL_WORDS: Mapping[str, str] = {
    "a": "a", "aa": "a", "ah": "a", "aah": "a",
    "e": "e", "eh": "e", "ae": "e", "ai": "e", "ay": "e", "ei": "e",
    "i": "i", "ee": "i", "ie": "i", "y": "i", "ey": "i",
    "o": "o", "oh": "o", "oa": "o", "ow": "o", "eo": "o", "aw": "o",
    "u": "u", "oo": "u", "ooh": "u", "ou": "u", "eu": "u", "ui": "u", "uh": "u", "wu": "u",
}
"""Vowel spellings (English and romanised Korean) -> the formant table's vowel."""

HARMONICS_TOP = 18000.0
"""The glottal pulse train keeps its harmonics below this (Hz), vibrato and detune included."""

_LETTERS = "aeiouy"
_FRICATIVES: Mapping[str, float] = {"sh": 3200.0, "ch": 3200.0, "s": 6500.0, "z": 6000.0, "j": 3000.0,
                                    "f": 5000.0, "h": 1800.0}


def vowel_of(syllable: str) -> str:
    """The vowel (`a e i o u`) a syllable or vowel word is sung on; "" for a hold (`_`) or none.

    >>> vowel_of("rang"), vowel_of("love"), vowel_of("neo"), vowel_of("Oh!")
    ('a', 'o', 'o', 'o')
    """
    word = syllable.strip().lstrip("/").rstrip("-").lower()
    if not word or word == "_":
        return ""
    if word in VOWEL_WORDS:
        return VOWEL_WORDS[word]
    start = next((i for i, ch in enumerate(word) if ch in _LETTERS and (ch != "y" or i > 0)), -1)
    if start < 0:
        return ""
    end = start
    while end < len(word) and word[end] in _LETTERS:
        end += 1
    group = word[start:end]
    while group and group not in VOWEL_WORDS:
        group = group[:-1]
    return VOWEL_WORDS.get(group, "a")


def fricative_of(syllable: str) -> float:
    """The noise band (Hz) of a syllable's leading fricative, 0.0 when it starts otherwise.

    >>> fricative_of("sa"), fricative_of("/shine"), fricative_of("la")
    (6500.0, 3200.0, 0.0)
    """
    word = syllable.strip().lstrip("/").lower()
    for head in ("sh", "ch"):
        if word.startswith(head):
            return _FRICATIVES[head]
    return _FRICATIVES.get(word[:1], 0.0) if word else 0.0


def voice_type_for(freq: float) -> str:
    """The voice type whose range `freq` sits in (bass up to 165 Hz, tenor to 262, alto to 440).

    >>> voice_type_for(165.0), voice_type_for(440.1)
    ('bass', 'soprano')
    """
    if freq <= 165.0:
        return "bass"
    if freq <= 262.0:
        return "tenor"
    if freq <= 440.0:
        return "alto"
    return "soprano"


class VowelMemory:
    """The last vowel each pool (track) sang, so formants glide from it and a hold keeps it.

    >>> memory = VowelMemory()
    >>> memory.swap("a"), memory.swap("i"), memory.swap("")
    (('a', 'a'), ('a', 'i'), ('i', 'i'))
    """

    def __init__(self) -> None:
        self.last = ""

    def swap(self, vowel: str) -> tuple[str, str]:
        """(previous vowel, vowel now sung) for a note on `vowel` ("" keeps the previous one)."""
        now = vowel or self.last or "a"
        before = self.last or now
        self.last = now
        return before, now


def _formant_values(voice_type: str, vowel: str) -> tuple[list[float], list[float], list[float]]:
    """(centres, Qs, linear levels) of the five formants of `vowel` for `voice_type`."""
    rows = FORMANTS[voice_type][vowel]
    return ([f for f, _, _ in rows], [f / bw for f, _, bw in rows], [10.0 ** (db / 20.0) for _, db, _ in rows])


_VOICE_ROWS = [
    # the `glide` control spans bass808's -24 .. 24 semitones; the voice reads seconds, 0 .. 4
    ParamSpec("glide", 0.04, -24.0, 24.0, "s", "portamento time from the previous note of the track (max 4)"),
    ParamSpec("vibrato", 5.5, 0.0, 12.0, "Hz", "vibrato rate"),
    ParamSpec("vmod", 0.25, 0.0, 1.0, "semitones", "vibrato depth (either side)"),
    ParamSpec("vdelay", 0.25, 0.0, 4.0, "s", "vibrato fades in after this long"),
    ParamSpec("breath", 0.12, 0.0, 1.0, "", "breath noise in the source"),
    ParamSpec("ftime", 0.07, 0.0, 1.0, "s", "formant transition time from the previous vowel"),
    # text: the engine passes a string value of a control in the table to the voice unchanged
    ParamSpec("lyric", 0.0, 0.0, 0.0, "", "the syllable sung (text, set by .lyrics()); its vowel is sung"),
]


class SingingVoice(TonalVoice):
    """One singer: glottal source + breath -> five formant band-passes -> envelope.

    `TYPE` is the formant table used ("" picks it from the note's register).

    >>> SingingVoice.PARAMS["vmod"].default, Soprano.TYPE
    (0.25, 'soprano')
    """

    NAME = "voice"
    TYPE: ClassVar[str] = ""
    SINGERS: ClassVar[int] = 1
    GLIDE: ClassVar[str | None] = "glide"
    PARAMS = tonal_table(NAME, attack=0.04, decay=0.2, sustain=0.9, release=0.15).extend(NAME, _VOICE_ROWS)
    LEVEL = 7.5
    DETUNE_SPREADS = True
    VIBRATO_RATES: ClassVar[tuple[float, ...]] = (1.0,)
    SPREAD: ClassVar[tuple[float, ...]] = (0.0,)

    def __init__(self, trig: Any, sr: float) -> None:
        self.vowels = VowelMemory()
        self.vowel = "a"
        self.fricative = 0.0
        super().__init__(trig, sr)

    @classmethod
    def link_pool(cls, voices: list[Voice]) -> None:
        """The pool's voices share one glide memory and one vowel memory (per track)."""
        super().link_pool(voices)
        memory = VowelMemory()
        for voice in voices:
            if isinstance(voice, SingingVoice):
                voice.vowels = memory

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        count = self.SINGERS
        sides = 2 if count > 1 else 1
        self.vib_env = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)])
        self.vib_depth = p.Sig(0.0145)
        self.vib_amount = self.vib_depth * self.vib_env
        self.vib_rates = [p.Sig(5.5) for _ in range(sides)]
        self.vibs = [p.Sine(freq=rate, mul=self.vib_amount, add=1.0) for rate in self.vib_rates]
        self.ratios = [p.Sig([1.0] * (count // sides)) for _ in range(sides)]
        self.freqs = [pitch * ratios * vib for ratios, vib in zip(self.ratios, self.vibs)]
        self.harms = p.Sig(40.0)
        self.oscs = [p.Blit(freq=freqs, harms=self.harms, mul=1.0 / count) for freqs in self.freqs]
        self.breath = p.Sig(0.1)
        self.noise = cheap_noise(mul=self.breath)
        self.sides = [p.Mix(osc, voices=1) for osc in self.oscs]
        self.sources = [side + self.noise for side in self.sides]
        self.morph = p.TrigLinseg(trig, [(0.0, 1.0), (0.001, 1.0)])
        self.f_from, self.f_to = p.Sig([500.0] * 5), p.Sig([500.0] * 5)
        self.g_from, self.g_to = p.Sig([0.0] * 5), p.Sig([0.0] * 5)
        self.centres = self.f_from + (self.f_to - self.f_from) * self.morph
        self.levels = self.g_from + (self.g_to - self.g_from) * self.morph
        self.q = p.Sig([8.0] * 5)
        self.banks = [p.Biquad(source, freq=self.centres, q=self.q, type=2, mul=self.levels) for source in self.sources]
        self.sums = [p.Mix(bank, voices=1) for bank in self.banks]
        self.fric_env = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)])
        self.fric_noise = cheap_noise(mul=self.fric_env)
        self.fric = p.Biquad(self.fric_noise, freq=6000.0, q=1.5, type=2)
        self.voiced = [s + self.fric for s in self.sums]
        return self.voiced[0] if len(self.voiced) == 1 else p.Mix(self.voiced, voices=2)

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        """The formant bank already shaped the sound: only the amplitude envelope here."""
        self.filter = p.Sig(source, mul=self.amp)
        return self.filter

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        """No lowpass stage (the formants are the filter)."""

    def filter_gain(self, params: Mapping[str, float | str]) -> float:
        return 1.0

    def glide_time(self, params: Mapping[str, float | str]) -> float:
        """`glide` seconds, clamped to 0 .. 4."""
        return min(4.0, max(0.0, float(params.get("glide", 0.04))))

    def arm_note(self, params: Mapping[str, float | str], dur: float) -> float:
        """Resolve the vowel (`vowel`, else the `lyric`) and keep the per-note `vowel` filter off."""
        chosen = params.get("vowel", 0.0)
        if not isinstance(chosen, str) and 1.0 <= float(chosen) <= 5.0:
            chosen = "aeiou"[int(round(float(chosen))) - 1]      # the per-note filter's numbers
        lyric = params.get("lyric", "")
        word = chosen if isinstance(chosen, str) and chosen else (lyric if isinstance(lyric, str) else "")
        self.vowel_from, self.vowel = self.vowels.swap(vowel_of(word))
        self.fricative = fricative_of(lyric) if isinstance(lyric, str) else 0.0
        return super().arm_note({**params, "vowel": 0.0}, dur)

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        kind = self.TYPE or voice_type_for(freq)
        f0, _, g0 = _formant_values(kind, self.vowel_from)
        f1, q1, g1 = _formant_values(kind, self.vowel)
        self.f_from.value, self.f_to.value = f0, f1
        self.g_from.value, self.g_to.value = g0, g1
        self.q.value = q1
        morph = float(params.get("ftime", 0.07))
        self.morph.setList([(0.0, 0.0), (max(morph, 0.001), 1.0)])
        rate = float(params.get("vibrato", 5.5))
        self.vib_depth.value = 2.0 ** (float(params.get("vmod", 0.25)) / 12.0) - 1.0
        onset = float(params.get("vdelay", 0.25))
        self.vib_env.setList([(0.0, 0.0), (onset, 0.0), (onset + 0.35, 1.0)])
        half = float(params.get("detune", 0.0)) / 2.0
        sides = len(self.oscs)
        for side, (rates, ratios) in enumerate(zip(self.vib_rates, self.ratios)):
            rates.value = rate * self.VIBRATO_RATES[side % len(self.VIBRATO_RATES)]
            ratios.value = [cents_ratio(half * s) for s in self.SPREAD[side::sides]]
        self.breath.value = float(params.get("breath", 0.12)) * 0.25
        self.harms.value = float(max(1, int(HARMONICS_TOP / (self.top_freq * cents_ratio(150.0)))))
        if self.fricative > 0.0:
            self.fric.freq = min(self.fricative, 0.45 * self.sr)
            self.fric_env.setList([(0.0, 0.0), (0.005, 0.25), (0.06, 0.0)])
        else:
            self.fric_env.setList([(0.0, 0.0), (0.001, 0.0)])


class Soprano(SingingVoice):
    """The singing voice with the soprano formants.

    >>> Soprano.NAME
    'soprano'
    """

    NAME = "soprano"
    TYPE = "soprano"
    PARAMS = SingingVoice.PARAMS.extend(NAME, [])


class Alto(SingingVoice):
    """The singing voice with the alto formants.

    >>> Alto.NAME
    'alto'
    """

    NAME = "alto"
    TYPE = "alto"
    PARAMS = SingingVoice.PARAMS.extend(NAME, [])


class Tenor(SingingVoice):
    """The singing voice with the tenor formants.

    >>> Tenor.NAME
    'tenor'
    """

    NAME = "tenor"
    TYPE = "tenor"
    PARAMS = SingingVoice.PARAMS.extend(NAME, [])


class Basso(SingingVoice):
    """The singing voice with the bass formants (`basso`: `bass` is the synth bass).

    >>> Basso.TYPE
    'bass'
    """

    NAME = "basso"
    TYPE = "bass"
    PARAMS = SingingVoice.PARAMS.extend(NAME, [])


class Choir(SingingVoice):
    """Four singers `detune` cents apart at most, each side with its own vibrato, two per side (stereo).

    >>> Choir.SINGERS, Choir.PARAMS["detune"].default
    (4, 16.0)
    """

    NAME = "choir"
    SINGERS = 4
    PARAMS = tonal_table(NAME, attack=0.25, decay=0.3, sustain=0.9, release=0.6, detune=16.0).extend(
        NAME, [*_VOICE_ROWS, ParamSpec("vdelay", 0.1, 0.0, 4.0, "s", "vibrato fades in after this long")]
    )
    LEVEL = 30.0
    VIBRATO_RATES = (0.93, 1.07)
    SPREAD = (-1.0, 0.0, 0.0, 1.0)


VOCALS: Mapping[str, type[Voice]] = {
    "voice": SingingVoice,
    "soprano": Soprano,
    "alto": Alto,
    "tenor": Tenor,
    "basso": Basso,
    "choir": Choir,
}
"""The singing voices by `s` name."""
