"""The session's outputs: where the scheduler's onsets go (the audio engine and MIDI ports).

The scheduler hands every onset to one sink and knows nothing of outputs (as Strudel's scheduler
hands every event to one callback). The sink side is here. `Router` routes each onset: a
`midiport` control (from `pattern.midi(...)`) or the track's target picks MIDI, the engine or
both; MIDI gets the note number and velocity at monotonic time (and the JACK frame of the
onset's audio, for a port that writes there exactly); the engine gets a `NoteEvent` on the
sample clock without livecode's own keys, the tick's notes in one batch.

`Outputs` is the session's router: note events go to the engine (`schedule_many`), timed
parameter changes to `engine.set_param`, MIDI notes to a port opened by name
(`livecode.midi.open_output`). A live session opens a port when a line names it (`open_midi`,
from the evaluating thread, off the scheduler's lock: a JACK port takes 40-90 ms to open), so the
scheduler's tick finds it open; a port first named by an event the probe did not see is opened
at its first note, as a manual-mode session (renders, tests) does with every port. Errors never
reach the scheduler: a bad event (unknown instrument...) is reported once, a lost engine (JACK
gone, process killed) is remembered in `engine_error` and reported once, and a MIDI port that
loses its device says so once through the same messages (`midi 'NAME': ...`); `relink_midi()`
retries what MIDI lost. `ListSink` routes
the same way into lists (tests, inspection).

>>> out = Outputs(engine=None)
>>> out.report("d1: oops"); out.drain()
['d1: oops']
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from livecode.engine_api import AudioEngine
from livecode.errors import TrackError
from livecode.midi.devicemaps import DeviceMaps, user_maps_dir
from livecode.midi.events import after_note, event_messages
from livecode.midi.messages import Bytes
from livecode.osc.out import OscEvent, OscSenders, osc_event
from livecode.targets import ENGINE_ONLY_KEYS, Target, event_route, midi_note
from synths.errors import ParamError
from synths.events import NoteEvent, ParamEvent

if TYPE_CHECKING:
    from livecode.clock import Clock
    from livecode.midi.port import MidiOut
    from livecode.scheduler import Onset

__all__ = ["Router", "Outputs", "ListSink", "MidiOpener", "DEFAULT_PORT", "BEND_GLIDE", "BEND_STEPS"]

DEFAULT_PORT = "default"
"""The port name that stands for the session's default MIDI output (`--midi-out`)."""

MidiOpener = Callable[[str], "MidiOut"]
BEND_GLIDE = 0.02
"""Seconds a pitch bend change glides over (as the engine's parameters do)."""
BEND_STEPS = 8
"""Pitch bend messages per glide."""
T = TypeVar("T")


def _default_midi_opener(name: str) -> MidiOut:
    from livecode.midi import open_output

    return open_output(name)


@runtime_checkable
class FrameTimed(Protocol):
    """A MIDI port that can write at a JACK frame (`livecode.midi.jack_out.JackMidiOut`)."""

    def note_at_frame(self, channel: int, note: int, velocity: int, frame: int, duration: float) -> None:
        """A note-on at JACK frame `frame`, its note-off `duration` seconds later."""

    def send_at_frame(self, message: object, frame: int) -> None:
        """Any message at JACK frame `frame`."""


