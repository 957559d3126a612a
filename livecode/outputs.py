"""The session's outputs: the audio engine (serialised) and MIDI ports, as the scheduler's sink.

`Outputs` implements the scheduler's `OutputSink`: note events go to the engine
(`schedule_many`), timed parameter changes to `engine.set_param`, MIDI notes to a port opened by
name on first use (`livecode.midi.open_output`). Errors never reach the scheduler: a bad event
(unknown instrument...) is reported once, a lost engine (JACK gone, process killed) is
remembered in `engine_error` and reported once, and a MIDI port that loses its device says so
once through the same messages (`midi 'NAME': ...`); `relink_midi()` retries what MIDI lost.
`LockedEngine` serialises every call into an engine, since an `EngineProcess` speaks over one
pipe and two threads use it; the evaluation watchdog never cuts such a call between request and
reply.

>>> out = Outputs(engine=None)
>>> out.report("d1: oops"); out.drain()
['d1: oops']
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from livecode.errors import TrackError
from livecode.targets import Target
from livecode.watchdog import critical

__all__ = ["Outputs", "LockedEngine", "MidiOpener", "DEFAULT_PORT"]

DEFAULT_PORT = "default"
"""The port name that stands for the session's default MIDI output (`--midi-out`)."""

MidiOpener = Callable[[str], object]


class LockedEngine:
    """Serialises every call to an engine: an `EngineProcess` talks over one pipe, and the
    scheduler thread and the REPL thread both use it.

    >>> class Fake:
    ...     sample_rate = 48000
    ...     def now(self): return 42
    >>> LockedEngine(Fake()).now(), LockedEngine(Fake()).sample_rate
    (42, 48000)
    """

    def __init__(self, engine: object) -> None:
        self.inner = engine
        self._lock = threading.RLock()

    def __getattr__(self, name: str) -> object:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr
        lock = self._lock

        def locked(*args: object, **kwargs: object) -> object:
            with critical(), lock:
                return attr(*args, **kwargs)

        locked.__name__ = name
        return locked


def _default_midi_opener(name: str) -> object:
    from livecode.midi import open_output

    return open_output(name)


@runtime_checkable
class FrameTimed(Protocol):
    """A MIDI port that can write at a JACK frame (`livecode.midi.jack_out.JackMidiOut`)."""

    def note_at_frame(self, channel: int, note: int, velocity: int, frame: int, duration: float) -> None:
        """A note-on at JACK frame `frame`, its note-off `duration` seconds later."""


