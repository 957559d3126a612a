"""The sound audit: what a producer measures on a stem, as numbers a test can hold.

Every measure here works on rendered audio (numpy arrays shaped (channels, frames), as
`render_notes` returns them):

- `alias_db`: what the render at `SR` has from 20 Hz to 20 kHz that a render of the same notes at
  `OVERSAMPLE` x `SR` lacks (aliasing: components folded back from above Nyquist), in dB
  relative to the render's strongest component. Both are Welch power spectra (Blackman-Harris,
  same segment length in seconds, so their bins fall on the same frequencies); a bin counts when
  the render has 10 dB more power there than the reference has anywhere within its window's main
  lobe (so a component both have, a little louder at one rate, is no aliasing), and its excess is
  reported.
- `dc_offset`: the largest |mean| of a channel over the whole render (tails included).
- `peak_dbfs`: the sample peak in dBFS.
- `pitch_cents`: the power-weighted centre (in cents) of the strongest peak within a semitone of
  the expected frequency and its neighbours within 40 cents, per channel (zero-padded Hann FFT),
  averaged over the channels: a detuned pair or a unison spread reads as its centre.
- `step_ratio`: the largest sample-to-sample step in a window (a note's first samples, or the
  moment it falls silent) over the largest step of the note's own signal just after (or before)
  it: well above 1, the window holds a click.
- `tail_drop_db`: the largest fall of level between two consecutive 5 ms frames while the sound
  dies away: a cut (a voice stopped mid-sound, an envelope that falls off a cliff) shows as a big
  drop, an exponential decay as a small steady one.

`audit_voice` renders one instrument at `SR` and at the oversampled rate and measures it.

>>> import numpy as np
>>> t = np.arange(48000) / 48000.0
>>> tone = np.sin(2 * np.pi * 440.0 * t)[None, :]
>>> abs(pitch_cents(tone, 48000, 440.0)) < 0.01, dc_offset(tone) < 1e-4, round(peak_dbfs(tone), 1)
(True, True, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, signal

from synths.instruments.preview import Note, render_notes
from synths.instruments.sampler import SamplerVoice
from synths.voice import Voice, note_to_freq

__all__ = [
    "LOW_NOTE",
    "HIGH_NOTES",
    "ALIAS_LIMITS",
    "PEAK_LIMIT_DBFS",
    "DC_LIMIT",
    "registry_voices",
    "range_variants",
    "dense_notes",
    "dense_render",
    "dense_peak",
    "dense_dc",
    "SR",
    "OVERSAMPLE",
    "ALIAS_BAND",
    "FLOOR_DB",
    "VoiceAudit",
    "power_spectrum",
    "alias_db",
    "dc_offset",
    "peak_dbfs",
    "pitch_cents",
    "step_ratio",
    "tail_drop_db",
    "audit_voice",
    "is_tonal",
    "rate_dependent",
    "ONSET",
]

SR = 48000
"""The rate every stem is audited at."""
OVERSAMPLE = 4
"""The reference render runs this many times faster (192 kHz)."""
ALIAS_BAND = 20000.0
"""Aliasing is what lands below this frequency (Hz)."""
LOW_BAND = 20.0
"""...and above this one: below it is DC and the slow shape of a note's start (which depends on
where a free-running oscillator's phase was when its voice woke), measured by `dc_offset`."""
FLOOR_DB = -200.0
"""What `alias_db` reports when nothing is found."""
SEGMENT = 4096 / 48000
"""Welch segment length in seconds (11.7 Hz bins)."""
LOBE = 4
"""Half the main lobe of the Blackman-Harris window, in bins."""
STRUNG = 0.1
"""Seconds after which a rate-dependent string holds only its partials (its burst is over)."""
CLICK_FLOOR_DB = -90.0
"""Steps below this level re the peak are inaudible: no click."""
PITCH_SPAN = 40.0
"""Cents either side of the strongest peak that `pitch_cents` averages over (unison spreads)."""
LACKING = 10.0
"""A bin is aliasing when the render has this many times (10 dB) the reference's power around it."""


