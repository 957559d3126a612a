"""The conformance corpora the suite runs: the copy kept in `tests/conformance/` (always) and
`../shared/conformance/` next to the project when it is there.

>>> corpora()[0].name
'conformance'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["corpora", "cases", "expected"]

HERE = Path(__file__).resolve().parent / "conformance"
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
