"""The prelude's song names, bound to a session: `section`, `song`, `goto`, `loop`, `next`, `keep`.

`loop` and `next` keep their other meanings: `loop(2)` (a number, a pattern, or a mini-notation
string of numbers like `"1 2"`) is still the sample-loop control, and `next(iterator)` still Python's builtin; only `loop("verse")`,
`loop()` and `next()` with no positional argument are song navigation.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> names = song_functions(session, lambda f: f)
>>> sorted(names)
['goto', 'keep', 'loop', 'next', 'section', 'song']
>>> names["next"](iter([7]))
7
>>> names["goto"]("chorus")
Traceback (most recent call last):
...
livecode.errors.SongError: goto: unknown section 'chorus'; sections: none yet: define them with section(...)
>>> session.close()
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livecode.song.conductor import Jump
from livecode.song.keep import Kept, keep_moment
from livecode.song.section import Section
from livecode.tracks import current_source
from patterns.controls import loop as loop_control

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["song_functions"]

Marker = Callable[[Callable[..., object]], Callable[..., object]]


def song_functions(session: Session, as_action: Marker) -> dict[str, Callable[..., object]]:
    """The song functions of the prelude bound to `session`; `as_action` marks the ones that
    touch the world outside the session (files), skipped while a journal is replayed."""
    conductor = session.song

    def section(name: str, *, like: str | None = None, bpm: float | None = None, key: object = None,
                mute: object = None, others: str | None = None, start: str | None = None,
                bars: int | None = None, tracks: dict[str, object] | None = None,
                **patterns: object) -> Section:
        """Name what tracks play in a song section. Example: section("verse", d1=drums("house"), d5=note("a1"))"""
        given = dict(tracks or {})
        given.update(patterns)
        return conductor.define(name, given, like=like, source=current_source(), bpm=bpm, key=key,
                                mute=mute, others=others, start=start, bars=bars)

    def song(*parts: object, end: str = "stop") -> object:
        """The song form: sections and bars (a third number repeats). Example: song(["intro", 8], ["verse", 16, 2])"""
        return conductor.play_form(parts, end=end, source=current_source())

    def goto(name: str, at: object = "bar") -> Jump:
        """Jump to a section of the song at the next bar (at="section": its end; at=4: 4-bar grid). Example: goto("chorus")"""
        return conductor.goto(name, at)

    def loop(name: Any = None, at: object = "bar") -> object:
        """Hold a section (loop() the one playing); loop(2) is still the sample-loop control. Example: loop("verse")"""
        if name is None or isinstance(name, str) and any(char.isalpha() for char in name):
            return conductor.loop(name, at)
        return loop_control(name)

    def next_(*args: Any, at: object = "bar") -> object:
        """Move on to the next part of the song at the next bar; next(iterator) is Python's. Example: next()"""
        if args:
            return builtins.next(*args)
        return conductor.next(at)

    @as_action
    def keep(path: str | None = None, bars: int = 4) -> Kept:
        """Write what plays now and the bar to a set file, so it can be heard again. Example: keep()"""
        return keep_moment(session, Path(path) if path is not None else None, bars)

    next_.__name__ = "next"
    return {"section": section, "song": song, "goto": goto, "loop": loop, "next": next_, "keep": keep}
