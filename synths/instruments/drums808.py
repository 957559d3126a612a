"""The 808-spirit kit (the default bank): deep swept kick, tonal snare, square-wave hats and bell.

Names follow Strudel/Tidal: `bd sd cp rim hh oh lt mt ht cb cr rd sh`, plus the long bass-kick
`kick808` (alias `bd808long`). Voice NAMEs carry the bank prefix (`tr808_bd`).

>>> KIT_808["bd"].NAME, KIT_808["kick808"].NAME
('tr808_bd', 'tr808_kick808')
>>> sorted(KIT_808) == sorted(set(KIT_808))
True
"""

from __future__ import annotations

from collections.abc import Mapping

from synths.instruments.drums import (
    ClapVoice,
    DrumVoice,
    KickVoice,
    MetalVoice,
    RimVoice,
    ShakerVoice,
    SnareVoice,
    TomVoice,
    drum_table,
    kick_rows,
    snare_rows,
)

__all__ = [
    "KIT_808",
    "Kick808",
    "LongKick808",
    "Snare808",
    "Clap808",
    "Rim808",
    "LowTom808",
    "MidTom808",
    "HighTom808",
    "ClosedHat808",
    "OpenHat808",
    "Cowbell808",
    "Crash808",
    "Ride808",
    "Shaker808",
]

_HAT_RATIOS = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)


class Kick808(KickVoice):
    """808 kick: 50 Hz body swept down two octaves, soft click, gentle drive.

    >>> Kick808.PARAMS["decay"].default
    0.5
    """

    NAME = "tr808_bd"
    PARAMS = drum_table(NAME, 0.5, kick_rows(penv=24.0, pdecay=0.06, click=0.25, drive=1.3))
    BASE_FREQ = 50.0
    LEVEL = 0.68


class LongKick808(KickVoice):
    """808 bass-kick: long boom at 45 Hz with a slow pitch glide and more drive.

    >>> LongKick808.PARAMS["decay"].default
    1.6
    """

    NAME = "tr808_kick808"
    PARAMS = drum_table(NAME, 1.6, kick_rows(penv=12.0, pdecay=0.3, click=0.1, drive=1.8))
    BASE_FREQ = 45.0
    LEVEL = 0.71


class Snare808(SnareVoice):
    """808 snare: heads at 180/330 Hz and high-passed noise.

    >>> Snare808.PARAMS["snappy"].default
    0.6
    """

    NAME = "tr808_sd"
    PARAMS = drum_table(NAME, 0.2, snare_rows(0.6))
    LEVEL = 0.35


class Clap808(ClapVoice):
    """808 clap: four bursts of noise around 1.1 kHz.

    >>> Clap808.BURSTS
    4
    """

    NAME = "tr808_cp"
    PARAMS = drum_table(NAME, 0.18)
    LEVEL = 1.9


class Rim808(RimVoice):
    """808 rim shot: 1667 Hz and 455 Hz partials, very short.

    >>> Rim808.PARAMS["decay"].default
    0.03
    """

    NAME = "tr808_rim"
    PARAMS = drum_table(NAME, 0.03)
    LEVEL = 0.19


class LowTom808(TomVoice):
    """808 low tom (80 Hz).

    >>> LowTom808.BASE_FREQ
    80.0
    """

    NAME = "tr808_lt"
    PARAMS = drum_table(NAME, 0.35)
    BASE_FREQ = 80.0
    DROP = 4.0
    LEVEL = 0.48


class MidTom808(TomVoice):
    """808 mid tom (120 Hz).

    >>> MidTom808.BASE_FREQ
    120.0
    """

    NAME = "tr808_mt"
    PARAMS = drum_table(NAME, 0.3)
    BASE_FREQ = 120.0
    DROP = 4.0
    LEVEL = 0.48


class HighTom808(TomVoice):
    """808 high tom (175 Hz).

    >>> HighTom808.BASE_FREQ
    175.0
    """

    NAME = "tr808_ht"
    PARAMS = drum_table(NAME, 0.25)
    BASE_FREQ = 175.0
    DROP = 4.0
    LEVEL = 0.48


class ClosedHat808(MetalVoice):
    """808 closed hat: six square partials band-passed at 10 kHz, short.

    >>> ClosedHat808.PARAMS["decay"].default
    0.045
    """

    NAME = "tr808_hh"
    PARAMS = drum_table(NAME, 0.045)
    RATIOS = _HAT_RATIOS
    NOISE = 0.15
    LEVEL = 3.8


class OpenHat808(MetalVoice):
    """808 open hat: the closed hat's sound ringing longer; choked by `hh`.

    >>> OpenHat808.PARAMS["decay"].default
    0.35
    """

    NAME = "tr808_oh"
    PARAMS = drum_table(NAME, 0.35)
    RATIOS = _HAT_RATIOS
    NOISE = 0.15
    LEVEL = 3.0


class Cowbell808(MetalVoice):
    """808 cowbell: squares at 540/800 Hz, band-passed, two-stage decay.

    >>> Cowbell808.RATIOS
    (540.0, 800.0)
    """

    NAME = "tr808_cb"
    PARAMS = drum_table(NAME, 0.25)
    RATIOS = (540.0, 800.0)
    NOISE = 0.0
    METAL = 1.6
    BAND = 1600.0
    BAND_Q = 1.2
    HIGHPASS = 400.0
    FIRST = 0.025
    SECOND = 0.35
    LEVEL = 0.52


class Crash808(MetalVoice):
    """808 crash: noisy metal high-passed at 4.5 kHz, long.

    >>> Crash808.PARAMS["decay"].default
    1.6
    """

    NAME = "tr808_cr"
    PARAMS = drum_table(NAME, 1.6)
    RATIOS = _HAT_RATIOS
    NOISE = 0.8
    METAL = 0.6
    BAND = 8000.0
    BAND_Q = 0.5
    HIGHPASS = 4500.0
    LEVEL = 0.4


class Ride808(MetalVoice):
    """808 ride: brighter metal partials with a bell ping and a long wash.

    >>> Ride808.FIRST
    0.02
    """

    NAME = "tr808_rd"
    PARAMS = drum_table(NAME, 1.8)
    RATIOS = tuple(ratio * 1.6 for ratio in _HAT_RATIOS)
    NOISE = 0.15
    BAND = 7000.0
    BAND_Q = 1.5
    HIGHPASS = 3500.0
    FIRST = 0.02
    SECOND = 0.5
    LEVEL = 2.4


class Shaker808(ShakerVoice):
    """808-style shaker (maracas): soft-attack noise around 6.5 kHz.

    >>> Shaker808.PARAMS["decay"].default
    0.07
    """

    NAME = "tr808_sh"
    PARAMS = drum_table(NAME, 0.07)
    LEVEL = 0.31


KIT_808: Mapping[str, type[DrumVoice]] = {
    "bd": Kick808,
    "kick808": LongKick808,
    "bd808long": LongKick808,
    "sd": Snare808,
    "cp": Clap808,
    "rim": Rim808,
    "lt": LowTom808,
    "mt": MidTom808,
    "ht": HighTom808,
    "hh": ClosedHat808,
    "oh": OpenHat808,
    "cb": Cowbell808,
    "cr": Crash808,
    "rd": Ride808,
    "sh": Shaker808,
}

