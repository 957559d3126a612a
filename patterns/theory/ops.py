"""Music theory as pattern transformations: ``scale``, ``scaleTranspose``, ``transpose``,
``voicing``, ``rootNotes``, ``arp``, ``arp_mode``/``arpeggiate`` and ``progression``.

Each is registered with `patterns.register`, so it is both a method and a function with
patterned arguments (``n("0 2 4").scale("<C:major A:minor>")``).

>>> from patterns.controls import n
>>> [e.value for e in n("0 2 4").scale("C:minor").first_cycle()]
[{'note': 'C3'}, {'note': 'Eb3'}, {'note': 'G3'}]
>>> [e.value["note"] for e in progression("I V vi IV", "E:major").rootNotes(2).first_cycle()]
['E2', 'B2', 'C#2', 'A2']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from patterns.errors import TheoryError
from patterns.event import Event
from patterns.pattern import Pattern, reify
from patterns.register import register
from patterns.theory.arp import ARP_MODES, arp_index, arp_order
from patterns.theory.chords import parse_chord
from patterns.theory.intervals import parse_interval, transpose_note
from patterns.theory.notes import is_note, midi_to_note, simplify_note, to_midi
from patterns.theory.progression import roman_chord
from patterns.theory.progressions import (
    find_progression,
    key_for,
    looks_like_name,
    named_progression,
)
from patterns.theory.scales import scale_note, scale_transpose_note
from patterns.theory.voicing import (
    DEFAULT_ANCHOR,
    Voicing,
    voice,
    voicing_step,
)
from patterns.timespan import TimeSpan

__all__ = [
    "scale",
    "scaleTranspose",
    "transpose",
    "voicing",
    "rootNotes",
    "arp",
    "arp_mode",
    "arpeggiate",
    "progression",
    "LEAD_CYCLES",
    "VOICING_SPAN",
]

LEAD_CYCLES = 4
"""`voicing` leads voices smoothly within blocks of this many cycles (0-4, 4-8, ...); the
first chord of a block is aligned to the anchor, so every block starts the same way."""

VOICING_SPAN = 24
"""`voicing` picks notes within this many semitones under the anchor (over it in mode "above"):
C3 .. C5 for the default anchor C5."""

_VOICING_KEYS = ("chord", "anchor", "mode", "offset", "n", "dictionary")


def _joined(value: Any, sep: str) -> Any:
    """Mini-notation turns ``C:major`` into a list; join it back."""
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value)
    return value


# ------------------------------------------------------------------ scale


def _scale(name: Any, pat: Pattern) -> Pattern:
    """Scale degrees (numbers, or the `n` of control maps) to note names of a scale such as
    ``"C:minor"`` or ``"E2:major:pentatonic"`` (docs/theory.md lists the scales).

    >>> from patterns.controls import n
    >>> [e.value for e in n("0 7").scale("D:minor").first_cycle()]
    [{'note': 'D3'}, {'note': 'D4'}]
    """
    spec = _joined(name, ":")
    if not isinstance(spec, str):
        raise TheoryError(f"scale: expected a scale name like 'C:minor', got {name!r}")

    def to_note(value: Any) -> Any:
        if isinstance(value, Mapping):
            if "n" not in value:
                raise TheoryError(f"scale: expected values with n (scale degrees), got {dict(value)!r}")
            rest = {k: v for k, v in value.items() if k != "n"}
            step = value["n"]
            rest["note"] = step if is_note(step) else scale_note(step, spec)
            return rest
        return value if is_note(value) else scale_note(value, spec)

    return pat.fmap(to_note)


scale = register("scale", _scale)


def _note_of(value: Any, what: str) -> Any:
    note = value.get("note") if isinstance(value, Mapping) else value
    if note is None or isinstance(note, bool):
        raise TheoryError(f"{what}: expected note values (a note name, a number or {{'note': ...}}), got {value!r}")
    return note


def _with_note(value: Any, note: Any) -> Any:
    return {**value, "note": note} if isinstance(value, Mapping) else note


def _scale_transpose(steps: Any, pat: Pattern) -> Pattern:
    """Move notes made by `scale` by whole scale steps.

    >>> from patterns.controls import n
    >>> [e.value for e in n("0 2").scale("C:major").scaleTranspose(1).first_cycle()]
    [{'note': 'D3'}, {'note': 'F3'}]
    """
    def move(value: Any) -> Any:
        note = _note_of(value, "scaleTranspose")
        spec = getattr(note, "scale", None)
        if spec is None:
            raise TheoryError(
                f"scaleTranspose: {note!r} does not come from .scale(...); "
                'use it after scale, e.g. n("0 2").scale("C:major").scaleTranspose(1)'
            )
        return _with_note(value, scale_transpose_note(note, steps, spec))

    return pat.fmap(move)


scaleTranspose = register(["scaleTranspose", "scale_transpose"], _scale_transpose)


@lru_cache(maxsize=4096)
def _transposed_name(note: str, amount: int | str) -> str:
    return simplify_note(transpose_note(note, amount))


def _transpose(amount: Any, pat: Pattern) -> Pattern:
    """Transpose notes by semitones or an interval name (``M3``, ``P5``, ``-m2``).

    >>> from patterns.controls import note
    >>> [e.value for e in note("c3 e3").transpose("M3").first_cycle()]
    [{'note': 'E3'}, {'note': 'G#3'}]
    """
    if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
        raise TheoryError(f"transpose: expected semitones or an interval like M3, P5, got {amount!r}")
    shift = parse_interval(amount).semitones if isinstance(amount, str) else amount

    def move(value: Any) -> Any:
        note = _note_of(value, "transpose")
        if isinstance(note, (int, float)):
            return _with_note(value, note + shift)
        if not is_note(note):
            raise TheoryError(f"transpose: {note!r} is not a note name or number")
        if isinstance(amount, float) and amount != int(amount):
            raise TheoryError(f"transpose: note names move by whole semitones, got {amount!r}")
        step = amount if isinstance(amount, str) else int(amount)
        return _with_note(value, _transposed_name(str(note), step))

    return pat.fmap(move)


transpose = register("transpose", _transpose)


# ------------------------------------------------------------------ chords


def _chord_value(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, Mapping):
        symbol = value.get("chord")
        settings = dict(value)
    else:
        symbol, settings = value, {}
    symbol = _joined(symbol, "/")  # mini-notation: "Bb:D" is the slash chord Bb/D
    if not isinstance(symbol, str):
        raise TheoryError(f"voicing: expected chord symbols (chord('C Am7')), got {value!r}")
    return symbol, settings


def _anchor_voicing(settings: Mapping[str, Any], symbol: str, previous: Voicing | None) -> Voicing:
    """Voice a chord in the two octaves under the anchor (above it with mode "above")."""
    anchor = settings.get("anchor", DEFAULT_ANCHOR)
    mode = settings.get("mode", "below")
    top = round(to_midi(anchor, 4))
    low, high = (top, top + VOICING_SPAN) if mode == "above" else (top - VOICING_SPAN, top)
    return voice(symbol, previous, low=low, high=high, anchor=top, mode=mode,
                 offset=settings.get("offset", 0))


def _leads(settings: Mapping[str, Any]) -> bool:
    return not any(key in settings for key in ("anchor", "mode", "offset"))


def _voicing(pat: Pattern) -> Pattern:
    """Chord symbols (or `chord` controls) to the notes of a voicing, with voice leading.

    >>> from patterns.controls import chord
    >>> sorted(e.value["note"] for e in chord("Dm7").voicing().first_cycle())
    ['A4', 'C5', 'D4', 'F4']
    """
    query_values = pat.query
    block_length = Fraction(LEAD_CYCLES)

    @lru_cache(maxsize=16)
    def block(index: int) -> dict[tuple[Fraction, str], Voicing]:
        start = block_length * index
        onsets = [
            e for e in query_values(TimeSpan(start, start + block_length))
            if e.whole is not None and e.has_onset()
        ]
        onsets.sort(key=lambda e: e.whole.begin)  # type: ignore[union-attr]
        chain: dict[tuple[Fraction, str], Voicing] = {}
        previous: Voicing | None = None
        for event in onsets:
            symbol, settings = _chord_value(event.value)
            key = (event.whole.begin, symbol)  # type: ignore[union-attr]
            if key in chain:
                continue
            lead = previous if _leads(settings) else None
            chain[key] = previous = _anchor_voicing(settings, symbol, lead)
        return chain

    def voiced(event: Event) -> list[Event]:
        symbol, settings = _chord_value(event.value)
        found = None
        if event.whole is not None and _leads(settings):
            begin = event.whole.begin
            index = begin.numerator // (begin.denominator * LEAD_CYCLES)
            found = block(index).get((begin, symbol))
        notes = found or _anchor_voicing(settings, symbol, None)
        rest = {k: v for k, v in settings.items() if k not in _VOICING_KEYS}
        if "n" in settings:
            notes = (voicing_step(notes, settings["n"]),)
        return [Event(event.whole, event.part, {**rest, "note": midi_to_note(m)}, event.context)
                for m in notes]

    def query(span: TimeSpan) -> list[Event]:
        return [out for event in query_values(span) for out in voiced(event)]

    return Pattern(query, pat.steps)


voicing = register("voicing", _voicing)


def _root_notes(octave: Any, pat: Pattern) -> Pattern:
    """The root of each chord as a note in `octave` (a bass line from chord symbols).

    >>> from patterns.controls import chord
    >>> [e.value for e in chord("<Am F>").rootNotes(2).query_arc(0, 2)]
    [{'note': 'A2'}, {'note': 'F2'}]
    """
    if isinstance(octave, bool) or not isinstance(octave, int):
        raise TheoryError(f"rootNotes: expected a whole-number octave, got {octave!r}")

    def root(value: Any) -> Any:
        symbol, settings = _chord_value(value)
        note = f"{parse_chord(symbol).root.pc}{octave}"
        if not isinstance(value, Mapping):
            return note
        return {**{k: v for k, v in settings.items() if k not in _VOICING_KEYS}, "note": note}

    return pat.fmap(root)


rootNotes = register(["rootNotes", "root_notes"], _root_notes)


def _progression(numerals: Any, key: Any = "C:major") -> Pattern:
    named = find_progression(numerals)
    if named is None and looks_like_name(numerals):
        named_progression(numerals)  # raises UnknownProgressionError naming the close names

    def key_of(k: Any) -> str:
        text = str(_joined(k, ":"))
        return text if named is None else key_for(named, text)

    def chord_of(numeral: Any) -> Callable[[Any], dict[str, str]]:
        text = _joined(numeral, "/")
        return lambda k: {"chord": roman_chord(str(text), key_of(k))}

    source = numerals if named is None else named.mini
    return reify(source).fmap(chord_of).app_left(reify(key))


def progression(numerals: Any, key: Any = "C:major") -> Pattern:
    """Chord controls from roman numerals in a key (both patterned); ``V7:V`` in mini-notation
    is the secondary dominant V7/V. A progression's name (``"royal road"``, ``"pop"``, docs/
    theory.md lists them) plays its numerals a chord a cycle, in the relative key when the
    key's mode is not the progression's.

    >>> [e.value for e in progression("ii7 V7 Imaj7", "C:major").first_cycle()]
    [{'chord': 'Dm7'}, {'chord': 'G7'}, {'chord': 'Cmaj7'}]
    >>> [e.value["chord"] for e in progression("royal road", "A:minor").query_arc(0, 4)]
    ['F', 'G', 'Em', 'Am']
    """
    return _progression(numerals, key)


# ------------------------------------------------------------------ arpeggios


def _group_chords(events: list[Event]) -> list[tuple[Event, list[Event]]]:
    """Group events with equal whole and part (a chord), keeping stack order."""
    groups: dict[tuple[TimeSpan | None, TimeSpan], list[Event]] = {}
    for event in events:
        groups.setdefault((event.whole, event.part), []).append(event)
    return [(members[0], members) for members in groups.values()]


def _arp_indices(indices: Any, pat: Pattern) -> Pattern:
    index_pattern = reify(indices)
    query_chords = pat.query

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for first, members in _group_chords(query_chords(span)):
            for picked in index_pattern.query(first.part):
                chosen = arp_index(members, picked.value)
                out.append(Event(picked.whole, picked.part, chosen.value,
                                 chosen.combine_context(picked)))
        return out

    return Pattern(query)


def _is_mode_source(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    words = value.replace("<", " ").replace(">", " ").replace("[", " ").replace("]", " ").split()
    return bool(words) and all(w in ARP_MODES for w in words)


def _arp(indices: Any, pat: Pattern) -> Pattern:
    """Pick notes of the chord sounding at each index event (wrapping), or, when every word
    is a mode name (``"<up down>"``), arpeggiate by mode like `arp_mode`.

    >>> from patterns.controls import note
    >>> [e.value for e in note("[c,e,g]").arp("0 2 1").first_cycle()]
    [{'note': 'c'}, {'note': 'g'}, {'note': 'e'}]
    """
    if _is_mode_source(indices):
        return arp_mode(indices, pat)
    return _arp_indices(indices, pat)


arp = register("arp", _arp, patternify=False)


def _spread(members: list[Event]) -> list[Event]:
    """Tidal's arpeggiate: the k-th of n notes takes the k-th n-th of the chord's whole."""
    whole = members[0].whole
    if whole is None:
        return members
    step = (whole.end - whole.begin) / len(members)
    out: list[Event] = []
    for position, event in enumerate(members):
        begin = whole.begin + step * position
        new_whole = TimeSpan(begin, begin + step)
        part = event.part.intersection(new_whole)
        if part is not None:
            out.append(Event(new_whole, part, event.value, event.context))
    return out


def _arp_mode(mode: Any, pat: Pattern) -> Pattern:
    """Tidal's arpeggio modes: reorder each chord's notes (up, down, updown, converge,
    pinkyup, thumbup ...) and spread them evenly over the chord's span.

    >>> from patterns.controls import note
    >>> [e.value["note"] for e in note("[c,e,g]").arp_mode("down").first_cycle()]
    ['g', 'e', 'c']
    """
    if mode not in ARP_MODES:
        raise TheoryError(f"arp_mode: unknown mode {mode!r}; expected one of {', '.join(ARP_MODES)}")

    def munge(events: list[Event]) -> list[Event]:
        by_whole: dict[TimeSpan | None, list[Event]] = {}
        for event in events:
            by_whole.setdefault(event.whole, []).append(event)
        out: list[Event] = []
        for members in by_whole.values():
            out.extend(_spread(arp_order(mode, members)))
        return out

    return pat.with_events(munge)


arp_mode = register(["arp_mode", "arpMode"], _arp_mode)


def _arpeggiate(pat: Pattern) -> Pattern:
    """Spread each chord's notes upwards over its span (``arp_mode("up")``).

    >>> from patterns.controls import note
    >>> [str(e.whole.begin) for e in note("[c,e]").arpeggiate().first_cycle()]
    ['0', '1/2']
    """
    return _arp_mode("up", pat)


arpeggiate = register("arpeggiate", _arpeggiate)
