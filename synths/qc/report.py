"""A QC report for any audio: the numbers, the translation check and warnings in words.

`analyse(data, sr)` measures an array, `analyse_file(path)` a file (anything libsndfile reads);
`report.to_dict()` is what `report.json` holds, `report.summary()` the terminal's text, and
`synths.qc.plot.plot_report(report, path)` draws the picture.

>>> import numpy as np
>>> sr = 48000; t = np.arange(sr * 4) / sr
>>> mix = np.stack([np.sin(2 * np.pi * 440 * t)] * 2, axis=1) * 0.25
>>> mix[: sr // 2] = 0.0
>>> report = analyse(mix, sr, name="tone")
>>> round(report.integrated_lufs, 1), report.clipped_samples, round(report.silence_head_s, 2)
(-13.0, 0, 0.5)
>>> [w.code for w in report.warnings if w.code.startswith("silence")]
['silence_head']
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from synths.denormals import flushed
from synths.errors import QCError
from synths.qc import measure
from synths.qc.curves import BAND_CENTRES, BAND_WORDS, POP_REFERENCE, TOLERANCE_DB
from synths.qc.translation import DeviceResult, check_devices

if TYPE_CHECKING:
    from synths.formats import WrittenFile

__all__ = ["Target", "QCWarning", "QCReport", "analyse", "analyse_file", "write_json", "DEFAULT_CEILING"]

DEFAULT_CEILING = -1.0
"""dBTP above which QC warns when no target says otherwise."""

ABRUPT_ONSET_S = 0.0002
"""A file starts abruptly when its first sound is above -20 dBFS within this long (0.2 ms, ~10
samples): a step from silence, as a cut into the middle of a sound makes. A drum hit on the
first beat rises over a millisecond or so (the K-pop example's kick: -34 dBFS after 0.2 ms,
-12 dBFS after 1 ms) and wants no fade-in."""


@dataclass(frozen=True)
class Target:
    """A loudness target: integrated LUFS and a true-peak ceiling in dBTP.

    >>> Target("streaming", -14.0, -1.0).describe()
    'streaming (-14.0 LUFS, -1.0 dBTP)'
    """

    name: str
    lufs: float
    ceiling: float

    def describe(self) -> str:
        """One line for reports."""
        return f"{self.name} ({self.lufs:.1f} LUFS, {self.ceiling:.1f} dBTP)"


@dataclass(frozen=True)
class QCWarning:
    """One problem: a stable code and a sentence."""

    code: str
    message: str


@dataclass
class QCReport:
    """Every QC number of one file; time series for the picture live beside them."""

    name: str
    sample_rate: int
    channels: int
    duration_s: float
    integrated_lufs: float
    short_term_max_lufs: float
    momentary_max_lufs: float
    loudness_range_lu: float
    true_peak_dbtp: float
    true_peak_per_channel_dbtp: list[float]
    sample_peak_dbfs: float
    plr_db: float
    clipped_samples: int
    dc_offset: list[float]
    correlation: float
    mono_loss_lu: float
    bass_correlation: float
    bands_db: list[float | None]
    silence_head_s: float
    silence_tail_s: float
    target: Target | None
    translation: list[DeviceResult]
    warnings: list[QCWarning] = field(default_factory=list)
    series: measure.LoudnessSeries | None = None
    correlation_times: np.ndarray | None = None
    correlation_values: np.ndarray | None = None
    spectrum: tuple[np.ndarray, np.ndarray] | None = None
    file_info: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The JSON form (units in the names; -inf and NaN become null)."""
        bands = [{"centre_hz": c, "level_db": _num(v), "reference_db": r,
                  "deviation_db": None if v is None else _num(v - r)}
                 for c, v, r in zip(BAND_CENTRES, self.bands_db, POP_REFERENCE, strict=True)]
        return {
            "file": self.name, **self.file_info, "sample_rate": self.sample_rate,
            "channels": self.channels, "duration_s": round(self.duration_s, 3),
            "integrated_lufs": _num(self.integrated_lufs),
            "short_term_max_lufs": _num(self.short_term_max_lufs),
            "momentary_max_lufs": _num(self.momentary_max_lufs),
            "loudness_range_lu": _num(self.loudness_range_lu),
            "true_peak_dbtp": _num(self.true_peak_dbtp),
            "true_peak_per_channel_dbtp": [_num(v) for v in self.true_peak_per_channel_dbtp],
            "sample_peak_dbfs": _num(self.sample_peak_dbfs), "plr_db": _num(self.plr_db),
            "clipped_samples": self.clipped_samples,
            "dc_offset": self.dc_offset, "correlation": _num(self.correlation),
            "mono_loss_lu": _num(self.mono_loss_lu), "bass_correlation": _num(self.bass_correlation),
            "spectral_balance": bands,
            "silence_head_s": round(self.silence_head_s, 3),
            "silence_tail_s": round(self.silence_tail_s, 3),
            "target": None if self.target is None else {
                "name": self.target.name, "lufs": self.target.lufs, "ceiling_dbtp": self.target.ceiling},
            "translation": [d.to_dict() for d in self.translation],
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
        }

    def summary(self) -> str:
        """A short text for the terminal."""
        target = "" if self.target is None else f" (target {self.target.lufs:.1f})"
        minutes, seconds = divmod(self.duration_s, 60.0)
        dc = "/".join(f"{v:+.4f}" for v in self.dc_offset)
        spectrum = " ".join(
            f"{_short_hz(c)}:{'--' if v is None else f'{v - r:+.0f}'}"
            for c, v, r in zip(BAND_CENTRES, self.bands_db, POP_REFERENCE, strict=True))
        devices = " | ".join(f"{d.device}: {'ok' if not d.warnings else f'{len(d.warnings)} warning(s)'}"
                             for d in self.translation)
        lines = [
            f"{self.name}  {self.sample_rate} Hz, {self.channels} ch, {int(minutes)}:{seconds:04.1f}",
            f"  loudness  {_fmt(self.integrated_lufs)} LUFS integrated{target}, short-term max "
            f"{_fmt(self.short_term_max_lufs)}, LRA {self.loudness_range_lu:.1f} LU",
            f"  peaks     {_fmt(self.true_peak_dbtp, 2)} dBTP true peak, PLR {_fmt(self.plr_db)} dB, "
            f"{self.clipped_samples} clipped samples, DC {dc}",
            f"  stereo    correlation {self.correlation:.2f}, mono fold -{self.mono_loss_lu:.1f} LU, "
            f"bass correlation {self.bass_correlation:.2f}",
            f"  spectrum  dB vs pop reference  {spectrum}",
            f"  silence   head {self.silence_head_s:.2f} s, tail {self.silence_tail_s:.2f} s",
            f"  devices   {devices}",
        ]
        if self.warnings:
            lines.append(f"  warnings  ({len(self.warnings)})")
            lines += [f"    - {w.message}" for w in self.warnings]
        else:
            lines.append("  warnings  none")
        return "\n".join(lines)


