"""The conductor: plays a song form, switching every track of a section on one boundary.

The session owns one `Conductor` (`session.song`). While a song plays it is a scheduler
follower: at the start of every tick it looks whether the next section boundary falls in the window the tick is about to
schedule, and if so arms the next section there, for every track at once, with
`Track.play_at(pattern, boundary)`; the tick then queries each track up to the boundary with
its old pattern and from it with the new one, so the switch is exact to the sample in a render
and on the scheduler's cycle boundary live. Arming only just before the boundary leaves the
performer's own `d1 >> ...` lines in force until then.

Navigation is state the next boundaries read: `goto(name, at=...)` sets a jump, `loop(name)`
jumps and holds, `next()` moves on; all of them take effect at a boundary in the future (the
next bar by default), never in what is already sent.

>>> from livecode.clock import ManualClock
>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> song = session.song
>>> from patterns import s
>>> _ = song.define("a", {"d1": s("bd")}); _ = song.define("b", {"d1": s("sd")})
>>> song.play_form([["a", 2], ["b", 1]])
<song a 2 · b 1 = 3 bars, 0:06>
>>> song.seek(Fraction(2))          # what the scheduler's ticks do as time passes
>>> [song.label(c) for c in (0.5, 1.5, 2.5)]
['a 1/2 (1 left) → b', 'a 2/2 (0 left) → b', 'b 1/1 (0 left) → end']
>>> session.close()
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

import patterns
from livecode.clock import TempoMap
from livecode.errors import SongError
from livecode.scheduler import Scheduler
from livecode.song.form import Form, parse_form
from livecode.song.section import Section, check_name, make_section
from livecode.tracks import Track, TrackTable
from patterns.pattern import Pattern, did_you_mean

if TYPE_CHECKING:
    from livecode.outputs import Outputs

__all__ = ["Conductor", "SongHost", "Entry", "Jump", "ARM_MARGIN", "PROBE_CYCLES", "SECTION_SOURCE"]

ARM_MARGIN = Fraction(1, 16)
"""A boundary is armed when it falls within this many cycles after the coming tick's window."""
PROBE_CYCLES = 4
"""A section's patterns are queried over this many cycles when it is defined (instruments)."""
END = ""
"""The section name of the entry that marks the end of a song."""
SECTION_SOURCE = "# {track}: played by the song's sections (below)"
"""What a set file says for a track whose pattern a section set (`save()`, `keep()`)."""


class SongHost(Protocol):
    """What the conductor needs from its session (`livecode.session.Session`)."""

    lock: threading.RLock
    tracks: TrackTable
    tempo: TempoMap
    scheduler: Scheduler
    outputs: Outputs

    def warn(self, message: str) -> None:
        """Show a warning to the performer."""
        ...

    def validate_events(self, track: Track, values: list[object]) -> None:
        """Check event values for `track` and create their instruments in the engine."""
        ...


@dataclass(frozen=True, slots=True)
class Entry:
    """A section armed at a cycle: which, from when, how long (None: held until moved on),
    which part of the form (None: a section outside the form) and the part it came after."""

    section: str
    start: Fraction
    bars: int | None
    index: int | None
    came_from: int = -1

    @property
    def end(self) -> Fraction | None:
        """The cycle where this entry ends (None: open)."""
        return None if self.bars is None else self.start + self.bars


@dataclass(frozen=True, slots=True)
class Jump:
    """Where `goto`/`loop`/`next` lands: the section, the cycle and the bar (1-based).

    >>> Jump("chorus", Fraction(32), None, False)
    chorus at bar 33
    """

    section: str
    cycle: Fraction
    index: int | None
    hold: bool

    @property
    def bar(self) -> int:
        """The bar (counted from 1) where the jump lands."""
        return math.floor(self.cycle) + 1

    def __repr__(self) -> str:
        return f"{self.section or 'end'} at bar {self.bar}" + (" (held)" if self.hold else "")