class Router(ABC):
    """The sink the scheduler hands its onsets to (`livecode.scheduler.OnsetSink`): routes each
    to MIDI and/or the engine and passes the rest on to the four `send`/`report` methods."""

    def __init__(self) -> None:
        self._notes: list[NoteEvent] = []
        self.device_maps = DeviceMaps(user_maps_dir())
        self._bends: dict[tuple[str, int], float] = {}        # last pitch bend per (port, channel)
        self.only: frozenset[str] | None = None
        """When set, only these tracks' notes and effect parameters reach the engine (a release
        package's job renders some of a set's tracks: the others are never built, whatever
        pattern a song's section gives them, and each track's sound does not depend on them,
        `synths.noise`)."""

    def reaches(self, track: str) -> bool:
        """Whether track `track`'s events go to the engine (`only`).

        >>> router = Outputs()
        >>> router.only = frozenset({"d1"})
        >>> router.reaches("d1"), router.reaches("d2")
        (True, False)
        """
        return self.only is None or track in self.only

    def onset(self, onset: Onset, clock: Clock) -> None:
        """Route one onset; raises (before sending anything) when its values fit no output: a
        MIDI channel or note out of range, a message control out of range."""
        params = onset.params
        target = event_route(params, onset.target)
        osc = osc_event(params, onset.hold)
        if target.midi_port is not None:
            self._route_midi(target, params, onset, clock)
        if osc is not None:
            self.send_osc(osc, clock.to_monotonic(onset.time))
            if not params.get("oscengine"):
                return
        if target.engine and self.reaches(onset.track):
            engine_params = {k: v for k, v in params.items() if k not in ENGINE_ONLY_KEYS}
            duration = max(1, round(onset.hold * clock.sample_rate))
            self._notes.append(NoteEvent(onset.frame, onset.track, engine_params, duration))

    def _route_midi(self, target: Target, params: dict[str, object], onset: Onset, clock: Clock) -> None:
        """The event's messages (program, CC, bend...), then its note (unless it has only
        messages), then poly aftertouch; all shifted by the pattern's `midinudge` and the
        track's nudge (ms)."""
        if "mididevice" not in params and onset.target.midi_device is not None:
            params = {**params, "mididevice": onset.target.midi_device}
        messages, plays = event_messages(params, target.midi_channel, self.device_maps)
        note, velocity = midi_note(params) if plays else (0, 0)
        after = after_note(params, target.midi_channel, note) if plays else []
        nudge = _nudge_seconds(params.get("midinudge", 0.0)) + onset.target.midi_nudge / 1000.0
        start = clock.to_monotonic(onset.time) + nudge
        frame = clock.jack_frame(onset.frame)
        if frame is not None:
            frame += round(nudge * clock.sample_rate)
        if "midibend" in params:
            self._glide_bend(target, messages, start, frame, clock.sample_rate)
        if messages:
            self.send_midi_messages(target, messages, start, frame)
        if plays:
            self.send_midi(target, note, velocity, start, onset.hold, frame)
        if after:
            self.send_midi_messages(target, after, start, frame)

    def _glide_bend(self, target: Target, messages: list[Bytes], start: float, frame: int | None,
                    sample_rate: float) -> None:
        """Pitch bend glides: the event's bend message is replaced by `BEND_STEPS` messages over
        `BEND_GLIDE` seconds from the channel's last bend (none before the first)."""
        index = next(i for i, m in enumerate(messages) if m[0] & 0xF0 == 0xE0)
        bend = messages[index]
        value = ((bend[2] << 7) | bend[1]) - 8192
        key = (str(target.midi_port), target.midi_channel)
        last = self._bends.get(key)
        self._bends[key] = value
        if last is None or last == value:
            return
        del messages[index]
        for step in range(BEND_STEPS):                  # the last message, at the glide's end, is the value
            number = round(last + (value - last) * (step + 1) / BEND_STEPS) + 8192
            at = step * BEND_GLIDE / BEND_STEPS
            step_frame = None if frame is None else frame + round(at * sample_rate)
            self.send_midi_messages(target, [(bend[0], number & 0x7F, number >> 7)], start + at, step_frame)

    def send_midi_messages(self, target: Target, messages: list[Bytes], start: float,
                           jack_frame: int | None = None) -> None:
        """MIDI messages (not notes) at monotonic `start` (at `jack_frame` on a JACK port)."""

    def send_osc(self, event: OscEvent, start: float) -> None:
        """An OSC message for monotonic time `start` (a bundle with that timetag)."""

    def flush(self) -> None:
        """The tick's onsets are all routed: hand the engine its notes, sorted by time."""
        if self._notes:
            notes, self._notes = self._notes, []
            notes.sort(key=lambda event: event.time)
            self.send_notes(notes)

    def param(self, track: str, path: str, value: float, frame: int) -> None:
        """A patterned effect parameter's sample at `frame`, for a track that reaches the engine."""
        if self.reaches(track):
            self.take_param(track, path, value, frame)

    def take_param(self, track: str, path: str, value: float, frame: int) -> None:
        """Handle one sample `param` let through; by default it is sent at once (`send_param`)."""
        self.send_param(track, path, value, frame)

    def retract(self, time: float, clock: Clock) -> None:
        """Forget what was handed over for clock second `time` or later: the timeline restarts
        there (an incoming MIDI Start) and the scheduler sends it again. Notes that started
        before play on and end; OSC bundles, already sent, cannot be taken back."""
        frame = clock.to_frame(time)
        self._notes = [note for note in self._notes if note.time < frame]
        self.forget(frame, clock.to_monotonic(time), clock.jack_frame(frame))

    def forget(self, frame: int, mono: float, jack_frame: int | None) -> None:
        """Outputs drop what they hold for engine frame `frame` (monotonic second `mono`, JACK
        frame `jack_frame` when the clock knows it) or later. Nothing is held here."""

    @abstractmethod
    def send_notes(self, events: list[NoteEvent]) -> None:
        """Engine note events, sorted by time."""

    @abstractmethod
    def send_param(self, track: str, path: str, value: float, frame: int | None) -> None:
        """A (timed) engine parameter change."""

    @abstractmethod
    def send_midi(self, target: Target, note: int, velocity: int, start: float, duration: float,
                  jack_frame: int | None = None) -> None:
        """A MIDI note at monotonic `start` seconds held `duration` seconds; `jack_frame`, when the
        clock knows it, is the JACK frame of the onset (where its audio sounds)."""

    @abstractmethod
    def report(self, message: str) -> None:
        """A one-line error or warning for the performer."""


