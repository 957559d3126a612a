"""Standard MIDI files out and in, the karaoke `.kar` and timed lyrics `.lrc` (mido).

Out: `write_song(notes, tempo, path)` writes a type-1 file at `PPQ` ticks per quarter note.
Track 0 holds the tempo map (one `set_tempo` per tempo segment) and the time signature
(`beats_per_cycle`/4); then one track per livecode track, named after it (`track_name`), with
its program change and its notes on its channel: a track routed to MIDI keeps its channel, a
`drums` track goes to channel 10 with General MIDI drum notes (`bd` 36, `sd` 38, `hh` 42, ...),
the others take channels 1, 2, ... (10 skipped). Velocities and lengths are as played (`gain`
and fades scale the velocity, `legato` the length).

In: `read_notes(path, track)` gives a track's notes as (begin, length, note, velocity) in
cycles, which `patterns.notelist.note_list` turns into a pattern (`import_midi` in the prelude).

Karaoke: `write_kar` writes a type-1 `.kar` as karaoke players read it (the Soft Karaoke
layout): track 1 is named `Words` and carries `@KMIDI KARAOKE FILE`, `@T<title>` text events,
then one `text` event per syllable at its note's tick (`\\` starts a paragraph, `/` a line, a
word that goes on has no trailing space); the same syllables are `lyrics` meta events too
(the standard lyric events), followed by the melody and the other tracks.
`write_lrc` writes `[mm:ss.xx]line` with word timing in the enhanced form (`<mm:ss.xx>`).

>>> lrc_time(65.437)
'01:05.44'
>>> gm_drum("bd@808"), gm_drum("hh"), gm_drum("zap")
(36, 42, None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import mido

from livecode.clock import TempoMap
from livecode.errors import DeliverError
from livecode.package.played import PlayedNote, track_instruments
from patterns.lyrics import HOLD, LINE

__all__ = ["PPQ", "write_song", "read_notes", "write_kar", "write_lrc", "lrc_time", "gm_drum", "gm_program",
           "Syllable", "syllables", "midi_track_names"]

PPQ = 480
"""Ticks per quarter note in the files livecode writes."""

_GM_DRUMS = {"bd": 36, "kick": 36, "sd": 38, "snare": 38, "rim": 37, "rs": 37, "cp": 39, "clap": 39,
             "hh": 42, "ch": 42, "oh": 46, "lt": 45, "mt": 47, "ht": 50, "tom": 47, "cr": 49, "cy": 49,
             "rd": 51, "cb": 56, "sh": 70, "tamb": 54, "perc": 37, "conga": 63}
_GM_PROGRAMS = {"supersaw": 81, "saw": 81, "lead": 80, "square": 80, "pad": 89, "strings": 48, "epiano": 4,
                "piano": 0, "bell": 14, "pluck": 45, "organ": 16, "sub": 38, "acid": 38, "reese": 39,
                "bass808": 38, "pluckbass": 33, "bass": 33, "voice": 52, "choir": 52, "fm": 5}


def gm_drum(instrument: str) -> int | None:
    """The General MIDI drum note of a drum instrument (`s` or `s@bank`), None when unknown."""
    return _GM_DRUMS.get(instrument.split("@", 1)[0].split(":", 1)[0].lower())


def gm_program(instruments: Sequence[str]) -> int:
    """A General MIDI program (0-based) close to a track's first instrument; 0 (piano) else.

    >>> gm_program(["supersaw"]), gm_program(["zap"])
    (81, 0)
    """
    for key in instruments:
        name = key.split("@", 1)[0].split(":", 1)[0].lower()
        if name in _GM_PROGRAMS:
            return _GM_PROGRAMS[name]
    return 0


def _tick(cycle: Fraction, beats_per_cycle: int) -> int:
    return round(cycle * beats_per_cycle * PPQ)


def _tempo_track(tempo: TempoMap, title: str) -> mido.MidiTrack:
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=title, time=0))
    track.append(mido.MetaMessage("time_signature", numerator=tempo.beats_per_cycle, denominator=4, time=0))
    events = []
    for segment in tempo.segments:
        bpm = segment.cps * 60.0 * tempo.beats_per_cycle
        events.append((_tick(max(segment.cycle0, Fraction(0)), tempo.beats_per_cycle), mido.bpm2tempo(bpm)))
    last = 0
    for tick, micros in sorted(events):
        track.append(mido.MetaMessage("set_tempo", tempo=micros, time=tick - last))
        last = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def _absolute(track: mido.MidiTrack, events: list[tuple[int, int, mido.Message | mido.MetaMessage]]) -> None:
    """Append (tick, order, message) events as delta times, then the end of track."""
    last = 0
    for tick, _, message in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(message.copy(time=tick - last))
        last = tick
    track.append(mido.MetaMessage("end_of_track", time=0))


@dataclass(frozen=True)
class _Channel:
    channel: int          # 1..16
    program: int | None
    drums: bool


def _channels(notes: Mapping[str, list[PlayedNote]], roles: Mapping[str, str],
              fixed: Mapping[str, int]) -> dict[str, _Channel]:
    free = [c for c in range(1, 17) if c != 10 and c not in fixed.values()]
    out: dict[str, _Channel] = {}
    for name, played in notes.items():
        instruments = track_instruments(played)
        if name in fixed:
            out[name] = _Channel(fixed[name], None, fixed[name] == 10)
        elif roles.get(name) == "drums":
            out[name] = _Channel(10, None, True)
        else:
            channel = free.pop(0) if free else 16
            out[name] = _Channel(channel, gm_program(instruments), False)
    return out


def _saved(target: Path, write: Callable[[Path], object]) -> Path:
    """`write(target)`; a file that cannot be written (no such folder, a file in the way, a
    full disk) is one line naming it."""
    try:
        write(target)
    except OSError as err:
        raise DeliverError(f"cannot write {target}: {err.strerror or err}") from None
    return target


def write_song(notes: Mapping[str, list[PlayedNote]], tempo: TempoMap, path: str | Path, *,
               roles: Mapping[str, str] | None = None, channels: Mapping[str, int] | None = None,
               title: str = "livecode") -> Path:
    """Write the notes (by track, as `played` gives them) as a type-1 MIDI file; returns the path."""
    bpc = tempo.beats_per_cycle
    song = mido.MidiFile(type=1, ticks_per_beat=PPQ, charset="utf-8")
    song.tracks.append(_tempo_track(tempo, title))
    for name, chosen in _channels(notes, roles or {}, channels or {}).items():
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=name, time=0))
        ch = chosen.channel - 1
        events: list[tuple[int, int, mido.Message | mido.MetaMessage]] = []
        if chosen.program is not None:
            events.append((0, 0, mido.Message("program_change", channel=ch, program=chosen.program)))
        for note in notes[name]:
            number = note.note
            if chosen.drums:
                instrument = note.params.get("s", note.params.get("sound"))
                number = gm_drum(str(instrument)) or number if isinstance(instrument, str) else number
            start, end = _tick(note.begin, bpc), max(_tick(note.end, bpc), _tick(note.begin, bpc) + 1)
            events.append((start, 2, mido.Message("note_on", channel=ch, note=number, velocity=note.velocity)))
            events.append((end, 1, mido.Message("note_off", channel=ch, note=number, velocity=0)))
        _absolute(track, events)
        song.tracks.append(track)
    return _saved(Path(path), lambda target: song.save(str(target)))


def midi_track_names(path: str | Path) -> list[str]:
    """The names of a MIDI file's tracks (`""` for an unnamed one)."""
    song = _open(path)
    return [next((m.name for m in t if m.type == "track_name"), "") for t in song.tracks]


