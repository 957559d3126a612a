"""`livecode new`: write a complete, editable set file for a style, key and seed.

    livecode new --style kpop-dance --key "A minor" --seed 7 song.py

The file holds tracks a producer edits: drums (a named drum program with seeded fills), a bass
following a named chord progression, chords (stabs and a pad), a hook generated in the key from
the seed with lyric placeholders on its notes, and transitions (a riser, an impact, a roll).
The same style, key and seed always write the same file. The parts are named (`DRUMS`, `BASS`,
`STABS`, `PAD`, `HOOK_PART`, the transitions), the tracks play them at once, and a song form
(`section(...)` for each part of the style's plan, then `song(...)`) takes over at the next bar.

Styles are data (`STYLES`): a tempo, a drum program, a progression, instruments and levels, the
hook generator's settings, the transitions and the section plan; the file's text is a template
(`livecode/templates/starter.txt`, `$name` fields filled from the style).

>>> text = starter_text("kpop-dance", "A minor", 7)
>>> text.splitlines()[0]
'# kpop-dance in A minor, seed 7: written by `livecode new --style kpop-dance --key "A minor" --seed 7`'
>>> 'drums("dance-pop"' in text, "transition(" in text, text == starter_text("kpop-dance", "A minor", 7)
(True, True, True)
>>> scale_name("F# minor"), scale_name("Am"), scale_name("Eb"), scale_name("c:dorian")
('F#:minor', 'A:minor', 'Eb:major', 'C:dorian')
>>> scale_name("H minor")
Traceback (most recent call last):
...
livecode.errors.StarterError: new --key: 'H minor' is not a key; write a tonic and a mode, like "A minor" or "Eb major"
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from types import MappingProxyType
from typing import NoReturn

from livecode.errors import StarterError
from patterns import motif, progression
from patterns.errors import PatternError

__all__ = [
    "STYLES",
    "Style",
    "build_new_parser",
    "new_main",
    "scale_name",
    "starter_text",
    "style_names",
    "write_starter",
]

EXIT_USAGE = 2
EXIT_ERROR = 1


@dataclass(frozen=True, slots=True)
class Style:
    """A starter style: tempo, drums, harmony, instruments, the hook's generator settings, the
    lyric placeholder, transitions (set-file lines) and the section plan (name, bars, what
    plays).

    >>> STYLES["kpop-dance"].bpm, STYLES["kpop-dance"].drums
    (124, 'dance-pop')
    """

    name: str
    doc: str
    bpm: int
    drums: str
    drum_variations: str
    bank: str
    fill_every: int
    progression: str
    bass: str
    bass_rhythm: str
    stabs: str
    stab_rhythm: str
    pad: str
    hook: str
    hook_contour: str
    hook_density: float
    hook_low: int
    lyric: str
    transitions: tuple[str, ...]
    sections: tuple[tuple[str, int, str], ...]


STYLES: Mapping[str, Style] = MappingProxyType({style.name: style for style in (
    Style(
        name="kpop-dance", doc="K-pop dance: four-on-the-floor at 124, supersaw stabs, an 808 bass, a lead hook",
        bpm=124, drums="dance-pop", drum_variations="<0 0 1 0 0 0 1 2>", bank="909", fill_every=4,
        progression="pop", bass="bass808", bass_rhythm="x ~ ~ x ~ ~ x ~", stabs="supersaw",
        stab_rhythm="x ~ x ~ ~ x ~ x", pad="pad", hook="lead", hook_contour="arch", hook_density=0.75,
        hook_low=0, lyric="sa-rang-hae _ / na-na-na / oh-oh-oh _ / yeah",
        transitions=(
            'd9 >> transition("riser", bars=4, every=8).gain(0.8)',
            'd10 >> transition("impact", every=8)',
            'd11 >> transition("snare roll", bars=1, every=8).bank("909").gain(0.7)',
        ),
        sections=(("intro", 8, "d1 d4 d9 d10"), ("verse", 16, "d1 d2 d4 d5"), ("pre-chorus", 8, "d1 d2 d3 d9 d11"),
                  ("chorus", 16, "everything, d10 on its first bar"), ("dance break", 8, "d1 d2 d3 (halftime)"),
                  ("chorus", 16, "everything, keyChange(1)"), ("outro", 8, "d4 d5")),
    ),
    Style(
        name="kpop-ballad", doc="K-pop ballad: a slow boom-bap pulse at 76, electric piano and strings, a bell hook",
        bpm=76, drums="boom bap", drum_variations="0", bank="808", fill_every=8,
        progression="royal road", bass="sub", bass_rhythm="x ~ ~ ~ x ~ ~ ~", stabs="epiano",
        stab_rhythm="x ~ ~ x ~ ~ x ~", pad="strings", hook="bell", hook_contour="valley", hook_density=0.5,
        hook_low=0, lyric="geu-dae-ga / bo-go sip-eo / oh _",
        transitions=(
            'd9 >> transition("reverse cymbal", bars=1, every=8).gain(0.7)',
            'd10 >> transition("downlifter", bars=2, every=8).gain(0.6)',
        ),
        sections=(("intro", 4, "d4 d5"), ("verse", 16, "d2 d3 d4 d5"), ("chorus", 16, "everything"),
                  ("bridge", 8, "d3 d4 d9"), ("chorus", 16, "everything, keyChange(1)"), ("outro", 4, "d4")),
    ),
    Style(
        name="moombahton", doc="Moombahton: the dembow over four-on-the-floor at 110, plucks and an 808",
        bpm=110, drums="moombahton", drum_variations="<0 1 0 2>", bank="808", fill_every=8,
        progression="epic", bass="bass808", bass_rhythm="x ~ ~ x ~ ~ x ~", stabs="pluck",
        stab_rhythm="~ x ~ x ~ x ~ x", pad="pad", hook="lead", hook_contour="wave", hook_density=0.75,
        hook_low=0, lyric="ba-ila / con-mi-go / oh _ oh",
        transitions=(
            'd9 >> transition("hat roll", bars=2, every=8).bank("808").gain(0.6)',
            'd10 >> transition("sweep", bars=4, every=8).gain(0.7)',
            'd11 >> transition("impact", every=8)',
        ),
        sections=(("intro", 8, "d1 d4"), ("verse", 16, "d1 d2 d3"), ("build", 8, "d1 d3 d9 d10"),
                  ("drop", 16, "everything, d11 on its first bar"), ("outro", 8, "d1 d4")),
    ),
)})
"""The starter styles by name."""

_TONIC = re.compile(r"^\s*([A-Ga-g])([#b]?)\s*(?::|\s)?\s*([A-Za-z]*)\s*$")
_MODES = {"": "major", "maj": "major", "major": "major", "m": "minor", "min": "minor", "minor": "minor",
          "dorian": "dorian", "phrygian": "phrygian", "lydian": "lydian", "mixolydian": "mixolydian",
          "aeolian": "minor", "ionian": "major"}


def style_names() -> list[str]:
    """The styles `livecode new --style` knows.

    >>> style_names()
    ['kpop-dance', 'kpop-ballad', 'moombahton']
    """
    return list(STYLES)


def scale_name(key: str) -> str:
    """A key as a performer writes it ("A minor", "Am", "F#:minor", "Eb") as the scale name the
    patterns take ("A:minor"); `StarterError` names `--key` otherwise."""
    match = _TONIC.match(key) if isinstance(key, str) else None
    mode = _MODES.get(match.group(3).lower()) if match else None
    if match is None or mode is None:
        raise StarterError(f'new --key: {key!r} is not a key; write a tonic and a mode, like "A minor" or "Eb major"')
    return f"{match.group(1).upper()}{match.group(2)}:{mode}"


def _style(name: str) -> Style:
    found = STYLES.get(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        close = difflib.get_close_matches(str(name), list(STYLES), n=2, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise StarterError(f"new --style: unknown style {name!r}; {hint}styles: {', '.join(STYLES)}")
    return found


def _check(style: Style, scale: str, seed: int) -> None:
    """Query the style's harmony and hook in `scale` once, so a key they cannot use is one line now."""
    try:
        progression(style.progression, scale).query_arc(0, 4)
        motif(scale, seed, steps=8, length=2, density=style.hook_density, contour=style.hook_contour,
              low=style.hook_low).onsets(0, 2)
    except PatternError as err:
        raise StarterError(f"new --key: {scale}: {err}") from err


