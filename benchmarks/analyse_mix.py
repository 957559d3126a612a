"""What a mix looks like to a mastering engineer: octave bands, stereo image and loudness.

For a rendered WAV (and, with `--stems DIR`, each stem in that folder): the energy of each octave
band from 31.5 Hz to 16 kHz (share of the total and dB re the loudest band), the left/right
correlation (1 mono, 0 unrelated, below 0 out of phase), overall and above 200 Hz (the image
without the mono low end), the side-to-mid energy ratio, the
integrated loudness (ITU-R BS.1770-4) and the 4x-oversampled true peak.

    .venv/bin/python benchmarks/analyse_mix.py kpop.wav [--stems kpop-stems] [--markdown]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal

from livecode.render import read_wav
from synths.loudness import integrated_loudness

__all__ = ["BANDS", "MixAnalysis", "analyse", "main"]

BANDS: tuple[float, ...] = (31.5, 63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0)
"""Octave band centres (Hz); each band spans centre / sqrt(2) .. centre * sqrt(2)."""
HIGH_HZ = 200.0
"""Above this the image is measured again without the (mono) kick and bass."""


@dataclass(frozen=True, slots=True)
class MixAnalysis:
    """The figures of one file (see the module doc)."""

    name: str
    shares: tuple[float, ...]
    """Energy share of each octave band, 0 .. 1."""
    correlation: float
    correlation_high: float
    """The correlation above `HIGH_HZ` (the image of everything but the mono low end)."""
    side_to_mid_db: float
    lufs: float
    true_peak_db: float

    def band_db(self) -> list[float]:
        """Each band in dB re the loudest band."""
        top = max(self.shares)
        return [10.0 * math.log10(max(share, 1e-12) / top) for share in self.shares]


def analyse(path: Path) -> MixAnalysis:
    """Measure one WAV file (stereo or mono)."""
    data, rate = read_wav(path)
    stereo = data if data.shape[1] == 2 else np.repeat(data, 2, axis=1)
    mono = stereo.mean(axis=1)
    freqs, power = signal.welch(mono, fs=rate, nperseg=8192, scaling="spectrum")
    energies = [float(power[(freqs >= c / math.sqrt(2)) & (freqs < c * math.sqrt(2))].sum()) for c in BANDS]
    total = sum(energies) or 1.0
    left, right = stereo[:, 0], stereo[:, 1]
    correlation = _correlation(left, right)
    sos = signal.butter(4, HIGH_HZ, "highpass", fs=rate, output="sos")
    correlation_high = _correlation(signal.sosfilt(sos, left), signal.sosfilt(sos, right))
    mid, side = (left + right) / 2.0, (left - right) / 2.0
    side_db = 10.0 * math.log10(max(float(np.mean(side**2)), 1e-20) / max(float(np.mean(mid**2)), 1e-20))
    over = signal.resample_poly(stereo, 4, 1, axis=0)
    peak = float(np.max(np.abs(over))) if over.size else 0.0
    return MixAnalysis(path.stem, tuple(e / total for e in energies), correlation, correlation_high, side_db,
                       integrated_loudness(stereo, rate), 20.0 * math.log10(max(peak, 1e-12)))


def _correlation(left: np.ndarray, right: np.ndarray) -> float:
    """Pearson-style L/R correlation (1 mono, 0 unrelated, -1 out of phase); 1 for silence."""
    loud = float(np.sqrt(np.mean(left**2)) * np.sqrt(np.mean(right**2)))
    return float(np.mean(left * right)) / loud if loud > 0 else 1.0


def markdown(rows: Sequence[MixAnalysis]) -> str:
    """A table: file, loudness, true peak, correlation, side/mid, then each band (% / dB)."""
    head = (f"| file | LUFS | true peak dBTP | L/R corr. | corr. > {HIGH_HZ:g} Hz | side/mid dB | "
            + " | ".join(f"{c:g} Hz" for c in BANDS) + " |")
    lines = [head, "|---|" + "---:|" * (5 + len(BANDS))]
    for row in rows:
        bands = " | ".join(f"{share * 100:.0f} % ({db:+.0f})" for share, db in zip(row.shares, row.band_db()))
        lines.append(f"| {row.name} | {row.lufs:.1f} | {row.true_peak_db:.1f} | {row.correlation:.2f} "
                     f"| {row.correlation_high:.2f} "
                     f"| {row.side_to_mid_db:.1f} | {bands} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the analysis of a mix and of its stems."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wav", type=Path)
    parser.add_argument("--stems", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = [analyse(args.wav)]
    if args.stems is not None:
        rows += [analyse(path) for path in sorted(args.stems.glob("*.wav")) if path.stem != "master"]
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
