"""The session's live controls: MIDI inputs, CC and OSC bindings, learn, the keyboard and `rec`.

`ControlHub` is owned by the session (`session.controls`); the prelude's `midi_in`, `map_cc`,
`learn`, `cc`, `keys`, `rec`, `osc_in` and `map_osc` call it. Inputs run in their own threads
(JACK's process thread, rtmidi's, the OSC socket's) and only write values, feed bindings and
queue engine events; nothing they receive is evaluated.

Targets are text: `"d1.gain"` (fader dB), `"d1.pan"`, `"d1.fx.0.cutoff"` / `"d1.send.reverb"`
(any engine parameter path, through the engine's `set_param`: smoothed over 20 ms and started on
an exact sample), `"bpm"` (the tempo, on the next beat), or a bare name (`"cut"`), a value that
patterns read with `ctl("cut")`. A controller moved at monotonic time t sets an engine parameter
at the engine frame of t plus one block, so the spacing of the moves is kept to the sample.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> hub = session.controls
>>> binding = hub.map_cc(74, "cut", range=(200, 3200), curve="exp", pickup=False)
>>> hub.feed_midi("kb", 0.0, (0xB0, 74, 127)); hub.values.value("cut"), hub.values.value("cc74")
(3200.0, 1.0)
>>> session.close()
"""

from __future__ import annotations

import threading
from fractions import Fraction
from typing import TYPE_CHECKING

from livecode.control.bindings import Binding, Bindings, ParamTarget, Source
from livecode.control.curves import Scale
from livecode.control.errors import MappingError
from livecode.control.record import Played, Take, quantize
from livecode.control.values import ControlValues
from livecode.errors import JournalError, one_line_error
from livecode.midi.errors import MidiError
from livecode.midi.inputs import MidiIn, open_input
from livecode.mirror import instrument_key
from livecode.osc.inbound import OscIn
from livecode.osc.out import check_address
from livecode.targets import event_params
from synths.events import NoteEvent

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["ControlHub", "DEFAULT_RANGES", "Recorder", "KEY_CUT_GROUP"]

DEFAULT_RANGES: dict[str, tuple[float, float]] = {"gain": (-60.0, 6.0), "pan": (0.0, 1.0), "bpm": (60.0, 180.0)}
"""The range a target gets when `map_cc` names none (others: 0..1)."""
KEY_CUT_GROUP = 896
"""Keyboard notes use cut groups 896..1023 (one per key): a key's note-off is a silent note in
its group, which fades the held voice out (the engine's 5 ms cut fade)."""
_VOICE_KEYS = frozenset({"note", "n", "freq", "velocity", "gain", "cut", "legato"})


class EngineParam:
    """An engine parameter of a track (`gain` in dB and `pan` also update the track)."""

    def __init__(self, hub: ControlHub, track: str, path: str) -> None:
        self.hub = hub
        self.track = track
        self.path = path
        self.name = f"{track}.{path}"
        self._last: float | None = None

    def current(self) -> float | None:
        """The track's fader value, else the last value set here."""
        track = self.hub.session.tracks[self.track]
        if self.path == "gain":
            return track.gain_db
        if self.path == "pan":
            return track.pan_pos
        return self._last

    def set(self, value: float, mono: float) -> None:
        """At the engine frame of `mono` plus one block (smoothed by the engine)."""
        track = self.hub.session.tracks[self.track]
        if self.path == "gain":
            track.gain_db = value
        elif self.path == "pan":
            track.pan_pos = value
        self._last = value
        self.hub.session.outputs.send_param(self.track, self.path, value, self.hub.engine_frame(mono))


class Tempo:
    """The tempo in BPM (changes on the next beat)."""

    name = "bpm"

    def __init__(self, hub: ControlHub) -> None:
        self.hub = hub

    def current(self) -> float | None:
        """The BPM now."""
        return self.hub.session.tempo.bpm

    def set(self, value: float, mono: float) -> None:
        """Set the BPM (rounded to 0.1)."""
        try:
            self.hub.session.set_bpm(round(value, 1))
        except Exception as err:  # noqa: BLE001 - a controller must never stop the music
            self.hub.session.outputs.report(f"bpm: {' '.join(str(err).split())}")


