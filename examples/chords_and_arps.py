# One idea: harmony from symbols: a progression voiced with smooth voice leading, and an arpeggio
# over it picking chord tones.
#   livecode render examples/chords_and_arps.py -o chords.wav --bars 4
bpm(96)
d1 >> chord("<Dm7 G7 C^7 A7>").voicing().s("pad").legato(1.0).gain(0.4)
d2 >> chord("<Dm7 G7 C^7 A7>").voicing().arp("0 1 2 3 2 1 0 1").fast(1).s("pluck").gain(0.5)
d2.fx("delay", time=0.75, feedback=0.3, mix=0.25)
d3 >> note("<d2 g1 c2 a1>").s("sub").legato(0.9).gain(0.7)
