"""Checks that benchmarks/raw_pyo_set.py makes the same sound as livecode: renders a set's first
bars both ways (livecode's offline render, and the raw pyo script replaying the same engine calls)
and compares level and spectrum.

    .venv/bin/python benchmarks/compare_raw_anchor.py examples/kpop.py --bars 8 [--bpm 124]

Prints peak, RMS and integrated loudness of each, the RMS difference per octave band (63 Hz ..
16 kHz), the envelope correlation (RMS in 50 ms windows) and the level per track family window.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synths.loudness import integrated_loudness

__all__ = ["compare", "main", "render_both"]

BANDS = [63.0 * 2.0**i for i in range(9)]


def _db(x: float) -> float:
    return 20.0 * np.log10(max(x, 1e-12))


def _bands(audio: np.ndarray, sr: int) -> list[float]:
    mono = audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1.0 / sr)
    out = []
    for centre in BANDS:
        band = (freqs >= centre / 2**0.5) & (freqs < centre * 2**0.5)
        out.append(10.0 * np.log10(spectrum[band].sum() + 1e-20))
    return out


def compare(livecode_wav: Path, raw_wav: Path, raw_offset: int, seconds: float) -> dict[str, object]:
    """Level and spectrum numbers of the two renders over `seconds` (raw from `raw_offset`)."""
    lc, sr = soundfile.read(str(livecode_wav), always_2d=True)
    raw, _ = soundfile.read(str(raw_wav), always_2d=True)
    n = int(seconds * sr)
    lc, raw = lc[:n], raw[raw_offset:raw_offset + n]
    n = min(len(lc), len(raw))
    lc, raw = lc[:n], raw[:n]
    win = int(0.05 * sr)
    env = [np.sqrt((x[: n // win * win] ** 2).mean(axis=1).reshape(-1, win).mean(axis=1)) for x in (lc, raw)]
    bands = [_bands(x, sr) for x in (lc, raw)]
    return {
        "peak dBFS": [_db(float(np.abs(x).max())) for x in (lc, raw)],
        "RMS dBFS": [_db(float(np.sqrt((x**2).mean()))) for x in (lc, raw)],
        "LUFS": [integrated_loudness(x, sr) for x in (lc, raw)],
        "band dB (raw - livecode)": {f"{c:g}": round(float(b - a), 1) for c, a, b in zip(BANDS, *bands)},
        "envelope correlation (50 ms RMS)": float(np.corrcoef(*env)[0, 1]),
        "side/mid dB": [_db(float(np.sqrt(((x[:, 0] - x[:, 1]) ** 2).mean()) / np.sqrt(((x[:, 0] + x[:, 1]) ** 2).mean())))
                        for x in (lc, raw)],
    }


def render_both(set_file: str, bars: int, folder: Path, bpm: float = 124.0) -> dict[str, object]:
    """Render `bars` of `set_file` with livecode and with raw_pyo_set.py (the same notes) in
    `folder`, and compare them (`compare`); also the notes each played."""
    script = str(ROOT / "benchmarks" / "raw_pyo_set.py")
    events = folder / "events.json"
    before = os.times()
    subprocess.run([sys.executable, script, "events", set_file, "--bars", str(bars), "-o", str(events)],
                   check=True, capture_output=True, cwd=ROOT)
    middle = os.times()
    seconds = bars * 240.0 / bpm
    raw = folder / "raw.wav"
    done = subprocess.run([sys.executable, script, "render", str(events), str(raw), "--seconds", str(seconds + 1)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    after = os.times()
    # the raw script plays the first note 0.5 s in; its limiter delays the master by 94 samples
    result = compare(events.with_suffix(".livecode.wav"), raw, 24000 + 94, seconds)
    notes = sum(1 for row in json.loads(events.read_text()) if row[0] == "note")
    result["notes (livecode, raw)"] = [notes, int(done.stdout.split("render: ")[1].split()[0])]
    result["whole command's CPU, s (livecode render, raw render)"] = [
        t.children_user + t.children_system - s.children_user - s.children_system
        for s, t in ((before, middle), (middle, after))
    ]
    return result


def main() -> None:
    """Render both and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set_file")
    parser.add_argument("--bars", type=int, default=8)
    parser.add_argument("--bpm", type=float, default=124.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = render_both(args.set_file, args.bars, Path(folder), args.bpm)
    for key, value in result.items():
        if isinstance(value, list) and isinstance(value[0], float):
            value = "livecode {:.2f}, raw {:.2f}".format(*value)
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
