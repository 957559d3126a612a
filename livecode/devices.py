"""`livecode devices`: JACK ports, PortAudio output devices, MIDI outputs and inputs, as text.

Every section degrades to a one-line note when its system is missing (no JACK server, no
PortAudio device, no MIDI backend). What the C libraries print while they are probed (ALSA's
`snd_seq_hw_open ... failed`, JACK's "cannot connect") never reaches the terminal: it is read
back, and a missing ALSA sequencer becomes one note in the MIDI section.

>>> "MIDI inputs" in describe_devices(jack_ports=lambda: [], portaudio=lambda: [], midi=lambda: [], midi_in=lambda: [])
True
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from livecode.midi.errors import MidiPortError

__all__ = ["Listing", "jack_audio_ports", "portaudio_devices", "midi_outputs", "midi_inputs", "describe_devices", "NO_ALSA_SEQUENCER"]

NO_ALSA_SEQUENCER = "no ALSA sequencer: /dev/snd/seq cannot be opened; `sudo modprobe snd-seq` loads it"


@dataclass(frozen=True, slots=True)
class Listing:
    """What a probe found, and notes on what is missing (each said once)."""

    items: list[str]
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _quiet_fds() -> Iterator[Callable[[], str]]:
    """Capture what C libraries (ALSA, JACK, PortAudio) and Python write to fds 1 and 2
    meanwhile; yields a function that returns it (read after the block).

    >>> with _quiet_fds() as printed:
    ...     _ = os.write(2, b"ALSA lib seq_hw.c:466:(snd_seq_hw_open) failed\\n")
    >>> "snd_seq_hw_open" in printed()
    True
    """
    sys_streams = io.StringIO()
    captured: list[str] = []
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as capture:
        try:
            os.dup2(capture.fileno(), 1)
            os.dup2(capture.fileno(), 2)
            with contextlib.redirect_stdout(sys_streams), contextlib.redirect_stderr(sys_streams):
                yield lambda: "".join(captured)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            captured.append(_read_back(capture) + sys_streams.getvalue())


def _read_back(capture: IO[bytes]) -> str:
    capture.seek(0)
    return capture.read().decode("utf-8", errors="replace")


def jack_audio_ports() -> list[str]:
    """Audio ports of the running JACK server (JACK_DEFAULT_SERVER honoured); [] without one."""
    from livecode.midi.jack_clients import close_client, open_client

    try:
        with _quiet_fds():
            client = open_client("livecode-devices")     # the process's one way to open a client
    except (MidiPortError, ImportError, OSError):       # no server, or no libjack at all
        return []
    try:
        return [f"{port.name} ({'in' if port.is_input else 'out'})" for port in client.get_ports(is_audio=True)]
    finally:
        close_client(client)


def portaudio_devices() -> list[str]:
    """PortAudio output devices as "index: name" (through synths' quiet pyo import)."""
    try:
        from synths._pyo import pyo

        with _quiet_fds():
            names, indexes = pyo().pa_get_output_devices()
    except Exception:  # PortAudio reports a machine without sound in many ways
        return []
    return [f"{index}: {name}" for name, index in zip(names, indexes)]


def midi_outputs() -> Listing:
    """MIDI destinations from livecode.midi (JACK MIDI and rtmidi), and a note when the ALSA
    sequencer is missing (ALSA says so on fd 2 while rtmidi probes it; that line is kept back)."""
    names: list[str] = []
    with _quiet_fds() as printed:
        try:
            from livecode.midi import list_outputs

            names = list(list_outputs())
        except Exception:  # no MIDI backend: the section says so
            names = []
    notes = [NO_ALSA_SEQUENCER] if "snd_seq" in printed() else []
    return Listing(names, notes)


def midi_inputs() -> Listing:
    """MIDI sources livecode can open with `midi_in` (JACK MIDI and rtmidi); a missing ALSA
    sequencer is said once, in the outputs' section."""
    names: list[str] = []
    with _quiet_fds():
        try:
            from livecode.midi.inputs import list_inputs

            names = list(list_inputs())
        except Exception:  # no MIDI backend: the section says so
            names = []
    return Listing(names, [])


Probe = Callable[[], "list[str] | Listing"]


def _section(title: str, found: list[str] | Listing, empty: str) -> list[str]:
    """The lines of one section; notes go in parentheses, after what was found.

    >>> _section("MIDI outputs", Listing([], ["no ALSA sequencer"]), "none found")
    ['MIDI outputs:', '  (none found; no ALSA sequencer)']
    """
    listing = found if isinstance(found, Listing) else Listing(list(found))
    lines = [f"{title}:"] + [f"  {item}" for item in listing.items]
    if not listing.items:
        return lines + [f"  ({'; '.join([empty, *listing.notes])})"]
    return lines + [f"  ({note})" for note in listing.notes]


def describe_devices(
    jack_ports: Probe = jack_audio_ports,
    portaudio: Probe = portaudio_devices,
    midi: Probe = midi_outputs,
    midi_in: Probe = midi_inputs,
) -> str:
    """The text `livecode devices` prints."""
    server = os.environ.get("JACK_DEFAULT_SERVER", "default")
    lines = _section(f"JACK audio ports (server {server})", jack_ports(), "no JACK server running")
    lines += _section("PortAudio output devices", portaudio(), "none found")
    lines += _section("MIDI inputs", midi_in(), "none found")
    lines += _section("MIDI outputs", midi(), "none found")
    return "\n".join(lines)
