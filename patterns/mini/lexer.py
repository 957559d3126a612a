"""Tokens of the mini-notation: words, punctuation, and the stand-alone `.`, `_` and `..`.

The lexer is a single compiled regular expression run once over the source, so it is linear in
the length of the input. Whitespace is not a token: each token records whether whitespace came
right before it (`spaced`), because a few operators take a number only when it is glued to them
(`a?0.3`, `a@3`, `a!2`).

>>> [(t.kind, t.text) for t in tokenize("bd*2 . [sn]")][:-1]
[('word', 'bd'), ('*', '*'), ('word', '2'), ('.', '.'), ('[', '['), ('word', 'sn'), (']', ']')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patterns.errors import MiniNotationError

__all__ = ["Token", "tokenize", "MAX_SOURCE_LENGTH", "PUNCTUATION", "WORD_KIND", "split_number"]

MAX_SOURCE_LENGTH = 20_000
"""Longest mini-notation source accepted, in characters."""

PUNCTUATION = "[]<>{}(),|*/!@?:%"
"""Characters that are tokens on their own."""

WORD_KIND = "word"

_TOKEN_RE = re.compile(
    r"(?P<ws>[ \t\n\r\u00a0]+)"
    r"|(?P<word>(?:[^\W\d_]|[0-9~\-#.^_])+)"
    r"|(?P<punct>[" + re.escape(PUNCTUATION) + "])"
)

_NUMBER_PREFIX_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE]-?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: `kind` is "word", a punctuation character, ".", "_", ".." or "eof".

    `column` and `end` are 0-based offsets into the source; `spaced` says whether whitespace
    (or the start of the source) came right before it.

    >>> Token("word", "bd", 0, 2, True).end
    2
    """

    kind: str
    text: str
    column: int
    end: int
    spaced: bool


def tokenize(source: str) -> list[Token]:
    """Split `source` into tokens, ending with an "eof" token.

    Raises MiniNotationError for a character that belongs to no token, and for a source longer
    than MAX_SOURCE_LENGTH.

    >>> [t.text for t in tokenize("a _ b..4")]
    ['a', '_', 'b', '..', '4', '']
    >>> tokenize("a ; b")
    Traceback (most recent call last):
    ...
    patterns.errors.MiniNotationError: unexpected character ';' at column 3
      a ; b
        ^
    """
    if len(source) > MAX_SOURCE_LENGTH:
        raise MiniNotationError(
            f"source too long ({len(source)} characters, at most {MAX_SOURCE_LENGTH})",
            source,
            MAX_SOURCE_LENGTH,
        )
    tokens: list[Token] = []
    position = 0
    spaced = True
    length = len(source)
    while position < length:
        match = _TOKEN_RE.match(source, position)
        if match is None:
            raise MiniNotationError(
                f"unexpected character {source[position]!r}", source, position
            )
        end = match.end()
        group = match.lastgroup
        if group == "ws":
            spaced = True
        elif group == "punct":
            tokens.append(Token(match.group(), match.group(), position, end, spaced))
            spaced = False
        else:
            _split_word(match.group(), position, spaced, tokens)
            spaced = False
        position = end
    tokens.append(Token("eof", "", length, length, spaced))
    return tokens


def _split_word(word: str, column: int, spaced: bool, out: list[Token]) -> None:
    """Append the tokens of one run of word characters to `out`.

    A lone "." is the foot separator; leading underscores are `_` (elongation) tokens; ".." is
    the range operator wherever it appears in a word ("0..4" reads as "0 .. 4").
    """
    index = 0
    while index < len(word) and word[index] == "_":
        out.append(_make(word, index, index + 1, column, spaced, "_"))
        index += 1
    while index < len(word):
        found = word.find("..", index)
        if found < 0:
            found = len(word)
        if found > index:
            text = word[index:found]
            out.append(_make(word, index, found, column, spaced, "." if text == "." else WORD_KIND))
        if found < len(word):
            out.append(_make(word, found, found + 2, column, spaced, ".."))
            found += 2
        index = found


def _make(word: str, start: int, stop: int, column: int, spaced: bool, kind: str) -> Token:
    """The token for word[start:stop]; only the first piece of a word keeps `spaced`."""
    return Token(kind, word[start:stop], column + start, column + stop, spaced and start == 0)


def split_number(token: Token) -> tuple[Token, list[Token]] | None:
    """Split a word token into a leading number and the tokens of the rest, or None if the word
    does not start with a number.

    Used for operators that take a number glued to them (`a@3`, `a?0.3`, `a!2`).

    >>> number, rest = split_number(Token("word", "3b", 4, 6, False))
    >>> number.text, [(t.text, t.column) for t in rest]
    ('3', [('b', 5)])
    >>> split_number(Token("word", "bd", 0, 2, False)) is None
    True
    """
    if token.kind != WORD_KIND:
        return None
    match = _NUMBER_PREFIX_RE.match(token.text)
    if match is None:
        return None
    cut = match.end()
    number = Token(WORD_KIND, token.text[:cut], token.column, token.column + cut, token.spaced)
    rest: list[Token] = []
    if cut < len(token.text):
        _split_word(token.text[cut:], token.column + cut, False, rest)
    return number, rest