class Named:
    """A value patterns read with `ctl(name)`."""

    def __init__(self, hub: ControlHub, name: str) -> None:
        self.hub = hub
        self.name = name

    def current(self) -> float | None:
        """The value now."""
        return self.hub.values.value(self.name)

    def set(self, value: float, mono: float) -> None:
        """Store it."""
        self.hub.values.set(self.name, value)


class Recorder:
    """`rec(track, bars=...)`: what the keyboard plays from the next bar for `bars` bars."""

    def __init__(self, track: str, start: Fraction, bars: int, grid: int, swing: bool) -> None:
        self.track = track
        self.start = start
        self.bars = bars
        self.grid = grid
        self.swing = swing
        self.played: list[Played] = []
        self._open: dict[int, tuple[float, float]] = {}
        self.take: Take | None = None

    @property
    def end(self) -> Fraction:
        """The cycle recording stops."""
        return self.start + self.bars

    def __repr__(self) -> str:
        """What the REPL shows.

        >>> Recorder("d8", Fraction(12), 4, 16, False)
        rec d8: 4 bars from cycle 12 on a grid of 16 (the take is printed when it ends)
        """
        if self.take is not None:
            return f"rec {self.track}: {self.track} >> {self.take.code}"
        return (f"rec {self.track}: {self.bars} bar{'s' if self.bars != 1 else ''} from cycle {self.start} "
                f"on a grid of {self.grid}{' with swing' if self.swing else ''} (the take is printed when it ends)")

    def note_on(self, cycle: float, note: int, velocity: float) -> None:
        """A key went down at `cycle`."""
        self._open[note] = (cycle, velocity)

    def note_off(self, cycle: float, note: int) -> None:
        """A key came up: the note is played (kept if it started inside the take)."""
        opened = self._open.pop(note, None)
        if opened is not None and self.start - Fraction(1, 2 * self.grid) <= opened[0] < self.end:
            self.played.append(Played(opened[0], max(0.0, cycle - opened[0]), note, opened[1]))

    def finish(self) -> Take:
        """Quantize what was played (keys still down end at the take's end)."""
        for note in list(self._open):
            self.note_off(float(self.end), note)
        self.take = quantize(self.played, float(self.start), self.bars, self.grid, self.swing)
        return self.take


