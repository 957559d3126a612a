"""The prelude: the namespace a performer types into (REPL, set files, `livecode send`).

`build_namespace(session)` returns a fresh dict holding every public pattern function, control
and theory name (from `patterns`, `patterns.controls`, `patterns.theory`), the track slots `d1` ..
`d16`, and the session functions below, bound to that session:

* tempo: `bpm(124)`, `bpm()` (read), `setcps(0.5)`, `setbpm(124)`, `cps()`;
* tracks: `track("bass")`, `hush()`, `panic()`, `solo(d1, d2)`, `unsolo()`;
* sync: `midiclock("Synth")`, `midiclock_in("a2j:Clock")`, `link(True)` (docs/sync.md);
* the master: `master("streaming")` (a loudness target and its chain, docs/mastering.md);
* tools: `show(d1)`, `save("myset.py")`, `load_samples("~/kit")`, `midi_outputs()`, `status()`,
  `reconnect_audio()` (after JACK or the engine died).

Pattern methods `pat.midi(port, channel)` (route events to MIDI) are registered on `Pattern` the
first time a namespace is built.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> ns = build_namespace(session)
>>> ns["d1"] is session.tracks["d1"], callable(ns["bpm"])
(True, True)
>>> session.close()
"""

from __future__ import annotations

import builtins
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.control.names import control_functions
from livecode.errors import TrackError
from livecode.master_live import MasterLine
from livecode.osc.out import pattern_osc
from livecode.package.names import midi_file_functions
from livecode.replay import actions_of
from livecode.song.functions import song_functions
from livecode.sync.midi_clock_in import CLOCK_IN_DELAY
from livecode.takes.prelude import take_functions
from livecode.tracks import SLOT_NAMES, Track

if TYPE_CHECKING:
    from livecode.session import Session
    from patterns.pattern import Pattern

__all__ = ["build_namespace", "session_functions", "pattern_namespace", "install_pattern_methods",
           "reference_markdown", "PATTERN_MODULES"]

PATTERN_MODULES = ("patterns", "patterns.controls", "patterns.theory", "patterns.signals")


def pattern_namespace() -> dict[str, object]:
    """Every public name of the pattern modules (`__all__`, later ones win) and every registered
    transformation (`fast`, `every`, ...) as a function.

    >>> "fast" in pattern_namespace()
    True
    """
    names: dict[str, object] = {}
    for module_name in PATTERN_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in getattr(module, "__all__", ()):
            if not name.startswith("_") and hasattr(module, name):
                names[name] = getattr(module, name)
    from patterns.register import registry

    for name, function in registry.items():
        if "." not in name and name.isidentifier():
            names.setdefault(name, function)
    return names


def _pattern_midi(pattern: Pattern, port: str = "default", channel: int | None = None,
                  engine: bool = False, device: str | None = None, nudge: float = 0.0) -> Pattern:
    """`note("c4 e4").midi("IAC Bus 1", channel=2)`: these events go to a MIDI port and channel
    (without a port: the session's default, `livecode --midi-out PORT`; without a channel: the
    events' `channel`/`midichan` control, else 1)."""
    if not isinstance(port, str) or not port:
        raise TrackError(f"midi(port, channel=1): port must be a port name, got {port!r}")
    if channel is not None and (isinstance(channel, bool) or not isinstance(channel, int)
                                or not 1 <= channel <= 16):
        raise TrackError(f"midi(port, channel=1): channel must be 1..16, got {channel!r}")
    extra: dict[str, object] = {"midiport": port, "midiengine": engine}
    if device is not None:
        extra["mididevice"] = device             # CC names (ccname) through that device map
    if nudge:
        extra["midinudge"] = nudge               # milliseconds, -1000..1000
    if channel is not None:
        extra["midichan"] = channel

    def route(value: object) -> object:
        from livecode.targets import event_params

        return {**event_params(value), **extra}

    return pattern.fmap(route)


def install_pattern_methods() -> None:
    """Add livecode's pattern methods (`midi`) to `patterns.Pattern` unless it has them."""
    import patterns

    if not hasattr(patterns.Pattern, "midi"):
        setattr(patterns.Pattern, "midi", _pattern_midi)
    if not hasattr(patterns.Pattern, "osc"):
        setattr(patterns.Pattern, "osc", pattern_osc)