def _short_hz(centre: float) -> str:
    return f"{centre / 1000:g}k" if centre >= 1000 else f"{centre:g}"


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}" if math.isfinite(value) else "-inf"


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 3)


def analyse(
    data: np.ndarray, sr: int, *, name: str = "audio", target: Target | None = None,
    true_peaks: Sequence[float] | None = None,
) -> QCReport:
    """Measure (frames, channels) float audio at `sr` Hz; compare with `target` if given.

    Each measure is computed once: one K-weighting of the file for the loudness series, the
    integrated loudness (gated as pyloudnorm gates) and the mono-fold loss, one spectrum (32768-point Welch: the
    octave bands and the translation rules both read it). `true_peaks` (dBTP per channel), when
    the caller has measured these very samples already (a master checks its ceiling), skips the
    4x oversampling.
    """
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    if audio.shape[0] < int(0.4 * sr) or audio.shape[1] == 0:
        raise QCError(f"{name}: {audio.shape[0] / sr:.2f} s of audio is too short to measure (needs 0.4 s)")
    # denormals flushed: a quiet or silent stretch squared, filtered or transformed makes numbers
    # under 1e-308 that x86 computes ~30x slower (a file with a 35 s silent tail took 0.85 s
    # to analyse instead of 0.42) and that no measure here can tell from 0
    with flushed():
        return _analysed(audio, sr, name, target, true_peaks)


