"""The conformance corpora the suite runs: the copy kept in `tests/conformance/` (always) and
`../shared/conformance/` next to the project when it is there; the project's own cases
(`tests/conformance/own_cases.json`, each with its expected events); and the comparison of
events that the corpus README asks for (multisets, exact times, floats within 1e-9).

>>> corpora()[0].name
'conformance'
>>> same_events([{"whole": None, "part": {"begin": "0", "end": "1"}, "onset": False, "value": 0.1 + 0.2}],
...             [{"whole": None, "part": {"begin": "0", "end": "1"}, "onset": False, "value": 0.3}])
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["corpora", "cases", "expected", "own_cases", "same_events"]

HERE = Path(__file__).resolve().parent / "conformance"
OWN = HERE / "own_cases.json"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "conformance"


def corpora() -> list[Path]:
    """The folders holding `corpus.json` and `expected.json`: ours, then the shared one."""
    found = [HERE]
    if (SHARED / "corpus.json").is_file() and (SHARED / "expected.json").is_file():
        found.append(SHARED)
    return found


def cases() -> list[dict[str, Any]]:
    """Every case of every corpus, once per id (ours first)."""
    seen: dict[str, dict[str, Any]] = {}
    for folder in corpora():
        for case in json.loads((folder / "corpus.json").read_text())["cases"]:
            seen.setdefault(case["id"], case)
    return list(seen.values())


def expected() -> dict[str, dict[str, Any]]:
    """The reference result of every case by id (ours first)."""
    seen: dict[str, dict[str, Any]] = {}
    for folder in corpora():
        for result in json.loads((folder / "expected.json").read_text())["results"]:
            seen.setdefault(result["id"], result)
    return seen


def own_cases() -> list[dict[str, Any]]:
    """The project's own cases, written by hand from Strudel's semantics; each holds its
    expected `events`."""
    return list(json.loads(OWN.read_text())["cases"])


def _round(value: Any) -> Any:
    """Floats rounded to 1e-9 so equal-within-tolerance values compare equal as keys."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        rounded = round(float(value), 9)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, dict):
        return tuple(sorted((k, _round(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_round(v) for v in value)
    return value


def _key(event: dict[str, Any]) -> tuple[Any, ...]:
    whole = event["whole"]
    return (
        None if whole is None else (whole["begin"], whole["end"]),
        (event["part"]["begin"], event["part"]["end"]),
        event["onset"],
        _round(event["value"]),
    )


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, abs_tol=1e-9, rel_tol=1e-9)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(_close(x, y) for x, y in zip(a, b))
    return a == b


def same_events(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> bool:
    """Whether two event lists are the same multiset: times exactly, floats within 1e-9."""
    if Counter(map(_key, got)) == Counter(map(_key, want)):
        return True
    if len(got) != len(want):
        return False
    remaining = [_key(e) for e in want]
    for key in map(_key, got):
        match = next((i for i, other in enumerate(remaining) if _close(key, other)), None)
        if match is None:
            return False
        remaining.pop(match)
    return True
