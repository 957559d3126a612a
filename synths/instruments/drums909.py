"""The 909-spirit kit (`bank("909")`): tighter, clickier kick, noisier snare and hats.

Same names as the 808 kit (`bd sd cp rim hh oh lt mt ht cb cr rd sh`, `kick808`/`bd808long`
fall back to the 808 long kick); voice NAMEs carry the `tr909_` prefix. Each entry states only
how this kit's drum differs from its family in `synths.instruments.drums`.

>>> KIT_909["bd"].NAME, KIT_909["kick808"] is KIT_808["kick808"]
('tr909_bd', True)
>>> KIT_909["bd"].PARAMS["click"].default > KIT_808["bd"].PARAMS["click"].default
True
>>> KIT_909["cp"].BURSTS, KIT_909["hh"].NOISE, KIT_909["sh"].BAND
(3, 0.7, 7500.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synths.instruments.drumkit import build_kit, sound
from synths.instruments.drums import DrumVoice, kick_rows, snare_rows
from synths.instruments.drums808 import KIT_808

__all__ = ["KIT_909"]

_HAT_RATIOS = (263.0, 400.0, 421.0, 474.0, 587.0, 845.0)
_HAT: dict[str, Any] = {"RATIOS": _HAT_RATIOS, "METAL": 0.6, "NOISE": 0.7, "BAND": 11000.0, "HIGHPASS": 8000.0}
_TOM: dict[str, Any] = {"DROP": 7.0, "NOISE": 0.15}

_SOUNDS = {
    "bd": sound("kick", "909 kick: a 55 Hz body after a fast sweep from 2.5 octaves up, a strong "
                "click, hard drive, bright; rings down 60 dB per `decay` s.",
                decay=0.6, level=0.48, rows=kick_rows(penv=30.0, pdecay=0.035, click=0.7, drive=2.2, tone=0.85),
                BASE_FREQ=55.0, CLICK_TIME=0.006),
    "sd": sound("snare", "909 snare: heads at 190/345 Hz and bright noise around 6 kHz.",
                decay=0.22, level=0.35, rows=snare_rows(0.75), HEADS=(190.0, 345.0), NOISE_BAND=6000.0,
                TONE_DECAY=0.35),
    "cp": sound("clap", "909 clap: three tight bursts around 1.3 kHz and a longer tail.",
                decay=0.22, level=0.77, BURSTS=3, SPACING=0.009, BAND=1300.0, Q=1.0),
    "rim": sound("rim", "909 rim shot: higher partials (1.9 kHz/530 Hz), shorter, clickier.",
                 decay=0.025, level=0.19, PARTIALS=(1900.0, 530.0), NOISE=0.5),
    "lt": sound("tom", "909 low tom (100 Hz, bigger drop, more attack noise).",
                decay=0.4, level=0.455, BASE_FREQ=100.0, **_TOM),
    "mt": sound("tom", "909 mid tom (140 Hz).", decay=0.33, level=0.48, BASE_FREQ=140.0, **_TOM),
    "ht": sound("tom", "909 high tom (200 Hz).", decay=0.27, level=0.48, BASE_FREQ=200.0, **_TOM),
    "hh": sound("metal", "909 closed hat: mostly noise with some metal, very bright.",
                decay=0.05, level=0.89, **_HAT),
    "oh": sound("metal", "909 open hat: the closed hat ringing longer; choked by `hh`.",
                decay=0.45, level=0.65, **_HAT),
    "cb": sound("metal", "A 909-flavoured cowbell (the 909 had none): squares at 587/845 Hz.",
                decay=0.2, level=0.52, RATIOS=(587.0, 845.0), NOISE=0.0, METAL=1.6, BAND=1800.0,
                BAND_Q=1.2, HIGHPASS=450.0, FIRST=0.02, SECOND=0.3),
    "cr": sound("metal", "909 crash: bright noise wash, long.",
                decay=2.0, level=0.31, RATIOS=_HAT_RATIOS, NOISE=1.0, METAL=0.5, BAND=9000.0,
                BAND_Q=0.5, HIGHPASS=5000.0),
    "rd": sound("metal", "909 ride: metallic ping and a long shimmering tail.",
                decay=2.2, level=2.2, RATIOS=tuple(ratio * 1.9 for ratio in _HAT_RATIOS), NOISE=0.2,
                BAND=8000.0, BAND_Q=1.5, HIGHPASS=4000.0, FIRST=0.015, SECOND=0.45),
    "sh": sound("shaker", "909-style shaker: brighter and shorter than the 808 one.",
                decay=0.06, level=0.31, BAND=7500.0, ATTACK=0.008),
}

KIT_909: Mapping[str, type[DrumVoice]] = build_kit(
    "tr909", _SOUNDS, shared={"kick808": KIT_808["kick808"], "bd808long": KIT_808["kick808"]}
)
"""The 909 kit by `s` name (the long bass-kick is the 808's)."""