def power_spectrum(audio: np.ndarray, sr: int) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies, power) of a mono signal: Welch, Blackman-Harris segments of `SEGMENT` s.

    A sine of amplitude A on a bin shows as A**2 / 2 (scaling "spectrum"), at any sample rate.

    >>> f, p = power_spectrum(np.sin(2 * np.pi * 1875.0 * np.arange(48000) / 48000), 48000)
    >>> float(f[np.argmax(p)]), round(float(p.max() * 2), 2)
    (1875.0, 1.0)
    """
    size = int(round(SEGMENT * sr))
    data = np.asarray(audio, dtype=np.float64)
    if data.size < size:
        data = np.pad(data, (0, size - data.size))
    freqs, power = signal.welch(data, fs=sr, window="blackmanharris", nperseg=size, noverlap=size * 3 // 4,
                                detrend=False, scaling="spectrum")
    return freqs, power


def alias_db(
    audio: np.ndarray, reference: np.ndarray, sr: int = SR, oversample: int = OVERSAMPLE,
    partials: float | None = None,
) -> float:
    """Aliasing of `audio` (rendered at `sr`) against `reference` (the same notes at
    `oversample` x `sr`), in dB relative to the strongest component; the worst channel.

    With `partials` (a fundamental in Hz), bins near its harmonics never count: for a linear
    instrument whose timbre follows the sample rate (a Karplus-Strong string rings brighter at
    192 kHz), only what lies between the partials can be aliasing.

    >>> t = np.arange(48000) / 48000.0
    >>> clean = np.sin(2 * np.pi * 1000.0 * t)[None, :]
    >>> folded = clean + 0.01 * np.sin(2 * np.pi * 7000.0 * t)[None, :]
    >>> reference = np.sin(2 * np.pi * 1000.0 * np.arange(192000) / 192000.0)[None, :]
    >>> round(alias_db(folded, reference))
    -40
    >>> alias_db(clean, reference) < -120
    True
    """
    worst = FLOOR_DB
    for channel, ref_channel in zip(_channels(audio), _channels(reference)):
        freqs, power = power_spectrum(channel, sr)
        _, ref_power = power_spectrum(ref_channel, sr * oversample)
        ref_power = ref_power[: power.size]
        top = float(power.max())
        if top <= 0.0:
            continue
        # a bin of the reference's main lobes (its own components, whatever their level
        # difference from filters that differ a little between sample rates) is not "lacking"
        near = ndimage.maximum_filter1d(ref_power, size=2 * LOBE + 1)
        band = (freqs >= LOW_BAND) & (freqs < ALIAS_BAND) & (power > LACKING * near)
        if partials is not None:
            band &= ~_near_partials(freqs, partials)
        if band.any():
            excess = float(np.max(power[band] - near[band]))
            worst = max(worst, 10.0 * math.log10(max(excess / top, 1e-20)))
    return worst


def _near_partials(freqs: np.ndarray, fundamental: float) -> np.ndarray:
    """True for bins within a main lobe (or 1 %) of a harmonic of `fundamental` (or of 0 Hz)."""
    nearest = np.round(freqs / fundamental) * fundamental
    width = np.maximum((LOBE + 1) * (freqs[1] - freqs[0]), 0.01 * nearest)
    return np.abs(freqs - nearest) <= width


def _channels(audio: np.ndarray) -> list[np.ndarray]:
    data = np.asarray(audio, dtype=np.float64)
    return [data] if data.ndim == 1 else [row for row in data]


def dc_offset(audio: np.ndarray) -> float:
    """The largest |mean| of any channel.

    >>> dc_offset(np.array([[0.5, 0.5], [0.0, -0.2]]))
    0.5
    """
    return float(max(abs(float(np.mean(channel))) for channel in _channels(audio)))


def peak_dbfs(audio: np.ndarray) -> float:
    """The sample peak in dBFS (-inf for silence).

    >>> round(peak_dbfs(np.array([0.5, -0.25])), 2)
    -6.02
    """
    peak = float(np.max(np.abs(audio))) if np.size(audio) else 0.0
    return 20.0 * math.log10(peak) if peak > 0.0 else -math.inf


def _centroid_cents(channel: np.ndarray, sr: int, expected: float) -> float:
    """The power-weighted mean of log-frequency, in cents from `expected`, over the strongest
    spectral peak within a semitone and the bins within `PITCH_SPAN` cents of it (zero-padded
    Hann FFT). A detuned pair or a unison spread reads as its centre, a single tone as itself."""
    size = 1 << int(math.ceil(math.log2(len(channel) * 8)))
    power = np.abs(np.fft.rfft(channel * np.hanning(len(channel)), size)) ** 2
    freqs = np.arange(power.size) * (sr / size)
    near = (freqs > expected / 1.06) & (freqs < expected * 1.06)
    if not near.any() or power[near].max() <= 0.0:
        return 0.0
    peak = float(freqs[near][np.argmax(power[near])])
    span = (freqs > peak * 2.0 ** (-PITCH_SPAN / 1200.0)) & (freqs < peak * 2.0 ** (PITCH_SPAN / 1200.0))
    span &= near
    cents = 1200.0 * np.log2(freqs[span] / expected)
    return float(np.sum(cents * power[span]) / np.sum(power[span]))


def pitch_cents(audio: np.ndarray, sr: int, expected: float) -> float:
    """How far the sound's pitch is from `expected` Hz, in cents (channels averaged).

    >>> t = np.arange(24000) / 48000.0
    >>> sharp = np.sin(2 * np.pi * 442.0 * t)[None, :]
    >>> round(pitch_cents(sharp, 48000, 440.0))
    8
    """
    cents = [_centroid_cents(channel, sr, expected) for channel in _channels(audio)]
    return float(np.mean(cents))


def step_ratio(audio: np.ndarray, window: tuple[int, int], body: tuple[int, int], floor: float = 0.0) -> float:
    """The largest |x[n] - x[n-1]| in `window` (frames, half-open) over the largest in `body`;
    steps smaller than `floor` count as `floor` (inaudible steps are no click).

    >>> ramp = np.concatenate([np.zeros(10), np.sin(np.arange(200) * 0.1)])
    >>> step_ratio(ramp[None, :], (0, 20), (20, 210)) < 1.0
    True
    >>> cut = np.concatenate([np.sin(np.arange(200) * 0.1) + 0.0, np.zeros(10)])
    >>> cut[199] = 0.9
    >>> step_ratio(cut[None, :], (195, 205), (0, 190)) > 1.0
    True
    """
    steps = np.abs(np.diff(np.asarray(audio, dtype=np.float64), axis=-1, prepend=0.0))
    steps = steps.max(axis=0) if steps.ndim > 1 else steps
    lo, hi = max(0, window[0]), min(steps.size, window[1])
    inside = max(float(steps[lo:hi].max()) if hi > lo else 0.0, floor)
    b_lo, b_hi = max(0, body[0]), min(steps.size, body[1])
    reference = max(float(steps[b_lo:b_hi].max()) if b_hi > b_lo else 0.0, floor)
    return inside / reference if reference > 0.0 else 1.0


def tail_drop_db(audio: np.ndarray, sr: int, start: float = 0.0, floor_db: float = -80.0) -> float:
    """The largest fall in dB between consecutive 5 ms frames after the peak (from `start`
    seconds), counted while the louder frame is above `floor_db` re the peak. A frame that
    falls to silence counts as falling to `floor_db - 40`.

    >>> t = np.arange(48000) / 48000.0
    >>> decaying = np.sin(2 * np.pi * 60.0 * t) * np.exp(-t / 0.05)
    >>> tail_drop_db(decaying, 48000) < 6.0
    True
    >>> cut = decaying * (t < 0.1)
    >>> tail_drop_db(cut, 48000) > 40.0
    True
    """
    data = np.asarray(audio, dtype=np.float64)
    mono = np.max(np.abs(data), axis=0) if data.ndim > 1 else np.abs(data)
    mono = mono[int(start * sr) :]
    frame = max(1, int(0.005 * sr))
    count = mono.size // frame
    if count < 2:
        return 0.0
    levels = mono[: count * frame].reshape(count, frame).max(axis=1)
    first = int(np.argmax(levels))
    top = float(levels[first])
    if top <= 0.0:
        return 0.0
    silent = 10.0 ** ((floor_db - 40.0) / 20.0) * top
    db = 20.0 * np.log10(np.maximum(levels[first:], silent) / top)
    drops = db[:-1] - db[1:]
    counted = db[:-1] > floor_db
    return float(drops[counted].max()) if counted.any() else 0.0


def is_tonal(voice: type[Voice]) -> bool:
    """True for pitched instruments (a `TonalVoice`): they are audited for aliasing and pitch.

    >>> from synths.instruments import resolve
    >>> is_tonal(resolve("epiano")), is_tonal(resolve("bd"))
    (True, False)
    """
    from synths.instruments.tonal import TonalVoice  # noqa: PLC0415 - tonal imports this package

    return issubclass(voice, TonalVoice)


def rate_dependent(voice: type[Voice]) -> bool:
    """True for a linear instrument whose timbre follows the sample rate (its class says
    `RATE_DEPENDENT = True`, with the reason): its aliasing is read between its partials.

    >>> from synths.instruments import resolve
    >>> rate_dependent(resolve("pluck")), rate_dependent(resolve("saw"))
    (True, False)
    """
    return bool(getattr(voice, "RATE_DEPENDENT", False))


@dataclass(frozen=True, slots=True)
class VoiceAudit:
    """The measures of one note of one instrument (see the module doc for each); `early` is the
    largest |sample| before the note's onset, re its peak (a voice must be silent until then).

    >>> VoiceAudit("sine", 96.0, -150.0, 1e-6, -6.0, 0.1, 0.2, 0.3, 0.0).worst_click
    0.3
    """

    name: str
    note: float
    alias_db: float
    dc: float
    peak_dbfs: float
    pitch_cents: float
    start_click: float
    end_click: float
    early: float

    @property
    def worst_click(self) -> float:
        """The larger of the start and end step ratios."""
        return max(self.start_click, self.end_click)


ALIAS_SECONDS = 0.5
"""How much of a note (from its onset) the aliasing measure reads at both rates."""
ONSET = 0.005
"""Where the audited note starts: inside the first block, as the engine places onsets (the voice
wakes at the block's start and must stay silent until its sample)."""


def audit_voice(
    voice: type[Voice],
    note: float,
    *,
    params: Mapping[str, float | str] | None = None,
    hold: float = 0.6,
    seconds: float | None = None,
) -> VoiceAudit:
    """Render one note of `voice` (held `hold` s from `ONSET`) at `SR`, and its first
    `ALIAS_SECONDS` at `OVERSAMPLE` x `SR`, and measure it.

    Pitch is read on the held part after the first 50 ms; clicks as `step_ratio`s: the onset's
    first two samples against the next 10 ms, and 5 ms either side of the last sample above
    -100 dB re the peak against the 25 ms before.

    >>> from synths.instruments import resolve

    Usage (not run as a doctest: it needs a running engine or device)::

        audit = audit_voice(resolve("sine"), 69.0)
        audit.alias_db < -100, abs(audit.pitch_cents) < 1
        # -> (True, True)
    """
    given = {"note": note, **(params or {})}
    length = seconds if seconds is not None else hold + 2.5
    notes = [Note(ONSET, given, hold)]
    rendered = render_notes(voice, notes, length, sr=SR)
    onset = int(round(ONSET * SR))
    audio = rendered[:, onset:]
    top = float(np.max(np.abs(audio)))
    early = float(np.max(np.abs(rendered[:, :onset]))) / top if top > 0.0 else 0.0
    alias = FLOOR_DB
    pitch = 0.0
    if is_tonal(voice):
        # aliasing is read on the note's first ALIAS_SECONDS (its strike: the brightest part)
        window = min(length, ALIAS_SECONDS + ONSET)
        reference = render_notes(voice, notes, window, sr=SR * OVERSAMPLE)[:, onset * OVERSAMPLE :]
        measured = audio[:, : reference.shape[1] // OVERSAMPLE]
        freq = float(given["freq"]) if "freq" in given else note_to_freq(note)
        if rate_dependent(voice):
            # between its partials such a string differs only while its excitation is still in
            # it (the comb's valleys depend on the loop's damping): read it once rung
            skip = int(STRUNG * SR)
            alias = alias_db(measured[:, skip:], reference[:, skip * OVERSAMPLE :], partials=freq)
        else:
            alias = alias_db(measured, reference)
        pitch = pitch_cents(audio[:, int(0.05 * SR) : int(hold * SR)], SR, freq)
    return VoiceAudit(voice.NAME, note, alias, dc_offset(audio), peak_dbfs(audio), pitch, *_clicks(audio), early)


def _clicks(audio: np.ndarray) -> tuple[float, float]:
    """(start, end) step ratios of a note rendered from frame 0: the onset's first two samples
    against the next 10 ms, and the 5 ms around its last audible sample (-100 dB) against the
    25 ms before; steps below -90 dB re the peak are no click."""
    mono = np.max(np.abs(audio), axis=0)
    top = float(mono.max())
    if top <= 0.0:
        return 0.0, 0.0
    floor = top * 10.0 ** (CLICK_FLOOR_DB / 20.0)
    start = step_ratio(audio, (0, 2), (2, int(0.01 * SR)), floor)
    audible = np.flatnonzero(mono > top * 1e-5)
    last = int(audible[-1]) if audible.size else 0
    edge = int(0.005 * SR)
    end = step_ratio(audio, (last - edge, last + edge), (last - 6 * edge, last - edge), floor)
    return start, end


def notes_for(voice: type[Voice], pitches: Sequence[float], hold: float, gap: float) -> list[Note]:
    """One note per pitch, `hold` s long, starting every `hold + gap` s (helper for audits).

    >>> [n.time for n in notes_for(Voice, [60.0, 72.0], 0.5, 0.5)]
    [0.0, 1.0]
    """
    return [Note(i * (hold + gap), {"note": pitch}, hold) for i, pitch in enumerate(pitches)]


LOW_NOTE = 57.0
"""a3: the audit's low note for pitched instruments."""
HIGH_NOTES = (96.0, 108.0)
"""c7 and c8: where aliasing shows first."""
ALIAS_LIMITS: Mapping[float, float] = {57.0: -70.0, 96.0: -70.0, 108.0: -60.0}
"""The most aliasing (dB re the strongest component) allowed at each audited note."""
PEAK_LIMIT_DBFS = -1.0
"""Every instrument at its default gain, any note, dense legato, stays at or below this."""
DC_LIMIT = 1e-3
"""The largest |mean| allowed on a stem."""
DENSE_PITCHES = (24.0, 36.0, 48.0, 60.0, 72.0, 84.0, 96.0, 108.0)
"""The notes of the dense-legato peak test (c1 .. c8)."""
DENSE_STEPS = (0.25, 0.5)
"""Note spacings of the dense tests, in seconds (8th and quarter notes of a 0.5 cps cycle)."""
RANGE_PARAMS = ("index", "detune", "cutoff", "ratio")
"""The documented ranges the aliasing limit holds across (at their ends and default)."""


def registry_voices() -> list[tuple[str, type[Voice], str | None]]:
    """(label, class, bank) of every distinct synthesized instrument the registry knows: the
    pitched ones by name, then each drum bank's drums as `bank:name` (sample kits are the user's
    audio and are not audited).

    >>> labels = [label for label, _, _ in registry_voices()]
    >>> "supersaw" in labels and "808:bd" in labels and "909:bd" in labels and "riser" in labels
    True
    >>> len(labels) == len(set(labels))
    True
    """
    from synths.instruments import DRUM_BANKS, INSTRUMENTS  # noqa: PLC0415 - the registry imports this package

    found: list[tuple[str, type[Voice], str | None]] = []
    seen: set[type[Voice]] = set()
    for name, cls in INSTRUMENTS.items():
        if is_tonal(cls) and cls not in seen and name == cls.NAME:
            seen.add(cls)
            found.append((name, cls, None))
    for bank, kit in DRUM_BANKS.items():
        for name, cls in sorted(kit.items()):
            if cls not in seen and cls.NAME.endswith(f"_{name}"):
                seen.add(cls)
                found.append((f"{bank}:{name}", cls, bank))
    for name, cls in INSTRUMENTS.items():  # unpitched synths (the transition sounds): audited as drums
        if cls not in seen and name == cls.NAME and not _is_sample_kit(cls):
            seen.add(cls)
            found.append((name, cls, None))
    return found


def _is_sample_kit(voice: type[Voice]) -> bool:
    """True for a loaded sample kit (the user's audio, not audited)."""
    return issubclass(voice, SamplerVoice)


def range_variants(voice: type[Voice]) -> list[dict[str, float]]:
    """The parameter settings the aliasing limit must hold at besides the defaults: each of
    `RANGE_PARAMS` the voice has, at the ends of its range and at its middle. `cutoff` only at
    its middle and top: a cutoff far below the note removes the note itself, and aliasing
    relative to what is left of it means nothing (a lower cutoff only lowers aliasing).

    >>> from synths.instruments import resolve
    >>> [v for v in range_variants(resolve("bell")) if "index" in v]
    [{'index': 0.0}, {'index': 10.0}, {'index': 20.0}]
    >>> [v for v in range_variants(resolve("saw")) if "cutoff" in v]
    [{'cutoff': 10010.0}, {'cutoff': 20000.0}]
    """
    variants: list[dict[str, float]] = []
    for name in RANGE_PARAMS:
        if name not in voice.PARAMS:
            continue
        spec = voice.PARAMS[name]
        values = (spec.lo, (spec.lo + spec.hi) / 2.0, spec.hi)
        for value in values[1:] if name == "cutoff" else values:
            variants.append({name: float(value)})
    return variants


def dense_notes(pitch: float | None, step: float, count: int = 8, varied: bool = False) -> list[Note]:
    """`count` notes `step` s apart, each held `step` s (legato 1); `pitch` None for drums,
    `varied` cycles drums through their `n` variations.

    >>> [(n.time, n.duration, n.params) for n in dense_notes(48.0, 0.25, 2)]
    [(0.0, 0.25, {'note': 48.0}), (0.25, 0.25, {'note': 48.0})]
    >>> [n.params for n in dense_notes(None, 0.5, 2, varied=True)]
    [{'n': 0}, {'n': 1}]
    """
    notes = []
    for index in range(count):
        params: dict[str, float | str] = {} if pitch is None else {"note": pitch}
        if varied:
            params["n"] = index
        notes.append(Note(index * step, params, step))
    return notes


def dense_render(voice: type[Voice], notes: Sequence[Note], tail: float = 3.0) -> np.ndarray:
    """`notes` on a pool of 16 voices, rendered until `tail` s after the last note ends."""
    end = max(note.time + note.duration for note in notes)
    return render_notes(voice, notes, end + tail, sr=SR, voices=16)


def dense_peak(voice: type[Voice], pitches: Sequence[float] | None = None) -> tuple[float, str]:
    """The loudest peak (dBFS) of `voice` at default gain over the dense-legato cases, and which.

    Pitched: 8 notes of each of `pitches` (default `DENSE_PITCHES`) at each `DENSE_STEPS`;
    drums: 8 hits at each step, plain and through their 8 variations.

    >>> from synths.instruments import resolve

    Usage (not run as a doctest: it needs a running engine or device)::

        peak, case = dense_peak(resolve("sine"), [60.0])
    """
    cases: list[tuple[str, list[Note]]] = []
    if is_tonal(voice):
        for pitch in pitches or DENSE_PITCHES:
            cases += [(f"note {pitch:g} every {step:g} s", dense_notes(pitch, step)) for step in DENSE_STEPS]
    else:
        for step in DENSE_STEPS:
            cases.append((f"every {step:g} s", dense_notes(None, step)))
            cases.append((f"n 0..7 every {step:g} s", dense_notes(None, step, varied=True)))
    worst = (-math.inf, "")
    for label, notes in cases:
        worst = max(worst, (peak_dbfs(dense_render(voice, notes)), label))
    return worst


def dense_dc(voice: type[Voice], pitch: float = LOW_NOTE) -> float:
    """|mean| of a dense loop of `voice` (8 notes every 0.25 s and its tail), the stem's DC.

    >>> from synths.instruments import resolve

    Usage (not run as a doctest: it needs a running engine or device)::

        dense_dc(resolve("sine")) < 1e-3
        # -> True
    """
    notes = dense_notes(pitch if is_tonal(voice) else None, DENSE_STEPS[0])
    return dc_offset(dense_render(voice, notes, tail=2.0))
