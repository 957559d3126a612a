"""Roman-numeral chord progressions in a key: ``I V vi IV`` in E major is E B C#m A.

A numeral is an optional ``b``/``#`` (borrowed or chromatic roots: ``bVII``), the degree in
upper case (major triad) or lower case (minor triad), and an optional suffix: ``7`` (a
dominant 7th on upper case, a minor 7th on lower case), ``maj7`` (``^7``, ``M7``), ``9``,
``6``, ``sus4``, ``add9``, ``o``/``dim``/``°`` (diminished), ``o7``, ``ø``/``h7`` (half
diminished), ``+``/``aug``. ``V7/V`` (or ``V7:V`` in mini-notation) is a secondary chord: V7
of the key of V. Degrees are counted in the key's own scale (``III`` in A minor is C).

>>> [roman_chord(n, "E:major") for n in "I V vi IV".split()]
['E', 'B', 'C#m', 'A']
>>> [roman_chord(n, "C") for n in ("ii7", "V7", "Imaj7", "bVII", "viio", "V7/V")]
['Dm7', 'G7', 'Cmaj7', 'Bb', 'Bdim', 'D7']
"""

from __future__ import annotations

import re

from patterns.errors import TheoryError
from patterns.theory.chords import CHORD_ALIASES, CHORDS, parse_chord
from patterns.theory.notes import Pitch, parse_note, simplify_note
from patterns.theory.scales import get_scale

__all__ = ["roman_chord", "progression_chords", "is_numeral"]

_NUMERAL_RE = re.compile(r"^([b#♭♯]*)(VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(.*)$")
_DEGREES = ("i", "ii", "iii", "iv", "v", "vi", "vii")
_SPECIAL = {
    "o": "dim", "°": "dim", "dim": "dim",
    "o7": "dim7", "°7": "dim7", "dim7": "dim7",
    "ø": "m7b5", "ø7": "m7b5", "h": "m7b5", "h7": "m7b5", "m7b5": "m7b5",
    "+": "aug", "aug": "aug", "+7": "aug7", "aug7": "aug7",
}


def _key_spec(key: str) -> str:
    text = key.strip() if isinstance(key, str) else ""
    if not text:
        raise TheoryError(f"progression: expected a key like 'C:major' or 'A:minor', got {key!r}")
    return text if re.search(r"[\s:]", text) else f"{text}:major"


def _quality(minor: bool, suffix: str, numeral: str) -> str:
    if suffix in _SPECIAL:
        return _SPECIAL[suffix]
    if minor and not suffix.startswith(("sus", "m", "-")):
        suffix = "m" + suffix
        suffix = {"mmaj7": "mM7", "mM7": "mM7", "m^7": "mM7", "mmaj9": "mM9", "madd9": "madd9"}.get(
            suffix, suffix
        )
    if suffix in CHORDS or suffix in CHORD_ALIASES:
        return suffix
    raise TheoryError(
        f"progression: unknown chord suffix {suffix!r} in numeral {numeral!r}; try 7, maj7, 9, "
        "6, sus4, o, ø, +"
    )


def roman_chord(numeral: str, key: str = "C:major") -> str:
    """The chord symbol of a roman numeral in a key (``"C"``, ``"A:minor"``, ``"Eb:dorian"``).

    >>> roman_chord("i", "A:minor"), roman_chord("III", "A:minor"), roman_chord("V7", "A:minor")
    ('Am', 'C', 'E7')
    >>> roman_chord("VI", "Db:minor"), roman_chord("bVII", "F")   # one accidental at most
    ('A', 'Eb')
    >>> roman_chord("X", "C")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: progression: expected a roman numeral like I, ii7, V7, bVII or vii°, got 'X'
    """
    text = numeral.strip() if isinstance(numeral, str) else ""
    if "/" in text:
        head, target = text.split("/", 1)
        target_chord = parse_chord(roman_chord(target, key))
        minor = target_chord.quality.startswith("m") and not target_chord.quality.startswith("maj")
        return roman_chord(head, f"{target_chord.root.pc}:{'minor' if minor else 'major'}")
    match = _NUMERAL_RE.match(text)
    if match is None:
        raise TheoryError(
            f"progression: expected a roman numeral like I, ii7, V7, bVII or vii°, got {numeral!r}"
        )
    accidentals, degree, suffix = match.groups()
    scale = get_scale(_key_spec(key))
    if len(scale) != 7:
        raise TheoryError(f"progression: the key {key!r} needs a seven-note scale")
    root = parse_note(scale.step(_DEGREES.index(degree.lower())))
    alt = root.alt + sum(1 if a in "#♯" else -1 for a in accidentals)
    pc = Pitch(root.letter, alt, None).pc
    if abs(alt) > 1:  # a theoretical key (Db minor has Bbb): chord symbols take one accidental
        pc = simplify_note(pc)
    symbol = pc + _quality(degree.islower(), suffix, numeral)
    parse_chord(symbol)
    return symbol


def progression_chords(numerals: str | list[str], key: str = "C:major") -> list[str]:
    """Chord symbols of a space-separated progression.

    >>> progression_chords("ii7 V7 Imaj7", "Bb:major")
    ['Cm7', 'F7', 'Bbmaj7']
    """
    items = numerals.split() if isinstance(numerals, str) else list(numerals)
    return [roman_chord(n, key) for n in items]


def is_numeral(text: str) -> bool:
    """Whether `text` is one roman numeral this module reads (checked by building its chord in
    C major), secondary chords (``V7/V``) included.

    >>> is_numeral("bVII"), is_numeral("V7/V"), is_numeral("royal")
    (True, True, False)
    """
    try:
        roman_chord(text, "C:major")
    except TheoryError:
        return False
    return True
