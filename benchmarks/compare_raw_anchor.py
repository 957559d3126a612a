"""Checks that benchmarks/raw_pyo_set.py makes the same sound as livecode: renders a set's first
bars both ways (livecode's offline render, and the raw pyo script replaying the same engine calls)
and compares level and spectrum.

    .venv/bin/python benchmarks/compare_raw_anchor.py examples/kpop.py --bars 8

Prints peak, RMS and integrated loudness of each, the RMS difference per octave band (63 Hz ..
16 kHz), the envelope correlation (RMS in 50 ms windows) and the level per track family window.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synths.loudness import integrated_loudness  # noqa: E402

__all__ = ["compare", "main"]

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
        "band dB (raw - livecode)": {f"{c:g}": round(b - a, 1) for c, a, b in zip(BANDS, *bands)},
        "envelope correlation (50 ms RMS)": float(np.corrcoef(*env)[0, 1]),
        "side/mid dB": [_db(float(np.sqrt(((x[:, 0] - x[:, 1]) ** 2).mean()) / np.sqrt(((x[:, 0] + x[:, 1]) ** 2).mean())))
                        for x in (lc, raw)],
    }


def main() -> None:
    """Render both and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set_file")
    parser.add_argument("--bars", type=int, default=8)
    args = parser.parse_args()
    script = str(ROOT / "benchmarks" / "raw_pyo_set.py")
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "events.json"
        subprocess.run([sys.executable, script, "events", args.set_file, "--bars", str(args.bars), "-o", str(events)],
                       check=True, capture_output=True)
        seconds = args.bars * 240.0 / 124.0 if "kpop" in args.set_file else args.bars * 2.0
        raw = Path(folder) / "raw.wav"
        subprocess.run([sys.executable, script, "render", str(events), str(raw), "--seconds", str(seconds + 1)],
                       check=True, capture_output=True)
        # the raw script plays the first note 0.5 s in; its limiter delays by 94 samples
        result = compare(events.with_suffix(".livecode.wav"), raw, 24000 + 94, seconds)
    for key, value in result.items():
        if isinstance(value, list):
            value = "livecode {:.2f}, raw {:.2f}".format(*value)
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
