"""Conformance runner: build the language-neutral cases of `../shared/conformance/` with this
project's API and print their events as JSON in the shape of `expected.json`.

    python -m patterns.conformance CORPUS.json [--only ID_PREFIX]

>>> case = {"id": "x", "mini": None, "source": {"call": "cat", "args": ["a", "b"]},
...         "ops": [["fast", 2]], "cycles": [0, 1]}
>>> [e.value for e in build(case).first_cycle()]
['a', 'b']
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from patterns import constructors, signals
from patterns.errors import PatternError
from patterns.event import Event
from patterns.pattern import Pattern, pure, reify, silence
from patterns.register import registry
from patterns.timespan import TimeSpan

__all__ = [
    "build",
    "build_arg",
    "apply_op",
    "run_case",
    "cycle_bound",
    "query_windows",
    "run_corpus",
    "event_json",
    "value_json",
    "main",
]


def _signals() -> dict[str, Pattern]:
    return {
        "sine": signals.sine,
        "cosine": signals.cosine,
        "saw": signals.saw,
        "isaw": signals.isaw,
        "tri": signals.tri,
        "square": signals.square,
        "rand": signals.rand,
        "perlin": signals.perlin,
        "brand": signals.brand,
        "time": signals.time,
        "silence": silence,
    }


def _calls() -> dict[str, Callable[..., Any]]:
    def registered(name: str) -> Callable[..., Any]:
        return lambda *args: registry[name](*args)

    return {
        "stack": constructors.stack,
        "cat": constructors.cat,
        "slowcat": constructors.slowcat,
        "fastcat": constructors.fastcat,
        "seq": constructors.seq,
        "sequence": constructors.sequence,
        "timeCat": constructors.timecat,
        "timecat": constructors.timecat,
        "polymeter": constructors.polymeter,
        "stepcat": constructors.stepcat,
        "arrange": constructors.arrange,
        "pure": pure,
        "run": constructors.run,
        "irand": signals.irand,
        "binaryN": constructors.binaryN,
        "binary": constructors.binary,
        "chooseCycles": signals.chooseCycles,
        "randcat": signals.randcat,
        "wchooseCycles": signals.wchooseCycles,
        "choose": signals.choose,
        "n": registered("n"),
        "note": registered("note"),
        "s": registered("s"),
    }


def _is_op(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], str)


def build_arg(arg: Any) -> Any:
    """Convert one neutral argument: a PE to a value/Pattern, an FE to a function.

    >>> build_arg({"frac": "1/3"}), build_arg(2)
    (Fraction(1, 3), 2)
    >>> build_arg(["fast", 2])(pure(1)).first_cycle()[0].whole.end
    Fraction(1, 2)
    """
    if isinstance(arg, list):
        ops = [arg] if _is_op(arg) else arg
        steps = [(op[0], [build_arg(a) for a in op[1:]]) for op in ops]

        def composed(pat: Pattern, *_: Any) -> Pattern:
            for name, args in steps:
                pat = apply_op(pat, name, args)
            return pat

        return composed
    if isinstance(arg, dict):
        return _build_pe(arg)
    return arg


def _build_pe(spec: dict[str, Any]) -> Any:
    if "mini" in spec:
        return reify(spec["mini"])
    if "frac" in spec:
        return Fraction(spec["frac"])
    if "value" in spec:
        return pure(spec["value"])
    if "list" in spec:
        return [build_arg(a) for a in spec["list"]]
    if "ref" in spec:
        refs = _signals()
        if spec["ref"] not in refs:
            raise PatternError(f"conformance: unknown ref {spec['ref']!r}")
        return refs[spec["ref"]]
    if "call" in spec:
        calls = _calls()
        name = spec["call"]
        if name not in calls:
            raise PatternError(f"conformance: unknown call {name!r}")
        return calls[name](*[build_arg(a) for a in spec.get("args", [])])
    if "pat" in spec:
        pat = reify(build_arg(spec["pat"]))
        for op in spec.get("ops", []):
            pat = apply_op(pat, op[0], [build_arg(a) for a in op[1:]])
        return pat
    raise PatternError(f"conformance: cannot read argument {spec!r}")


def apply_op(pat: Pattern, name: str, args: Sequence[Any]) -> Pattern:
    """Apply the registered transformation `name` (dotted names are variants) to `pat`.

    >>> [e.value for e in apply_op(pure(1), "add", [2]).first_cycle()]
    [3]
    """
    if name not in registry:
        raise PatternError(f"conformance: unknown operation {name!r}")
    return registry[name].call_method(pat, tuple(args))


def build(case: dict[str, Any]) -> Pattern:
    """The pattern of a conformance case (its `mini` or `source`, then its `ops`).

    >>> [e.value for e in build({"mini": "a b", "ops": [["rev"]]}).onsets(0, 1)]
    ['b', 'a']
    """
    if case.get("mini") is not None:
        pat = reify(case["mini"])
    else:
        pat = reify(build_arg(case["source"]))
    for op in case.get("ops", []):
        pat = apply_op(pat, op[0], [build_arg(a) for a in op[1:]])
    return pat


def _time_json(t: Fraction) -> str:
    return str(t.numerator) if t.denominator == 1 else f"{t.numerator}/{t.denominator}"


def _span_json(span: TimeSpan | None) -> dict[str, str] | None:
    if span is None:
        return None
    return {"begin": _time_json(span.begin), "end": _time_json(span.end)}


def value_json(value: Any) -> Any:
    """A value as plain JSON (tuples become lists, Fractions floats, dict keys sorted).

    >>> value_json({"s": "bd", "n": Fraction(1, 2)})
    {'n': 0.5, 's': 'bd'}
    """
    if isinstance(value, bool) or value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, dict):
        return {str(k): value_json(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [value_json(v) for v in value]
    return str(value)


def event_json(event: Event) -> dict[str, Any]:
    """One event in the corpus format.

    >>> event_json(pure("a").first_cycle()[0])["whole"]
    {'begin': '0', 'end': '1'}
    """
    return {
        "whole": _span_json(event.whole),
        "part": _span_json(event.part),
        "onset": event.has_onset(),
        "value": value_json(event.value),
    }


def cycle_bound(value: Any) -> Fraction:
    """One end of a case's `cycles`: an int, a fraction string ("1/3", "2") or {"frac": "n/d"}.

    >>> cycle_bound("1/3"), cycle_bound(2), cycle_bound({"frac": "-1/2"})
    (Fraction(1, 3), Fraction(2, 1), Fraction(-1, 2))
    >>> cycle_bound("x")
    Traceback (most recent call last):
    ...
    patterns.errors.PatternError: conformance: a cycle bound must be a number or a fraction string like "1/3", got 'x'
    """
    if isinstance(value, dict) and set(value) == {"frac"}:
        value = value["frac"]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PatternError(
            f'conformance: a cycle bound must be a number or a fraction string like "1/3", got {value!r}'
        )
    try:
        return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise PatternError(
            f'conformance: a cycle bound must be a number or a fraction string like "1/3", got {value!r}'
        ) from None


def query_windows(first: Fraction, last: Fraction) -> list[tuple[Fraction, Fraction]]:
    """The windows a case is queried in: [first, last) cut at every whole cycle, so a bound
    between cycles gives a partial first and last window.

    >>> [(str(a), str(b)) for a, b in query_windows(Fraction(1, 3), Fraction(5, 3))]
    [('1/3', '1'), ('1', '5/3')]
    >>> [(str(a), str(b)) for a, b in query_windows(Fraction(-1, 2), Fraction(2))]
    [('-1/2', '0'), ('0', '1'), ('1', '2')]
    """
    if last < first:
        raise PatternError(f"conformance: cycles [{first}, {last}) end before they begin")
    windows: list[tuple[Fraction, Fraction]] = []
    begin = first
    while begin < last:
        end = min(Fraction(begin.numerator // begin.denominator + 1), last)
        windows.append((begin, end))
        begin = end
    return windows


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Build and query a case one cycle at a time (`query_windows`); an error becomes
    {"id", "error"}.

    >>> run_case({"id": "a", "mini": "a", "ops": [], "cycles": [0, 1]})["events"][0]["value"]
    'a'
    >>> [e["part"] for e in run_case({"id": "b", "mini": "a", "ops": [], "cycles": ["1/2", "3/2"]})["events"]]
    [{'begin': '1/2', 'end': '1'}, {'begin': '1', 'end': '3/2'}]
    """
    try:
        pat = build(case)
        first, last = case["cycles"]
        events: list[dict[str, Any]] = []
        for begin, end in query_windows(cycle_bound(first), cycle_bound(last)):
            events.extend(event_json(e) for e in pat.query_arc(begin, end))
    except Exception as err:  # noqa: BLE001 - one failing case must not stop the runner
        return {"id": case.get("id"), "error": f"{type(err).__name__}: {err}"}
    return {"id": case.get("id"), "events": events}


def run_corpus(path: Path, only: str | None = None) -> dict[str, Any]:
    """Run every case of a corpus file (optionally only ids starting with `only`).

    >>> import tempfile, os
    >>> tmp = Path(tempfile.mkdtemp()) / "c.json"
    >>> _ = tmp.write_text(json.dumps({"cases": [{"id": "a", "mini": "a", "ops": [], "cycles": [0, 1]}]}))
    >>> len(run_corpus(tmp)["results"])
    1
    """
    data = json.loads(Path(path).read_text())
    cases = data["cases"] if isinstance(data, dict) else data
    return {"results": [run_case(c) for c in cases if only is None or c["id"].startswith(only)]}


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry: print the results of a corpus as JSON."""
    parser = argparse.ArgumentParser(prog="python -m patterns.conformance", description=__doc__)
    parser.add_argument("corpus", type=Path, help="a corpus.json file")
    parser.add_argument("--only", help="only case ids starting with this prefix")
    options = parser.parse_args(argv)
    json.dump(run_corpus(options.corpus, options.only), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

