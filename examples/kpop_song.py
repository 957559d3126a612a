# A complete K-pop dance song in A minor at 124 BPM, 80 bars (about 2:35): intro, verse,
# pre-chorus, chorus, a half-time dance break, bridge, the last chorus a semitone up, outro.
# Vocals with no recordings (docs/vocals.md): the verse and the hook sung by the built-in voice
# on their lyrics, natural correction in the verse and the hard K-pop retune in the chorus, a
# third above and a double on the hook, choir "oohs" behind; the tracks carry their roles, so
# `livecode render examples/kpop_song.py --song --deliver out/` writes the instrumental, the
# karaoke track and the a cappella (docs/deliver.md).
# Render it (no sound card needed):   livecode render examples/kpop_song.py --song -o song.wav
# A part of it:                       livecode render examples/kpop_song.py --from chorus --bars 8 -o x.wav
# Play it live and move around:       livecode, then load("examples/kpop_song.py"), goto("chorus"), loop(), next()
# How it is built: docs/production.md (sections, the form, navigation, rendering).

bpm(124)

# -- material: named progressions in A minor, a hook with its lyric, a generated verse melody
VERSE_CHORDS = progression("epic", "A:minor")                # Am F C G
CHORUS_CHORDS = progression("royal road", "A:minor")         # F G Em Am: lift, then home
HOOK = "<[e5 ~ c5 d5 e5 ~ g5 e5] [f5 ~ e5 c5 a4 ~ c5 ~] [e5 ~ c5 d5 e5 ~ g5 a5] [g5 ~ f5 e5 d5 ~ b4 ~]>"
HOOK_WORDS = "sa-rang-hae / neo-ui star / bit-na-neun / bam-ha-neul _ / geu-dae-wa / da-si / hana-ga / dwae _"
VERSE_TUNE = motif("A:minor", 11, steps=8, length=2, density=0.7, low=7)   # seeded: the same every run

# -- the parts, one line each; the form below decides their order and length
intro_pads = VERSE_CHORDS.voicing().s("pad").legato(1).spread(1).room(0.4)
verse_drums = drums("dance-pop", "<0 0 1 0>", fill=8).bank("808")
verse_bass = VERSE_CHORDS.bass().struct("x ~ ~ x ~ ~ x ~").s("bass808").legato(0.95)
verse_keys = VERSE_CHORDS.voicing().struct("~ x ~ x ~ x ~ x").s("epiano").gain(0.7)
verse_lead = VERSE_TUNE.s("lead").cutoff(3500).legato(0.9).room(0.25)
chorus_drums = drums("dance-pop", "<1 1 1 2>", fill=8).bank("808").layer_hits("cp", "sd")
chorus_bass = CHORUS_CHORDS.bass().struct("x*8").octaveJumps("[0 1]*4").s("bass808").legato(0.8)
chorus_stabs = CHORUS_CHORDS.voicing().struct("x ~ x ~ ~ x ~ x").s("supersaw").legato(0.8).detune(80).spread(1).room(0.3)
chorus_pads = CHORUS_CHORDS.voicing().s("pad").legato(1).spread(1).room(0.4)
hook_bells = note(HOOK).add(12).s("bell").index(2).delay(0.3).delaytime(0.363).delayfeedback(0.3).room(0.35)

# -- vocals: the verse on its own words, the hook on HOOK_WORDS, an "ooh" choir on the chords
VERSE_WORDS = "nan ne-ga jo-a mal-mot-hae / o-neul-do neol bo-myeo _"
verse_vocal = VERSE_TUNE.lyrics(VERSE_WORDS).s("voice").legato(0.95).gain(0.9).room(0.2)
hook_vocal = note(HOOK).lyrics(HOOK_WORDS).s("voice").legato(0.95).room(0.25).delay(0.15).delaytime(0.363)
oohs = CHORUS_CHORDS.voicing().s("choir").vowel("ooh").legato(1).gain(0.5).room(0.4)

# -- transitions (docs/transitions.md): a riser and a snare roll into each chorus, an impact on
#    its downbeat, a fill closing the verse, the bridge's last bar dropped, a downlifter out
riser_in = transition("riser", bars=4, every=8).gain(0.7)
roll_in = transition("snare roll", bars=2, every=8).bank("808").gain(0.8)
impact = transition("impact", every=16).gain(0.9)

