"""Algorithmic composition as patterns: melody generators, motif variations, Markov chains.

Everything here is seeded and repeatable (the same seed gives the same notes on every run),
keeps its notes in the scale it is given, and is a pure function of time like every pattern.

- `motif`, `walk`, `lsystem_melody` (`patterns.compose.melody`): make melodies in a key.
- `inversion`, `retrograde`, `scaleSequence`, `augment`, `diminish`, `ornament`, `displace`,
  `call_response` (`patterns.compose.variations`): vary them.
- `learn_markov`, `markov` (`patterns.compose.chains`): learn a style from a melody or a beat.

>>> [e.value["note"] for e in motif("A:minor", 3).retrograde().onsets(0, 1)]
['A3', 'D4', 'F4', 'G4', 'A4', 'G4', 'C4', 'A3']
"""

from __future__ import annotations

from patterns.compose.chains import MarkovChain, learn_markov, markov
from patterns.compose.melody import (
    CONTOURS,
    MAX_LSYSTEM,
    lsystem,
    lsystem_degrees,
    lsystem_melody,
    motif,
    motif_steps,
    walk,
    walk_degrees,
)
from patterns.compose.phrase import loop_phrase, phrase_events
from patterns.compose.rng import Stream
from patterns.compose.variations import (
    ORNAMENTS,
    augment,
    call_response,
    diminish,
    displace,
    inversion,
    inversion_at,
    inversionAt,
    ornament,
    retrograde,
    retrograde_by,
    retrogradeBy,
    scale_sequence,
    scaleSequence,
)

__all__ = [
    "CONTOURS",
    "MAX_LSYSTEM",
    "ORNAMENTS",
    "MarkovChain",
    "Stream",
    "augment",
    "call_response",
    "diminish",
    "displace",
    "inversion",
    "inversionAt",
    "inversion_at",
    "learn_markov",
    "loop_phrase",
    "lsystem",
    "lsystem_degrees",
    "lsystem_melody",
    "markov",
    "motif",
    "motif_steps",
    "ornament",
    "phrase_events",
    "retrograde",
    "retrogradeBy",
    "retrograde_by",
    "scaleSequence",
    "scale_sequence",
    "walk",
    "walk_degrees",
]
