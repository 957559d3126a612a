# Vocals with no recordings (docs/vocals.md): a lead sung by the built-in voice on its lyrics,
# natural correction in the verse and the hard K-pop retune in the chorus (bars 3-4), a third
# above as a harmony, a double, oohs from the choir, and a delay throw on the last word.
# Render it:  livecode render examples/vocals.py -o vocals.wav --bars 4 --stems vocals-stems

bpm(96)

# -- the lead: A minor, a syllable a note (`_` holds the vowel), a throw on the last word
LEAD = note("<[a4 c5 e5 d5] [c5 ~ a4 ~] [e5 g5 e5 d5] [c5 b4 a4 ~]>")
d1 >> LEAD.lyrics("sa-rang-hae-yo na-_ / neo-man bo-yeo o-_").s("voice").legato(0.95).delay("<0 0 0 [0 0 0.6 0]>").delaytime(0.3125).delayfeedback(0.4)
d1.fx("tune", scale="A minor", speed=mini("<0.3 0.3 1 1>"), humanize=0.4)
d1.fx("harmony", scale="A minor", interval=3, level=0.5)
d1.fx("double", level=0.4)
d1.fx("deess")
d1.fx("vocalcomp")
d1.fx("vocaleq")

# -- backing: the choir on the chords, "ooh", wide and soft
d2 >> note("<[a3,c4,e4] [f3,a3,c4] [c4,e4,g4] [g3,b3,d4]>").s("choir").vowel("ooh").gain(0.6).room(0.4)

# -- a little beat under it
d3 >> s("bd ~ ~ bd ~ ~ bd ~").bank("808")
d4 >> s("~ cp ~ cp").bank("909").room(0.2)