class ControlHub:
    """Inputs, bindings, values, keyboard and recording of one session (see module doc)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.values = ControlValues()
        self.bindings = Bindings()
        self.bindings.on_learned = self._learned
        self.inputs: dict[str, MidiIn] = {}
        self.osc_inputs: list[OscIn] = []
        self.keys_track: str | None = None
        self.keys_params: dict[str, object] = {}
        self.keys_hold = 8.0
        self.keys_delay_blocks = 1
        self.recorders: list[Recorder] = []
        self.takes: dict[str, Take] = {}
        self.keys_played = 0
        self._lock = threading.Lock()
        session.scheduler.listeners.append(self._window)

    def _window(self, begin: Fraction, end: Fraction) -> None:
        """Each scheduler window: finish the recordings whose last bar has been played."""
        if self.recorders:
            self.tick(self.session.tempo.cycle_at(self.session.clock.now()))

    # -- time ----------------------------------------------------------------------------------
    def engine_frame(self, mono: float) -> int:
        """The engine frame of monotonic `mono`, plus `keys_delay_blocks` blocks."""
        clock = self.session.clock
        block = self.session.mirror.block_size
        return clock.to_frame(clock.from_monotonic(mono)) + self.keys_delay_blocks * block

    def cycle_at(self, mono: float) -> float:
        """The cycle at monotonic `mono`."""
        clock = self.session.clock
        return self.session.tempo.cycle_at(clock.from_monotonic(mono))

    # -- inputs --------------------------------------------------------------------------------
    def midi_in(self, port: str, api: str = "auto") -> str:
        """Open the MIDI input(s) matching `port` (again: kept); returns its name."""
        if port in self.inputs:
            return port
        opened = open_input(port, lambda mono, message: self.feed_midi(port, mono, message), api=api)
        opened.on_notice = lambda text: self.session.outputs.report(f"midi in {port!r}: {text}")
        self.inputs[port] = opened
        return port

    def feed_midi(self, port: str, mono: float, message: tuple[int, ...]) -> None:
        """One message from input `port` (its thread): CCs to values and bindings, notes to the
        keyboard track and the recorders. Never raises."""
        try:
            self._feed_midi(port, mono, message)
        except Exception as err:  # noqa: BLE001 - an input thread must never die
            self.session.outputs.report(f"midi in {port!r}: {' '.join(str(err).split())}")

    def _feed_midi(self, port: str, mono: float, message: tuple[int, ...]) -> None:
        if len(message) < 3:
            return
        kind, channel = message[0] & 0xF0, (message[0] & 0x0F) + 1
        if kind == 0xB0:
            self.values.set_cc(message[1], channel, message[2])
            self.bindings.feed(Source("cc", control=message[1], channel=channel, input=port), message[2] / 127, mono)
        elif kind == 0x90 and message[2] > 0:
            self._key_down(mono, message[1], message[2])
        elif kind == 0x80 or kind == 0x90:
            self._key_up(mono, message[1])

    def _key_down(self, mono: float, note: int, velocity: int) -> None:
        track = self.keys_track
        if track is not None:
            params = {**self.keys_params, "note": note, "velocity": round(velocity / 127, 3),
                      "cut": KEY_CUT_GROUP + note}
            duration = max(1, round(self.keys_hold * self.session.clock.sample_rate))
            self.session.outputs.send_notes([NoteEvent(self.engine_frame(mono), track, params, duration)])
            self.keys_played += 1
        cycle = self.cycle_at(mono)
        for recorder in self._active(cycle):
            recorder.note_on(cycle, note, velocity / 127)

    def _key_up(self, mono: float, note: int) -> None:
        track = self.keys_track
        if track is not None:                 # a silent note in the key's cut group ends the held one
            params = {**self.keys_params, "note": note, "gain": 0.0, "cut": KEY_CUT_GROUP + note}
            self.session.outputs.send_notes([NoteEvent(self.engine_frame(mono), track, params, 1)])
        cycle = self.cycle_at(mono)
        for recorder in list(self.recorders):
            recorder.note_off(cycle, note)

    def _active(self, cycle: float) -> list[Recorder]:
        with self._lock:
            return [r for r in self.recorders if r.start - Fraction(1, 2 * r.grid) <= cycle < r.end]

    # -- mapping -------------------------------------------------------------------------------
    def target(self, name: str) -> ParamTarget:
        """The target named by text (see module doc)."""
        if not isinstance(name, str) or not name:
            raise MappingError(f"target must be text such as 'd1.gain', 'bpm' or a value name, got {name!r}")
        if name in ("bpm", "tempo"):
            return Tempo(self)
        track, dot, path = name.partition(".")
        if dot:
            if not path:
                raise MappingError(f"target {name!r}: name a parameter after the dot (gain, pan, fx.0.cutoff)")
            return EngineParam(self, track, path)
        return Named(self, name)

    def scale_for(self, name: str, range: tuple[float, float] | None, curve: str) -> Scale:
        """The target's scale: `range` or the default for its kind."""
        if range is None:
            range = DEFAULT_RANGES.get(name.rpartition(".")[2] if "." in name else name, (0.0, 1.0))
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            raise MappingError(f"range={range!r} must be (low, high)")
        return Scale(range[0], range[1], curve)

    def map_cc(self, control: int, target: str, *, range: tuple[float, float] | None = None,
               curve: str = "lin", channel: int | None = None, input: str | None = None,
               pickup: bool = True) -> Binding:
        """Bind CC `control` (on `channel` of `input`; None: any) to `target`."""
        if isinstance(control, bool) or not isinstance(control, int) or not 0 <= control <= 127:
            raise MappingError(f"map_cc: control={control!r} must be a CC number 0..127")
        if channel is not None and (isinstance(channel, bool) or not isinstance(channel, int)
                                    or not 1 <= channel <= 16):
            raise MappingError(f"map_cc: channel={channel!r} must be 1..16 (or None: any)")
        param = self.target(target)
        return self.bindings.bind(Source("cc", control=control, channel=channel, input=input), param,
                                  self.scale_for(target, range, curve), pickup)

    def map_osc(self, address: str, target: str, *, range: tuple[float, float] | None = None,
                curve: str = "lin", pickup: bool = False) -> Binding:
        """Bind OSC `address` (first argument, 0..1) to `target`."""
        param = self.target(target)
        return self.bindings.bind(Source("osc", address=check_address(address)), param,
                                  self.scale_for(target, range, curve), pickup)

    def learn(self, target: str, *, range: tuple[float, float] | None = None, curve: str = "lin",
              pickup: bool = True) -> None:
        """Bind the next controller moved (a CC on any input, or an OSC address) to `target`."""
        param = self.target(target)
        scale = self.scale_for(target, range, curve)

        def make(source: Source) -> Binding:
            return self.bindings.bind(source, param, scale, pickup)

        self.bindings.learn(make)

    def _learned(self, binding: Binding) -> None:
        """A control was learned: say so, and journal the line that makes the binding again, so
        `--resume` brings it back (the `learn(...)` line itself is not replayed: an action)."""
        said = f"learn: {binding.source.describe()} -> {binding.target.name}"
        self.session.outputs.report(said)
        journal = self.session.journal
        if journal is None or self.session.replaying:
            return
        try:
            journal.append(f"# {said}\n{binding.code()}")
        except JournalError as err:
            self.session.outputs.report(f"journal: {one_line_error(err)}")

    # -- keyboard and recording ----------------------------------------------------------------
    def keys(self, track: str | None, sound: str | None = None, hold: float = 8.0) -> None:
        """Notes from the MIDI inputs play `track`'s instrument (None: stop), held until the
        key's note-off (at most `hold` seconds)."""
        if track is None:
            self.keys_track = None
            return
        if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0.01 <= hold <= 30:
            raise MappingError(f"keys: hold={hold!r} must be seconds in 0.01..30")
        params: dict[str, object] = self._sound_of(track) if sound is None else {"s": sound}
        key = instrument_key(params)
        self.session.mirror.ensure_track(track, [key] if key is not None else [])
        self.keys_params, self.keys_hold, self.keys_track = params, float(hold), track

    def _sound_of(self, name: str) -> dict[str, object]:
        """The instrument controls of the track's pattern (its first event of the next cycle)."""
        track = self.session.tracks[name]
        horizon = self.session.scheduler.horizon
        for _, _, value in track.onsets(horizon, horizon + 1):
            params = event_params(value)
            if "s" in params:
                return {k: v for k, v in params.items() if k not in _VOICE_KEYS and not k.startswith("midi")}
        raise MappingError(f'keys: {name} plays no instrument yet: name one, as in keys({name}, sound="superpiano")')

    def rec(self, track: str, bars: int = 4, grid: int = 16, swing: bool = False) -> Recorder:
        """Record the keyboard from the next bar for `bars` bars (see `Recorder`)."""
        quantize([], 0.0, bars, grid)                       # checks bars and grid now
        start = Fraction(int(self.session.scheduler.horizon) + 1)
        recorder = Recorder(track, start, bars, grid, swing)
        with self._lock:
            self.recorders.append(recorder)
        return recorder

    def tick(self, cycle: float) -> list[Take]:
        """Finish the recorders whose end has passed (`cycle`): report each take's code."""
        with self._lock:
            done = [r for r in self.recorders if cycle >= r.end]
            self.recorders = [r for r in self.recorders if cycle < r.end]
        takes = []
        for recorder in done:
            take = recorder.finish()
            self.takes[recorder.track] = take
            self.session.outputs.report(f"rec {recorder.track}: {recorder.track} >> {take.code}")
            takes.append(take)
        return takes

    # -- OSC -----------------------------------------------------------------------------------
    def osc_in(self, port: int = 57121, host: str = "127.0.0.1") -> OscIn:
        """Listen for OSC on `host`:`port` (loopback unless named); messages feed the bindings."""
        listener = OscIn(self.feed_osc, port=port, host=host, warn=self.session.outputs.report)
        self.osc_inputs.append(listener)
        return listener

    def feed_osc(self, address: str, args: list[object], mono: float) -> None:
        """An OSC message: its first numeric argument (0..1) feeds the bindings of `address`."""
        value = next((a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)), None)
        if value is None:
            return
        self.values.set(address, float(value))
        self.bindings.feed(Source("osc", address=address), float(value), mono)

    def close(self) -> None:
        """Close every input."""
        for name, port in list(self.inputs.items()):
            try:
                port.close()
            except MidiError as err:
                self.session.outputs.report(f"midi in {name!r}: close failed: {err}")
        self.inputs.clear()
        for listener in self.osc_inputs:
            listener.close()
        self.osc_inputs.clear()

