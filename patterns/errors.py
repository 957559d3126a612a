"""The project's exception hierarchy root and the pattern engine's errors.

`LivecodeError` is the one root class of every error livecode raises on purpose. It lives
here, in the dependency-free leaf of the project, so that `synths` and `livecode` can
subclass it without `patterns` importing either of them.

>>> try:
...     raise MiniNotationError("unexpected ']'", "bd ]", 3)
... except LivecodeError as err:
...     print(err)
unexpected ']' at column 4
  bd ]
     ^
"""

from __future__ import annotations

__all__ = [
    "LivecodeError",
    "PatternError",
    "MiniNotationError",
    "PatternArgumentError",
    "ControlError",
    "TheoryError",
    "RunawayError",
    "DrumProgramError",
    "UnknownProgressionError",
    "GeneratorError",
    "LyricsError",
    "TransitionError",
    "NoteListError",
]


class LivecodeError(Exception):
    """Root of every error livecode raises deliberately."""


class PatternError(LivecodeError):
    """A pattern could not be built or queried."""


class MiniNotationError(PatternError, ValueError):
    """A syntax error in a mini-notation string; points a caret at the column.

    `column` is 0-based in `source`; the message shows it 1-based.
    """

    def __init__(self, message: str, source: str, column: int) -> None:
        self.reason = message
        self.source = source
        self.column = max(0, min(column, len(source)))
        one_line = source.replace("\n", " ")
        caret = " " * self.column + "^"
        super().__init__(f"{message} at column {self.column + 1}\n  {one_line}\n  {caret}")

    def one_line(self) -> str:
        """The error as a single line, for a status bar or a log."""
        return f"mini-notation: {self.reason} at column {self.column + 1} in {self.source!r}"

    def __reduce__(self) -> tuple[type[MiniNotationError], tuple[str, str, int]]:
        """Pickled with its fields (the default would call `__init__` with the message alone)."""
        return type(self), (self.reason, self.source, self.column)


class PatternArgumentError(PatternError, TypeError):
    """A transformation was called with the wrong number or kind of arguments."""


class ControlError(PatternError, ValueError):
    """An unknown control name, or a control value of the wrong type or out of range."""


class TheoryError(PatternError, ValueError):
    """An unknown note name, scale, chord symbol or roman numeral."""


class RunawayError(PatternError, ValueError):
    """A speed-up or a count so large that querying the pattern would never end (`fast(1e9)`,
    `"bd*1e9"`, `chop(1e9)`): refused before any work, so nothing else waits for it."""


class DrumProgramError(PatternError, ValueError):
    """An unknown drum program, variation or fill setting (`drums("trapp")`, a variation the
    program does not have), or a grid that cannot be read or drawn."""


class UnknownProgressionError(TheoryError):
    """A chord progression that is neither a known name (`"royal road"`) nor roman numerals."""


class GeneratorError(PatternError, ValueError):
    """A melody or rhythm generator (motif, walk, Markov chain, L-system) was given settings it
    cannot use: a density outside 0 .. 1, an empty source, an L-system that grows past its limit."""


class LyricsError(PatternError, ValueError):
    """Lyrics that cannot be attached: empty text, or events that are not control maps."""


class TransitionError(PatternError, ValueError):
    """A transition or song-form transform that cannot be built: an unknown name
    (`transition("risr")`), bars or a period out of range, `every` shorter than `bars`."""


class NoteListError(PatternError, ValueError):
    """Bad notes for `note_list` (e.g. an imported MIDI file's notes): the field is named."""
