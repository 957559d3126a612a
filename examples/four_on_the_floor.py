# One idea: a house beat from four drum tracks on the 909 bank.
#   livecode render examples/four_on_the_floor.py -o floor.wav --bars 4
bpm(126)
d1 >> s("bd*4").bank("909")
d2 >> s("~ cp ~ cp").bank("909").gain(0.8)
d3 >> s("[~ hh]*4").bank("909").gain(0.6)
d4 >> s("hh*16").bank("909").gain(sine.range(0.15, 0.4).fast(2)).pan(0.6)
