"""The translation check: what a mix loses on a phone speaker, earbuds, laptop speakers, in a car.

Each device (`synths.qc.curves.DEVICES`) is an octave-band response; the same five rules run for
every device and say in words what disappears or gets out of hand:

1. **bass without harmonics**: the mix's tonal bass notes (peaks of the long-term spectrum below
   250 Hz) fall where the device plays nothing (<= -15 dB), and fewer than three of each note's
   harmonics (2nd..20th, as spectral peaks no more than 40 dB under the fundamental) fall where it
   does play: "the bass is inaudible on a phone speaker: add harmonics". A bass with harmonics
   is heard through them (the missing fundamental) and says nothing.
2. **level drop**: through the device the mix loses > 6 dB more than the pop reference would.
3. **mono**: a mono device (the phone) and a mix that loses > 3.5 LU folded to mono.
4. **exaggeration**: a band the device boosts that the mix already has far too much of.
5. **noise**: a noisy place (the car) and a loudness range over 12 LU: quiet passages drown.

>>> from synths.qc.curves import POP_REFERENCE
>>> [r.warnings for r in check_devices(list(POP_REFERENCE), None, mono_loss=1.0, lra=6.0)]
[[], [], [], []]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from synths.qc.curves import BAND_CENTRES, BAND_WORDS, DEVICES, POP_REFERENCE, TOLERANCE_DB, Device

__all__ = ["DeviceResult", "check_devices", "check_device", "bass_notes", "LOST_DB"]

LOST_DB = -15.0
"""A device response at or below this (dB) plays practically nothing."""

_PLAYS_DB = -10.0
_HARMONIC_FLOOR_DB = -40.0
_HARMONICS_NEEDED = 3
_LEVEL_DROP_DB = 6.0
_MONO_LOSS_LU = 3.5
_NOISY_LRA = 12.0


@dataclass
class DeviceResult:
    """What one device does to the mix: band words it loses, level change, warnings in words."""

    device: str
    label: str
    level_change_db: float
    """Loudness change through the device relative to the pop reference's (negative: loses more)."""
    lost: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"device": self.device, "label": self.label,
                "level_change_db": round(self.level_change_db, 2), "lost": self.lost,
                "warnings": self.warnings}


def bass_notes(freqs: np.ndarray, psd: np.ndarray, top: float = 250.0) -> list[tuple[float, float]]:
    """Tonal bass notes: (frequency, power) of the prominent spectral peaks from 25 Hz to `top`.

    >>> f = np.arange(0, 1000, 1.0); p = np.full(f.size, 1e-9); p[55] = 1.0
    >>> bass_notes(f, p)
    [(55.0, 1.0)]
    """
    from scipy.signal import find_peaks  # noqa: PLC0415

    inside = (freqs >= 25.0) & (freqs <= top)
    if not np.any(inside):
        return []
    level = 10.0 * np.log10(np.maximum(psd[inside], 1e-30))
    peaks, _ = find_peaks(level, prominence=10.0)
    if peaks.size == 0:
        return []
    strongest = float(level[peaks].max())
    chosen = [int(i) for i in peaks if level[i] >= strongest - 25.0]
    chosen = sorted(chosen, key=lambda i: -level[i])[:12]
    freq_in, psd_in = freqs[inside], psd[inside]
    return [(float(freq_in[i]), float(psd_in[i])) for i in chosen]


def _is_harmonic(freqs: np.ndarray, psd: np.ndarray, target: float, floor: float) -> bool:
    df = float(freqs[1] - freqs[0])
    reach = max(2.0 * df, 0.01 * target)
    near = (freqs >= target - reach) & (freqs <= target + reach)
    if not np.any(near):
        return False
    peak = float(psd[near].max())
    around = (freqs >= target / 2 ** (1 / 6)) & (freqs <= target * 2 ** (1 / 6))
    background = float(np.median(psd[around]))
    return peak >= floor and peak >= background * 4.0


def _harmonics_heard(freqs: np.ndarray, psd: np.ndarray, note: tuple[float, float],
                     device: Device) -> int:
    f0, power = note
    floor = power * 10.0 ** (_HARMONIC_FLOOR_DB / 10.0)
    heard = 0
    for k in range(2, 21):
        target = k * f0
        if target >= freqs[-1]:
            break
        if device.gain_at(target) > _PLAYS_DB and _is_harmonic(freqs, psd, target, floor):
            heard += 1
    return heard