def _open(path: str | Path) -> mido.MidiFile:
    try:
        return mido.MidiFile(str(path))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as err:
        raise DeliverError(f"import_midi: cannot read {path}: {err}") from None


def _pick(song: mido.MidiFile, track: str | int | None, path: str | Path) -> mido.MidiTrack:
    names = [next((m.name for m in t if m.type == "track_name"), "") for t in song.tracks]
    with_notes = [i for i, t in enumerate(song.tracks) if any(m.type == "note_on" for m in t)]
    if track is None:
        if not with_notes:
            raise DeliverError(f"import_midi: {path} has no notes")
        return song.tracks[with_notes[0]]
    if isinstance(track, int) and not isinstance(track, bool):
        if not 0 <= track < len(song.tracks):
            raise DeliverError(f"import_midi: track={track} is out of range 0..{len(song.tracks) - 1} in {path}")
        return song.tracks[track]
    if track in names:
        return song.tracks[names.index(track)]
    raise DeliverError(f"import_midi: no track {track!r} in {path} (tracks: {', '.join(n or '?' for n in names)})")


def read_notes(path: str | Path, track: str | int | None = None, *, beats_per_cycle: int = 4
               ) -> tuple[list[tuple[Fraction, Fraction, int, float]], Fraction]:
    """A track's notes as (begin, length, note, velocity 0..1) in cycles, and the loop length
    (the last note's end rounded up to whole cycles); `track` by name or index (default: the
    first track with notes)."""
    song = _open(path)
    chosen = _pick(song, track, path)
    per_cycle = song.ticks_per_beat * beats_per_cycle
    tick = 0
    sounding: dict[tuple[int, int], list[tuple[int, int]]] = {}
    notes: list[tuple[Fraction, Fraction, int, float]] = []
    for message in chosen:
        tick += message.time
        if message.type == "note_on" and message.velocity > 0:
            sounding.setdefault((message.channel, message.note), []).append((tick, message.velocity))
        elif message.type in ("note_off", "note_on"):
            started = sounding.get((message.channel, message.note))
            if started:
                begin, velocity = started.pop(0)
                notes.append((Fraction(begin, per_cycle), Fraction(max(1, tick - begin), per_cycle),
                              message.note, round(velocity / 127, 4)))
    if not notes:
        raise DeliverError(f"import_midi: the chosen track of {path} has no notes")
    notes.sort(key=lambda n: (n[0], n[2]))
    end = max(b + length for b, length, _, _ in notes)
    return notes, Fraction(max(1, -(-end.numerator // end.denominator)))


@dataclass(frozen=True)
class Syllable:
    """One sung syllable: its onset in cycles and seconds, the text as on the event (`/sa-`)."""

    cycle: Fraction
    seconds: float
    text: str


def syllables(notes: Mapping[str, list[PlayedNote]], tempo: TempoMap) -> tuple[str | None, list[Syllable]]:
    """The lyric track (the first whose notes carry `lyric`) and its syllables in time order
    (held notes `_` left out, one syllable per onset time)."""
    origin = tempo.time_at(Fraction(0))
    for name, played in notes.items():
        found: list[Syllable] = []
        seen: set[Fraction] = set()
        for note in played:
            text = note.params.get("lyric")
            if not isinstance(text, str) or text == HOLD or note.begin in seen:
                continue
            seen.add(note.begin)
            found.append(Syllable(note.begin, tempo.time_at(note.begin) - origin, text))
        if found:
            return name, found
    return None, []


def lrc_time(seconds: float) -> str:
    """`mm:ss.xx` (hundredths rounded)."""
    hundredths = round(seconds * 100)
    return f"{hundredths // 6000:02d}:{hundredths % 6000 / 100:05.2f}"


def _lines(found: Sequence[Syllable]) -> list[list[Syllable]]:
    lines: list[list[Syllable]] = []
    for syllable in found:
        if syllable.text.startswith(LINE) or not lines:
            lines.append([])
        lines[-1].append(syllable)
    return lines


def write_lrc(found: Sequence[Syllable], path: str | Path, *, title: str | None = None) -> Path:
    """Timed lyrics: `[mm:ss.xx]` per line, `<mm:ss.xx>` before every word (enhanced LRC)."""
    out = [f"[ti:{title}]"] if title else []
    for line in _lines(found):
        text = ""
        new_word = True
        for syllable in line:
            plain = syllable.text.lstrip(LINE)
            if new_word:
                text += f"<{lrc_time(syllable.seconds)}>"
            text += plain.rstrip("-")
            new_word = not plain.endswith("-")
            if new_word:
                text += " "
        out.append(f"[{lrc_time(line[0].seconds)}]{text.strip()}")
    return _saved(Path(path), lambda target: target.write_text("\n".join(out) + "\n", encoding="utf-8"))


def kar_text(found: Sequence[Syllable]) -> list[str]:
    """The syllables as .kar text events: `\\` before the first line, `/` before the others, a
    space after a word's last syllable.

    >>> kar_text([Syllable(Fraction(0), 0.0, "/sa-"), Syllable(Fraction(1, 4), 0.1, "rang"),
    ...           Syllable(Fraction(1, 2), 0.2, "/hey")])
    ['\\\\sa', 'rang ', '/hey ']
    """
    texts = []
    for index, syllable in enumerate(found):
        plain = syllable.text.lstrip(LINE)
        word = plain[:-1] if plain.endswith("-") else plain + " "
        if syllable.text.startswith(LINE):
            word = ("\\" if index == 0 else "/") + word
        texts.append(word)
    return texts


def write_kar(notes: Mapping[str, list[PlayedNote]], tempo: TempoMap, path: str | Path, *,
              roles: Mapping[str, str] | None = None, title: str = "livecode") -> Path:
    """A karaoke MIDI file: the song (as `write_song`) with a `Words` track of the syllables."""
    target = Path(path)
    write_song(notes, tempo, target, roles=roles, title=title)
    song = mido.MidiFile(str(target), charset="utf-8")
    _, found = syllables(notes, tempo)
    words = mido.MidiTrack()
    words.append(mido.MetaMessage("track_name", name="Words", time=0))
    events: list[tuple[int, int, mido.Message | mido.MetaMessage]] = [
        (0, 0, mido.MetaMessage("text", text="@KMIDI KARAOKE FILE")),
        (0, 1, mido.MetaMessage("text", text="@LENGL")),
        (0, 2, mido.MetaMessage("text", text=f"@T{title}")),
    ]
    for order, (syllable, text) in enumerate(zip(found, kar_text(found), strict=True)):
        tick = _tick(syllable.cycle, tempo.beats_per_cycle)
        events.append((tick, 10 + 2 * order, mido.MetaMessage("text", text=text)))
        events.append((tick, 11 + 2 * order, mido.MetaMessage("lyrics", text=text)))
    _absolute(words, events)
    song.tracks.insert(1, words)
    return _saved(target, lambda path: song.save(str(path)))
