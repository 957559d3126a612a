# One idea: euclidean rhythms, three layers of (k, n) spread against each other.
#   livecode render examples/euclid.py -o euclid.wav --bars 4
bpm(110)
d1 >> s("bd(3,8)").bank("808")
d2 >> s("rim(5,8,2)").bank("808").gain(0.6)
d3 >> s("hh(7,16)").bank("808").gain(0.4)
d4 >> note("c2(3,8)").s("bass808").legato(0.7)
