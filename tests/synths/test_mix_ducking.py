"""Sidechain: a kick on d1 ducks the pad on d2 by the expected amount, and the pad recovers."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, level_db, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.mixer import Mixer  # noqa: E402

__all__ = ["rig"]

PERIOD = 0.5          # one kick every half second
HIT = 0.1             # each kick sounds for 100 ms


def test_a_kick_ducks_the_pad_and_lets_it_recover(rig: Rig) -> None:
    p = pyo()
    metro = p.Metro(time=PERIOD).play()
    env = p.TrigLinseg(metro, [(0.0, 0.0), (0.001, 1.0), (HIT, 1.0), (HIT + 0.001, 0.0)])
    kick = p.Sine(freq=60, mul=[env * 0.8, env * 0.8])
    pad = tone(440, 0.3)
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    mixer.add_track("kick").add_source(kick)
    strip = mixer.add_track("pad")
    strip.add_source(pad)
    mixer.rebuild()
    strip.chain.add("duck", key="kick", amount=0.7, threshold=-30, ratio=20, release=0.03)
    mixer.rebuild(effects=True)
    both = p.Mix([p.Sig(strip.post_fader[0]), p.Sig(mixer.strip("kick").pre_fader[0])], voices=2)
    rig.process(0.05)
    recording = rig.record(both, 2.0)
    audio, key = recording[:, :1], recording[:, 1]
    loud = np.nonzero(np.abs(key) > 0.01)[0]
    start = int(loud[1:][np.diff(loud) > 2400][0])            # first onset after a silence
    drops, recovered = [], []
    open_level = level_db(rig.record(tone(440, 0.3), 0.2)[:, :1])
    for hit in range(start, len(audio) - int(PERIOD * SR), int(PERIOD * SR)):
        early = audio[hit + int(0.008 * SR):hit + int(0.015 * SR)]
        assert level_db(early) - open_level < -6          # ducked within a few ms of the kick
        during = audio[hit + int(0.03 * SR):hit + int(0.09 * SR)]
        before_next = audio[hit + int(0.4 * SR):hit + int(0.48 * SR)]
        drops.append(level_db(during) - open_level)
        recovered.append(level_db(before_next) - open_level)
    expected = 20 * math.log10(1 - 0.7)                  # full reduction of the key: -10.5 dB
    assert len(drops) >= 3
    assert all(expected - 0.5 < d < expected + 2.5 for d in drops), drops
    assert all(abs(r) < 0.5 for r in recovered), recovered
    mixer.close()
    metro.stop()


def test_ducking_follows_a_key_source_added_after_the_chain(rig: Rig) -> None:
    p = pyo()
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    kick_strip = mixer.add_track("kick")
    strip = mixer.add_track("pad")
    strip.add_source(tone(440, 0.3))
    strip.chain.add("duck", key="kick", amount=0.7, threshold=-30)
    mixer.rebuild(effects=True)
    rig.process(0.05)
    open_level = level_db(rig.record(strip.post_fader, 0.1)[:, 0])
    kick_strip.add_source(p.Sine(freq=60, mul=[0.8, 0.8]))     # a new pool: rebuild keeps effects
    mixer.rebuild()
    rig.process(0.1)
    ducked = level_db(rig.record(strip.post_fader, 0.1)[:, 0])
    assert ducked - open_level < -8
    mixer.close()
