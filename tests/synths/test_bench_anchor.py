"""The live benchmark's anchor (benchmarks/raw_pyo_set.py, the K-pop example hand-written in raw
pyo) must keep producing the example's sound: when an instrument, effect or the example changes
and the anchor does not follow, the xrun and CPU comparison of benchmarks/bench_live_engine.py
compares unlike things (issue 8). Two bars rendered both ways, compared by level and spectrum."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from compare_raw_anchor import render_both  # noqa: E402


def test_the_raw_pyo_anchor_sounds_like_the_kpop_example(tmp_path: Path) -> None:
    result = render_both("examples/kpop.py", 2, tmp_path)
    livecode_notes, raw_notes = result["notes (livecode, raw)"]  # type: ignore[misc]
    assert livecode_notes > 100 and raw_notes == livecode_notes
    lufs = result["LUFS"]
    assert abs(lufs[1] - lufs[0]) < 0.5, result                    # type: ignore[index]
    peak = result["peak dBFS"]
    assert abs(peak[1] - peak[0]) < 0.5, result                    # type: ignore[index]
    bands = result["band dB (raw - livecode)"]
    assert all(abs(diff) < 2.0 for diff in bands.values()), result  # type: ignore[union-attr]
    assert result["envelope correlation (50 ms RMS)"] > 0.8, result  # type: ignore[operator]
