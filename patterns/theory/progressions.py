"""Chord progressions by name: ``"pop"`` is I V vi IV, ``"royal road"`` IV V iii vi.

A named progression is roman numerals, one chord a bar, written in its home mode (major or
minor). In a key of the other mode it is played in that key's relative key, so the chords
stay in the key signature: the royal road in A minor is F G Em Am (C major's IV V iii vi,
ending on the minor tonic), the minor "epic" progression in C major is Am F C G.

>>> named_chords("royal road", "A:minor")
['F', 'G', 'Em', 'Am']
>>> named_chords("pop", "E"), named_chords("epic", "C:major")
(['E', 'B', 'C#m', 'A'], ['Am', 'F', 'C', 'G'])
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from patterns.errors import UnknownProgressionError
from patterns.theory.intervals import transpose_note
from patterns.theory.notes import simplify_note
from patterns.theory.progression import is_numeral, roman_chord
from patterns.theory.scales import get_scale

__all__ = [
    "NamedProgression",
    "PROGRESSIONS",
    "progression_names",
    "find_progression",
    "named_progression",
    "key_for",
    "named_chords",
    "looks_like_name",
]

Mode = Literal["major", "minor"]


@dataclass(frozen=True, slots=True)
class NamedProgression:
    """A named progression: numerals (a chord a bar), home mode and a line about it.

    >>> p = named_progression("canon")
    >>> p.numerals, p.mode, p.bars, p.mini
    ('I V vi iii IV I IV V', 'major', 8, '<I V vi iii IV I IV V>')
    """

    name: str
    numerals: str
    mode: Mode
    about: str
    aliases: tuple[str, ...] = ()

    @property
    def bars(self) -> int:
        """Chords (bars) in one pass."""
        return len(self.numerals.split())

    @property
    def mini(self) -> str:
        """The numerals as mini-notation, one chord a cycle."""
        return f"<{self.numerals}>"


_TABLE: tuple[NamedProgression, ...] = (
    NamedProgression("pop", "I V vi IV", "major",
                     "The axis progression of countless pop choruses.",
                     ("axis", "four chords")),
    NamedProgression("sensitive", "vi IV I V", "major",
                     "The axis started on vi: the same chords, a minor, yearning colour.",
                     ("pop minor", "sensitive female")),
    NamedProgression("royal road", "IV V iii vi", "major",
                     "The royal road (ōdō shinkō) of J-pop and K-pop: a lift through IV and V that "
                     "falls to vi.", ("oudou", "odo", "ōdō")),
    NamedProgression("royal road 7", "IVmaj7 V7 iii7 vi7", "major",
                     "The royal road with sevenths, as it is usually played.",
                     ("royal road sevenths",)),
    NamedProgression("ii-V-I", "ii7 V7 Imaj7", "major",
                     "The jazz cadence: subdominant, dominant, tonic.",
                     ("two five one", "251", "jazz")),
    NamedProgression("minor ii-V-i", "iiø7 V7 i", "minor",
                     "The minor-key jazz cadence, with a half-diminished ii and a major V7.",
                     ("minor 251",)),
    NamedProgression("epic", "i VI III VII", "minor",
                     "The aeolian i VI III VII of anthems and dance drops.",
                     ("minor pop", "aeolian")),
    NamedProgression("canon", "I V vi iii IV I IV V", "major",
                     "Pachelbel's Canon, eight bars of descending bass.",
                     ("pachelbel", "canon in d")),
    NamedProgression("fifties", "I vi IV V", "major",
                     "The doo-wop progression.", ("doo-wop", "50s")),
    NamedProgression("komuro", "vi IV V I", "major",
                     "The Komuro progression of 90s J-pop: vi IV V, resolving to I.",
                     ("tk",)),
    NamedProgression("andalusian", "i VII VI V", "minor",
                     "The Andalusian cadence: a descending minor tetrachord onto a major V.",
                     ("flamenco",)),
    NamedProgression("mixolydian", "I bVII IV I", "major",
                     "The rock vamp with the flat seventh.", ("rock",)),
    NamedProgression("dorian", "i IV", "minor",
                     "The dorian vamp: minor tonic, major IV.", ("dorian vamp",)),
    NamedProgression("blues", "I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7", "major",
                     "The twelve-bar blues with dominant sevenths.", ("12 bar blues", "twelve bar")),
)

PROGRESSIONS: dict[str, NamedProgression] = {p.name: p for p in _TABLE}
"""Every named progression by name, in documentation order."""


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.lower())


_LOOKUP: dict[str, NamedProgression] = {}
for _entry in _TABLE:
    for _name in (_entry.name, *_entry.aliases):
        _LOOKUP[_key(_name)] = _entry


def progression_names() -> list[str]:
    """The names of the progressions (aliases left out), in documentation order.

    >>> progression_names()[:3]
    ['pop', 'sensitive', 'royal road']
    """
    return list(PROGRESSIONS)


def find_progression(name: object) -> NamedProgression | None:
    """The progression of a name or alias (case, spaces, `-` and `_` ignored), else None
    (also for roman numerals, which always mean themselves).

    >>> find_progression("Royal-Road").numerals, find_progression("I V vi IV")
    ('IV V iii vi', None)
    """
    if not isinstance(name, str) or all(is_numeral(word) for word in name.split()):
        return None
    return _LOOKUP.get(_key(name))


def named_progression(name: str) -> NamedProgression:
    """The progression of a name; UnknownProgressionError (with close names) if there is none.

    >>> named_progression("royal raod")
    Traceback (most recent call last):
    ...
    patterns.errors.UnknownProgressionError: progression: unknown name 'royal raod' (did you mean royal road or royal road 7?); names: pop, sensitive, royal road, royal road 7, ii-V-I, minor ii-V-i, epic, canon, fifties, komuro, andalusian, mixolydian, dorian, blues
    """
    found = find_progression(name)
    if found is not None:
        return found
    close = difflib.get_close_matches(_key(str(name)), list(_LOOKUP), n=3)
    names = sorted({_LOOKUP[c].name for c in close}, key=list(PROGRESSIONS).index)
    hint = f" (did you mean {' or '.join(names)}?)" if names else ""
    raise UnknownProgressionError(
        f"progression: unknown name {name!r}{hint}; names: {', '.join(PROGRESSIONS)}"
    )


def looks_like_name(text: object) -> bool:
    """Whether `text` reads as a progression name rather than numerals: plain words, not all
    of them roman numerals.

    >>> looks_like_name("royal road"), looks_like_name("I V vi IV"), looks_like_name("<I V>")
    (True, False, False)
    """
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9ōø' \-]+", text.strip() or "-"):
        return False
    return not all(is_numeral(word) for word in text.split())


def _mode_of(key: str) -> str:
    text = key.strip()
    spec = text if re.search(r"[\s:]", text) else f"{text}:major"
    return get_scale(spec).name


def key_for(progression: NamedProgression, key: str) -> str:
    """The key a named progression is counted in: `key`, or its relative major/minor.

    The relative key is used when the modes differ; other modes (dorian ...) stay as they are.

    >>> p = named_progression("pop")
    >>> key_for(p, "A:minor"), key_for(p, "D"), key_for(named_progression("epic"), "Eb:major")
    ('C:major', 'D', 'C:minor')
    """
    mode = _mode_of(key)
    if mode == progression.mode or mode not in ("major", "minor"):
        return key
    tonic = re.split(r"[\s:]+", key.strip())[0]
    if progression.mode == "major":
        return f"{simplify_note(transpose_note(tonic, 'm3'))}:major"
    return f"{simplify_note(transpose_note(tonic, '-m3'))}:minor"


def named_chords(name: str, key: str = "C:major") -> list[str]:
    """The chord symbols of a named progression in a key (see `key_for`).

    >>> named_chords("ii-V-I", "Bb"), named_chords("andalusian", "A:minor")
    (['Cm7', 'F7', 'Bbmaj7'], ['Am', 'G', 'F', 'E'])
    """
    progression = named_progression(name)
    counted = key_for(progression, key)
    return [roman_chord(numeral, counted) for numeral in progression.numerals.split()]
