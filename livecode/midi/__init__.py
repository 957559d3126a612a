"""MIDI for livecode: timed notes, CCs and clock to hardware and software synths, and a JACK input.

`open_output` picks the precise path where it can: a JACK-native port (frame-exact) when a JACK
server runs, else python-rtmidi (ALSA, CoreMIDI, WinMM) with a dispatcher thread. Every JACK
port, the output and the input (`JackMidiIn`, which MIDI clock in reads), goes through one
backend, `livecode.midi.jack_backend`. MIDI clock out (`livecode.midi.clock_out`) sends through
these ports.

Usage (not run as a doctest: it needs a running engine or device)::

    port = open_output("MySynth", api="rtmidi")
    port.note(channel=1, note=60, velocity=100, start=time.monotonic() + 0.1, duration=0.5)
    port.close()

>>> PPQN, clock_times(125.0, 0.0, 0.0, 0.05)
(24, [(0, 0.0), (1, 0.02), (2, 0.04)])
"""

from __future__ import annotations

from livecode.midi.clock_out import MidiClockOut, TempoClockOut, clock_times
from livecode.midi.errors import MidiError, MidiPortError, MidiValueError
from livecode.midi.jack_backend import JackMidiIn, jack_midi_destinations, jack_midi_sources, jack_running
from livecode.midi.inputs import MidiIn, list_inputs, open_input
from livecode.midi.jack_out import JackMidiOut
from livecode.midi.messages import PPQN
from livecode.midi.port import MidiOut
from livecode.midi.rtmidi_out import RtMidiOut, rtmidi_output_names

__all__ = [
    "MidiOut",
    "RtMidiOut",
    "JackMidiOut",
    "JackMidiIn",
    "MidiClockOut",
    "TempoClockOut",
    "PPQN",
    "clock_times",
    "jack_running",
    "jack_midi_destinations",
    "jack_midi_sources",
    "MidiError",
    "MidiPortError",
    "MidiValueError",
    "open_output",
    "list_outputs",
    "API_CHOICES",
    "MidiIn",
    "open_input",
    "list_inputs",
]

API_CHOICES = ("auto", "jack", "rtmidi", "rtmidi-jack", "alsa")


def open_output(
    name: str,
    *,
    api: str = "auto",
    virtual: bool = False,
    latency_ms: float = 0.0,
    client_name: str = "livecode",
) -> MidiOut:
    """Open a MIDI output.

    `api`: "jack" registers a JACK-native port (frame-exact) and connects it to the JACK MIDI
    inputs whose names contain `name` (none needed when `virtual`); "rtmidi" / "alsa" /
    "rtmidi-jack" open an rtmidi port matched by name (or a virtual one); "auto" is "jack" when a
    JACK server runs, else "rtmidi".
    """
    if api not in API_CHOICES:
        raise MidiPortError(f"unknown MIDI api {api!r}; choose one of {', '.join(API_CHOICES)}")
    if api == "auto":
        api = "jack" if jack_running() else "rtmidi"
    if api == "jack":
        port_name = name if virtual else "midi_out"
        port = JackMidiOut(port_name, client_name=f"{client_name}-midi", latency_ms=latency_ms)
        if not virtual:
            try:
                port.connect(name)
            except MidiPortError:
                port.close()
                raise
        return port
    rt_api = {"rtmidi": "auto", "alsa": "alsa", "rtmidi-jack": "jack"}[api]
    return RtMidiOut(name, api=rt_api, virtual=virtual, latency_ms=latency_ms, client_name=client_name)


def list_outputs() -> list[str]:
    """Every MIDI destination livecode can open: JACK MIDI inputs and rtmidi outputs."""
    names = [f"jack: {n}" for n in jack_midi_destinations()]
    names += [f"rtmidi: {n}" for n in rtmidi_output_names()]
    return names
