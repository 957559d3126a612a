"""Random parameter sets (seeded) across every instrument's whole ranges: finite, bounded audio."""

from __future__ import annotations

import random

import numpy as np
import pytest

from synths.instruments import DRUM_BANKS, resolve
from synths.instruments.preview import Note, render_notes
from synths.voice import Voice

TONAL = ["sine", "triangle", "saw", "square", "lead", "sub", "acid", "reese", "pluckbass", "bass808",
         "supersaw", "pad", "strings", "epiano", "bell", "pluck"]
CASES = [(name, None) for name in TONAL] + [
    (name, bank) for bank, kit in DRUM_BANKS.items() for name in sorted(kit) if name != "bd808long"
]


def _random_params(cls: type[Voice], rng: random.Random) -> dict[str, float]:
    """Each parameter at its minimum, maximum or a random value; short envelopes, full level
    (gain and postgain 1: the bound below is for the instrument at full level)."""
    params: dict[str, float] = {}
    for name, spec in cls.PARAMS.items():
        pick = rng.random()
        params[name] = spec.lo if pick < 0.25 else spec.hi if pick < 0.5 else rng.uniform(spec.lo, spec.hi)
    params.pop("freq")
    params.update(note=rng.uniform(12.0, 108.0), gain=1.0, velocity=1.0, postgain=1.0)
    for name, longest in (("attack", 0.2), ("decay", 1.0), ("release", 0.3)):
        params[name] = min(params[name], longest)
    return params


@pytest.mark.parametrize(("name", "bank"), CASES)
def test_extreme_parameters_stay_finite_and_bounded(name: str, bank: str | None) -> None:
    cls = resolve(name, bank)
    rng = random.Random(f"{name}:{bank}")
    for _ in range(2):
        params = _random_params(cls, rng)
        audio = render_notes(cls, [Note(0.0, params, 0.3)], 1.0)
        assert np.isfinite(audio).all(), f"{cls.NAME} {params}"
        assert np.abs(audio).max() < 1.25, f"{cls.NAME} {params}"