class Outputs:
    """The session's output sink: the audio engine (or none) and MIDI ports opened by name.

    Errors from an output are reported once as messages (drained by the REPL), never raised into
    the scheduler. A lost engine is remembered (`engine_error`) until the session reconnects.
    `opener(name)` opens a MIDI port (default `livecode.midi.open_output`).
    """

    def __init__(self, engine: object | None = None, midi_opener: MidiOpener | None = None) -> None:
        self.engine = engine
        self.engine_error: str | None = None
        self.opener = midi_opener or _default_midi_opener
        self.default_port: str | None = None
        self.midi_enabled = True                 # an offline render turns MIDI off
        self.ports: dict[str, object] = {}
        self._failed_ports: set[str] = set()
        self._event_errors: set[str] = set()
        self._messages: deque[str] = deque(maxlen=500)
        self._lock = threading.Lock()

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

    def send_notes(self, events: list[object]) -> None:
        """Hand note events to the engine."""
        if self.engine is None or self.engine_error is not None:
            return
        try:
            self.engine.schedule_many(events)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001 - a dead engine is reported, never raised here
            if not _is_event_error(err):
                self.engine_failed(err)
                return
            self._schedule_each(events)

    def _schedule_each(self, events: list[object]) -> None:
        """Schedule one by one so that one bad event (unknown instrument...) loses only itself."""
        for event in events:
            try:
                self.engine.schedule(event)  # type: ignore[union-attr]
            except Exception as err:  # noqa: BLE001
                if not _is_event_error(err):
                    self.engine_failed(err)
                    return
                message = f"{getattr(event, 'track', '?')}: {' '.join(str(err).split())}"
                if message not in self._event_errors:
                    self._event_errors.add(message)
                    self.report(message)

    def send_param(self, track: str, path: str, value: float, frame: int | None) -> None:
        """A (timed) engine parameter change."""
        if self.engine is None or self.engine_error is not None:
            return
        try:
            self.engine.set_param(track, path, value, time=frame)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"{track}.{path}: {' '.join(str(err).split())}")

    def call_engine(self, what: str, *args: object, **kwargs: object) -> object | None:
        """Call an engine method by name; errors are reported and None returned."""
        if self.engine is None or self.engine_error is not None:
            return None
        try:
            return getattr(self.engine, what)(*args, **kwargs)
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"engine.{what}: {' '.join(str(err).split())}")
            return None

    def require_engine(self, what: str, *args: object, **kwargs: object) -> object | None:
        """Call an engine method whose refusal the performer must hear about as an error: a
        refusal (unknown instrument, bad value) raises `TrackError` with the engine's message;
        a lost engine is reported once as usual and None returned."""
        if self.engine is None or self.engine_error is not None:
            return None
        try:
            return getattr(self.engine, what)(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - sorted into lost (reported) and refused (raised)
            if _is_engine_lost(err):
                self.engine_failed(err)
                return None
            raise TrackError(" ".join(str(err).split())) from None

    # -- MIDI ----------------------------------------------------------------------------------
    def port(self, name: str) -> object | None:
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
        if port is None and name not in self._failed_ports:
            try:
                port = self.opener(name)
            except Exception as err:  # noqa: BLE001
                self._failed_ports.add(name)
                self.report(f"midi {name!r}: {' '.join(str(err).split())} "
                            "(re-send the .midi(...) line to try again)")
                return None
            self.ports[name] = port
            _tell_me(port, name, self.report)
        return port

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
                port.note(target.midi_channel, note, velocity, start, duration)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001
            self.report(f"midi {target.midi_port!r}: {' '.join(str(err).split())}")

    def midi_silence(self) -> None:
        """At once on every open port: pending notes dropped, a note-off for each sounding note."""
        self._each_port("silence")

    def midi_panic(self) -> None:
        """Note-offs and CC 123 on every open port."""
        self._each_port("panic")

    def relink_midi(self) -> list[str]:
        """Retry what MIDI lost: names that failed to open are tried again at their next note,
        and every open port gets its link back where it can (a JACK port reopens after a server
        restart and reconnects to its destination by name). Returns the names of the ports
        still without a JACK server."""
        self._failed_ports.clear()
        self._each_port("relink")
        return [name for name, port in list(self.ports.items()) if getattr(port, "server_lost", False)]

    def close_midi(self) -> None:
        """Close every port (each panics first)."""
        self._each_port("close")
        self.ports.clear()

    def _each_port(self, action: str) -> None:
        """Call `action` on every open port; a failure is reported, the other ports still get it."""
        for name, port in list(self.ports.items()):
            method = getattr(port, action, None)
            if not callable(method):
                continue
            try:
                method()
            except Exception as err:  # noqa: BLE001 - one broken port must not spare the others
                self.report(f"midi {name!r}: {action} failed: {' '.join(str(err).split())}")


def _tell_me(port: object, name: str, report: Callable[[str], None]) -> None:
    """Route what `port` notices (its device lost or back) to `report`, as `midi 'NAME': ...`."""
    if hasattr(port, "on_notice"):
        port.on_notice = lambda text: report(f"midi {name!r}: {text}")  # type: ignore[attr-defined]


def _is_event_error(err: Exception) -> bool:
    """A bad event (ParamError, UnknownInstrumentError) as opposed to a dead engine."""
    from synths.errors import EngineError, SynthError

    return isinstance(err, SynthError) and not isinstance(err, EngineError)


def _is_engine_lost(err: Exception) -> bool:
    """The engine (process) is gone: EngineError, a broken pipe, EOF."""
    from synths.errors import EngineError

    return isinstance(err, (EngineError, BrokenPipeError, EOFError, ConnectionError))
