# A K-pop sketch: vi-IV-I-V in C major (Am - F - C - G), 124 BPM.
# Render it:  livecode render examples/kpop.py -o kpop.wav --bars 16 --stems kpop-stems
# Play it:    livecode play examples/kpop.py

bpm(124)

# -- drums: four-on-the-floor kick, claps on 2 and 4, trap-ish hats with a roll, open hat lift
d1 >> s("bd*4").bank("808").gain(0.85)
d2 >> s("~ cp ~ cp").bank("808").gain(1.1)
d3 >> s("hh*8 <hh*8 [hh*8 hh*16]>").slow(2).bank("808").gain("0.9 0.6 1.1 0.6").pan(sine.range(0.35, 0.65))
d4 >> s("~ ~ ~ [~ oh]").bank("808").gain(0.9)

# -- 808 bass on the roots, syncopated, ducked by the kick
d5 >> note("<a1 f1 c2 g1>").struct("x ~ ~ x ~ ~ x ~").s("bass808").legato(0.95).gain(0.9)
d5.duck(d1, amount=0.6)

# -- supersaw chords on the progression, filter opening over 8 bars, pumping with the kick
d6 >> chord("<Am F C G>").voicing().struct("x ~ x ~ ~ x ~ x").s("supersaw").legato(0.8).gain(1.6)
d6.fx("lpf", cutoff=sine.range(1500, 6000).slow(8), resonance=0.2).fx("reverb", size=0.7, mix=0.3)
d6.duck(d1, amount=0.7)

# -- the hook: a pluck melody over the changes, with a dotted-eighth delay and reverb
d7 >> note("<[e5 ~ c5 d5 e5 ~ g5 e5] [f5 ~ e5 c5 a4 ~ c5 ~] [e5 ~ c5 d5 e5 ~ g5 a5] [g5 ~ f5 e5 d5 ~ b4 ~]>").s("pluck").gain(1.3)
d7.fx("delay", time=0.75, feedback=0.35, mix=0.25).fx("reverb", size=0.6, mix=0.25)
