# A K-pop reference demo: vi-IV-I-V in C major (Am - F - C - G), 124 BPM, 16 bars.
# Render it:  livecode render examples/kpop.py -o kpop.wav --bars 16 --stems kpop-stems
# Play it:    livecode play examples/kpop.py
# The mix (docs/sound.md): kick, bass and lead in the centre; pads, the doubled hook and the
# reverb and delay returns wide; every octave from 125 Hz to 8 kHz filled.

bpm(124)

# -- drums: four-on-the-floor 808 kick, clap + 909 snare on 2 and 4, 16th hats, open-hat lift
d1 >> s("bd*4").bank("808").decay(0.7)
d2 >> s("~ [cp,sd] ~ [cp,sd]").bank("909").room(0.25)
d3 >> s("hh*16").bank("808").gain("0.9 0.5 0.7 0.5").pan(sine.range(0.35, 0.65).slow(2))
d4 >> s("~ ~ ~ [~ oh]").bank("808").pan(0.65).room(0.2)
d11 >> s("~ sh ~ sh ~ sh ~ [sh sh]").bank("909").pan(0.3)

# -- bass: the 808 on the roots (ducked by the kick), and a mid-bass an octave up for body
d5 >> note("<a1 f1 c2 g1>").struct("x ~ ~ x ~ ~ x ~").s("bass808").legato(0.95)
d5.duck(d1, amount=0.5)
d10 >> note("<a2 f2 c3 g2>").struct("~ x ~ x ~ x ~ x").s("pluckbass").cutoff(500).env(2.5)
d10.duck(d1, amount=0.5)

# -- chords: supersaw stabs with the filter opening over 8 bars, a warm pad under them (both wide)
d6 >> chord("<Am F C G>").voicing().struct("x ~ x ~ ~ x ~ x").s("supersaw").legato(0.8).detune(80).spread(1).room(0.3)
d6.fx("lpf", cutoff=sine.range(4000, 12000).slow(8), resonance=0.15)
d6.duck(d1, amount=0.6)
d7 >> chord("<Am F C G>").voicing().s("pad").legato(1).spread(1).room(0.4)
d7.duck(d1, amount=0.4)

# -- the hook: a lead in the vocal range (e4 .. a4) in the centre, sent to the delay and reverb
HOOK = "<[e4 ~ c4 d4 e4 ~ g4 e4] [f4 ~ e4 c4 a3 ~ c4 ~] [e4 ~ c4 d4 e4 ~ g4 a4] [g4 ~ f4 e4 d4 ~ b3 ~]>"
d8 >> note(HOOK).s("lead").cutoff(4000).legato(0.9).room(0.3)
# ... doubled an octave up on bells, one side 12 ms late (wide), echoing left and right
d9 >> note(HOOK).add(12).s("bell").index(2).jux(lambda p: p.late(0.006)).delay(0.4).delaytime(0.363).delayfeedback(0.35).room(0.35)

# -- levels (faders, dB): the 808 and the kick lead the low end; the master's limiter holds -1 dBTP
d1.gain(2)
d2.gain(-1)        # clap + snare layered: their peaks add; -1 dB keeps the stem under -1 dBFS
d3.gain(3)
d4.gain(0)
d11.gain(3)
d5.gain(5)
d10.gain(0)
d6.gain(2)
d7.gain(1)
d8.gain(2)
d9.gain(-3)