def _analysed(audio: np.ndarray, sr: int, name: str, target: Target | None,
              true_peaks: Sequence[float] | None) -> QCReport:
    weighted = measure.k_weighted(audio, sr)
    series = measure.loudness_series(audio, sr, weighted=weighted)
    integrated = measure.gated_lufs(weighted, sr)
    peaks = list(true_peaks) if true_peaks is not None else measure.true_peaks_db(audio, sr)
    if len(peaks) != audio.shape[1]:
        raise QCError(f"{name}: {len(peaks)} true peaks given for {audio.shape[1]} channels")
    lra = measure.loudness_range(series.full_short_term if series.full_short_term.size
                                 else series.short_term)
    fine = measure.spectrum(audio, sr, resolution=1 << 15)
    freqs, psd = fine
    mono_loss = measure.mono_loss_db(audio, sr, weighted=weighted)
    head, tail = measure.silence(audio, sr)
    times, corr = measure.correlation_series(audio, sr)
    bands = measure.band_levels(freqs, psd)
    report = QCReport(
        name=name, sample_rate=int(sr), channels=int(audio.shape[1]), duration_s=audio.shape[0] / sr,
        integrated_lufs=integrated, short_term_max_lufs=series.short_term_max,
        momentary_max_lufs=series.momentary_max, loudness_range_lu=lra,
        true_peak_dbtp=max(peaks), true_peak_per_channel_dbtp=peaks,
        sample_peak_dbfs=measure.sample_peak_db(audio), plr_db=max(peaks) - integrated,
        clipped_samples=measure.clipped_samples(audio), dc_offset=measure.dc_offset(audio),
        correlation=measure.correlation(audio), mono_loss_lu=mono_loss,
        bass_correlation=measure.low_band_correlation(audio, sr), bands_db=bands,
        silence_head_s=head, silence_tail_s=tail, target=target,
        translation=check_devices(bands, fine, mono_loss=mono_loss, lra=lra),
        series=series, correlation_times=times, correlation_values=corr, spectrum=(freqs, psd),
    )
    report.warnings = _warnings(report, audio, sr)
    return report


def analyse_file(path: str | Path, *, target: Target | None = None,
                 measured: tuple[np.ndarray, list[float]] | None = None,
                 written: WrittenFile | None = None,
                 peaks_of: tuple[Sequence[float], float] | None = None) -> QCReport:
    """`analyse` a file; the report also names its format, subtype and bit depth.

    `measured`: (samples, their true peaks per channel) the file was written from (a master
    checked its ceiling on them): when the file's samples are that close to them
    (`measure.true_peaks_within`), their peaks are used and the file is not oversampled again.
    `written`: what `write_audio(path, ..., keep=True)` returned: its samples are the file's (a
    lossless file is not read back; a lossy one is decoded). `peaks_of`: (the true peaks per
    channel of the samples the file was written from, the largest difference between those and
    the file's samples) when the samples themselves are in another process
    (`measure.peaks_off_by`).
    """
    from synths.formats import read_audio, read_written  # noqa: PLC0415

    audio = read_audio(path) if written is None else read_written(written)
    peaks = None if measured is None else measure.true_peaks_within(audio.data, *measured)
    if peaks is None and peaks_of is not None and len(peaks_of[0]) == audio.data.shape[1]:
        peaks = measure.peaks_off_by(*peaks_of)
    report = analyse(audio.data, audio.sample_rate, name=Path(path).name, target=target, true_peaks=peaks)
    report.file_info = {"format": audio.format, "subtype": audio.subtype, "bit_depth": audio.bit_depth}
    return report


def write_json(reports: list[QCReport], path: str | Path) -> Path:
    """Write `{"files": [...]}` with every report's dict; returns the path."""
    target = Path(path)
    target.write_text(json.dumps({"files": [r.to_dict() for r in reports]}, indent=2) + "\n")
    return target


def _warnings(report: QCReport, audio: np.ndarray, sr: int) -> list[QCWarning]:
    if not math.isfinite(report.integrated_lufs):
        return [QCWarning("silent", "the file is silent (no gated loudness)")]
    found: list[QCWarning] = []
    for rule in (_loudness_rules, _peak_rules, _stereo_rules, _spectrum_rules):
        found += rule(report)
    found += _edge_rules(report, audio, sr)
    for device in report.translation:
        found += [QCWarning(f"translation_{device.device}", message) for message in device.warnings]
    return found


