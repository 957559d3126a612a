"""The anchor of benchmarks/bench_live_engine.py: about the K-pop example's DSP, hand-written in
raw pyo on JACK (7 SuperSaw voices through a Moog lowpass and Freeverb, an 808-style kick and a
hi-hat), with no livecode at all. It plays for `seconds` and exits.

    JACK_DEFAULT_SERVER=name .venv/bin/python benchmarks/raw_pyo_set.py 60
"""

from __future__ import annotations

import sys
import time


def main(seconds: float) -> None:
    import pyo

    server = pyo.Server(sr=48000, nchnls=2, buffersize=256, duplex=0, audio="jack", jackname="rawpyo")
    server.setVerbosity(0)
    server.boot()
    server.start()
    beat = 60.0 / 124.0
    metro = pyo.Metro(time=beat).play()
    chord_env = pyo.TrigEnv(pyo.Metro(time=beat * 2).play(), pyo.CosTable([(0, 0), (300, 1), (8191, 0)]), dur=beat * 2)
    freqs = [220.0, 261.63, 329.63, 440.0, 523.25, 659.26, 880.0]
    saws = pyo.SuperSaw(freq=freqs, detune=0.5, bal=0.7, mul=chord_env * 0.04)
    cutoff = pyo.Sine(freq=1 / 16.0).range(1500, 6000)
    moog = pyo.MoogLP(pyo.Mix(saws, voices=2), freq=cutoff, res=0.2)
    verb = pyo.Freeverb(moog, size=0.7, bal=0.3)
    kick_env = pyo.TrigExpseg(metro, [(0, 1), (0.5, 0)], exp=3)
    kick_pitch = pyo.TrigExpseg(metro, [(0, 170), (0.08, 50)], exp=3)
    kick = pyo.Sine(freq=kick_pitch, mul=kick_env * 0.6)
    hats = pyo.TrigEnv(pyo.Metro(time=beat / 2).play(), pyo.LinTable([(0, 1), (600, 0), (8191, 0)]), dur=beat / 2)
    hat = pyo.Biquad(pyo.Noise(mul=hats * 0.2), freq=8000, q=1, type=1)
    mix = pyo.Mix([verb, kick, hat], voices=2).out()
    time.sleep(seconds)
    server.stop()
    server.shutdown()
    del mix


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