class _FormView:
    """`song(...)`'s value: shows the form and how long it lasts in the REPL.

    >>> from livecode.song.form import Part
    >>> _FormView(Form((Part("a", 8),)), 15.5)
    <song a 8 = 8 bars, 0:16>
    """

    def __init__(self, form: Form, seconds: float) -> None:
        self.form = form
        self.seconds = seconds

    def __repr__(self) -> str:
        minutes, seconds = divmod(round(self.seconds), 60)
        return f"<song {self.form}, {minutes}:{seconds:02d}>"


class Conductor:
    """Sections, the song form and where the song is (see the module doc)."""

    def __init__(self, host: SongHost) -> None:
        self._host = host
        self.sections: dict[str, Section] = {}
        self.form: Form | None = None
        self.playing = False
        self.hold = False
        self.origin = Fraction(0)          # the cycle where the song's first part began
        self.current: Entry | None = None
        self.history: deque[Entry] = deque(maxlen=32)
        self._pending: Jump | None = None
        self._silenced: dict[str, Pattern | None] = {}
        self._resume_bpm: float | None = None
        self._warned_late = False

    # -- defining --------------------------------------------------------------------------------
    def define(self, name: object, patterns_by_track: Mapping[str, object], *, like: object = None,
               source: str | None = None, **options: object) -> Section:
        """Define (or redefine) a section; a section that is playing takes its new patterns at
        the next bar. The patterns are queried now (an error is one line naming the track) and
        their instruments created, so the switch itself costs nothing."""
        base = None
        if like is not None:
            base = self.sections.get(check_name(like, "section like="))
            if base is None:
                raise SongError(f"section: like={like!r} is not a section{self._known(str(like))}")
        section = make_section(name, patterns_by_track, base=base, source=source, **options)
        for track_name in section.tracks:
            self._prepare(track_name, section.pattern_for(track_name, Fraction(0)))
        with self._host.lock:
            self.sections[section.name] = section
            current = self.current
            if self.playing and current is not None and current.section == section.name:
                at = self._next_bar()
                for track_name in section.tracks:
                    self._play(track_name, section.pattern_for(track_name, current.start), at)
        return section

    def _prepare(self, track_name: str, pattern: Pattern) -> None:
        track = self._host.tracks[track_name]
        onsets = pattern.onsets(0, PROBE_CYCLES)[:256]
        self._host.validate_events(track, [event.value for event in onsets])

    def _known(self, name: str) -> str:
        names = sorted(self.sections)
        listed = ", ".join(names) if names else "none yet: define them with section(...)"
        return f"{did_you_mean(name, names)}; sections: {listed}"

    def section_named(self, name: object, who: str) -> Section:
        """The section called `name`, or one SongError line naming the known ones."""
        label = check_name(name, who)
        section = self.sections.get(label)
        if section is None:
            raise SongError(f"{who}: unknown section {label!r}{self._known(label)}")
        return section

    # -- the form --------------------------------------------------------------------------------
    def play_form(self, parts: Sequence[object], *, end: object = "stop", source: str | None = None) -> _FormView:
        """Set the song form. With no song playing it starts at the next bar (cycle 0 in a set
        file); a song that plays keeps its place (the same section goes on) in the new form."""
        form = parse_form(parts, self.sections, end, source)
        with self._host.lock:
            self.form = form
            current = self.current
            if self.playing and current is not None:
                self._refit(form, current)
            else:
                self.origin = self._next_bar()
                self._start(Entry(form.parts[0].section, self.origin, form.parts[0].bars, 0))
        return _FormView(form, self._seconds(form))

    def _seconds(self, form: Form) -> float:
        """How long the form lasts: each part at its section's tempo, else the tempo now."""
        beats = self._host.tempo.beats_per_cycle
        now = self._host.tempo.bpm
        return sum(part.bars * beats * 60.0 / (self.sections[part.section].bpm or now) for part in form.parts)

    def _refit(self, form: Form, current: Entry) -> None:
        """Keep the playing section's place in a new form."""
        index = current.index
        if index is None or index >= len(form.parts) or form.parts[index].section != current.section:
            index = form.find(current.section)
        if index is not None:
            refit = Entry(current.section, current.start, form.parts[index].bars, index, index - 1)
        else:
            refit = Entry(current.section, current.start, current.bars, None, -1)
        if self.history and self.history[-1] == current:
            self.history[-1] = refit
        self.current = refit

    def _start(self, entry: Entry) -> None:
        self.playing, self.hold, self._pending = True, False, None
        scheduler = self._host.scheduler
        if self.follow not in scheduler.followers:     # a follower only while a song plays
            scheduler.followers = [*scheduler.followers, self.follow]
        self._arm(entry)

    def _detach(self) -> None:
        """Leave the scheduler's followers (a new list: a tick may be iterating the old one)."""
        scheduler = self._host.scheduler
        scheduler.followers = [follow for follow in scheduler.followers if follow != self.follow]

    def stop(self) -> None:
        """Stop following the form (hush): no section is armed any more."""
        with self._host.lock:
            self.playing, self.hold, self._pending = False, False, None
            self._silenced.clear()
            self._resume_bpm = None
            self._detach()

    # -- navigation ------------------------------------------------------------------------------
    def goto(self, name: object, at: object = "bar") -> Jump:
        """Jump to the next part of the form playing `name`, at the next bar (`at="bar"`), at
        the end of the playing section (`"section"`) or at the next multiple of `at` bars
        counted from the section's first bar; the form goes on from there."""
        section = self.section_named(name, "goto")
        with self._host.lock:
            form, current = self._playing_song("goto")
            index = form.find(section.name, after=current.index)
            if index is None:
                raise SongError(f"goto: section {section.name!r} is not in the song ({', '.join(dict.fromkeys(form.names()))}); "
                                f"loop({section.name!r}) holds it")
            jump = Jump(section.name, self._when(at, current, "goto"), index, False)
            self._pending, self.hold = jump, False
        return jump

    def loop(self, name: object = None, at: object = "bar") -> Jump:
        """Hold a section: `loop()` the one playing, `loop("verse")` jumps there (at the next bar)
        and holds it, even outside the song or with no song; `next()` moves on."""
        with self._host.lock:
            current = self.current if self.playing else None
            if name is None:
                if current is None or current.section == END:
                    raise SongError("loop: nothing is playing to hold; loop('verse') starts a section")
                self.hold = True
                return Jump(current.section, current.start, current.index, True)
            section = self.section_named(name, "loop")
            index = self.form.find(section.name, after=current.index if current else None) if self.form else None
            if current is None or current.section == END:
                self._start(self._entry(section.name, index, self._next_bar(), -1))
                self.hold = True
                return Jump(section.name, self.current.start if self.current else Fraction(0), index, True)
            jump = Jump(section.name, self._when(at, current, "loop"), index, True)
            self._pending, self.hold = jump, True
        return jump

    def next(self, at: object = "bar") -> Jump:
        """Move on to the part after the one playing (a hold ends), at the next bar by default."""
        with self._host.lock:
            _, current = self._playing_song("next")
            cycle = self._when(at, current, "next")
            following = self._following(current, cycle)
            if following is None:
                jump = Jump(END, cycle, None, False)
            else:
                jump = Jump(following.section, cycle, following.index, False)
            self._pending, self.hold = jump, False
        return jump

    def _playing_song(self, who: str) -> tuple[Form, Entry]:
        current = self.current
        if self.form is None or not self.playing or current is None or current.section == END:
            raise SongError(f"{who}: no song is playing; start one with song(['intro', 8], ['verse', 16], ...) "
                            "(or hold a section with loop('verse'))")
        return self.form, current

    def _when(self, at: object, current: Entry, who: str) -> Fraction:
        """The cycle a jump lands on: the next bar, the section's end, or the next multiple of
        `at` bars from the section's start (never past the section's end)."""
        bar = self._next_bar()
        end = current.end
        if at == "bar":
            cycle = bar
        elif at == "section":
            cycle = end if end is not None else bar
        elif isinstance(at, (int, float)) and not isinstance(at, bool) and at >= 1 and at == int(at):
            step = int(at)
            cycle = current.start + math.ceil((bar - current.start) / step) * step
        else:
            raise SongError(f"{who}: at must be 'bar', 'section' or a whole number of bars, got {at!r}")
        return cycle if end is None else min(max(cycle, bar), end)

    def _next_bar(self) -> Fraction:
        return Fraction(math.ceil(self._host.scheduler.horizon))

    # -- following the scheduler ----------------------------------------------------------------
    def follow(self, horizon: Fraction) -> None:
        """Scheduler follower (start of each tick, under the session's lock): arm the next
        section when its boundary falls in the window the tick will schedule."""
        if not self.playing or self.current is None:
            return
        boundary = self._next_boundary()
        if boundary is None:
            return
        scheduler = self._host.scheduler
        if boundary > scheduler.target_cycle(scheduler.clock.now()) + ARM_MARGIN:
            return
        if boundary < horizon:                         # a stalled scheduler: come in at the next bar
            if not self._warned_late:
                self._warned_late = True
                self._host.warn(f"song: the switch at bar {math.floor(boundary) + 1} came late; "
                                f"it lands at bar {math.ceil(horizon) + 1}")
            boundary = Fraction(math.ceil(horizon))
        self.advance(boundary)

    def next_boundary(self) -> Fraction | None:
        """The cycle where the next section (or a jump, or the end) comes in; None if nothing will."""
        return self._next_boundary()

    def _next_boundary(self) -> Fraction | None:
        current = self.current
        if current is None:
            return None
        end = current.end
        if self._pending is not None:
            return self._pending.cycle if end is None else min(self._pending.cycle, end)
        return end

    def advance(self, at: Fraction) -> None:
        """Arm what comes at boundary `at`: a pending jump, the held section again, the next
        part, or the end of the song."""
        current = self.current
        if current is None:
            return
        jump, self._pending = self._pending, None
        if jump is not None and jump.cycle <= at:
            came_from = current.index if current.index is not None else current.came_from
            entry = None if jump.section == END else self._entry(jump.section, jump.index, at, came_from)
        elif jump is not None:                         # the section ended before the jump
            self._pending = jump
            entry = self._again(current, at) if self.hold else self._following(current, at)
        elif self.hold:
            entry = self._again(current, at)
        else:
            entry = self._following(current, at)
        if entry is None:
            self._end(at)
        else:
            self._arm(entry)

    def seek(self, cycle: Fraction) -> None:
        """Arm every boundary up to `cycle` at once (before anything was sent: a render that
        starts there); the tracks end up as the song has them at `cycle`."""
        with self._host.lock:
            while self.playing:
                boundary = self._next_boundary()
                if boundary is None or boundary > cycle:
                    break
                self.advance(boundary)

    def _entry(self, section: str, index: int | None, at: Fraction, came_from: int) -> Entry:
        if index is not None and self.form is not None:
            return Entry(section, at, self.form.parts[index].bars, index, index - 1)
        return Entry(section, at, self.sections[section].bars, None, came_from)

    def _again(self, current: Entry, at: Fraction) -> Entry:
        return Entry(current.section, at, current.bars, current.index, current.came_from)

    def _following(self, current: Entry, at: Fraction) -> Entry | None:
        form = self.form
        if form is None:
            return None
        index = (current.index if current.index is not None else current.came_from) + 1
        if index >= len(form.parts):
            if form.end == "stop":
                return None
            index = 0 if form.end == "loop" else len(form.parts) - 1
        return self._entry(form.parts[index].section, index, at, index - 1)

    # -- arming ------------------------------------------------------------------------------------
    def _arm(self, entry: Entry) -> None:
        """Every track the section touches swaps at `entry.start`; tempo too."""
        section, at = self.sections[entry.section], entry.start
        for name in section.tracks:
            self._play(name, section.pattern_for(name, at), at)
        for name, before in list(self._silenced.items()):
            if name not in section.mute:
                del self._silenced[name]
                if name not in section.tracks and before is not None and section.others == "keep":
                    self._play(name, before, at)
        for name in section.mute:
            if name not in self._silenced:
                self._silenced[name] = self._host.tracks[name].playing_at(at)
            self._play(name, patterns.silence, at)
        if section.others == "stop":
            for track in self._host.tracks:
                if track.name not in section.tracks and track.name not in section.mute \
                        and track.playing_at(at) is not None:
                    self._play(track.name, patterns.silence, at)
        self._tempo(section, at)
        self.current = entry
        self.history.append(entry)

    def _play(self, name: str, pattern: Pattern, at: Fraction) -> None:
        self._host.tracks[name].play_at(pattern, at, source=SECTION_SOURCE.format(track=name))

    def _tempo(self, section: Section, at: Fraction) -> None:
        tempo = self._host.tempo
        if section.bpm is not None:
            if self._resume_bpm is None:
                self._resume_bpm = tempo.bpm
            self._set_bpm(section.bpm, at)
        elif self._resume_bpm is not None:
            self._set_bpm(self._resume_bpm, at)
            self._resume_bpm = None

    def _set_bpm(self, bpm: float, at: Fraction) -> None:
        if self._host.tempo.bpm == bpm:
            return
        self._host.tempo.set_bpm(bpm, after_cycle=at)
        self._host.outputs.use_engine("set_tempo", lambda engine: engine.set_tempo(bpm))

    def _end(self, at: Fraction) -> None:
        """The song is over: every track stops at `at` (tails ring out)."""
        for track in self._host.tracks:
            if track.playing_at(at) is not None:
                self._play(track.name, patterns.silence, at)
        self.playing = False
        self._detach()
        entry = Entry(END, at, None, None)
        self.current = entry
        self.history.append(entry)

    # -- where we are ----------------------------------------------------------------------------
    def entry_at(self, cycle: float) -> tuple[Entry | None, Entry | None]:
        """The entry sounding at `cycle` and the one armed after it (if any)."""
        with self._host.lock:
            history = list(self.history)
        for position in range(len(history) - 1, -1, -1):
            if history[position].start <= cycle:
                later = history[position + 1] if position + 1 < len(history) else None
                return history[position], later
        return None, None

    def finished(self, cycle: float) -> bool:
        """True once a song has ended (`end="stop"`) by `cycle`: `livecode play` stops there.

        >>> from livecode.session import Session
        >>> Session.create(audio="none").song.finished(100.0)
        False
        """
        entry, _ = self.entry_at(cycle)
        return entry is not None and entry.section == END

    def coming(self, entry: Entry, later: Entry | None) -> str:
        """What comes after `entry`: the armed entry, else the pending jump, the hold or the
        next part ("end" after the last)."""
        if later is not None:
            return later.section or "end"
        pending = self._pending
        if pending is not None:
            return pending.section or "end"
        if self.hold:
            return entry.section
        following = self._following(entry, Fraction(0))
        return following.section if following is not None else "end"

    def label(self, cycle: float) -> str:
        """The status bar's song cell at `cycle`: section, bar in it, bars left, what is next
        ("" with no song or section playing).

        >>> from livecode.session import Session
        >>> Session.create(audio="none").song.label(3.0)
        ''
        """
        entry, later = self.entry_at(cycle)
        if entry is None or entry.section == END:
            return ""
        bar = math.floor(cycle - entry.start) + 1
        hold = " ⟲" if self.hold and later is None and self._pending is None else ""
        if entry.bars is None:
            return f"{entry.section} {bar}{hold}"
        left = max(0, entry.bars - bar)
        return f"{entry.section} {bar}/{entry.bars} ({left} left){hold} → {self.coming(entry, later)}"

    def sources(self) -> list[str]:
        """The statements that defined the sections and the form (for `keep()`)."""
        lines = [s.source for s in self.sections.values() if s.source]
        if self.form is not None and self.form.source:
            lines.append(self.form.source)
        return lines

    def length(self) -> Fraction:
        """The form's length in bars; SongError without a song."""
        if self.form is None:
            raise SongError("render --song: the set defines no song; add song(['intro', 8], ...) or give --bars")
        return self.form.length

    def end_cycle(self) -> Fraction:
        """The cycle where the form ends (its start plus its length)."""
        return self.origin + self.length()

    def start_of(self, name: str) -> Fraction:
        """The first cycle of the first part playing `name` (the song starts at cycle 0)."""
        if self.form is None:
            raise SongError(f"render --from {name}: the set defines no song")
        index = self.form.find(check_name(name, "--from"))
        if index is None:
            raise SongError(f"render --from: {name!r} is not a section of the song "
                            f"({', '.join(dict.fromkeys(self.form.names()))})")
        return self.origin + self.form.start_of(index)

