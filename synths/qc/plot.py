"""The QC picture: loudness over time, spectrum against the reference, correlation over time.

Drawn with matplotlib's Agg canvas directly (`Figure` + `FigureCanvasAgg`): no pyplot, no global
backend switch, no display needed; fixed margins (`MARGINS`), about 0.15 s of CPU a picture.

>>> import numpy as np, tempfile, os
>>> from synths.qc.report import analyse
>>> sr = 8000; noise = np.random.default_rng(1).standard_normal((sr * 5, 2)) * 0.1
>>> path = plot_report(analyse(noise, sr, name="noise"), os.path.join(tempfile.mkdtemp(), "n.png"))
>>> path.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from synths.errors import QCError
from synths.qc.curves import BAND_CENTRES, POP_REFERENCE, TOLERANCE_DB
from synths.qc.report import QCReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_report", "WIDTH_IN", "HEIGHT_IN", "DPI", "MARGINS"]

WIDTH_IN, HEIGHT_IN, DPI = 9.0, 8.0, 90

MARGINS = {"left": 0.08, "right": 0.98, "top": 0.945, "bottom": 0.06, "hspace": 0.42}
"""Fixed margins (figure fractions): matplotlib's constrained layout measured every label's
extent on each draw, 40 % of a picture's CPU."""


def plot_report(report: QCReport, path: str | Path) -> Path:
    """Draw `report` into a PNG at `path`; returns the path."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    if report.series is None or report.correlation_values is None:
        raise QCError(f"{report.name}: the report has no time series to draw")
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    loudness, spectrum, stereo = figure.subplots(3, 1, height_ratios=[1.2, 1.1, 0.7])
    figure.subplots_adjust(**MARGINS)
    _loudness_panel(loudness, report)
    _spectrum_panel(spectrum, report)
    _correlation_panel(stereo, report)
    figure.suptitle(_title(report), fontsize=10)
    target = Path(path)
    figure.savefig(target, format="png", dpi=DPI)
    return target


def _title(r: QCReport) -> str:
    lufs = f"{r.integrated_lufs:.1f} LUFS" if math.isfinite(r.integrated_lufs) else "silent"
    return (f"{r.name}: {lufs}, LRA {r.loudness_range_lu:.1f} LU, true peak "
            f"{r.true_peak_dbtp:.2f} dBTP, PLR {r.plr_db:.1f} dB, {len(r.warnings)} warning(s)")


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.nan)


def _loudness_panel(axes: Axes, r: QCReport) -> None:
    series = r.series
    assert series is not None
    axes.plot(series.times, _finite(series.momentary), color="#9bb7d4", linewidth=0.7,
              label="momentary (400 ms)")
    axes.plot(series.times, _finite(series.short_term), color="#1f4e79", linewidth=1.6,
              label="short-term (3 s)")
    if math.isfinite(r.integrated_lufs):
        axes.axhline(r.integrated_lufs, color="#333333", linestyle="--", linewidth=1.0,
                     label=f"integrated {r.integrated_lufs:.1f}")
    if r.target is not None:
        axes.axhline(r.target.lufs, color="#c0392b", linestyle=":", linewidth=1.4,
                     label=f"target {r.target.lufs:.0f} ({r.target.name})")
    finite = series.short_term[np.isfinite(series.short_term)]
    top = max(float(finite.max()) if finite.size else -10.0, r.target.lufs if r.target else -60.0)
    axes.set_ylim(top - 30.0, top + 4.0)
    axes.set_xlim(0.0, max(r.duration_s, 1.0))
    axes.set_xlabel("time (s)")
    axes.set_ylabel("loudness (LUFS)")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right", fontsize=7, ncol=2)


def _spectrum_panel(axes: Axes, r: QCReport) -> None:
    reference = np.array(POP_REFERENCE)
    centres = np.array(BAND_CENTRES)
    axes.fill_between(centres, reference - TOLERANCE_DB, reference + TOLERANCE_DB,
                      color="#f0d9a8", alpha=0.6, label=f"pop reference +-{TOLERANCE_DB:.0f} dB")
    axes.plot(centres, reference, color="#b9770e", linewidth=1.4)
    known = [i for i, v in enumerate(r.bands_db) if v is not None]
    levels = np.array([r.bands_db[i] for i in known], dtype=float)
    axes.plot(centres[known], levels, color="#1f4e79", marker="o", linewidth=1.6,
              label="this file (octave-band share)")
    axes.set_xscale("log")
    axes.set_xticks(centres, [f"{c / 1000:g}k" if c >= 1000 else f"{c:g}" for c in centres])
    axes.minorticks_off()
    low = min(float(np.min(levels)) if levels.size else -40.0, float(reference.min()) - TOLERANCE_DB)
    axes.set_ylim(max(low, -60.0) - 3.0, 3.0)
    axes.set_xlabel("octave band (Hz)")
    axes.set_ylabel("share of power (dB)")
    axes.grid(alpha=0.3)
    axes.legend(loc="best", fontsize=7)


def _correlation_panel(axes: Axes, r: QCReport) -> None:
    times, values = r.correlation_times, r.correlation_values
    assert times is not None and values is not None
    axes.plot(times, values, color="#1e8449", linewidth=1.0)
    axes.fill_between(times, np.minimum(values, 0.0), 0.0, color="#c0392b", alpha=0.5)
    axes.axhline(0.0, color="#555555", linewidth=0.6)
    axes.set_ylim(-1.05, 1.05)
    axes.set_xlim(0.0, max(r.duration_s, 1.0))
    axes.set_xlabel("time (s)")
    axes.set_ylabel("stereo correlation")
    axes.text(0.01, 0.06, f"overall {r.correlation:.2f}; mono fold -{r.mono_loss_lu:.1f} LU",
              transform=axes.transAxes, fontsize=7)
    axes.grid(alpha=0.3)