def starter_text(style_name: str, key: str, seed: int) -> str:
    """The set file of `style_name` in `key` from `seed` (the same arguments, the same text)."""
    style = _style(style_name)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= 2**31 - 1:
        raise StarterError(f"new --seed: a whole number 0 .. 2147483647, got {seed!r}")
    scale = scale_name(key)
    _check(style, scale, seed)
    transitions, parts = _transition_parts(style.transitions)
    sections, form = _form(style.sections, parts)
    fields = {field: getattr(style, field) for field in (
        "bpm", "doc", "drums", "drum_variations", "bank", "fill_every", "progression", "bass", "bass_rhythm",
        "stabs", "stab_rhythm", "pad", "hook", "hook_contour", "hook_density", "hook_low", "lyric")}
    return _template().substitute(fields, style=style.name, key=key, seed=seed, scale=scale,
                                  transitions="\n".join(transitions), sections="\n".join(sections),
                                  form=", ".join(form))


_PARTS = {"d1": "DRUMS", "d2": "BASS", "d3": "STABS", "d4": "PAD", "d5": "HOOK_PART"}


def _transition_parts(lines: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """The style's `dN >> transition(...)` lines as named parts (`RISER = transition(...)`) and
    the track each plays on.

    >>> _transition_parts(('d9 >> transition("riser", bars=4, every=8)',))
    (['RISER = transition("riser", bars=4, every=8)'], {'d9': 'RISER'})
    """
    named: list[str] = []
    tracks: dict[str, str] = {}
    for line in lines:
        track, expr = (part.strip() for part in line.split(">>", 1))
        kind = re.search(r'transition\("([^"]+)"', expr)
        name = re.sub(r"\W+", "_", kind.group(1) if kind else track).strip("_").upper()
        named.append(f"{name} = {expr}")
        tracks[track] = name
    return named, tracks


def _form(plan: tuple[tuple[str, int, str], ...], transitions: dict[str, str]) -> tuple[list[str], list[str]]:
    """`section(...)` lines and the `song(...)` parts of a style's plan: "everything" is every
    part, "keyChange(1)" a section a semitone up (named "last <name>" when the name repeats),
    "(halftime)" the drums at half time.

    >>> lines, form = _form((("verse", 16, "d1 d2"), ("chorus", 8, "everything"),
    ...                      ("chorus", 8, "everything, keyChange(1)")), {"d9": "RISER"})
    >>> lines[0], form
    ('section("verse", d1=DRUMS, d2=BASS, others="stop")', ['["verse", 16]', '["chorus", 8]', '["last chorus", 8]'])
    >>> lines[2]
    'section("last chorus", d1=DRUMS, d2=BASS, d3=STABS, d4=PAD, d5=HOOK_PART, d9=RISER, key=1, others="stop")'
    """
    parts = {**_PARTS, **transitions}
    seen: set[str] = set()
    lines: list[str] = []
    form: list[str] = []
    for name, bars, plays in plan:
        key = "keyChange(1)" in plays
        if name in seen:
            name = f"last {name}"
        form.append(f'[{name!r}, {bars}]'.replace("'", '"'))
        if name in seen:
            continue
        seen.add(name)
        tracks = list(parts) if "everything" in plays else re.findall(r"\bd\d+\b", plays)
        names = [f"{track}={parts[track]}" for track in sorted(tracks, key=lambda t: int(t[1:])) if track in parts]
        if "(halftime)" in plays:
            names = [entry + ".halftime()" if entry.startswith("d1=") else entry for entry in names]
        options = (["key=1"] if key else []) + ['others="stop"']
        lines.append(f"section({name!r}, {', '.join(names + options)})".replace("'", '"'))
    return lines, form


def _template() -> Template:
    """The set file's template (`livecode/templates/starter.txt`, `$name` fields)."""
    return Template((Path(__file__).parent / "templates" / "starter.txt").read_text(encoding="utf-8"))


def write_starter(path: Path, style_name: str, key: str, seed: int, *, force: bool = False) -> Path:
    """Write the starter to `path` (never over an existing file unless `force`); returns it.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_starter(folder / "song.py", "moombahton", "D minor", 3).read_text().count("d1 >>")
    1
    >>> write_starter(folder / "song.py", "moombahton", "D minor", 3)     # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    livecode.errors.StarterError: new: .../song.py exists; choose another name or add --force
    """
    text = starter_text(style_name, key, seed)
    target = Path(path).expanduser()
    if target.suffix != ".py":
        raise StarterError(f"new: the set file must end in .py, got {str(path)!r}")
    if target.exists() and not force:
        raise StarterError(f"new: {target} exists; choose another name or add --force")
    if not target.parent.is_dir():
        raise StarterError(f"new: no folder {target.parent} for {target.name}")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise StarterError(f"new: cannot write {target}: {err.strerror}") from err
    return target


class _Parser(argparse.ArgumentParser):
    """Errors as one line, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"livecode new: {message} (see `livecode new --help`)\n")


def build_new_parser() -> argparse.ArgumentParser:
    """The parser of `livecode new`.

    >>> args = build_new_parser().parse_args(["--style", "kpop-dance", "--key", "A minor", "--seed", "7", "song.py"])
    >>> (args.style, args.key, args.seed, args.set.name)
    ('kpop-dance', 'A minor', 7, 'song.py')
    """
    parser = _Parser(prog="livecode new", description="Write a starter set file: drums, bass, chords, a hook, "
                     "lyric placeholders and transitions, for a style, key and seed.")
    parser.add_argument("set", type=Path, help="the set file to write (.py)")
    parser.add_argument("--style", default="kpop-dance", help=f"one of: {', '.join(STYLES)} (default kpop-dance)")
    parser.add_argument("--key", default="A minor", help='the key, e.g. "A minor", "Eb major", "F#m" (default A minor)')
    parser.add_argument("--seed", type=int, default=1, help="the seed of the hook and the fills (default 1)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def new_main(argv: Sequence[str] | None = None) -> int:
    """`livecode new ...`: write the starter; 0 ok, 1 error (one line), 2 bad usage.

    >>> new_main(["--style", "trance", "x.py"])
    2
    """
    try:
        args = build_new_parser().parse_args(list(sys.argv[2:] if argv is None else argv))
    except SystemExit as done:        # --help, or a usage error already printed as one line
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    try:
        target = write_starter(args.set, args.style, args.key, args.seed, force=args.force)
    except StarterError as err:
        print(f"livecode {err}", file=sys.stderr)
        return EXIT_USAGE if "--style" in str(err) or "--key" in str(err) or "--seed" in str(err) else EXIT_ERROR
    print(f"wrote {target} ({args.style} in {args.key}, seed {args.seed}); play it: livecode play {target}")
    return 0