class _Unset:
    """The default of an argument that may also be None (`master()` vs `master(None)`)."""

    def __repr__(self) -> str:
        return "<unset>"


UNSET = _Unset()


def session_functions(session: Session) -> dict[str, Callable[..., object]]:
    """The tempo/track/tool functions of the prelude, bound to `session`.

    The ones marked `@as_action` act on the world outside the session's state (files, the
    terminal, devices): they do nothing while a journal is replayed (`livecode.replay`).
    """
    as_action = actions_of(session)

    def bpm(value: float | None = None) -> float:
        """Set the tempo in beats per minute (on the next beat), or read it. Example: bpm(124)"""
        if value is not None:
            session.set_bpm(value)
        return session.tempo.bpm

    def setcps(value: float) -> float:
        """Set the tempo in cycles per second. Example: setcps(0.5)"""
        session.set_cps(value)
        return session.tempo.cps

    def cps() -> float:
        """The tempo in cycles per second. Example: cps()"""
        return session.tempo.cps

    def midiclock(port: str | None) -> None:
        """Send MIDI clock to a port (Start at the next cycle); None stops it. Example: midiclock("Synth")"""
        session.midiclock(port)

    def midiclock_in(port: str | None, delay: float = CLOCK_IN_DELAY) -> None:
        """Follow the MIDI clock from a JACK MIDI output, `delay` s behind it (35 ms: nothing
        late after a Start); None stops. Example: midiclock_in("a2j:Clock")"""
        session.midiclock_in(port, delay)

    def master(preset: str | None | _Unset = UNSET, *, lufs: float | None = None, ceiling: float | None = None,
               gain: float | None = None) -> MasterLine:
        """Set the master bus for a loudness target: a preset (streaming, apple, club, broadcast),
        a custom target (lufs=, ceiling=), the gain into the limiter (gain= dB); None: the
        default master; no argument: what it does now. Example: master("streaming")"""
        live = session.live_master
        if isinstance(preset, _Unset) and lufs is None and ceiling is None and gain is None:
            return live.describe()
        return live.apply(None if isinstance(preset, _Unset) else preset, lufs=lufs, ceiling=ceiling, gain=gain)

    def link(enabled: bool = True) -> int | None:
        """Join (or leave) the Ableton Link session; returns the peer count. Example: link(True)"""
        return session.link(enabled)

    def track(name: str) -> Track:
        """A named track, created on first use. Example: track("bass") >> note("c2 eb2").s("bass808")"""
        return session.track(name)

    def hush() -> None:
        """Stop every pattern now; MIDI notes off at once (effects, mix and tempo stay). Example: hush()"""
        session.hush()

    def panic() -> None:
        """hush(), release every voice, MIDI note-offs and CC 123 everywhere. Example: panic()"""
        session.panic()

    def reconnect_audio() -> None:
        """After JACK or the engine died: new engine, JACK MIDI reopened, tracks kept. Example: reconnect_audio()"""
        session.reconnect_audio()

    def solo(*tracks: Track | str) -> None:
        """Only these tracks play. Example: solo(d1, d2)"""
        session.solo(*tracks)

    def unsolo() -> None:
        """Every track plays again. Example: unsolo()"""
        session.unsolo()

    @as_action
    def save(path: str) -> str:
        """Save the current state as a set file (skipped while resuming). Example: save("myset.py")"""
        return str(session.save(Path(path).expanduser()))

    @as_action
    def show(target: object, cycles: int = 2) -> None:
        """A drum grid / piano roll of a track or pattern. Example: show(d1)"""
        from livecode.show import show as show_view

        show_view(target, cycles)

    def load_samples(folder: str) -> list[str]:
        """Register a folder of samples as instruments (kit names back). Example: load_samples("~/kit")"""
        return session.load_samples(folder)

    def record(path: str | None = None, stems: str | None = None) -> object:
        """Record the output to a WAV until record() (returns the file). Example: record("take.wav")"""
        return session.record(path, stems=stems)

    @as_action
    def midi_outputs() -> list[str]:
        """The MIDI outputs livecode can open. Example: midi_outputs()"""
        from livecode.midi import list_outputs

        return list_outputs()

    def status() -> object:
        """The session status (position, tempo, tracks, meters). Example: status().bar"""
        return session.status()

    functions: dict[str, Callable[..., object]] = {
        "bpm": bpm, "setbpm": bpm, "setcps": setcps, "cps": cps, "track": track, "hush": hush,
        "panic": panic, "solo": solo, "unsolo": unsolo, "save": save, "show": show,
        "load_samples": load_samples, "midi_outputs": midi_outputs, "status": status, "record": record,
        "midiclock": midiclock, "midiclock_in": midiclock_in, "link": link, "master": master,
        "reconnect_audio": reconnect_audio,
    }
    functions.update(control_functions(session))
    functions.update(song_functions(session, as_action))       # section, song, goto, loop, next, keep
    functions.update(midi_file_functions(session))
    return functions


