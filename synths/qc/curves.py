"""Octave bands, the pop reference curve and the listening devices' curves (all plain data).

Bands are the ten octaves centred on 31.5 Hz ... 16 kHz (edges at centre / sqrt 2 and
centre * sqrt 2). A band level is the band's share of the whole mix's power, in dB, so a curve
says where the energy is, not how loud the file is.

**Where the reference curve comes from.** `POP_REFERENCE` is livecode's own rule-of-thumb
target, not a published or measured average: most energy in the 63 and 125 Hz octaves (kick and
bass), a gentle fall of 1.5 dB per octave from 250 Hz to 4 kHz (between pink noise, flat in
octave bands, and brown noise, -3 dB per octave), a steeper fall above 8 kHz and a roll-off
below 40 Hz. Published long-term average spectra of popular music (Elowsson & Friberg, AES 2017;
Hove, Vuust & Stupacher, JASA 2019, on the rise of bass) have this general shape and are the place
for measured numbers. Treat deviations as hints: `TOLERANCE_DB` is wide on purpose.

**Device curves** are rough shapes of what each device's speaker does to octave bands, also our
own approximations (small speakers roll off steeply below their resonance): a phone speaker
(mono, nothing much below ~400 Hz), earbuds, laptop speakers (~200 Hz corner), a car (cabin gain
in the bass, road noise).

>>> len(BAND_CENTRES) == len(POP_REFERENCE) == len(DEVICES["phone"].response)
True
>>> band_edges(1000.0)
(707.1, 1414.2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["BAND_CENTRES", "POP_REFERENCE", "TOLERANCE_DB", "BAND_WORDS", "Device", "DEVICES",
           "band_edges", "normalised"]

BAND_CENTRES: tuple[float, ...] = (31.5, 63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0,
                                   8000.0, 16000.0)
"""Octave band centres in Hz."""

_POP_SHAPE: tuple[float, ...] = (-7.0, 0.0, 0.0, -2.0, -3.5, -5.0, -6.5, -8.0, -11.0, -18.0)

TOLERANCE_DB = 6.0
"""How far a band may lie from the reference before QC says so."""

BAND_WORDS: tuple[str, ...] = (
    "sub-bass (31.5 Hz)", "bass (63 Hz)", "upper bass (125 Hz)", "low mids (250 Hz)",
    "mids (500 Hz)", "mids (1 kHz)", "upper mids (2 kHz)", "presence (4 kHz)",
    "brilliance (8 kHz)", "air (16 kHz)",
)
"""How each band is named in warnings."""


def band_edges(centre: float) -> tuple[float, float]:
    """Lower and upper edge (Hz, rounded to 0.1) of the octave band at `centre`."""
    return round(centre / math.sqrt(2.0), 1), round(centre * math.sqrt(2.0), 1)


def normalised(levels_db: tuple[float, ...] | list[float]) -> list[float]:
    """Shift band levels so their powers add up to 1 (0 dB): shares of the total.

    >>> [round(v, 2) for v in normalised([0.0, 0.0])]
    [-3.01, -3.01]
    """
    total = sum(10.0 ** (v / 10.0) for v in levels_db)
    offset = 10.0 * math.log10(total)
    return [v - offset for v in levels_db]


POP_REFERENCE: tuple[float, ...] = tuple(round(v, 2) for v in normalised(_POP_SHAPE))
"""The pop reference: each band's share of the mix's power, dB (see the module doc)."""


@dataclass(frozen=True)
class Device:
    """A listening device: its octave-band response (dB), whether it plays mono, and noise.

    >>> DEVICES["car"].noisy, DEVICES["phone"].mono
    (True, True)
    """

    name: str
    label: str
    where: str
    """How a sentence says where it plays: "on a phone speaker", "in a car"."""
    response: tuple[float, ...]
    mono: bool = False
    noisy: bool = False

    def gain_at(self, freq: float) -> float:
        """Response in dB at `freq`, interpolated on the octave scale between band centres.

        >>> DEVICES["phone"].gain_at(1000.0), DEVICES["phone"].gain_at(1414.2)
        (0.0, 1.0)
        """
        position = math.log2(max(freq, 1.0) / 1000.0) + BAND_CENTRES.index(1000.0)
        index = min(max(position, 0.0), len(BAND_CENTRES) - 1.0)
        low = int(math.floor(index))
        high = min(low + 1, len(BAND_CENTRES) - 1)
        weight = index - low
        return round(self.response[low] + (self.response[high] - self.response[low]) * weight, 3)


DEVICES: dict[str, Device] = {
    "phone": Device("phone", "phone speaker", "on a phone speaker",
                    (-40.0, -32.0, -22.0, -12.0, -4.0, 0.0, 2.0, 3.0, -1.0, -10.0), mono=True),
    "earbuds": Device("earbuds", "earbuds", "on earbuds",
                      (-10.0, -5.0, -2.0, 0.0, 0.0, 0.0, 2.0, 4.0, 0.0, -6.0)),
    "laptop": Device("laptop", "laptop speakers", "on laptop speakers",
                     (-36.0, -28.0, -18.0, -8.0, -2.0, 0.0, 1.0, 2.0, -1.0, -8.0)),
    "car": Device("car", "car", "in a car",
                  (4.0, 6.0, 4.0, 0.0, -2.0, 0.0, 0.0, -1.0, -3.0, -6.0), noisy=True),
}
"""The translation check's devices, by name."""
