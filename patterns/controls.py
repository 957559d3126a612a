"""Control constructors and methods (``s``, ``n``, ``note``, ``gain``, ``lpf`` ...), generated
from the table in `patterns.control_table`.

A control turns a pattern's values into control maps: ``s("bd sd")`` has the values
``{"s": "bd"}`` and ``{"s": "sd"}``; ``s("bd:3")`` fills ``s`` and ``n``. As a method with an
argument it sets the control from that (patterned) argument, with the structure from the left
(Strudel's ``set.in``): ``note("c e").s("saw").lpf("<400 800>")``. As a method without an
argument it wraps the pattern's own values: ``"0 2".n()``.

Values are checked when an event is produced (and, for the argument's first cycle, when the
pattern is built): an unknown name, a wrong type or a value out of range raises
`ControlError` naming the control and its range.

>>> [e.value for e in s("bd:3 sd").first_cycle()]
[{'s': 'bd', 'n': 3}, {'s': 'sd'}]
>>> [e.value for e in note("c3 e3").s("sawtooth").lpf(800).first_cycle()]
[{'note': 'c3', 's': 'sawtooth', 'cutoff': 800}, {'note': 'e3', 's': 'sawtooth', 'cutoff': 800}]
>>> gain(9).first_cycle()
Traceback (most recent call last):
...
patterns.errors.ControlError: gain: 9 is out of range 0 .. 4 (linear gain of the note)
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from patterns.control_table import ALIASES, CONTROLS, ControlSpec
from patterns.errors import ControlError, LivecodeError
from patterns.pattern import Pattern, is_pure, reify
from patterns.register import Registered, register
from patterns.runaway import check_density
from patterns.theory.chords import parse_chord
from patterns.theory.notes import is_note

__all__ = [
    "control_spec",
    "control_names",
    "validate_control",
    "validate_controls",
    "control",
    "set_controls",
    "CONTROL_FUNCTIONS",
]

_TRUE = frozenset(("t", "true", "yes", "on"))
_FALSE = frozenset(("f", "false", "no", "off"))


def control_spec(name: str) -> ControlSpec:
    """The spec of a control by name or alias; ControlError (with suggestions) if unknown.

    >>> control_spec("lpf").name
    'cutoff'
    >>> control_spec("cutof")
    Traceback (most recent call last):
    ...
    patterns.errors.ControlError: unknown control 'cutof'; did you mean cutoff or hcutoff or cut?
    """
    if isinstance(name, str):
        spec = CONTROLS.get(name) or CONTROLS.get(ALIASES.get(name, ""))
        if spec is not None:
            return spec
    close = difflib.get_close_matches(str(name), control_names(), n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else " (docs/controls.md lists them)"
    raise ControlError(f"unknown control {name!r}{hint}")


def control_names() -> list[str]:
    """Every control name and alias.

    >>> "sound" in control_names() and "lpf" in control_names()
    True
    """
    return [*CONTROLS, *ALIASES]


def _fail(spec: ControlSpec, value: Any, expected: str) -> ControlError:
    return ControlError(f"{spec.name}: expected {expected}, got {value!r}")


def _check_number(spec: ControlSpec, value: Any) -> Any:
    kind = type(value)
    if kind is not int and kind is not float and (
        isinstance(value, bool) or not isinstance(value, numbers.Real)
    ):
        raise _fail(spec, value, f"a number ({spec.range_text()})")
    if not math.isfinite(value):
        raise _fail(spec, value, "a finite number")
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        raise ControlError(f"{spec.name}: {value!r} is out of range {spec.range_text()} ({spec.doc})")
    return value


def _check_flag(spec: ControlSpec, value: Any) -> bool | int | float:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    if isinstance(value, numbers.Real) and 0.0 <= float(value) <= 1.0:
        return value if isinstance(value, int) else float(value)
    raise _fail(spec, value, "true/false or a number 0 .. 1")


def _check_single(spec: ControlSpec, value: Any) -> Any:
    kind = spec.kind
    if kind == "number":
        return _check_number(spec, value)
    if kind == "int":
        number = _check_number(spec, value)
        if number != int(number):
            raise _fail(spec, value, f"a whole number ({spec.range_text()})")
        return int(number)
    if kind == "str":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # mini-notation reads bank("808") as a number
        if not isinstance(value, str) or not value:
            raise _fail(spec, value, "a name (a string)")
        return value
    if kind == "note":
        if isinstance(value, str):
            if not is_note(value):
                raise _fail(spec, value, "a MIDI number or a note name like c4, eb3, f#2")
            return value
        return _check_number(spec, value)
    if kind == "choice":
        if value not in spec.choices:
            raise _fail(spec, value, f"one of {', '.join(spec.choices)}")
        return value
    if kind == "chord":
        try:
            parse_chord(value)
        except LivecodeError as err:
            raise ControlError(f"chord: {err}") from None
        return value
    return _check_flag(spec, value)


def validate_control(name: str, value: Any) -> dict[str, Any]:
    """Check one control value; returns the map it stands for (aliases resolved, a list value
    spread over the spec's controls).

    >>> validate_control("lpf", 800), validate_control("s", ["bd", 3])
    ({'cutoff': 800}, {'s': 'bd', 'n': 3})
    >>> validate_control("pan", 1.5)
    Traceback (most recent call last):
    ...
    patterns.errors.ControlError: pan: 1.5 is out of range 0 .. 1 (stereo position: 0 left, 0.5 centre, 1 right)
    """
    spec = control_spec(name)
    if spec.kind == "chord" and isinstance(value, (list, tuple)) and len(value) == 2:
        value = f"{value[0]}/{value[1]}"  # mini-notation: "Bb:D" is the slash chord Bb/D
    if isinstance(value, (list, tuple)):
        if not spec.spread:
            raise _fail(spec, value, f"a single value ({spec.range_text()}), not a list")
        if not 1 <= len(value) <= len(spec.spread):
            raise _fail(spec, value, f"at most {len(spec.spread)} values ({':'.join(spec.spread)})")
        out: dict[str, Any] = {}
        for key, item in zip(spec.spread, value):
            out.update(validate_control(key, item))
        return out
    if spec.spread and spec.name not in spec.spread:
        raise _fail(spec, value, f"'{':'.join(spec.spread)}' values, like {spec.example}")
    return {spec.name: _check_single(spec, value)}


def validate_controls(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a whole control map (aliases are resolved to canonical names).

    >>> validate_controls({"sound": "bd", "lpf": 500})
    {'s': 'bd', 'cutoff': 500}
    """
    if not isinstance(values, Mapping):
        raise ControlError(f"controls: expected a map of control names to values, got {values!r}")
    out: dict[str, Any] = {}
    for name, value in values.items():
        out.update(validate_control(name, value))
    return out


def _wrapper(name: str) -> Callable[[Any], dict[str, Any]]:
    spec = control_spec(name)

    name = spec.name
    simple = not spec.spread

    def wrap(value: Any) -> dict[str, Any]:
        kind = type(value)
        if simple and (kind is int or kind is float or kind is str):  # the common case, fast
            return {name: _check_single(spec, value)}
        if isinstance(value, Mapping):
            raise ControlError(
                f"{name}: the values are already control maps ({dict(value)!r}); "
                f"give {name} an argument, like .{name}({spec.example.split('(', 1)[1][:-1]})"
            )
        return validate_control(name, value)

    return wrap


def _plain_value_error(left: Any) -> ControlError:
    return ControlError(
        f"cannot set a control on the plain value {left!r}; make the values controls first, "
        'e.g. note("c e").s("piano") or "0 2".n().s("piano")'
    )


def _merge(left: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    if not isinstance(left, Mapping):
        raise _plain_value_error(left)
    return lambda right: {**left, **right}


def _merge_constant(constant: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    def merge(left: Any) -> dict[str, Any]:
        if not isinstance(left, Mapping):
            raise _plain_value_error(left)
        return {**left, **constant}

    return merge


def set_controls(pat: Pattern, controls: Pattern) -> Pattern:
    """Merge the control maps of `controls` into those of `pat`, structure from `pat`.

    >>> from patterns.pattern import pure
    >>> set_controls(s("bd"), pure({"gain": 0.5})).first_cycle()[0].value
    {'s': 'bd', 'gain': 0.5}
    """
    return pat.fmap(_merge).app_left(controls)


def _checked(pattern: Pattern) -> Pattern:
    """Query the first cycle now, so a bad value fails when the code is run, not when it plays
    (after a cheap look that refuses a runaway instead of querying it for ever)."""
    check_density(pattern)
    pattern.first_cycle()
    return pattern


def _set_from(name: str, value: Any, pat: Pattern) -> Pattern:
    """`pat` with the control `name` set from `value` (structure from `pat`)."""
    argument = reify(value)
    if is_pure(argument):  # a constant: check it once, merge without querying per event
        return pat.fmap(_merge_constant(_wrapper(name)(argument.pure_value)))
    return set_controls(pat, argument.fmap(_wrapper(name)))


def _make(name: str) -> Callable[[list[Any], Pattern], Pattern]:
    spec = control_spec(name)

    def apply(args: list[Any], pat: Pattern) -> Pattern:
        if not args:
            return _checked(pat.fmap(_wrapper(spec.name)))
        if len(args) > 1:
            raise ControlError(f"{spec.name}: expected one value (or none on a pattern), got {len(args)}")
        return _checked(_set_from(spec.name, args[0], pat))

    apply.__doc__ = f"{spec.doc}. Range: {spec.range_text()}. Example: {spec.example}"
    return apply


def control(name: str, value: Any) -> Pattern:
    """A control pattern by name: ``control("lpf", "400 800")`` is ``lpf("400 800")``.

    >>> control("sound", "bd").first_cycle()[0].value
    {'s': 'bd'}
    >>> control("wobble", 1)
    Traceback (most recent call last):
    ...
    patterns.errors.ControlError: unknown control 'wobble' (docs/controls.md lists them)
    """
    return _checked(reify(value).fmap(_wrapper(control_spec(name).name)))


def _register_all() -> dict[str, Registered]:
    made: dict[str, Registered] = {}
    for spec in CONTROLS.values():
        reg = register([spec.name, *spec.aliases], _make(spec.name), patternify=False, variadic=True)
        for alias in (spec.name, *spec.aliases):
            made[alias] = reg
    return made


CONTROL_FUNCTIONS: dict[str, Registered] = _register_all()
"""Every control function by name and alias (also attached as `Pattern` methods)."""

# One module-level function per control and alias (the same objects as the Pattern methods).
s = CONTROL_FUNCTIONS["s"]
n = CONTROL_FUNCTIONS["n"]
note = CONTROL_FUNCTIONS["note"]
freq = CONTROL_FUNCTIONS["freq"]
bank = CONTROL_FUNCTIONS["bank"]
chord = CONTROL_FUNCTIONS["chord"]
octave = CONTROL_FUNCTIONS["octave"]
velocity = CONTROL_FUNCTIONS["velocity"]
gain = CONTROL_FUNCTIONS["gain"]
postgain = CONTROL_FUNCTIONS["postgain"]
pan = CONTROL_FUNCTIONS["pan"]
orbit = CONTROL_FUNCTIONS["orbit"]
legato = CONTROL_FUNCTIONS["legato"]
attack = CONTROL_FUNCTIONS["attack"]
decay = CONTROL_FUNCTIONS["decay"]
sustain = CONTROL_FUNCTIONS["sustain"]
release = CONTROL_FUNCTIONS["release"]
hold = CONTROL_FUNCTIONS["hold"]
cutoff = CONTROL_FUNCTIONS["cutoff"]
resonance = CONTROL_FUNCTIONS["resonance"]
hcutoff = CONTROL_FUNCTIONS["hcutoff"]
hresonance = CONTROL_FUNCTIONS["hresonance"]
bandf = CONTROL_FUNCTIONS["bandf"]
bandq = CONTROL_FUNCTIONS["bandq"]
vowel = CONTROL_FUNCTIONS["vowel"]
room = CONTROL_FUNCTIONS["room"]
size = CONTROL_FUNCTIONS["size"]
delay = CONTROL_FUNCTIONS["delay"]
delaytime = CONTROL_FUNCTIONS["delaytime"]
delayfeedback = CONTROL_FUNCTIONS["delayfeedback"]
shape = CONTROL_FUNCTIONS["shape"]
distort = CONTROL_FUNCTIONS["distort"]
crush = CONTROL_FUNCTIONS["crush"]
coarse = CONTROL_FUNCTIONS["coarse"]
duck = CONTROL_FUNCTIONS["duck"]
duckdepth = CONTROL_FUNCTIONS["duckdepth"]
duckattack = CONTROL_FUNCTIONS["duckattack"]
detune = CONTROL_FUNCTIONS["detune"]
unison = CONTROL_FUNCTIONS["unison"]
accent = CONTROL_FUNCTIONS["accent"]
slide = CONTROL_FUNCTIONS["slide"]
slidetime = CONTROL_FUNCTIONS["slidetime"]
glide = CONTROL_FUNCTIONS["glide"]
glidetime = CONTROL_FUNCTIONS["glidetime"]
drive = CONTROL_FUNCTIONS["drive"]
env = CONTROL_FUNCTIONS["env"]
fdecay = CONTROL_FUNCTIONS["fdecay"]
wave = CONTROL_FUNCTIONS["wave"]
bal = CONTROL_FUNCTIONS["bal"]
vibrato = CONTROL_FUNCTIONS["vibrato"]
vmod = CONTROL_FUNCTIONS["vmod"]
index = CONTROL_FUNCTIONS["index"]
ratio = CONTROL_FUNCTIONS["ratio"]
tine = CONTROL_FUNCTIONS["tine"]
tune = CONTROL_FUNCTIONS["tune"]
penv = CONTROL_FUNCTIONS["penv"]
pdecay = CONTROL_FUNCTIONS["pdecay"]
click = CONTROL_FUNCTIONS["click"]
tone = CONTROL_FUNCTIONS["tone"]
snappy = CONTROL_FUNCTIONS["snappy"]
# `spread` is a Pattern method only (`.spread(0.9)`): the top-level name stays Tidal's
# `spread(f, values, pat)` from patterns.blending, so it is left out of __all__.
spread_control = CONTROL_FUNCTIONS["spread"]
speed = CONTROL_FUNCTIONS["speed"]
begin = CONTROL_FUNCTIONS["begin"]
end = CONTROL_FUNCTIONS["end"]
loop = CONTROL_FUNCTIONS["loop"]
cut = CONTROL_FUNCTIONS["cut"]
unit = CONTROL_FUNCTIONS["unit"]
channel = CONTROL_FUNCTIONS["channel"]
cc = CONTROL_FUNCTIONS["cc"]
ccn = CONTROL_FUNCTIONS["ccn"]
ccv = CONTROL_FUNCTIONS["ccv"]
ccname = CONTROL_FUNCTIONS["ccname"]
progNum = CONTROL_FUNCTIONS["progNum"]
midibank = CONTROL_FUNCTIONS["midibank"]
midibend = CONTROL_FUNCTIONS["midibend"]
miditouch = CONTROL_FUNCTIONS["miditouch"]
polytouch = CONTROL_FUNCTIONS["polytouch"]
nrpnn = CONTROL_FUNCTIONS["nrpnn"]
nrpv = CONTROL_FUNCTIONS["nrpv"]
rpnn = CONTROL_FUNCTIONS["rpnn"]
rpnv = CONTROL_FUNCTIONS["rpnv"]
sysex = CONTROL_FUNCTIONS["sysex"]
anchor = CONTROL_FUNCTIONS["anchor"]
offset = CONTROL_FUNCTIONS["offset"]
mode = CONTROL_FUNCTIONS["mode"]
sound = CONTROL_FUNCTIONS["sound"]
vel = CONTROL_FUNCTIONS["vel"]
clip = CONTROL_FUNCTIONS["clip"]
att = CONTROL_FUNCTIONS["att"]
dec = CONTROL_FUNCTIONS["dec"]
sus = CONTROL_FUNCTIONS["sus"]
rel = CONTROL_FUNCTIONS["rel"]
lpf = CONTROL_FUNCTIONS["lpf"]
ctf = CONTROL_FUNCTIONS["ctf"]
lp = CONTROL_FUNCTIONS["lp"]
lpq = CONTROL_FUNCTIONS["lpq"]
hpf = CONTROL_FUNCTIONS["hpf"]
hp = CONTROL_FUNCTIONS["hp"]
hpq = CONTROL_FUNCTIONS["hpq"]
bpf = CONTROL_FUNCTIONS["bpf"]
bp = CONTROL_FUNCTIONS["bp"]
bpq = CONTROL_FUNCTIONS["bpq"]
roomsize = CONTROL_FUNCTIONS["roomsize"]
sz = CONTROL_FUNCTIONS["sz"]
delayt = CONTROL_FUNCTIONS["delayt"]
dt = CONTROL_FUNCTIONS["dt"]
delayfb = CONTROL_FUNCTIONS["delayfb"]
dfb = CONTROL_FUNCTIONS["dfb"]
dist = CONTROL_FUNCTIONS["dist"]
duckorbit = CONTROL_FUNCTIONS["duckorbit"]
midichan = CONTROL_FUNCTIONS["midichan"]

__all__ += [
    "s",
    "n",
    "note",
    "freq",
    "bank",
    "chord",
    "octave",
    "velocity",
    "gain",
    "postgain",
    "pan",
    "orbit",
    "legato",
    "attack",
    "decay",
    "sustain",
    "release",
    "hold",
    "cutoff",
    "resonance",
    "hcutoff",
    "hresonance",
    "bandf",
    "bandq",
    "vowel",
    "room",
    "size",
    "delay",
    "delaytime",
    "delayfeedback",
    "shape",
    "distort",
    "crush",
    "coarse",
    "duck",
    "duckdepth",
    "duckattack",
    "detune",
    "unison",
    "accent",
    "slide",
    "slidetime",
    "glide",
    "glidetime",
    "drive",
    "env",
    "fdecay",
    "wave",
    "bal",
    "vibrato",
    "vmod",
    "index",
    "ratio",
    "tine",
    "tune",
    "penv",
    "pdecay",
    "click",
    "tone",
    "snappy",
    "speed",
    "begin",
    "end",
    "loop",
    "cut",
    "unit",
    "channel",
    "cc",
    "ccn",
    "ccv",
    "ccname",
    "progNum",
    "midibank",
    "midibend",
    "miditouch",
    "polytouch",
    "nrpnn",
    "nrpv",
    "rpnn",
    "rpnv",
    "sysex",
    "anchor",
    "offset",
    "mode",
    "sound",
    "vel",
    "clip",
    "att",
    "dec",
    "sus",
    "rel",
    "lpf",
    "ctf",
    "lp",
    "lpq",
    "hpf",
    "hp",
    "hpq",
    "bpf",
    "bp",
    "bpq",
    "roomsize",
    "sz",
    "delayt",
    "dt",
    "delayfb",
    "dfb",
    "dist",
    "duckorbit",
    "midichan",
]
