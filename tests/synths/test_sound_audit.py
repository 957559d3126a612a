"""The sound audit (issue 15): every instrument and effect the registry knows, measured the way a
producer hears a stem. A new instrument or effect is audited the day it is added.

Pitched instruments, at a3 and at c7/c8: aliasing against a render at 4 x 48 kHz (<= -70 dB at a3
and c7, <= -60 dB at c8, re the strongest component), DC, pitch within 5 cents, silence before
the onset, no step at the start or the end larger than the note's own signal. Drums: the same
but pitch and aliasing (noise is not a pitch), and a tail that decays instead of being cut.
Every instrument at default gain, dense legato over its range: <= -1 dBFS. Every effect on a
drum loop (the same band-limited loop at both rates): aliasing, DC, peak.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from synths.effects import EFFECTS
from synths.effects.audit import audit_effect
from synths.instruments import DRUM_BANKS, INSTRUMENTS, resolve
from synths.instruments.audit import (
    ALIAS_LIMITS,
    DC_LIMIT,
    DENSE_PITCHES,
    PEAK_LIMIT_DBFS,
    SR,
    audit_voice,
    dc_offset,
    dense_notes,
    dense_render,
    is_tonal,
    peak_dbfs,
    rate_dependent,
    registry_voices,
    tail_drop_db,
)
from synths.instruments.preview import Note, render_notes
from synths.instruments.sampler import SamplerVoice
from synths.voice import Voice

VOICES = registry_voices()
PITCHED = [(label, cls) for label, cls, _ in VOICES if is_tonal(cls)]
DRUMS = [(label, cls) for label, cls, _ in VOICES if not is_tonal(cls)]
CLICK_LIMIT = 1.0
"""No step at a note's start or end larger than the note's own signal (step ratio)."""
TAIL_DROP_LIMIT = 25.0
"""dB per 5 ms: a decay, however fast, falls less; a cut falls 40 dB or more (to nothing)."""


def test_the_audit_covers_every_instrument_the_registry_knows() -> None:
    audited = {cls for _, cls, _ in VOICES}
    known = {cls for cls in INSTRUMENTS.values() if not issubclass(cls, SamplerVoice)}
    known |= {cls for kit in DRUM_BANKS.values() for cls in kit.values()}
    assert known <= audited, sorted(cls.NAME for cls in known - audited)
    assert len(PITCHED) >= 16 and len(DRUMS) >= 26


def test_only_the_karplus_strong_string_reads_its_aliasing_between_partials() -> None:
    """A class may say its timbre follows the sample rate (the audit then reads aliasing between
    its partials); only the pluck does, and with a reason."""
    flagged = sorted(cls.NAME for _, cls, _ in VOICES if rate_dependent(cls))
    assert flagged == ["pluck"]


def _check_note(label: str, cls: type[Voice], note: float) -> None:
    audit = audit_voice(cls, note)
    where = f"{label} at note {note:g}"
    assert audit.alias_db <= ALIAS_LIMITS[note], f"{where}: aliasing {audit.alias_db:.1f} dB"
    assert audit.dc < DC_LIMIT, f"{where}: DC {audit.dc:.1e}"
    assert audit.peak_dbfs <= PEAK_LIMIT_DBFS, f"{where}: peak {audit.peak_dbfs:.1f} dBFS"
    assert abs(audit.pitch_cents) <= 5.0, f"{where}: {audit.pitch_cents:+.1f} cents"
    assert audit.early <= 1e-6, f"{where}: sound before the onset ({audit.early:.1e} of the peak)"
    assert audit.start_click <= CLICK_LIMIT, f"{where}: a step at the start ({audit.start_click:.2f})"
    assert audit.end_click <= CLICK_LIMIT, f"{where}: a step at the end ({audit.end_click:.2f})"


@pytest.mark.parametrize(("label", "cls"), PITCHED, ids=[label for label, _ in PITCHED])
def test_pitched_instruments_low(label: str, cls: type[Voice]) -> None:
    _check_note(label, cls, 57.0)


@pytest.mark.parametrize(("label", "cls"), PITCHED, ids=[label for label, _ in PITCHED])
@pytest.mark.parametrize("note", [96.0, 108.0], ids=["c7", "c8"])
def test_pitched_instruments_high(label: str, cls: type[Voice], note: float) -> None:
    _check_note(label, cls, note)


@pytest.mark.parametrize(("label", "cls"), DRUMS, ids=[label for label, _ in DRUMS])
def test_drums(label: str, cls: type[Voice]) -> None:
    audit = audit_voice(cls, 60.0, seconds=4.0)
    assert audit.dc < DC_LIMIT, f"{label}: DC {audit.dc:.1e}"
    assert audit.peak_dbfs <= PEAK_LIMIT_DBFS, f"{label}: peak {audit.peak_dbfs:.1f} dBFS"
    assert audit.early <= 1e-6, f"{label}: sound before the onset"
    assert audit.start_click <= CLICK_LIMIT and audit.end_click <= CLICK_LIMIT, f"{label}: {audit}"
    hit = render_notes(cls, [Note(0.0, {}, 0.1)], 4.0)
    assert tail_drop_db(hit, SR) <= TAIL_DROP_LIMIT, f"{label}: its tail is cut, not decayed"


@pytest.mark.parametrize(("label", "cls"), PITCHED, ids=[label for label, _ in PITCHED])
def test_pitched_dense_legato_at_default_gain_stays_under_minus_1_dbfs(label: str, cls: type[Voice]) -> None:
    """4 notes every 0.25 s held to the next (legato 1), on each c from c1 to c8, in one render."""
    notes = [Note(i * 0.25 + row * 1.5, {"note": pitch}, 0.25)
             for row, pitch in enumerate(DENSE_PITCHES) for i in range(4)]
    audio = dense_render(cls, notes)
    assert peak_dbfs(audio) <= PEAK_LIMIT_DBFS, f"{label}: {peak_dbfs(audio):+.1f} dBFS"
    assert dc_offset(audio) < DC_LIMIT


@pytest.mark.parametrize(("label", "cls"), DRUMS, ids=[label for label, _ in DRUMS])
def test_drum_loops_at_default_gain_stay_under_minus_1_dbfs(label: str, cls: type[Voice]) -> None:
    """8 hits every 0.25 s, through the 8 variations (decay x 0.55 .. 1.8, tune -5 .. +7)."""
    audio = dense_render(cls, dense_notes(None, 0.25, varied=True))
    assert peak_dbfs(audio) <= PEAK_LIMIT_DBFS, f"{label}: {peak_dbfs(audio):+.1f} dBFS"
    assert dc_offset(audio) < DC_LIMIT


def _bd(params: dict[str, float], seconds: float = 2.0) -> np.ndarray:
    return render_notes(resolve("bd", "808"), [Note(0.0, {"click": 0.0, **params}, 0.1)], seconds)[0]


def _level_db(audio: np.ndarray, start: float, stop: float) -> float:
    window = audio[int(start * SR) : int(stop * SR)]
    return 20.0 * math.log10(float(np.sqrt(np.mean(window.astype(np.float64) ** 2))) + 1e-30)


def test_the_808_kick_rings_down_exponentially_as_its_decay_says() -> None:
    """A bridged-T resonator: the level falls at a steady rate in dB (60 dB per `decay` s) until
    it is inaudible, with no cut; a longer decay rings longer."""
    for decay in (0.5, 0.9, 1.5):
        audio = _bd({"decay": decay}, 3.0)
        levels = [_level_db(audio, t, t + 0.05) for t in (0.1, 0.1 + decay / 3, 0.1 + 2 * decay / 3)]
        slopes = [(a - b) / (decay / 3) for a, b in zip(levels, levels[1:])]
        for slope in slopes:
            assert slope == pytest.approx(60.0 / decay, rel=0.15), (decay, levels)
    assert tail_drop_db(_bd({}), SR) <= TAIL_DROP_LIMIT


def test_the_808_kick_tune_and_tone_do_what_they_say() -> None:
    def pitch(audio: np.ndarray) -> float:
        body = audio[int(0.15 * SR) : int(0.45 * SR)]
        crossings = np.nonzero(np.diff(np.signbit(body)))[0]
        return SR / float(np.mean(np.diff(crossings[::2])))

    assert 45.0 <= pitch(_bd({})) <= 60.0
    assert pitch(_bd({"tune": 12.0})) == pytest.approx(2.0 * pitch(_bd({})), rel=0.03)

    def bright(tone: float) -> float:
        """Energy above 1 kHz around the hit (a Hann window centred on its click)."""
        audio = render_notes(resolve("bd"), [Note(0.05, {"tone": tone}, 0.1)], 0.1)[0].astype(np.float64)
        spectrum = np.abs(np.fft.rfft(audio * np.hanning(audio.size))) ** 2
        return float(np.sum(spectrum[np.fft.rfftfreq(audio.size, 1.0 / SR) > 1000.0]))

    assert bright(1.0) > 10.0 * bright(0.45) > 100.0 * bright(0.0)


@pytest.mark.parametrize("kind", sorted(EFFECTS))
def test_effects_on_a_drum_loop(kind: str) -> None:
    audit = audit_effect(kind)
    assert audit.alias_db <= -60.0, f"{kind}: aliasing {audit.alias_db:.1f} dB"
    assert audit.dc < DC_LIMIT, f"{kind}: DC {audit.dc:.1e}"
    assert math.isfinite(audit.peak_dbfs) and audit.peak_dbfs <= PEAK_LIMIT_DBFS, f"{kind}: {audit}"
