"""From pattern to sampler the way the scheduler does it: `unit` "c" (loopAt) plays at
speed x file length x cps, `clip` (legato) cuts a sample at the held length."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from livecode.errors import TargetError
from livecode.targets import ENGINE_ONLY_KEYS, cycle_units, event_params, hold_seconds
from patterns import Pattern, s
from synths.events import NoteEvent, prepare_note
from synths.instruments import load_sample_folder, resolve, unload_sample_kit
from synths.instruments.preview import Note, render_notes

SR = 48000


@pytest.fixture(scope="module")
def one_second_kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lc_targets_samples")
    (root / "lctone").mkdir()
    tone = 0.5 * np.sin(2 * np.pi * 220.0 * np.arange(SR) / SR)
    wavfile.write(root / "lctone" / "tone.wav", SR, tone.astype(np.float32))
    load_sample_folder(root)
    yield "lctone"
    unload_sample_kit("lctone")


def _first_note(pattern: Pattern, cps: float) -> tuple[dict[str, Any], float]:
    """(voice params, held seconds) of the pattern's first onset, built as the scheduler does."""
    event = next(e for e in pattern.query_arc(Fraction(0), Fraction(4)) if e.has_onset())
    whole = event.whole
    assert whole is not None
    params = cycle_units(event_params(event.value), cps)
    hold = hold_seconds(params, float(whole.end - whole.begin) / cps)
    engine_params = {k: v for k, v in params.items() if k not in ENGINE_ONLY_KEYS}
    prepared = prepare_note(NoteEvent(0, "d1", engine_params, max(1, round(hold * SR))), resolve, SR)
    return prepared.params, prepared.dur


def _sounding_seconds(audio: np.ndarray) -> float:
    loud = np.nonzero(np.abs(audio[0]) > 0.01)[0]
    return (int(loud[-1]) + 1) / SR


def _freq(signal: np.ndarray) -> float:
    rising = np.nonzero((signal[:-1] < 0) & (signal[1:] >= 0))[0]
    return SR / float(np.mean(np.diff(rising)))


def test_loopat_2_at_half_a_cycle_per_second_stretches_one_second_to_four(one_second_kit: str) -> None:
    params, dur = _first_note(s(one_second_kit).loopAt(2), cps=0.5)
    assert params["unit"] == "c" and params["cps"] == 0.5
    audio = render_notes(resolve(one_second_kit), [Note(0.0, params, dur)], 5.0)
    assert _sounding_seconds(audio) == pytest.approx(4.0, abs=0.01)
    assert _freq(audio[0, SR : 3 * SR]) == pytest.approx(55.0, rel=0.01)  # rate 0.25


def test_the_rate_follows_the_tempo(one_second_kit: str) -> None:
    params, dur = _first_note(s(one_second_kit).loopAt(2), cps=1.0)
    audio = render_notes(resolve(one_second_kit), [Note(0.0, params, dur)], 3.0)
    assert _sounding_seconds(audio) == pytest.approx(2.0, abs=0.01)


def test_clip_cuts_a_sample_at_the_held_length_and_without_it_the_sample_plays_out(
    one_second_kit: str,
) -> None:
    clipped, dur = _first_note(s(f"{one_second_kit} ~").clip(0.5), cps=1.0)   # event 0.5 s, held 0.25 s
    assert dur == pytest.approx(0.25)
    cut = render_notes(resolve(one_second_kit), [Note(0.0, clipped, dur)], 1.5)
    assert _sounding_seconds(cut) == pytest.approx(0.25, abs=0.006)
    whole, dur = _first_note(s(f"{one_second_kit} ~"), cps=1.0)
    full = render_notes(resolve(one_second_kit), [Note(0.0, whole, dur)], 1.5)
    assert _sounding_seconds(full) == pytest.approx(1.0, abs=0.006)
    last_ms = np.abs(cut[0, int(0.249 * SR) : int(0.25 * SR)])     # 5 ms fade: under 1/5 level
    assert last_ms.max() < 0.11 and np.all(np.abs(cut[0, int(0.2505 * SR) :]) < 1e-4)


def test_cycle_units_only_touches_cycle_notes_and_checks_the_tempo() -> None:
    assert cycle_units({"s": "x", "unit": "r"}, 0.5) == {"s": "x", "unit": "r"}
    with pytest.raises(TargetError, match="^cycle_units: cps"):
        cycle_units({"s": "x", "unit": "c"}, 0.0)


def test_legato_reaches_the_engine() -> None:
    assert "legato" not in ENGINE_ONLY_KEYS
