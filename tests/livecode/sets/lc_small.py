# a small set for the render tests: three tracks, one effect
bpm(120)
d1 >> s("bd*4").bank("808").gain(0.6)
d2 >> s("~ cp ~ cp").bank("808").gain(0.7)
d3 >> note("<c3 eb3>*2").s("sine").legato(0.5).gain(0.5)
d3.fx("lpf", cutoff=1200)
