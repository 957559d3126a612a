"""The prelude names of live control (MIDI in, mapping, learn, keyboard, rec, OSC), bound to a session.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> names = control_functions(session)
>>> sorted(names)[:4]
['bindings', 'cc', 'ctl', 'keys']
>>> names["cc"](74).first_cycle()[0].value      # no controller moved yet
0.0
>>> session.close()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from livecode.control.bindings import Binding
from livecode.control.hub import Recorder
from livecode.control.values import cc_key
from livecode.midi.inputs import list_inputs
from livecode.osc.inbound import OscIn
from livecode.replay import actions_of
from livecode.tracks import Track
from patterns.controls import CONTROL_FUNCTIONS
from patterns.livevalues import live_value
from patterns.pattern import Pattern

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["control_functions"]


def _name(track: Track | str) -> str:
    return track.name if isinstance(track, Track) else str(track)


def control_functions(session: Session) -> dict[str, Callable[..., object]]:
    """`midi_in`, `midi_inputs`, `map_cc`, `learn`, `bindings`, `unmap`, `cc`, `midin`, `ctl`, `keys`, `rec`,
    `osc_in`, `map_osc`, bound to `session`'s `ControlHub`."""
    hub = session.controls
    cc_control = CONTROL_FUNCTIONS["cc"]
    as_action = actions_of(session)

    def midi_in(port: str, api: str = "auto") -> str:
        """Open a MIDI input (keyboard, controller) by name. Example: midi_in("Keystation")"""
        return hub.midi_in(port, api)

    def midi_inputs() -> list[str]:
        """The MIDI inputs livecode can open. Example: midi_inputs()"""
        return list_inputs()

    def map_cc(control: int, target: str, range: tuple[float, float] | None = None, curve: str = "lin",
               channel: int | None = None, input: str | None = None, pickup: bool = True) -> str:
        """Bind a CC to a parameter, with range, curve and soft takeover. Example: map_cc(74, "d1.fx.0.cutoff", range=(200, 4000), curve="exp")"""
        binding: Binding = hub.map_cc(control, target, range=range, curve=curve, channel=channel,
                                      input=input, pickup=pickup)
        return f"{binding.source.describe()} -> {binding.target.name}"

    @as_action  # a resume does not wait again: what was learned is journaled as its map_cc line
    def learn(target: str, range: tuple[float, float] | None = None, curve: str = "lin", pickup: bool = True) -> str:
        """Bind the next controller moved to a parameter. Example: learn("d1.gain")"""
        hub.learn(target, range=range, curve=curve, pickup=pickup)
        return f"learn: move a control to bind it to {target}"

    def bindings() -> list[str]:
        """Every binding as the line that makes it (learned ones too: paste them into your set). Example: bindings()"""
        return [binding.code() for binding in hub.bindings.all()]

    def unmap(target: str | None = None) -> int:
        """Remove the bindings to a target (none given: all). Example: unmap("d1.gain")"""
        return hub.bindings.unbind(target)

    def cc(control: object, channel: int | None = None, default: float = 0.0) -> Pattern:
        """A CC of the MIDI inputs as a 0..1 signal (Strudel's midin); cc("74:100") is still the output control. Example: note("c3*8").lpf(cc(74).range(200, 4000))"""
        if isinstance(control, int) and not isinstance(control, bool):
            return live_value(hub.values, cc_key(control, channel), default)
        return cc_control(control)

    def midin(control: int, channel: int | None = None, default: float = 0.0) -> Pattern:
        """A CC of the MIDI inputs as a 0..1 signal (Strudel's name). Example: midin(74).range(0, 1)"""
        return live_value(hub.values, cc_key(control, channel), default)

    def ctl(name: str, default: float = 0.0) -> Pattern:
        """A value a mapping writes (map_cc(74, "cut", ...)), as a signal. Example: note("c3*8").lpf(ctl("cut", 800))"""
        return live_value(hub.values, name, default)

    def keys(track: Track | str | None, sound: str | None = None, hold: float = 8.0) -> str:
        """Play a track's instrument from the MIDI keyboard, straight to the engine, held until note-off. Example: keys(d8)"""
        hub.keys(None if track is None else _name(track), sound, hold)
        return "keys off" if track is None else f"keys -> {_name(track)}"

    def rec(track: Track | str, bars: int = 4, grid: int = 16, swing: bool = False) -> Recorder:
        """Record the keyboard from the next bar, quantized, printed as mini-notation. Example: rec(d8, bars=4)"""
        return hub.rec(_name(track), bars, grid, swing)

    def osc_in(port: int = 57121, host: str = "127.0.0.1") -> OscIn:
        """Listen for OSC (loopback unless a host is named); never evaluates code. Example: osc_in(57121)"""
        return hub.osc_in(port, host)

    def map_osc(address: str, target: str, range: tuple[float, float] | None = None, curve: str = "lin",
                pickup: bool = False) -> str:
        """Bind an OSC address (first argument 0..1) to a parameter. Example: map_osc("/fader/1", "d1.gain")"""
        binding = hub.map_osc(address, target, range=range, curve=curve, pickup=pickup)
        return f"{binding.source.describe()} -> {binding.target.name}"

    return {"midi_in": midi_in, "midi_inputs": midi_inputs, "map_cc": map_cc, "learn": learn, "unmap": unmap,
            "bindings": bindings,
            "cc": cc, "midin": midin, "ctl": ctl, "keys": keys, "rec": rec, "osc_in": osc_in, "map_osc": map_osc}
