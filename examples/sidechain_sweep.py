# One idea: effects driven by patterns and by other tracks: a filter following a slow sine,
# and a pad pumping under the kick (sidechain ducking).
#   livecode render examples/sidechain_sweep.py -o sweep.wav --bars 8
bpm(124)
d1 >> s("bd*4").bank("808")
d2 >> chord("<Cm9 Abmaj7>").voicing().s("supersaw").legato(1.0).gain(0.35)
d2.fx("lpf", cutoff=sine.range(300, 5000).slow(8), resonance=0.3).fx("reverb", size=0.8, mix=0.35)
d2.duck(d1, amount=0.8)
