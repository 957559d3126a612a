"""Music theory: note names, intervals, scales, chord symbols, voicings, roman numerals, arps.

The modules here are pure functions on names and numbers; `patterns.theory.ops` turns them
into pattern transformations (``scale``, ``transpose``, ``voicing``, ``arp`` ...).

>>> note_to_midi("c4"), scale_note(2, "C:minor"), chord_notes("G7")
(60, 'Eb3', ['G', 'B', 'D', 'F'])
"""

from __future__ import annotations

from patterns.theory.arp import ARP_MODES, arp_index, arp_order
from patterns.theory.chords import CHORD_ALIASES, CHORDS, Chord, chord_midi, chord_notes, parse_chord
from patterns.theory.intervals import Interval, from_semitones, parse_interval, semitones, transpose_note
from patterns.theory.notes import (
    DEFAULT_OCTAVE,
    Pitch,
    is_note,
    midi_to_note,
    note_to_midi,
    parse_note,
    simplify_note,
    to_midi,
)
from patterns.theory.progression import progression_chords, roman_chord
from patterns.theory.progressions import (
    PROGRESSIONS,
    NamedProgression,
    key_for,
    named_chords,
    named_progression,
    progression_names,
)
from patterns.theory.scales import (
    SCALE_ALIASES,
    SCALES,
    Scale,
    ScaleNote,
    get_scale,
    scale_names,
    scale_note,
    scale_transpose_note,
)
from patterns.theory.voicing import voice, voice_lead, voicing_candidates, voicing_notes

__all__ = [
    "ARP_MODES",
    "arp_index",
    "arp_order",
    "CHORD_ALIASES",
    "CHORDS",
    "Chord",
    "chord_midi",
    "chord_notes",
    "parse_chord",
    "Interval",
    "from_semitones",
    "parse_interval",
    "semitones",
    "transpose_note",
    "DEFAULT_OCTAVE",
    "Pitch",
    "is_note",
    "midi_to_note",
    "note_to_midi",
    "parse_note",
    "simplify_note",
    "to_midi",
    "progression_chords",
    "roman_chord",
    "PROGRESSIONS",
    "NamedProgression",
    "key_for",
    "named_chords",
    "named_progression",
    "progression_names",
    "SCALE_ALIASES",
    "SCALES",
    "Scale",
    "ScaleNote",
    "get_scale",
    "scale_names",
    "scale_note",
    "scale_transpose_note",
    "voice",
    "voice_lead",
    "voicing_candidates",
    "voicing_notes",
]
