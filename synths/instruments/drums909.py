"""The 909-spirit kit (`bank("909")`): tighter, clickier kick, noisier snare and hats.

Same names as the 808 kit (`bd sd cp rim hh oh lt mt ht cb cr rd sh`, `kick808`/`bd808long`
fall back to the 808 long kick); voice NAMEs carry the `tr909_` prefix.

>>> KIT_909["bd"].NAME
'tr909_bd'
>>> KIT_909["bd"].PARAMS["click"].default > KIT_808_CLICK
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
from synths.instruments.drums808 import KIT_808, LongKick808

__all__ = [
    "KIT_909",
    "KIT_808_CLICK",
    "Kick909",
    "Snare909",
    "Clap909",
    "Rim909",
    "LowTom909",
    "MidTom909",
    "HighTom909",
    "ClosedHat909",
    "OpenHat909",
    "Cowbell909",
    "Crash909",
    "Ride909",
    "Shaker909",
]

KIT_808_CLICK = KIT_808["bd"].PARAMS["click"].default
"""The 808 kick's default click level, for comparison."""

_HAT_RATIOS = (263.0, 400.0, 421.0, 474.0, 587.0, 845.0)


class Kick909(KickVoice):
    """909 kick: 55 Hz body, fast deep sweep, strong click, hard drive.

    >>> Kick909.PARAMS["pdecay"].default
    0.035
    """

    NAME = "tr909_bd"
    PARAMS = drum_table(NAME, 0.35, kick_rows(penv=30.0, pdecay=0.035, click=0.7, drive=2.2))
    BASE_FREQ = 55.0
    CLICK_TIME = 0.006
    LEVEL = 0.66


class Snare909(SnareVoice):
    """909 snare: heads at 190/345 Hz and bright noise around 6 kHz.

    >>> Snare909.PARAMS["snappy"].default
    0.75
    """

    NAME = "tr909_sd"
    PARAMS = drum_table(NAME, 0.22, snare_rows(0.75))
    HEADS = (190.0, 345.0)
    NOISE_BAND = 6000.0
    TONE_DECAY = 0.35
    LEVEL = 0.35


class Clap909(ClapVoice):
    """909 clap: three tight bursts around 1.3 kHz and a longer tail.

    >>> Clap909.BURSTS
    3
    """

    NAME = "tr909_cp"
    PARAMS = drum_table(NAME, 0.22)
    BURSTS = 3
    SPACING = 0.009
    BAND = 1300.0
    Q = 1.0
    LEVEL = 1.3


class Rim909(RimVoice):
    """909 rim shot: higher partials (1.9 kHz/530 Hz), shorter, clickier.

    >>> Rim909.PARAMS["decay"].default
    0.025
    """

    NAME = "tr909_rim"
    PARAMS = drum_table(NAME, 0.025)
    PARTIALS = (1900.0, 530.0)
    NOISE = 0.5
    LEVEL = 0.19


class LowTom909(TomVoice):
    """909 low tom (100 Hz, bigger drop, more attack noise).

    >>> LowTom909.BASE_FREQ
    100.0
    """

    NAME = "tr909_lt"
    PARAMS = drum_table(NAME, 0.4)
    BASE_FREQ = 100.0
    DROP = 7.0
    NOISE = 0.15
    LEVEL = 0.48


class MidTom909(TomVoice):
    """909 mid tom (140 Hz).

    >>> MidTom909.BASE_FREQ
    140.0
    """

    NAME = "tr909_mt"
    PARAMS = drum_table(NAME, 0.33)
    BASE_FREQ = 140.0
    DROP = 7.0
    NOISE = 0.15
    LEVEL = 0.48


class HighTom909(TomVoice):
    """909 high tom (200 Hz).

    >>> HighTom909.BASE_FREQ
    200.0
    """

    NAME = "tr909_ht"
    PARAMS = drum_table(NAME, 0.27)
    BASE_FREQ = 200.0
    DROP = 7.0
    NOISE = 0.15
    LEVEL = 0.48


class ClosedHat909(MetalVoice):
    """909 closed hat: mostly noise with some metal, very bright.

    >>> ClosedHat909.NOISE
    0.7
    """

    NAME = "tr909_hh"
    PARAMS = drum_table(NAME, 0.05)
    RATIOS = _HAT_RATIOS
    METAL = 0.6
    NOISE = 0.7
    BAND = 11000.0
    HIGHPASS = 8000.0
    LEVEL = 1.0


class OpenHat909(MetalVoice):
    """909 open hat: the closed hat ringing longer; choked by `hh`.

    >>> OpenHat909.PARAMS["decay"].default
    0.45
    """

    NAME = "tr909_oh"
    PARAMS = drum_table(NAME, 0.45)
    RATIOS = _HAT_RATIOS
    METAL = 0.6
    NOISE = 0.7
    BAND = 11000.0
    HIGHPASS = 8000.0
    LEVEL = 0.65


class Cowbell909(MetalVoice):
    """A 909-flavoured cowbell (the 909 had none): squares at 587/845 Hz.

    >>> Cowbell909.RATIOS
    (587.0, 845.0)
    """

    NAME = "tr909_cb"
    PARAMS = drum_table(NAME, 0.2)
    RATIOS = (587.0, 845.0)
    NOISE = 0.0
    METAL = 1.6
    BAND = 1800.0
    BAND_Q = 1.2
    HIGHPASS = 450.0
    FIRST = 0.02
    SECOND = 0.3
    LEVEL = 0.52


class Crash909(MetalVoice):
    """909 crash: bright noise wash, long.

    >>> Crash909.PARAMS["decay"].default
    2.0
    """

    NAME = "tr909_cr"
    PARAMS = drum_table(NAME, 2.0)
    RATIOS = _HAT_RATIOS
    NOISE = 1.0
    METAL = 0.5
    BAND = 9000.0
    BAND_Q = 0.5
    HIGHPASS = 5000.0
    LEVEL = 0.31


class Ride909(MetalVoice):
    """909 ride: metallic ping and a long shimmering tail.

    >>> Ride909.PARAMS["decay"].default
    2.2
    """

    NAME = "tr909_rd"
    PARAMS = drum_table(NAME, 2.2)
    RATIOS = tuple(ratio * 1.9 for ratio in _HAT_RATIOS)
    NOISE = 0.2
    BAND = 8000.0
    BAND_Q = 1.5
    HIGHPASS = 4000.0
    FIRST = 0.015
    SECOND = 0.45
    LEVEL = 2.2


class Shaker909(ShakerVoice):
    """909-style shaker: brighter and shorter than the 808 one.

    >>> Shaker909.BAND
    7500.0
    """

    NAME = "tr909_sh"
    PARAMS = drum_table(NAME, 0.06)
    BAND = 7500.0
    ATTACK = 0.008
    LEVEL = 0.31


KIT_909: Mapping[str, type[DrumVoice]] = {
    "bd": Kick909,
    "kick808": LongKick808,
    "bd808long": LongKick808,
    "sd": Snare909,
    "cp": Clap909,
    "rim": Rim909,
    "lt": LowTom909,
    "mt": MidTom909,
    "ht": HighTom909,
    "hh": ClosedHat909,
    "oh": OpenHat909,
    "cb": Cowbell909,
    "cr": Crash909,
    "rd": Ride909,
    "sh": Shaker909,
}