def _loudness_rules(r: QCReport) -> list[QCWarning]:
    found = []
    if r.target is not None and abs(r.integrated_lufs - r.target.lufs) > 1.0:
        side = "above" if r.integrated_lufs > r.target.lufs else "below"
        found.append(QCWarning("loudness_target", f"integrated loudness {r.integrated_lufs:.1f} LUFS is "
                             f"{abs(r.integrated_lufs - r.target.lufs):.1f} LU {side} the "
                             f"{r.target.describe()} target"))
    elif r.target is None and r.integrated_lufs > -9.0:
        found.append(QCWarning("loud", f"very loud ({r.integrated_lufs:.1f} LUFS): streaming services "
                             f"will turn it down by {r.integrated_lufs + 14.0:.0f} dB or more"))
    if r.plr_db < 6.0:
        found.append(QCWarning("plr", f"peak-to-loudness ratio {r.plr_db:.1f} dB: heavily limited, "
                             "transients are flattened"))
    if r.loudness_range_lu > 20.0:
        found.append(QCWarning("lra", f"very wide loudness range ({r.loudness_range_lu:.0f} LU) for pop"))
    return found


def _peak_rules(r: QCReport) -> list[QCWarning]:
    found = []
    ceiling = DEFAULT_CEILING if r.target is None else r.target.ceiling
    if r.true_peak_dbtp > ceiling + 0.05:
        found.append(QCWarning("true_peak", f"true peak {r.true_peak_dbtp:+.2f} dBTP is above "
                             f"{ceiling:.1f} dBTP: players and lossy encoders may clip; lower the ceiling"))
    if r.clipped_samples:
        found.append(QCWarning("clipping", f"{r.clipped_samples} clipped samples (at or over full scale)"))
    worst = max(abs(v) for v in r.dc_offset)
    if worst > 0.001:
        found.append(QCWarning("dc_offset", f"DC offset {worst:.4f} ({20 * math.log10(worst):.0f} dBFS): "
                             "high-pass at 20 Hz"))
    return found


def _stereo_rules(r: QCReport) -> list[QCWarning]:
    found: list[QCWarning] = []
    if r.channels < 2:
        return found
    if r.correlation < 0.0:
        found.append(QCWarning("phase", f"stereo correlation {r.correlation:.2f}: left and right are "
                             "largely out of phase"))
    if r.mono_loss_lu > 3.5:
        found.append(QCWarning("mono_loss", f"folding to mono loses {r.mono_loss_lu:.1f} LU"))
    if r.bass_correlation < 0.5:
        found.append(QCWarning("wide_bass", f"the bass below 120 Hz is not mono (correlation "
                             f"{r.bass_correlation:.2f}): make it mono for clubs and vinyl"))
    return found


def _spectrum_rules(r: QCReport) -> list[QCWarning]:
    found = []
    for word, level, reference in zip(BAND_WORDS, r.bands_db, POP_REFERENCE, strict=True):
        if level is None:
            continue
        deviation = level - reference
        if deviation > TOLERANCE_DB:
            found.append(QCWarning("spectrum", f"too much {word}: {deviation:+.1f} dB over the pop reference"))
        elif deviation < -TOLERANCE_DB:
            found.append(QCWarning("spectrum", f"little {word}: {deviation:+.1f} dB under the pop reference"))
    return found


def _edge_rules(r: QCReport, audio: np.ndarray, sr: int) -> list[QCWarning]:
    found = []
    if r.silence_head_s > 0.3:
        found.append(QCWarning("silence_head", f"{r.silence_head_s:.2f} s of silence at the head"))
    if r.silence_tail_s > 2.0:
        found.append(QCWarning("silence_tail", f"{r.silence_tail_s:.2f} s of silence at the tail: trim it"))
    edge = max(1, int(0.005 * sr))
    start = audio[int(r.silence_head_s * sr):][:max(1, int(ABRUPT_ONSET_S * sr))]
    if start.size and measure.sample_peak_db(start) > -20.0:
        found.append(QCWarning("abrupt_start", "starts abruptly at a high level: add a short fade-in"))
    if r.silence_tail_s == 0.0 and measure.sample_peak_db(audio[-edge:]) > -30.0:
        found.append(QCWarning("abrupt_end", "ends abruptly at a high level: add a fade-out"))
    return found
