# A small set with every role the package tells apart (tests/livecode/test_deliver_package.py).
bpm(120)
d1 >> s("bd*4").bank("808")
d2 >> note("<a1 f1>").struct("x ~ x ~").s("sub")
d3 >> note("c4 e4 g4 e4").lyrics("la-la / hey oh").s("lead").legato(0.8).room(0.3)
d3.role("lead_vocal")
d4 >> note("<e4 g4>").s("pad").room(0.2)
d4.role("backing_vocal")
