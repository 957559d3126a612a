"""The control table: every control's name, value kind, range, aliases and a one-line doc.

`patterns.controls` generates the constructors and methods (``s``, ``n``, ``lpf`` ...) from
it, and `docs/controls.md` documents it row by row. Ranges follow the synth engine's
parameter ranges (`synths.params`) so a pattern never sends a value the engine rejects.

>>> CONTROLS["cutoff"].aliases, CONTROLS["pan"].low, CONTROLS["pan"].high
(('lpf', 'ctf', 'lp'), 0.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Kind", "ControlSpec", "CONTROLS", "ALIASES"]

Kind = Literal["str", "number", "int", "note", "flag", "choice", "chord"]


@dataclass(frozen=True, slots=True)
class ControlSpec:
    """One control: `kind` of value, inclusive range (None = unbounded), aliases, doc, example.

    `spread` lists the controls a ``"a:b:c"`` value fills in order (``s("bd:3")`` sets s and n).

    >>> CONTROLS["s"].spread
    ('s', 'n', 'gain')
    """

    name: str
    kind: Kind
    doc: str
    example: str
    low: float | None = None
    high: float | None = None
    aliases: tuple[str, ...] = ()
    spread: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    def range_text(self) -> str:
        """The accepted values in words.

        >>> CONTROLS["gain"].range_text(), CONTROLS["s"].range_text()
        ('0 .. 4', 'any name')
        """
        if self.kind == "choice":
            return ", ".join(self.choices)
        if self.kind == "str":
            return "any name"
        if self.kind == "note":
            return "MIDI number or note name"
        if self.kind == "chord":
            return "chord symbol"
        if self.kind == "flag":
            return "true/false or 0 .. 1"
        low = "-inf" if self.low is None else _num(self.low)
        high = "inf" if self.high is None else _num(self.high)
        return f"{low} .. {high}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _spec(name: str, kind: Kind, low: float | None, high: float | None, doc: str, example: str,
          aliases: tuple[str, ...] = (), spread: tuple[str, ...] = (),
          choices: tuple[str, ...] = ()) -> ControlSpec:
    return ControlSpec(name, kind, doc, example,
                       None if low is None else float(low), None if high is None else float(high),
                       aliases, spread, choices)


_TABLE: tuple[ControlSpec, ...] = (
    # what plays
    _spec("s", "str", None, None, "sound: instrument or sample name; 'bd:3' also sets n",
          's("bd sd")', ("sound",), ("s", "n", "gain")),
    _spec("n", "number", -1e6, 1e6, "sample number, or scale degree before .scale()", 'n("0 2 4")'),
    _spec("note", "note", -24, 151, "pitch: MIDI number (fractional ok) or note name (c = c3 = 48)",
          'note("c4 e4 g4")'),
    _spec("freq", "number", 1, 20000, "pitch in Hz (wins over note)", "freq(440)"),
    _spec("bank", "str", None, None, "sample bank / drum machine name", 's("bd").bank("808")'),
    _spec("chord", "chord", None, None, "chord symbol for .voicing() and .rootNotes()",
          'chord("<C Am F G>")'),
    _spec("octave", "int", -1, 9, "octave for instruments that take one", "octave(4)"),
    # level and placement
    _spec("velocity", "number", 0, 1, "note velocity", "velocity(0.7)", ("vel",)),
    _spec("gain", "number", 0, 4, "linear gain of the note", "gain(0.8)"),
    _spec("postgain", "number", 0, 4, "gain after the note's effects", "postgain(1.5)"),
    _spec("pan", "number", 0, 1, "stereo position: 0 left, 0.5 centre, 1 right", "pan(0.25)"),
    _spec("orbit", "int", 0, 15, "effect bus (orbit) the note goes to", "orbit(1)"),
    # length and envelope
    _spec("legato", "number", 0, 16, "held length as a multiple of the event's length", "legato(0.5)",
          ("clip",)),
    _spec("attack", "number", 0, 10, "envelope attack time in seconds", "attack(0.01)", ("att",)),
    _spec("decay", "number", 0, 10, "envelope decay time in seconds", "decay(0.2)", ("dec",)),
    _spec("sustain", "number", 0, 1, "envelope sustain level", "sustain(0.5)", ("sus",)),
    _spec("release", "number", 0, 20, "envelope release time in seconds", "release(0.3)", ("rel",)),
    _spec("hold", "number", 0, 20, "envelope hold time in seconds", "hold(0.1)"),
    # filters
    _spec("cutoff", "number", 20, 20000, "low-pass filter cutoff in Hz; 'f:q' also sets resonance",
          "lpf(800)", ("lpf", "ctf", "lp"), ("cutoff", "resonance")),
    _spec("resonance", "number", 0, 1, "low-pass filter resonance, 0 .. 1", "resonance(0.3)",
          ("lpq",)),
    _spec("hcutoff", "number", 20, 20000, "high-pass filter cutoff in Hz", "hpf(300)",
          ("hpf", "hp"), ("hcutoff", "hresonance")),
    _spec("hresonance", "number", 0, 1, "high-pass filter resonance, 0 .. 1", "hpq(0.2)", ("hpq",)),
    _spec("bandf", "number", 20, 20000, "band-pass filter centre in Hz", "bandf(1000)",
          ("bpf", "bp"), ("bandf", "bandq")),
    _spec("bandq", "number", 0, 50, "band-pass filter Q", "bandq(4)", ("bpq",)),
    _spec("vowel", "choice", None, None, "formant filter vowel", 'vowel("a e")',
          choices=("a", "e", "i", "o", "u", "aah", "eh", "ee", "oh", "ooh")),
    # effects sends and colour
    _spec("room", "number", 0, 1, "reverb send level; 'r:size' also sets size", "room(0.3)",
          (), ("room", "size")),
    _spec("size", "number", 0, 10, "reverb room size", "size(0.8)", ("roomsize", "sz")),
    _spec("delay", "number", 0, 1, "delay send level; 'l:t:fb' also sets time and feedback",
          "delay(0.25)", (), ("delay", "delaytime", "delayfeedback")),
    _spec("delaytime", "number", 0, 10, "delay time in seconds (or cycles for synced delays)",
          "delaytime(0.375)", ("delayt", "dt")),
    _spec("delayfeedback", "number", 0, 0.98, "delay feedback amount", "delayfeedback(0.5)",
          ("delayfb", "dfb")),
    _spec("shape", "number", 0, 1, "waveshaping distortion amount", "shape(0.4)"),
    _spec("distort", "number", 0, 10, "per-note arctan distortion drive (0 is off)", "distort(2)", ("dist",)),
    _spec("crush", "number", 1, 16, "bit crusher depth in bits (lower is harsher)", "crush(4)"),
    _spec("coarse", "int", 1, 64, "sample-rate reduction factor", "coarse(8)"),
    _spec("duck", "int", 0, 15, "orbit whose sound this note ducks (sidechain)", "duck(1)",
          ("duckorbit",)),
    _spec("duckdepth", "number", 0, 1, "how far the ducked orbit goes down", "duckdepth(0.8)"),
    _spec("duckattack", "number", 0, 2, "ducking recovery time in seconds", "duckattack(0.2)"),
    # synth voice
    _spec("detune", "number", -100, 100, "detune in cents (spread of unison voices)", "detune(12)"),
    _spec("unison", "int", 1, 16, "number of unison voices", "unison(5)"),
    _spec("accent", "flag", None, None, "accent (303-style): true/false or 0 .. 1", 'accent("1 0")'),
    _spec("slide", "flag", None, None, "glide into this note (303-style)", 'slide("0 1")'),
    _spec("slidetime", "number", 0, 4, "time of a slide from the previous note in seconds (acid, bass808)",
          'note("c2 c3").s("acid").slide(1).slidetime(0.1)'),
    # bass808 starts `glide` semitones away; lead takes it as portamento seconds (clamps to 0 .. 4)
    _spec("glide", "number", -24, 24,
          "bass808: start this many semitones away and glide in; lead: portamento time in s",
          'note("c2").s("bass808").glide(12)'),
    _spec("glidetime", "number", 0, 4, "time of bass808's glide into the note in seconds",
          'note("c2").s("bass808").glide(7).glidetime(0.2)'),
    _spec("drive", "number", 0.1, 8, "tanh saturation amount (bass808, kicks)", 's("bd").drive(3)'),
    _spec("env", "number", 0, 7, "filter envelope depth in octaves above the cutoff (acid, lead, pluckbass)",
          'note("c2").s("acid").env(0.8)'),
    _spec("fdecay", "number", 0.005, 4, "filter envelope decay in seconds (acid, lead, pluckbass)",
          'note("c2").s("acid").fdecay(0.4)'),
    _spec("wave", "number", 0, 1, "acid waveform: 0 saw, 1 square", 'note("c2").s("acid").wave(1)'),
    _spec("spread", "number", 0, 1, "stereo spread of the unison voices (pad, strings, supersaw)",
          'note("c3").s("supersaw").spread(0.9)'),
    _spec("bal", "number", 0, 1, "supersaw: level of the side saws against the centre one",
          'note("c3").s("supersaw").bal(0.4)'),
    _spec("vibrato", "number", 0, 12, "strings: vibrato rate in Hz", 'note("c3").s("strings").vibrato(6)'),
    _spec("vmod", "number", 0, 1, "strings: vibrato depth", 'note("c3").s("strings").vmod(0.3)'),
    _spec("vdelay", "number", 0, 4, "singing voice: vibrato fades in after this many seconds",
          'note("a4").s("voice").vdelay(0.4)'),
    _spec("breath", "number", 0, 1, "singing voice: breath noise in the source", 'note("a4").s("voice").breath(0.4)'),
    _spec("ftime", "number", 0, 1, "singing voice: formant glide time from the previous vowel in seconds",
          'note("a4 c5").s("voice").ftime(0.15)'),
    _spec("index", "number", 0, 20, "FM modulation index (bell; epiano clamps to 10)",
          'note("c5").s("bell").index(8)'),
    _spec("ratio", "number", 0.1, 16, "bell: FM modulator / carrier frequency ratio",
          'note("c5").s("bell").ratio(3.5)'),
    _spec("tine", "number", 0, 1, "epiano: level of the bright tine attack", 'note("c4").s("epiano").tine(0.7)'),
    # drums
    _spec("tune", "number", -24, 24, "drums: transpose the hit in semitones", 's("bd sd").tune(-3)'),
    _spec("penv", "number", 0, 48, "kick: pitch envelope depth in semitones", 's("bd").penv(36)'),
    _spec("pdecay", "number", 0.002, 2, "kick: pitch envelope decay in seconds", 's("bd").pdecay(0.1)'),
    _spec("click", "number", 0, 1, "kick: level of the attack click", 's("bd").click(0.6)'),
    _spec("tone", "number", 0, 1, "kick: brightness (lowpass from 150 Hz to 19 kHz)", 's("bd").tone(0.8)'),
    _spec("snappy", "number", 0, 1, "snare: level of the noise (snares) against the heads",
          's("sd").snappy(0.9)'),
    # samples
    _spec("speed", "number", -32, 32, "playback speed; negative plays backwards", "speed(2)"),
    _spec("begin", "number", 0, 1, "sample start, fraction of its length", "begin(0.25)"),
    _spec("end", "number", 0, 1, "sample end, fraction of its length", "end(0.5)"),
    _spec("loop", "int", 0, 1024, "how many times a sample loops", "loop(2)"),
    _spec("cut", "int", 0, 1024, "cut group: a new note stops the sounding ones of its group",
          "cut(1)"),
    _spec("unit", "choice", None, None, "unit of speed: 'r' rate or 'c' cycles", 'unit("c")',
          choices=("r", "c")),
    # MIDI
    _spec("channel", "int", 1, 16, "MIDI channel 1 .. 16", "channel(2)", ("midichan",)),
    _spec("cc", "number", 0, 127, "MIDI control change as 'number:value' (sets ccn and ccv)",
          'cc("74:100")', (), ("ccn", "ccv")),
    _spec("ccn", "int", 0, 127, "MIDI CC number", "ccn(74)"),
    _spec("ccv", "number", 0, 127, "MIDI CC value", "ccv(100)"),
    _spec("ccname", "str", None, None, "MIDI CC by name through the device map (.midi(device=...))",
          'ccname("cutoff")'),
    _spec("progNum", "int", 0, 127, "MIDI program change", "progNum(5)"),
    _spec("midibank", "int", 0, 16383, "MIDI bank select (CC 0/32), sent before progNum", "midibank(2)"),
    _spec("midibend", "number", -1, 1, "MIDI pitch bend, -1 .. 1 (0 centre)", "midibend(0.5)"),
    _spec("miditouch", "number", 0, 1, "MIDI channel aftertouch, 0 .. 1", "miditouch(0.5)"),
    _spec("polytouch", "number", 0, 1, "MIDI poly aftertouch on the event's note, 0 .. 1", "polytouch(0.5)"),
    _spec("nrpnn", "int", 0, 16383, "MIDI NRPN parameter number (value from nrpv)", "nrpnn(300)"),
    _spec("nrpv", "int", 0, 16383, "MIDI NRPN value, 0 .. 16383", "nrpv(1000)"),
    _spec("rpnn", "int", 0, 16383, "MIDI RPN parameter number (0: bend range; value from rpnv)", "rpnn(0)"),
    _spec("rpnv", "int", 0, 16383, "MIDI RPN value, 0 .. 16383", "rpnv(1536)"),
    _spec("sysex", "str", None, None, "MIDI system exclusive message as hex bytes, no spaces", 'sysex("F07E7F0901F7")'),
    # voicing helpers
    _spec("anchor", "note", -24, 151, "note a voicing is aligned to (.voicing())", 'anchor("g4")'),
    _spec("offset", "int", -32, 32, "shift a voicing to the next inversions (.voicing())", "offset(1)"),
    _spec("mode", "choice", None, None, "how .voicing() aligns to the anchor", 'mode("above")',
          choices=("below", "above", "duck", "root")),
    # lyrics (set by .lyrics(text); read by vocal synths and lyric export, not by the engine)
    _spec("lyric", "str", None, None,
          "syllable sung on the note: 'sa-' the word goes on, '_' holds the last one, '/na' a new line",
          'note("c4 d4").lyric("la")'),
)

CONTROLS: dict[str, ControlSpec] = {spec.name: spec for spec in _TABLE}
"""Every control by canonical name, in documentation order."""

ALIASES: dict[str, str] = {alias: spec.name for spec in _TABLE for alias in spec.aliases}
"""Alias -> canonical control name (``lpf`` -> ``cutoff``, ``sound`` -> ``s``)."""
