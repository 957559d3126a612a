"""The project's own conformance cases (`tests/conformance/own_cases.json`), run through the
same runner as the shared corpus (`patterns.conformance.run_case`).

The cases cover the classes of problem the broader Strudel set found, around each instance:
query windows that do not start or end on a whole cycle (`own.window_*`), echo and stut
setting `gain` per copy (`own.echo_*`, `own.stut_*`), and the pick family taking its lookup
as a plain value or a pattern, with Strudel's index rounding, clamping and wrapping
(`own.inhabit*`, `own.pick*`). Their expected events were written by hand from Strudel 1.2's
semantics (the file says so); none comes from this project's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import conformance_corpus
from conformance_corpus import same_events
from patterns.conformance import run_case, run_corpus

__all__: list[str] = []

CASES = conformance_corpus.own_cases()


def test_pat_own_cases_are_new() -> None:
    """Own ids are `own.*`, unique, and never reuse an id of the shared corpus."""
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)) >= 20
    assert all(i.startswith("own.") for i in ids)
    assert not set(ids) & {case["id"] for case in conformance_corpus.cases()}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_pat_own_case(case: dict[str, Any]) -> None:
    result = run_case(case)
    assert "error" not in result, result.get("error")
    assert same_events(result["events"], case["events"]), (
        f"{case['id']}: got {result['events']}\nwant {case['events']}"
    )


@pytest.mark.parametrize("prefix", ["own.window", "own.echo", "own.stut", "own.inhabit", "own.pick"])
def test_pat_own_cases_cover_each_class(prefix: str) -> None:
    assert sum(case["id"].startswith(prefix) for case in CASES) >= 2


def test_pat_own_cases_run_from_the_cli_runner() -> None:
    """The file is a corpus the runner reads as it is (the `events` field is ignored there)."""
    results = run_corpus(conformance_corpus.OWN, only="own.window_thirds")["results"]
    assert [r["id"] for r in results] == ["own.window_thirds"]
    assert [e["value"] for e in results[0]["events"]] == ["b", "c", "a", "b"]


@pytest.mark.parametrize(
    ("cycles", "message"),
    [(["x", 1], "cycle bound"), ([2, 1], "end before they begin"), ([None, 1], "cycle bound")],
)
def test_pat_runner_refuses_bad_windows(cycles: list[Any], message: str) -> None:
    result = run_case({"id": "bad", "mini": "a", "ops": [], "cycles": cycles})
    assert message in result["error"]


def test_pat_runner_windows_concatenate_to_whole_cycles(tmp_path: Path) -> None:
    """Querying [0, 2) as ["0", "1/2"] + ["1/2", "2"] gives the whole-cycle result, cut at 1/2."""
    case = {"id": "c", "mini": "a b", "ops": [["fast", "<1 2>"]], "cycles": [0, 2]}
    whole = run_case(case)["events"]
    first = run_case(case | {"cycles": ["0", "1/2"]})["events"]
    rest = run_case(case | {"cycles": ["1/2", "2"]})["events"]
    assert [e["whole"] for e in first + rest] == [e["whole"] for e in whole]
    assert json.dumps(first[0]["part"]) == '{"begin": "0", "end": "1/2"}'
