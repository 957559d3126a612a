"""Note maths shared by the instruments: envelope breakpoints, intervals, level, resonance, glide.

Pure helpers (no pyo objects): breakpoint lists for `TrigLinseg`/`TrigExpseg.setList`, interval
ratios, the note's level and pitch, drum variations, filter Q mapping and the glide memory. The
signal building blocks are in `_sources` (oscillators, noise) and `_sleeper` (idle voices).

>>> perc_points(0.001, 0.2, 0.5)
[(0.0, 0.0), (0.001, 0.5), (0.201, 0.0)]
>>> round(cents_ratio(1200), 6)
2.0
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "TAU",
    "GlideMemory",
    "perc_points",
    "ahdsr_points",
    "burst_points",
    "scale_points",
    "cents_ratio",
    "semis_ratio",
    "level_of",
    "freq_of",
    "pitch_of",
    "variation",
    "q_of",
    "resonance_gain",
    "silent_points",
    "SILENT_DB",
    "TAIL_DB",
    "ONSET_DB",
    "FADE",
    "decay_db_points",
    "perc_db_points",
    "burst_db_points",
    "decay_length",
]

TAU = 6.283185307179586


# n selects a drum variation: (tune offset in semitones, decay factor), cycling through this list.
_VARIATIONS: tuple[tuple[float, float], ...] = (
    (0.0, 1.0),
    (2.0, 0.8),
    (-2.0, 1.25),
    (4.0, 0.65),
    (-4.0, 1.5),
    (7.0, 0.55),
    (-5.0, 1.8),
    (1.0, 1.1),
)


def perc_points(attack: float, decay: float, peak: float) -> list[tuple[float, float]]:
    """Breakpoints of a percussive envelope: rise to `peak` in `attack`, fall to 0 over `decay`.

    >>> perc_points(0.0, 1.0, 1.0)
    [(0.0, 0.0), (0.0001, 1.0), (1.0001, 0.0)]
    """
    attack = max(attack, 0.0001)
    return [(0.0, 0.0), (attack, peak), (attack + max(decay, 0.0001), 0.0)]


def ahdsr_points(
    attack: float, hold: float, decay: float, sustain: float, release: float, dur: float
) -> list[tuple[float, float]]:
    """Breakpoints of attack, hold (at full level), decay, sustain, released at `dur`.

    Stages the note is too short for are cut at `dur`; the release starts from the level reached.

    >>> ahdsr_points(0.01, 0.1, 0.1, 0.5, 0.2, 1.0)
    [(0.0, 0.0), (0.01, 1.0), (0.11, 1.0), (0.21, 0.5), (1.0, 0.5), (1.2, 0.0)]
    >>> ahdsr_points(0.1, 0.0, 0.1, 0.5, 0.1, 0.05)
    [(0.0, 0.0), (0.05, 0.5), (0.15, 0.0)]
    """
    dur = max(dur, 0.0)
    stages = [(0.0, 0.0), (attack, 1.0), (attack + hold, 1.0), (attack + hold + decay, sustain)]
    points = [stages[0]]
    level = sustain
    for (t0, v0), (t1, v1) in zip(stages, stages[1:]):
        if t1 <= t0:
            points.append((t1, v1))  # a zero-length stage jumps
            continue
        if dur <= t1:
            level = v0 + (v1 - v0) * (dur - t0) / (t1 - t0)
            break
        points.append((round(t1, 12), v1))
    points.append((dur, level))
    points.append((round(dur + max(release, 0.0), 12), 0.0))
    return points


def burst_points(
    count: int, spacing: float, floor: float, tail: float, peak: float
) -> list[tuple[float, float]]:
    """Breakpoints of `count` rapid bursts `spacing` s apart, then a decaying tail (hand clap).

    >>> burst_points(2, 0.01, 0.2, 0.1, 1.0)
    [(0.0, 0.0), (0.0004, 1.0), (0.0096, 0.2), (0.01, 0.0), (0.0104, 0.92), (0.1104, 0.0)]
    """
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    rise = 0.0004
    for i in range(count):
        start = round(i * spacing, 9)
        if i:
            points.append((start, 0.0))
        level = peak * (1.0 - 0.08 * i)
        points.append((round(start + rise, 9), level))
        if i < count - 1:
            points.append((round(start + spacing - rise, 9), peak * floor))
    last = points[-1][0]
    points.append((round(last + max(tail, 0.001), 9), 0.0))
    return points


SILENT_DB = -150.0
"""Where a decay envelope ends (in dB re its peak): silence."""
TAIL_DB = -80.0
"""A decay falls exponentially down to here (inaudible under its hit), then fades to `SILENT_DB`
in `FADE` s."""
ONSET_DB = -40.0
"""Where an attack starts in dB re the peak (a jump of 1 % of nothing: inaudible)."""
FADE = 0.03
"""Seconds from `TAIL_DB` to `SILENT_DB` at the very end of a decay."""


def _tail(points: list[tuple[float, float]], db_per_s: float) -> list[tuple[float, float]]:
    """`points` continued from their last level at `db_per_s` down to `TAIL_DB`, then the fade."""
    start, level = points[-1]
    end = round(start + max(level - TAIL_DB, 0.0) / max(db_per_s, 1e-6), 9)
    return [*points, (end, TAIL_DB), (round(end + FADE, 9), SILENT_DB)]


def decay_db_points(attack: float, t60: float) -> list[tuple[float, float]]:
    """(time s, level dB re the peak) breakpoints of a resonator's ring: rise from `ONSET_DB` to
    0 dB in `attack`, then fall 60 dB every `t60` s (an exponential decay) to `TAIL_DB` and fade
    to silence in `FADE` s: it ends by decaying, never by a cut.

    >>> decay_db_points(0.001, 0.6)
    [(0.0, -40.0), (0.001, 0.0), (0.801, -80.0), (0.831, -150.0)]
    """
    attack = max(attack, 0.0001)
    return _tail([(0.0, ONSET_DB), (attack, 0.0)], 60.0 / max(t60, 0.001))


def perc_db_points(attack: float, decay: float, curve: float,
                   first: tuple[float, float] | None = None) -> list[tuple[float, float]]:
    """(time s, dB) breakpoints of a percussive hit shaped like (1 - t/decay)**curve down to
    -40 dB (the body of pyo's `TrigExpseg` curves, which every drum was voiced with), then
    falling on at the rate of its last 20 dB (an exponential tail) where that curve fell off a
    cliff to nothing at `decay`; `first` = (time, dB) is a first stage (two-stage decays).

    >>> perc_db_points(0.001, 1.0, 2.0)
    [(0.0, -40.0), (0.001, 0.0), (0.684772234, -20.0), (0.901, -40.0), (1.333455532, -80.0), (1.363455532, -150.0)]
    """
    attack = max(attack, 0.0001)
    points = [(0.0, ONSET_DB), (attack, 0.0)]
    if first is not None:
        points.append((max(first[0], attack + 0.0001), first[1]))
    start, level = points[-1]
    decay = max(decay, 0.001)
    at = [start + decay * (1.0 - 10.0 ** (db / (20.0 * curve))) for db in (-20.0, -40.0)]
    points += [(round(at[0], 9), level - 20.0), (round(at[1], 9), level - 40.0)]
    return _tail(points, 20.0 / max(at[1] - at[0], 1e-6))


def decay_length(points: list[tuple[float, float]]) -> float:
    """When a decay envelope's breakpoints have fallen silent (the last time).

    >>> decay_length(decay_db_points(0.001, 0.6))
    0.831
    """
    return points[-1][0]


def burst_db_points(count: int, spacing: float, floor_db: float, decay: float, curve: float = 2.0) -> list[tuple[float, float]]:
    """(time s, dB) breakpoints of `count` rapid bursts `spacing` s apart, each falling to
    `floor_db` before the next (0.7 dB quieter per burst), then the last burst's tail shaped as
    `perc_db_points` (hand clap).

    >>> burst_db_points(2, 0.01, -16.0, 0.1)[:5]
    [(0.0, -40.0), (0.0004, 0.0), (0.0096, -16.0), (0.01, -40.0), (0.0104, -0.7)]
    """
    rise = 0.0004
    points: list[tuple[float, float]] = []
    for i in range(count):
        start = round(i * spacing, 9)
        points.append((start, ONSET_DB))
        points.append((round(start + rise, 9), -0.7 * i if i else 0.0))
        if i < count - 1:
            points.append((round(start + spacing - rise, 9), floor_db))
    start, level = points[-1]
    decay = max(decay, 0.001)
    at = [start + decay * (1.0 - 10.0 ** (db / (20.0 * curve))) for db in (-20.0, -40.0)]
    points += [(round(at[0], 9), level - 20.0), (round(at[1], 9), level - 40.0)]
    return _tail(points, 20.0 / max(at[1] - at[0], 1e-6))


def scale_points(points: list[tuple[float, float]], factor: float) -> list[tuple[float, float]]:
    """The same breakpoints with every level multiplied by `factor`.

    >>> scale_points([(0.0, 0.0), (0.1, 1.0)], 0.5)
    [(0.0, 0.0), (0.1, 0.5)]
    """
    return [(time, level * factor) for time, level in points]


def silent_points() -> list[tuple[float, float]]:
    """A two-point envelope that stays at 0 (the state of a voice before its first note).

    >>> silent_points()
    [(0.0, 0.0), (0.001, 0.0)]
    """
    return [(0.0, 0.0), (0.001, 0.0)]


def cents_ratio(cents: float) -> float:
    """Frequency ratio of an interval in cents.

    >>> cents_ratio(0)
    1.0
    """
    return 2.0 ** (cents / 1200.0)


def semis_ratio(semitones: float) -> float:
    """Frequency ratio of an interval in semitones.

    >>> semis_ratio(12)
    2.0
    """
    return 2.0 ** (semitones / 12.0)


def level_of(params: Mapping[str, float | str]) -> float:
    """The linear level of a note: velocity times gain.

    >>> level_of({"velocity": 0.5, "gain": 2.0})
    1.0
    """
    return float(params.get("velocity", 1.0)) * float(params.get("gain", 1.0))


def freq_of(params: Mapping[str, float | str]) -> float:
    """The note's `freq` in Hz (middle C when it has none), without its `detune`.

    >>> freq_of({"freq": 440.0, "detune": 1200.0}), round(freq_of({}), 2)
    (440.0, 261.63)
    """
    return float(params.get("freq", 261.6255653))


def pitch_of(params: Mapping[str, float | str]) -> float:
    """The note's frequency in Hz including the fine `detune` in cents.

    >>> round(pitch_of({"freq": 440.0, "detune": 1200.0}), 6)
    880.0
    """
    return freq_of(params) * cents_ratio(float(params.get("detune", 0.0)))


def variation(n: float) -> tuple[float, float]:
    """(tune offset in semitones, decay factor) of drum variation `n` (cycles through 8).

    >>> variation(0), variation(8)
    ((0.0, 1.0), (0.0, 1.0))
    >>> variation(1)
    (2.0, 0.8)
    """
    return _VARIATIONS[int(n) % len(_VARIATIONS)]


def q_of(resonance: float, lo: float = 0.707, hi: float = 12.0) -> float:
    """Map a 0..1 resonance to a biquad Q between `lo` (flat) and `hi` (ringing).

    >>> q_of(0.0), q_of(1.0)
    (0.707, 12.0)
    """
    return lo * (hi / lo) ** max(0.0, min(1.0, resonance))


class GlideMemory:
    """Remembers the last frequency each instrument played, for portamento/slide between notes.

    >>> memory = GlideMemory()
    >>> memory.ratio("lead", 440.0)
    1.0
    >>> memory.ratio("lead", 220.0)
    2.0
    """

    def __init__(self) -> None:
        self._last: dict[str, float] = {}

    def ratio(self, key: str, freq: float) -> float:
        """Previous frequency / `freq` (1.0 the first time), clamped to 4 octaves; then remember."""
        previous = self._last.get(key, freq)
        self._last[key] = freq
        return max(1.0 / 16.0, min(16.0, previous / freq))

    def forget(self, key: str) -> None:
        """Drop the remembered pitch of `key` (the next note starts without a slide)."""
        self._last.pop(key, None)


def resonance_gain(q: float) -> float:
    """Gain that offsets most of a resonant lowpass's peak (about `q` at the cutoff): 1/sqrt(q/0.707).

    >>> resonance_gain(0.707), round(resonance_gain(12.0), 3)
    (1.0, 0.243)
    """
    return min(1.0, (0.707 / q) ** 0.5)
