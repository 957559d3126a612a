"""Algorithmic composition as patterns: seeded, repeatable, a pure function of time.

`patterns.compose.rng` draws seeded random numbers (the project's xorshift, started from a
seed); `patterns.compose.phrase` turns a computed phrase into a looping pattern.
"""

from __future__ import annotations

from patterns.compose.phrase import loop_phrase, phrase_events
from patterns.compose.rng import Stream

__all__ = ["Stream", "loop_phrase", "phrase_events"]
