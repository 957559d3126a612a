"""The 808-spirit kit (the default bank): deep swept kick, tonal snare, square-wave hats and bell.

Names follow Strudel/Tidal: `bd sd cp rim hh oh lt mt ht cb cr rd sh`, plus the long bass-kick
`kick808` (alias `bd808long`). Voice NAMEs carry the bank prefix (`tr808_bd`). Each entry states
only how this kit's drum differs from its family in `synths.instruments.drums`.

>>> KIT_808["bd"].NAME, KIT_808["kick808"].NAME, KIT_808["bd808long"] is KIT_808["kick808"]
('tr808_bd', 'tr808_kick808', True)
>>> KIT_808["bd"].PARAMS["decay"].default, KIT_808["sd"].PARAMS["snappy"].default, KIT_808["cp"].BURSTS
(0.9, 0.6, 4)
>>> KIT_808["cb"].RATIOS, KIT_808["lt"].BASE_FREQ
((540.0, 800.0), 80.0)
"""

from __future__ import annotations

from collections.abc import Mapping

from synths.instruments.drumkit import build_kit, sound
from synths.instruments.drums import DrumVoice, kick_rows, snare_rows

__all__ = ["KIT_808"]

_HAT_RATIOS = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)

_SOUNDS = {
    "bd": sound("kick", "808 kick: the bridged-T's decaying sine at 50 Hz after a short drop of 5 "
                "semitones, ringing down 60 dB per `decay` s; `tone` opens the click.",
                decay=0.9, level=0.5, rows=kick_rows(penv=5.0, pdecay=0.03, click=0.25, drive=0.8, tone=0.45),
                BASE_FREQ=50.0),
    "kick808": sound("kick", "808 bass-kick: long boom at 45 Hz with a slow pitch glide and more drive.",
                     decay=2.5, level=0.3, rows=kick_rows(penv=12.0, pdecay=0.3, click=0.1, drive=1.8, tone=0.5),
                     BASE_FREQ=45.0),
    "sd": sound("snare", "808 snare: heads at 180/330 Hz and high-passed noise.",
                decay=0.2, level=0.35, rows=snare_rows(0.6)),
    "cp": sound("clap", "808 clap: four bursts of noise around 1.1 kHz.", decay=0.18, level=1.5),
    "rim": sound("rim", "808 rim shot: 1667 Hz and 455 Hz partials, very short.", decay=0.03, level=0.19),
    "lt": sound("tom", "808 low tom (80 Hz).", decay=0.35, level=0.48, BASE_FREQ=80.0, DROP=4.0),
    "mt": sound("tom", "808 mid tom (120 Hz).", decay=0.3, level=0.48, BASE_FREQ=120.0, DROP=4.0),
    "ht": sound("tom", "808 high tom (175 Hz).", decay=0.25, level=0.48, BASE_FREQ=175.0, DROP=4.0),
    "hh": sound("metal", "808 closed hat: six square partials band-passed at 10 kHz, short.",
                decay=0.045, level=3.8, RATIOS=_HAT_RATIOS, NOISE=0.15),
    "oh": sound("metal", "808 open hat: the closed hat's sound ringing longer; choked by `hh`.",
                decay=0.35, level=3.0, RATIOS=_HAT_RATIOS, NOISE=0.15),
    "cb": sound("metal", "808 cowbell: squares at 540/800 Hz, band-passed, two-stage decay.",
                decay=0.25, level=0.52, RATIOS=(540.0, 800.0), NOISE=0.0, METAL=1.6, BAND=1600.0,
                BAND_Q=1.2, HIGHPASS=400.0, FIRST=0.025, SECOND=0.35),
    "cr": sound("metal", "808 crash: noisy metal high-passed at 4.5 kHz, long.",
                decay=1.6, level=0.4, RATIOS=_HAT_RATIOS, NOISE=0.8, METAL=0.6, BAND=8000.0,
                BAND_Q=0.5, HIGHPASS=4500.0),
    "rd": sound("metal", "808 ride: brighter metal partials with a bell ping and a long wash.",
                decay=1.8, level=2.4, RATIOS=tuple(ratio * 1.6 for ratio in _HAT_RATIOS), NOISE=0.15,
                BAND=7000.0, BAND_Q=1.5, HIGHPASS=3500.0, FIRST=0.02, SECOND=0.5),
    "sh": sound("shaker", "808-style shaker (maracas): soft-attack noise around 6.5 kHz.",
                decay=0.07, level=0.31),
}

KIT_808: Mapping[str, type[DrumVoice]] = build_kit("tr808", _SOUNDS, aliases={"bd808long": "kick808"})
"""The 808 kit by `s` name (`bd808long` is `kick808`)."""