def _bass_warning(freqs: np.ndarray, psd: np.ndarray, device: Device) -> str | None:
    notes = [n for n in bass_notes(freqs, psd) if device.gain_at(n[0]) <= LOST_DB]
    if not notes:
        return None
    unheard = sum(p for f, p in notes if _harmonics_heard(freqs, psd, (f, p), device) < _HARMONICS_NEEDED)
    if unheard / sum(p for _, p in notes) <= 0.5:
        return None
    return (f"the bass is inaudible {device.where}: add harmonics (saturation, or a layer an "
            f"octave or two up) so it speaks above {_lowest_playing(device):.0f} Hz")


def _lowest_playing(device: Device) -> float:
    for centre, gain in zip(BAND_CENTRES, device.response, strict=True):
        if gain > _PLAYS_DB:
            return centre
    return BAND_CENTRES[-1]


def _through(levels: list[float], device: Device) -> float:
    return 10.0 * math.log10(sum(10.0 ** ((v + g) / 10.0) for v, g in zip(levels, device.response, strict=True)))


def _drop_warning(device: Device, bands: list[float | None], known: list[int], change: float) -> str:
    heavy = [i for i in known if float(bands[i]) > POP_REFERENCE[i]]  # type: ignore[arg-type]
    lost = [i for i in heavy if device.response[i] <= LOST_DB]
    weak = [i for i in heavy if device.response[i] <= -3.0]
    if lost:
        where = f": its energy sits in the {_band_list(lost)}, which it cannot play"
    elif weak:
        where = f": its energy sits in the {_band_list(weak)}, which it plays quietly"
    else:
        where = ""
    return f"{device.where} the mix loses {-change:.0f} dB more than a typical pop mix{where}"


def _band_list(indices: list[int]) -> str:
    words = [BAND_WORDS[i] for i in indices]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_device(
    device: Device,
    bands: list[float | None],
    fine: tuple[np.ndarray, np.ndarray] | None,
    *,
    mono_loss: float,
    lra: float,
) -> DeviceResult:
    """Run the five rules for one device (`fine`: a high-resolution spectrum for rule 1)."""
    known = [i for i, v in enumerate(bands) if v is not None]
    levels = [float(bands[i]) for i in known]                       # type: ignore[arg-type]
    sub = Device(device.name, device.label, device.where, tuple(device.response[i] for i in known))
    reference = [POP_REFERENCE[i] for i in known]
    change = _through(levels, sub) - _through(reference, sub) if levels else 0.0
    result = DeviceResult(device.name, device.label, change)
    result.lost = [BAND_WORDS[i] for i in known
                   if device.response[i] <= LOST_DB and float(bands[i]) > -20.0]  # type: ignore[arg-type]
    if fine is not None:
        warning = _bass_warning(fine[0], fine[1], device)
        if warning is not None:
            result.warnings.append(warning)
    if change < -_LEVEL_DROP_DB:
        result.warnings.append(_drop_warning(device, bands, known, change))
    if device.mono and mono_loss > _MONO_LOSS_LU:
        result.warnings.append(f"{device.where} it plays mono: {mono_loss:.1f} LU is lost when left "
                               f"and right are folded (parts in opposite phase cancel)")
    for i in known:
        excess = float(bands[i]) - POP_REFERENCE[i]                  # type: ignore[arg-type]
        if device.response[i] >= 2.0 and excess + device.response[i] > TOLERANCE_DB + 4.0:
            verb = "booms" if BAND_CENTRES[i] <= 125 else "gets harsh" if BAND_CENTRES[i] <= 4000 else "hisses"
            result.warnings.append(f"the {BAND_WORDS[i]} {verb} {device.where} "
                                   f"(+{excess + device.response[i]:.0f} dB over the reference there)")
    if device.noisy and lra > _NOISY_LRA:
        result.warnings.append(f"quiet passages drown in road noise {device.where} "
                               f"(loudness range {lra:.0f} LU): compress the quiet parts up")
    return result


def check_devices(
    bands: list[float | None],
    fine: tuple[np.ndarray, np.ndarray] | None,
    *,
    mono_loss: float,
    lra: float,
) -> list[DeviceResult]:
    """`check_device` for every device in `DEVICES`, in order."""
    return [check_device(d, bands, fine, mono_loss=mono_loss, lra=lra) for d in DEVICES.values()]