class ListSink(Router):
    """A router that keeps everything in lists (tests, inspection).

    >>> sink = ListSink(); sink.report("d1: late"); sink.messages
    ['d1: late']
    """

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[NoteEvent] = []
        self.params: list[tuple[str, str, float, int | None]] = []
        self.midi: list[tuple[str | None, int, int, int, float, float]] = []
        self.midi_messages: list[tuple[str | None, Bytes, float]] = []
        self.osc: list[tuple[OscEvent, float]] = []
        self.messages: list[str] = []
        self.retractions: list[int] = []

    def send_notes(self, events: list[NoteEvent]) -> None:
        """Keep the notes."""
        self.notes.extend(events)

    def send_param(self, track: str, path: str, value: float, frame: int | None) -> None:
        """Keep the parameter change."""
        self.params.append((track, path, value, frame))

    def send_midi(self, target: Target, note: int, velocity: int, start: float, duration: float,
                  jack_frame: int | None = None) -> None:
        """Keep the MIDI note."""
        self.midi.append((target.midi_port, target.midi_channel, note, velocity, start, duration))

    def send_midi_messages(self, target: Target, messages: list[Bytes], start: float,
                           jack_frame: int | None = None) -> None:
        """Keep the MIDI messages."""
        self.midi_messages.extend((target.midi_port, message, start) for message in messages)

    def send_osc(self, event: OscEvent, start: float) -> None:
        """Keep the OSC event."""
        self.osc.append((event, start))

    def forget(self, frame: int, mono: float, jack_frame: int | None) -> None:
        """Drop the kept notes and MIDI from `frame` / `mono` on, as the outputs would."""
        self.retractions.append(frame)
        self.notes = [note for note in self.notes if note.time < frame]
        self.params = [p for p in self.params if p[3] is None or p[3] < frame]
        self.midi = [m for m in self.midi if m[4] < mono]
        self.midi_messages = [m for m in self.midi_messages if m[2] < mono]

    def report(self, message: str) -> None:
        """Keep the message."""
        self.messages.append(message)