def build_namespace(session: Session) -> dict[str, object]:
    """A fresh prelude namespace bound to `session` (see the module doc).

    Python builtins keep their meaning (`range`, `iter`, `slice`, `pow`): the pattern functions
    of those names are methods (`sine.range(200, 800)`, `pat.iter(4)`) and live in `P` (the
    `patterns` package: `P.range`).
    """
    import patterns

    install_pattern_methods()
    namespace: dict[str, object] = {"__name__": "__livecode__", "__builtins__": __builtins__}
    namespace.update({k: v for k, v in pattern_namespace().items() if not hasattr(builtins, k)})
    namespace["P"] = patterns
    namespace.update(session_functions(session))
    namespace.update(take_functions(session))
    for name in SLOT_NAMES:
        namespace[name] = session.tracks[name]
    namespace["session"] = session
    return namespace


_SPECIAL = {
    "session": ("the Session this namespace belongs to", "session.status().bpm"),
    "P": ("the `patterns` package (also holds range, iter, slice, pow, which builtins keep)",
          "P.range(200, 800, sine)"),
}


def _doc_lines(obj: object) -> list[str]:
    doc = getattr(obj, "__doc__", None) or ""
    if type(obj).__doc__ == doc and not isinstance(obj, type) and not callable(obj):
        doc = ""            # an instance showing its class's docstring says nothing about itself
    return [line.strip() for line in doc.strip().splitlines()]


def _summary_and_example(name: str, obj: object) -> tuple[str, str]:
    """A one-line summary and a short example of a prelude name, from its docstring."""
    lines = _doc_lines(obj)
    summary = lines[0] if lines else ""
    example = ""
    for line in lines:
        if "Example: " in line:
            example = line.split("Example: ", 1)[1].strip()
            break
        if line.startswith(">>> ") and not line[4:].startswith(("from ", "import ")):
            example = line[4:].strip()
            break
    if summary.startswith(">>>"):
        summary = ""
    if not example:
        if hasattr(obj, "query_arc"):
            example = f"{name}.segment(4)"
        elif callable(obj):
            example = f"{name}(...)"
        else:
            example = name
    return summary.replace("|", "\\|"), example.replace("|", "\\|")


def _kind(obj: object) -> str:
    if hasattr(obj, "query_arc"):
        return "pattern"
    if isinstance(obj, type):
        return "class"
    if callable(obj):
        return "function"
    return type(obj).__name__


def reference_markdown(namespace: dict[str, object]) -> str:
    """A markdown table of every name in `namespace`: kind, summary, example.

    >>> print(reference_markdown({"x": 1}).splitlines()[2])
    | `x` | int |  | `x` |
    """
    rows = ["| name | kind | summary | example |", "| --- | --- | --- | --- |"]
    for name in sorted((n for n in namespace if not n.startswith("_")), key=str.lower):
        obj = namespace[name]
        if isinstance(obj, Track):
            summary, example = f"track slot {name} (see docs/live.md)", f'{name} >> s("bd*4")'
        elif name in _SPECIAL:
            summary, example = _SPECIAL[name]
        else:
            summary, example = _summary_and_example(name, obj)
        rows.append(f"| `{name}` | {_kind(obj)} | {summary} | `{example}` |")
    return "\n".join(rows) + "\n"
