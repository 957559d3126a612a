"""Mini-notation speed: tokenizing, parsing and compiling a 1,000-character string, the cached
path, and querying a few typical strings cycle by cycle as the scheduler does.

Run: .venv/bin/python benchmarks/bench_mini.py
Target (issue 2): parsing a 1,000-character string takes under 5 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from patterns import mini
from patterns.mini.compile import build
from patterns.mini.lexer import tokenize
from patterns.mini.parser import parse

__all__ = ["main", "long_source", "timeit_ms"]

PIECES = [
    "bd*2 [~ sn] <hh hh:3 [hh oh]>",
    "{c4 eb4 g4, c3 g3}%<4 8>",
    "[0 .. 7]/2 <1 3 5>(3,8,<0 2>)",
    "sn!3 cp@2 . ~ rim? clap?0.3",
    "[a b|c d e] <x <y z>>!2 q _ _",
    "c#4:2 eb3*<2 3> [f4 g4]*1.5",
]

TYPICAL = [
    "bd*2 <sd cp> [~ bd] sd",
    "hh*8?",
    "{c4 eb4 g4, c3 g3}%4",
    "<0 2 [4 7]>(3,8) [0 .. 7]/2",
    "[a b|c d e] <x <y z>>!2",
]


def long_source(length: int = 1000) -> str:
    """A realistic mini-notation string of exactly `length` characters.

    >>> len(long_source(200))
    200
    """
    text = ""
    index = 0
    while len(text) < length:
        text += ("" if not text else " ") + PIECES[index % len(PIECES)]
        index += 1
    text = text[:length]
    while True:  # cut back to a valid end
        try:
            parse(text)
        except Exception:  # noqa: BLE001 - trim until the prefix is valid
            text = text[:-1]
            continue
        return text.ljust(length)


def timeit_ms(func: Callable[[], object], repeat: int = 200) -> tuple[float, float]:
    """(median, best) milliseconds of `repeat` calls.

    >>> median, best = timeit_ms(lambda: None, 5)
    >>> best <= median
    True
    """
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def _query_rate(source: str, cycles: int = 2000) -> float:
    """Onset events per second querying `source` one cycle at a time."""
    pattern = mini(source)
    start = time.perf_counter()
    count = 0
    for cycle in range(cycles):
        count += sum(1 for e in pattern.query_arc(cycle, cycle + 1) if e.has_onset())
    return count / (time.perf_counter() - start)


def main() -> None:
    """Print the measurements as a Markdown table."""
    source = long_source(1000)
    tree = parse(source)
    rows = [
        ("tokenize 1,000 chars", timeit_ms(lambda: tokenize(source))),
        ("parse 1,000 chars (tokenize + tree)", timeit_ms(lambda: parse(source))),
        ("compile the tree to a Pattern", timeit_ms(lambda: build(tree, source))),
        ("parse + compile (uncached mini)", timeit_ms(lambda: build(parse(source), source))),
        ("mini() cache hit", timeit_ms(lambda: mini(source), 2000)),
    ]
    print(f"source: {len(source)} characters, {source.count(' ') + 1} words")
    print("| step | median ms | best ms |")
    print("| --- | --- | --- |")
    for name, (median, best) in rows:
        print(f"| {name} | {median:.3f} | {best:.3f} |")
    print()
    print("| typical string | onset events/s (2,000 cycles, one cycle per query) |")
    print("| --- | --- |")
    for text in TYPICAL:
        print(f"| `{text}` | {_query_rate(text):,.0f} |")


if __name__ == "__main__":
    main()
