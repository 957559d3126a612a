"""The mini-notation: Strudel's little language for rhythms, as patterns.

`mini(source)` parses and compiles a string (cached: the same source gives the same Pattern
object); `parse(source)` gives the syntax tree. Any syntax error raises `MiniNotationError`
with the column of the problem.

>>> [(str(e.whole), e.value) for e in mini("bd*2 [sn cp]").first_cycle()]
[('0 → 1/4', 'bd'), ('1/4 → 1/2', 'bd'), ('1/2 → 3/4', 'sn'), ('3/4 → 1', 'cp')]
"""

from __future__ import annotations

from functools import lru_cache

from patterns.errors import MiniNotationError
from patterns.mini.ast import Node
from patterns.mini.compile import build
from patterns.mini.parser import MAX_DEPTH, parse as _parse
from patterns.mini.lexer import MAX_SOURCE_LENGTH
from patterns.pattern import Pattern, set_string_parser

__all__ = ["mini", "parse", "MiniNotationError", "MAX_DEPTH", "MAX_SOURCE_LENGTH", "cache_info"]

_CACHE_SIZE = 1024


def mini(source: str) -> Pattern:
    """The pattern of a mini-notation string.

    >>> [e.value for e in mini("<a b>").query_arc(0, 2)]
    ['a', 'b']
    >>> mini("a b") is mini("a b")
    True
    """
    if not isinstance(source, str):
        raise MiniNotationError(
            f"mini() takes a str, not {type(source).__name__}", repr(source)[:80], 0
        )
    return _mini_cached(source)


@lru_cache(maxsize=_CACHE_SIZE)
def _mini_cached(source: str) -> Pattern:
    return build(parse(source), source)


set_string_parser(mini)  # every string given as a pattern (`reify`) is mini-notation from now on


def parse(source: str) -> Node:
    """The syntax tree of a mini-notation string (see `patterns.mini.ast`), cached.

    >>> type(parse("a, b")).__name__
    'Stack'
    """
    if not isinstance(source, str):
        raise MiniNotationError(
            f"parse() takes a str, not {type(source).__name__}", repr(source)[:80], 0
        )
    return _parse_cached(source)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_cached(source: str) -> Node:
    return _parse(source)


def cache_info() -> tuple[int, int, int]:
    """(hits, misses, current size) of the compiled-pattern cache.

    >>> len(cache_info())
    3
    """
    info = _mini_cached.cache_info()
    return info.hits, info.misses, info.currsize
