"""The sound audit as a table: aliasing, DC, peak at default gain and CPU per voice, for every
instrument and effect the registry knows; writes the tables of docs/sound.md.

Per instrument (`synths.instruments.audit`):
- alias a3 / c7 / c8: dB re the strongest component, at the defaults (pitched instruments);
  "range": the worst at c7 and c8 over the documented ranges of index, detune, cutoff, ratio;
- DC: |mean| of 8 notes every 0.25 s and their tails;
- peak: the loudest stem at default gain over the dense-legato cases (`dense_peak`);
- CPU: µs of DSP per sounding voice per 256-frame block (bench_instruments.measure).
Per effect (`synths.effects.audit`): aliasing and DC of the drum loop through it (defaults), its
peak (and the loop's), CPU µs per block on stereo noise (bench_effects.measure).

    .venv/bin/python benchmarks/bench_sound.py --json after.json [--before before.json]
        [--docs docs/sound.md] [--only supersaw,808:bd,hall] [--no-cpu] [--no-range]

`--before` adds the earlier run's figures beside each one ("before → after").
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from synths._pyo import pyo
from synths.effects import EFFECTS, EffectContext, create
from synths.effects.audit import audit_effect, effect_options
from synths.instruments.audit import (
    ALIAS_LIMITS,
    HIGH_NOTES,
    LOW_NOTE,
    audit_voice,
    dense_dc,
    dense_peak,
    is_tonal,
    range_variants,
    registry_voices,
)
from synths.voice import Voice

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_effects  # noqa: E402
import bench_instruments  # noqa: E402

__all__ = ["instrument_row", "effect_row", "main"]

START = "<!-- sound-tables:start (benchmarks/bench_sound.py writes this part) -->"
END = "<!-- sound-tables:end -->"


def instrument_row(label: str, cls: type[Voice], bank: str | None, *, cpu: bool, ranges: bool) -> dict[str, Any]:
    """The measures of one instrument (see the module doc)."""
    row: dict[str, Any] = {}
    if is_tonal(cls):
        for note in (LOW_NOTE, *HIGH_NOTES):
            row[f"alias_{int(note)}"] = audit_voice(cls, note).alias_db
        if ranges:
            worst = (-math.inf, "")
            for params in range_variants(cls):
                for note in HIGH_NOTES:
                    level = audit_voice(cls, note, params=params).alias_db - ALIAS_LIMITS[note]
                    worst = max(worst, (level, f"{_fmt_params(params)} at {int(note)}"))
            row["alias_range_margin"], row["alias_range_case"] = worst
    row["dc"] = dense_dc(cls)
    row["peak"], row["peak_case"] = dense_peak(cls)
    if cpu:
        name = label.split(":")[-1]
        row["cpu_us"] = bench_instruments.measure(name, bank, 16, 200)[0] * 1e6
    return row


def _fmt_params(params: Mapping[str, float]) -> str:
    return ", ".join(f"{key} {value:g}" for key, value in params.items())


def effect_row(kind: str, *, cpu: bool) -> dict[str, Any]:
    """The measures of one effect (see the module doc)."""
    audit = audit_effect(kind)
    row: dict[str, Any] = {"alias": audit.alias_db, "dc": audit.dc, "peak": audit.peak_dbfs,
                           "input_peak": audit.input_peak_dbfs}
    if cpu:
        row["cpu_us"] = _effect_cpu(kind)
    return row


def _effect_cpu(kind: str, seconds: float = 5.0) -> float:
    p = pyo()
    server = p.Server(sr=48000, nchnls=2, buffersize=256, audio="manual", duplex=0)
    server.setVerbosity(0)
    server.boot().start()
    try:
        key = p.Noise(mul=[0.3, 0.3])
        ctx = EffectContext(48000, 120.0, key_lookup=lambda _name: key)
        blocks = int(seconds * 48000 / 256)
        base = bench_effects.measure(server, lambda src: None, seconds)
        cost = bench_effects.measure(server, lambda src: create(kind, src, ctx, **effect_options(kind)), seconds)
        return max(0.0, cost - base) / blocks * 1e6
    finally:
        server.stop()
        server.shutdown()


def _cell(after: Any, before: Any, spec: str, none: str = "—") -> str:
    def fmt(value: Any) -> str:
        if value is None:
            return none
        if isinstance(value, float) and value <= -199.0 and spec.endswith("f"):
            return "< −150"
        return format(value, spec).replace("-", "−")

    if before is None or fmt(before) == fmt(after):
        return fmt(after)
    return f"{fmt(before)} → {fmt(after)}"


def markdown(after: Mapping[str, Any], before: Mapping[str, Any] | None) -> str:
    """The two tables (instruments, effects) as Markdown, with "before → after" cells."""
    old = before or {"instruments": {}, "effects": {}}
    lines = [
        "| instrument | alias a3 (dB) | alias c7 | alias c8 | worst range case (dB vs limit) |"
        " DC |mean| | peak at default gain (dBFS) | CPU µs/voice/block |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for label, row in after["instruments"].items():
        prev = old["instruments"].get(label, {})
        margin = row.get("alias_range_margin")
        case = "" if margin is None else f"{_cell(margin, prev.get('alias_range_margin'), '+.1f')} ({row['alias_range_case']})"
        lines.append(
            f"| {label} | {_cell(row.get('alias_57'), prev.get('alias_57'), '.1f')} "
            f"| {_cell(row.get('alias_96'), prev.get('alias_96'), '.1f')} "
            f"| {_cell(row.get('alias_108'), prev.get('alias_108'), '.1f')} | {case} "
            f"| {_cell(row['dc'], prev.get('dc'), '.1e')} | {_cell(row['peak'], prev.get('peak'), '.1f')} "
            f"| {_cell(row.get('cpu_us'), prev.get('cpu_us'), '.1f')} |"
        )
    loop = next(iter(after["effects"].values()), {}).get("input_peak")
    old_loop = next(iter(old["effects"].values()), {}).get("input_peak")
    lines += [
        "",
        f"The drum loop (808 bd, sd, hh, oh) peaks at {_cell(loop, old_loop, '.1f')} dBFS.",
        "",
        "| effect | alias on the drum loop (dB) | DC |mean| | peak (dBFS) | CPU µs/block |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, row in after["effects"].items():
        prev = old["effects"].get(kind, {})
        lines.append(
            f"| {kind} | {_cell(row['alias'], prev.get('alias'), '.1f')} | {_cell(row['dc'], prev.get('dc'), '.1e')} "
            f"| {_cell(row['peak'], prev.get('peak'), '.1f')} | {_cell(row.get('cpu_us'), prev.get('cpu_us'), '.1f')} |"
        )
    return "\n".join(lines)


def write_docs(path: Path, table: str, stamp: str) -> None:
    """Replace the part of `path` between the START and END markers with `table`."""
    text = path.read_text()
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{START}\n{stamp}\n\n{table}\n{END}{tail}")


def run(only: set[str], cpu: bool, ranges: bool) -> dict[str, Any]:
    """Measure every instrument and effect (or those named in `only`)."""
    result: dict[str, Any] = {"instruments": {}, "effects": {}}
    for label, cls, bank in registry_voices():
        if only and label not in only:
            continue
        started = time.perf_counter()
        result["instruments"][label] = instrument_row(label, cls, bank, cpu=cpu, ranges=ranges)
        print(f"{label}: {result['instruments'][label]} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    for kind in EFFECTS:
        if only and kind not in only:
            continue
        result["effects"][kind] = effect_row(kind, cpu=cpu)
        print(f"{kind}: {result['effects'][kind]}", file=sys.stderr)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, save JSON, print (and optionally write into docs) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None, help="save the figures here")
    parser.add_argument("--before", type=Path, default=None, help="an earlier --json to compare with")
    parser.add_argument("--docs", type=Path, default=None, help="write the tables into this Markdown file")
    parser.add_argument("--only", default="", help="comma-separated instrument labels / effect kinds")
    parser.add_argument("--no-cpu", action="store_true")
    parser.add_argument("--no-range", action="store_true")
    args = parser.parse_args(argv)
    result = run(set(filter(None, args.only.split(","))), not args.no_cpu, not args.no_range)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1))
    before = json.loads(args.before.read_text()) if args.before is not None else None
    table = markdown(result, before)
    print(table)
    if args.docs is not None:
        stamp = f"Measured {time.strftime('%Y-%m-%d')} on this 2-core VM by `benchmarks/bench_sound.py`" + (
            f" (before: `{args.before.name}`)." if args.before is not None else ".")
        write_docs(args.docs, table, stamp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