class Outputs(Router):
    """The session's router: the audio engine (or none) and MIDI ports opened by name.

    Errors from an output are reported once as messages (drained by the REPL), never raised into
    the scheduler. A lost engine is remembered (`engine_error`) until the session reconnects.
    `midi_opener(name)` opens a MIDI port (default `livecode.midi.open_output`); with
    `open_early`, `open_midi` opens the ports a line names at once (a live session), else they
    open at their first note (a render never opens hardware ports: it turns MIDI off after
    loading its set).
    """

    def __init__(self, engine: AudioEngine | None = None, midi_opener: MidiOpener | None = None,
                 open_early: bool = False) -> None:
        super().__init__()
        self.open_early = open_early
        self.engine = engine
        self.engine_error: str | None = None
        self.opener: MidiOpener = midi_opener or _default_midi_opener
        self.default_port: str | None = None
        self.midi_enabled = True                 # an offline render turns MIDI off
        self.ports: dict[str, MidiOut] = {}
        self.osc_senders = OscSenders(self.report)
        self._failed_ports: set[str] = set()
        self._event_errors: set[str] = set()
        self._params: list[ParamEvent] = []       # the tick's effect parameter samples (`param`)
        self._messages: deque[str] = deque(maxlen=500)
        self._lock = threading.Lock()
        self._open_lock = threading.Lock()      # one thread opens a port: the evaluation's or the tick's

    # -- messages ------------------------------------------------------------------------------
    def report(self, message: str) -> None:
        """Queue a one-line message for the performer."""
        with self._lock:
            self._messages.append(message)

    def drain(self) -> list[str]:
        """Take every queued message."""
        with self._lock:
            items = list(self._messages)
            self._messages.clear()
        return items

    # -- engine --------------------------------------------------------------------------------
    def engine_failed(self, err: Exception) -> None:
        """Remember that the engine is lost and say so once."""
        if self.engine_error is None:
            self.engine_error = f"audio engine: {' '.join(str(err).split())}"
            self.report(self.engine_error + " (session state kept; reconnect_audio() to retry)")

    def send_notes(self, events: Sequence[NoteEvent | ParamEvent]) -> None:
        """Hand note events (and the tick's parameter samples) to the engine in one message."""
        engine = self.engine
        if engine is None or self.engine_error is not None:
            return
        try:
            engine.schedule_many(events)
        except Exception as err:  # noqa: BLE001 - a dead engine is reported, never raised here
            if not _is_event_error(err):
                self.engine_failed(err)
                return
            self._schedule_each(engine, events)

    def _schedule_each(self, engine: AudioEngine, events: Sequence[NoteEvent | ParamEvent]) -> None:
        """Schedule one by one so that one bad event (unknown instrument...) loses only itself."""
        for event in events:
            try:
                engine.schedule(event)
            except Exception as err:  # noqa: BLE001
                if not _is_event_error(err):
                    self.engine_failed(err)
                    return
                message = f"{event.track}: {' '.join(str(err).split())}"
                if message not in self._event_errors:
                    self._event_errors.add(message)
                    self.report(message)

    def take_param(self, track: str, path: str, value: float, frame: int) -> None:
        """A patterned effect parameter's sample at `frame`, sent with the tick's notes (`flush`):
        one message per tick. Each message is a point where the scheduler's thread lets go of the
        GIL, and an evaluation busy in this process (`while True: pass` until its timeout) keeps
        the GIL up to a switch interval before the scheduler gets it back: a tick that sent each
        sample on its own (16 per cycle for an LFO) was late by all of them together."""
        try:
            self._params.append(ParamEvent(frame, track, path, float(value)))
        except (ParamError, TypeError, ValueError) as err:
            self.report(f"{track}.{path}: {' '.join(str(err).split())}")

    def flush(self) -> None:
        """The tick's onsets are all routed: hand the engine its parameter samples and notes,
        sorted by time, in one batch (at equal times the samples first, as the tick made them)."""
        if self._notes or self._params:
            events: list[NoteEvent | ParamEvent] = [*self._params, *self._notes]
            self._notes, self._params = [], []
            events.sort(key=lambda event: event.time or 0)
            self.send_notes(events)

    def send_param(self, track: str, path: str, value: float, frame: int | None) -> None:
        """A (timed) engine parameter change."""
        engine = self.engine
        if engine is None or self.engine_error is not None:
            return
        try:
            engine.set_param(track, path, value, time=frame)
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"{track}.{path}: {' '.join(str(err).split())}")

    def use_engine(self, what: str, call: Callable[[AudioEngine], T]) -> T | None:
        """`call(engine)`, or None without an engine; its errors are reported (`engine.WHAT: ...`)
        and None returned; a lost engine is remembered and said once.

        >>> Outputs(engine=None).use_engine("stats", lambda engine: engine.stats()) is None
        True
        """
        engine = self.engine
        if engine is None or self.engine_error is not None:
            return None
        try:
            return call(engine)
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"engine.{what}: {' '.join(str(err).split())}")
            return None

    def require_engine(self, call: Callable[[AudioEngine], T]) -> T | None:
        """`call(engine)` for a call whose refusal the performer must hear about as an error: a
        refusal (unknown instrument, bad value) raises `TrackError` with the engine's message;
        a lost engine is reported once as usual and None returned (also without an engine)."""
        engine = self.engine
        if engine is None or self.engine_error is not None:
            return None
        try:
            return call(engine)
        except Exception as err:  # noqa: BLE001 - sorted into lost (reported) and refused (raised)
            if _is_engine_lost(err):
                self.engine_failed(err)
                return None
            raise TrackError(" ".join(str(err).split())) from None

    # -- MIDI ----------------------------------------------------------------------------------
    def port(self, name: str) -> MidiOut | None:
        """The MIDI output `name`, opened on first use (None if it cannot be opened).

        `DEFAULT_PORT` ("default") means `default_port` (the CLI's `--midi-out`).
        """
        if name == DEFAULT_PORT:
            if self.default_port is None:
                if name not in self._failed_ports:
                    self._failed_ports.add(name)
                    self.report('midi: no port given and no default port: name one, as in .midi("PORT") '
                                "(midi_outputs() lists them), or start livecode with --midi-out PORT")
                return None
            name = self.default_port
        port = self.ports.get(name)
        if port is not None or name in self._failed_ports:
            return port
        with self._open_lock:
            return self._open(name)

    def _open(self, name: str) -> MidiOut | None:
        """Open port `name` unless another thread just did (or failed to): the caller holds
        `_open_lock`."""
        port = self.ports.get(name)
        if port is not None or name in self._failed_ports:
            return port
        try:
            port = self.opener(name)
        except Exception as err:  # noqa: BLE001
            self._failed_ports.add(name)
            self.report(f"midi {name!r}: {' '.join(str(err).split())} "
                        "(re-send the .midi(...) line to try again)")
            return None
        port.on_notice = _notice_to(self.report, name)
        self.ports[name] = port
        return port

    def open_midi(self, names: Iterable[str]) -> None:
        """The ports a line names (a track's `.midi(...)`, a new pattern's `midiport`s): each
        that failed is tried again, and with `open_early` each is opened now, in the calling
        thread, so that the scheduler's tick finds it open (`DEFAULT_PORT` is the default port).
        With MIDI off (a render), nothing opens.

        >>> def no_such_port(name: str) -> MidiOut:
        ...     raise OSError(f"no port matches {name!r}")
        >>> out = Outputs(midi_opener=no_such_port, open_early=True)
        >>> out.open_midi(["synth", "synth"]); out.drain()
        ["midi 'synth': no port matches 'synth' (re-send the .midi(...) line to try again)"]
        """
        for name in dict.fromkeys(names):
            if self.open_early and self.midi_enabled:
                self.retry_port(name)
            else:
                self._forget_failure(name)

    def retry_port(self, name: str) -> MidiOut | None:
        """The MIDI output `name` as `port` gives it, tried again now if it failed to open (a
        line naming it was sent again: `midiclock("synth")`, a `.midi(...)` line)."""
        self._forget_failure(name)
        return self.port(name)

    def _forget_failure(self, name: str) -> None:
        """Let `port` try `name` again (and the default port it stands for)."""
        self._failed_ports.discard(name)
        if name == DEFAULT_PORT and self.default_port is not None:
            self._failed_ports.discard(self.default_port)

    def send_midi(self, target: Target, note: int, velocity: int, start: float, duration: float,
                  jack_frame: int | None = None) -> None:
        """A MIDI note on `target`'s port and channel (dropped, with one message, when MIDI is off);
        a JACK-native port writes it at `jack_frame` when given (the frame of its audio)."""
        if not self.midi_enabled:
            skipped = f"midi {target.midi_port!r}: not sent (MIDI is off: offline render)"
            if skipped not in self._event_errors:
                self._event_errors.add(skipped)
                self.report(skipped)
            return
        port = self.port(target.midi_port) if target.midi_port is not None else None
        if port is None:
            return
        try:
            if jack_frame is not None and isinstance(port, FrameTimed):
                port.note_at_frame(target.midi_channel, note, velocity, jack_frame, duration)
            else:
                port.note(target.midi_channel, note, velocity, start, duration)
        except Exception as err:  # noqa: BLE001
            self.report(f"midi {target.midi_port!r}: {' '.join(str(err).split())}")

    def send_midi_messages(self, target: Target, messages: list[Bytes], start: float,
                           jack_frame: int | None = None) -> None:
        """MIDI messages on `target`'s port, at `jack_frame` on a JACK-native port, else at `start`."""
        if not self.midi_enabled or target.midi_port is None:
            return
        port = self.port(target.midi_port)
        if port is None:
            return
        try:
            for message in messages:
                if jack_frame is not None and isinstance(port, FrameTimed):
                    port.send_at_frame(message, jack_frame)
                else:
                    port.send_at(message, start)
        except Exception as err:  # noqa: BLE001
            self.report(f"midi {target.midi_port!r}: {' '.join(str(err).split())}")

    def send_osc(self, event: OscEvent, start: float) -> None:
        """An OSC bundle timed at `start` (sent now: the scheduler runs a lookahead ahead)."""
        if self.midi_enabled:
            self.osc_senders.send(event, start)

    def forget(self, frame: int, mono: float, jack_frame: int | None) -> None:
        """The engine and every open MIDI port forget what they hold from `frame` / `mono` on."""
        self._params = [event for event in self._params if event.time is None or event.time < frame]
        self.use_engine("retract", lambda engine: engine.retract(frame))
        self._each_port("retract", lambda port: port.retract(mono, jack_frame))

    def midi_silence(self) -> None:
        """At once on every open port: pending notes dropped, a note-off for each sounding note."""
        self._each_port("silence", lambda port: port.silence())

    def midi_panic(self) -> None:
        """Note-offs and CC 123 on every open port."""
        self._each_port("panic", lambda port: port.panic())

    def relink_midi(self, retry_failed: bool = True) -> list[str]:
        """Retry what MIDI lost: names that failed to open are tried again at their next note
        (unless `retry_failed` is False: `open_midi` retries the names a line sends), and every
        open port gets its link back where it can (a JACK port reopens after a server restart
        and reconnects to its destination by name). Returns the names of the ports still
        without a JACK server."""
        if retry_failed:
            self._failed_ports.clear()
        self._each_port("relink", lambda port: port.relink())
        return [name for name, port in list(self.ports.items()) if port.server_lost]

    def close_midi(self) -> None:
        """Close every port (each panics first)."""
        self._each_port("close", lambda port: port.close())
        self.ports.clear()
        self.osc_senders.close()

    def _each_port(self, action: str, call: Callable[[MidiOut], None]) -> None:
        """`call` on every open port; a failure is reported, the other ports still get it."""
        for name, port in list(self.ports.items()):
            try:
                call(port)
            except Exception as err:  # noqa: BLE001 - one broken port must not spare the others
                self.report(f"midi {name!r}: {action} failed: {' '.join(str(err).split())}")


def _notice_to(report: Callable[[str], None], name: str) -> Callable[[str], None]:
    """What port `name` notices (its device lost or back), as `midi 'NAME': ...` messages."""
    return lambda text: report(f"midi {name!r}: {text}")


def _nudge_seconds(value: object) -> float:
    """A `midinudge` in milliseconds (-1000..1000) as seconds.

    >>> _nudge_seconds(12)
    0.012
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1000 <= value <= 1000:
        raise TrackError(f"midi: nudge={value!r} must be milliseconds in -1000..1000")
    return float(value) / 1000.0


def _is_event_error(err: Exception) -> bool:
    """A bad event (ParamError, UnknownInstrumentError) as opposed to a dead engine."""
    from synths.errors import EngineError, SynthError

    return isinstance(err, SynthError) and not isinstance(err, EngineError)


def _is_engine_lost(err: Exception) -> bool:
    """The engine (process) is gone: EngineError, a broken pipe, EOF."""
    from synths.errors import EngineError

    return isinstance(err, (EngineError, BrokenPipeError, EOFError, ConnectionError))