# -- the sections: what each track plays there (tracks a section does not name keep playing,
#    unless it says others="stop")
section("intro", d3=intro_pads.gain(0.45).lpf(2500), d5=note("~ ~ ~ [~ e5]").s("bell").gain(0.6).room(0.5),
        others="stop")
section("verse", d1=verse_drums.fill(16), d2=verse_bass, d3=verse_keys, d4=verse_lead.gain(0.5), d5=s("~"),
        d6=s("~"), d7=verse_vocal)
section("pre-chorus", like="verse", d1=drums("dance-pop", 2).bank("808"), d3=chorus_pads,
        d4=note("<[a4 c5 e5 c5]*2 [g4 b4 d5 b4]*2>").s("pluck").room(0.3), d7=s("~"),
        d11=oohs.gain(0.35), d9=riser_in, d10=roll_in)
section("chorus", d1=chorus_drums, d2=chorus_bass, d3=chorus_pads, d4=chorus_stabs, d5=s("~"), d6=hook_bells,
        d8=hook_vocal, d11=oohs, d9=impact, d10=s("~"))
section("dance break", d1=drums("dance-pop", 1).bank("808").halftime().layer_hits("cp", "sd"),
        d2=CHORUS_CHORDS.bass().struct("x ~ x x ~ x ~ x").octaveJumps("[0 1 0 1]*2").s("bass808").legato(0.7).gain(1.3),
        d6=note(HOOK).add(12).struct("x*16").degradeBy(0.35).s("pluck").room(0.2),
        d11=oohs.gain(0.3).vowel("aah"), others="stop")
section("bridge", d3=chorus_pads.gain(0.5).dropBar(8), d4=VERSE_TUNE.add(12).s("bell").gain(0.3).room(0.5).dropBar(8),
        d2=VERSE_CHORDS.bass().s("sub").legato(1).gain(0.4).dropBar(8),
        d9=transition("sweep", bars=2, every=8).early(1).gain(0.6), others="stop")   # the drop: bar 8
section("last chorus", like="chorus", key=1, d8=s("~"), d12=hook_vocal)   # a semitone up; drums stay
section("outro", d3=chorus_pads.keyChange(1).gain(0.5), d6=hook_bells.keyChange(1).slow(2),
        d9=transition("downlifter", bars=2, every=4).gain(0.6), others="stop")

# -- the form: [section, bars] in order (80 bars, about 2:35 at 124 BPM)
FORM = [["intro", 4], ["verse", 16], ["pre-chorus", 8], ["chorus", 16], ["dance break", 8], ["bridge", 8], ["last chorus", 16], ["outro", 4]]
song(*FORM)

# -- the vocal chain: natural retune on the verse, the hard stepped sound on the hook, a third
#    above and a double on the hook, de-essed, compressed, a presence lift; the last chorus's
#    hook (d12) has its own chain in its key; roles for the package
d7.fx("tune", scale="A minor", speed=0.3, humanize=0.4)
d7.fx("vocalcomp")
d7.fx("vocaleq")
d8.fx("tune", scale="A minor", speed=1)
d8.fx("harmony", scale="A minor", interval=3, level=0.5)
d8.fx("double", level=0.4)
d8.fx("deess")
d8.fx("vocalcomp")
d8.fx("vocaleq")
d12.fx("tune", scale="Bb minor", speed=1)
d12.fx("harmony", scale="Bb minor", interval=3, level=0.5)
d12.fx("double", level=0.4)
d12.fx("deess")
d12.fx("vocalcomp")
d12.fx("vocaleq")
d7.role("lead_vocal")
d8.role("lead_vocal")
d12.role("lead_vocal")
d11.role("backing_vocal")
d7.gain(1)
d8.gain(1)
d12.gain(1)
d11.gain(-3)

# -- the mix (faders in dB, sidechain): tracks keep these through every section
d1.gain(2)
d2.gain(4)
d2.duck(d1, amount=0.5)
d3.gain(0)
d3.duck(d1, amount=0.4)
d4.gain(0)
d4.duck(d1, amount=0.5)
d5.gain(2)
d6.gain(-4)
