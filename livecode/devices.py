"""`livecode devices`: JACK ports, PortAudio output devices and MIDI outputs, as text.

Every section degrades to a one-line note when its system is missing (no JACK server, no
PortAudio device, no MIDI backend).

>>> "MIDI outputs" in describe_devices(jack_ports=lambda: [], portaudio=lambda: [], midi=lambda: [])
True
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator

from livecode.midi.errors import MidiPortError

__all__ = ["jack_audio_ports", "portaudio_devices", "midi_outputs", "describe_devices"]


@contextlib.contextmanager
def _quiet_fds() -> Iterator[None]:
    """Silence C libraries (ALSA, JACK, PortAudio) writing to fds 1 and 2."""
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


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


def midi_outputs() -> list[str]:
    """MIDI destinations from livecode.midi (JACK MIDI and rtmidi)."""
    try:
        from livecode.midi import list_outputs

        with _quiet_fds():
            return list(list_outputs())
    except Exception:  # no MIDI backend: the section says so
        return []


def _section(title: str, items: list[str], empty: str) -> list[str]:
    return [f"{title}:"] + ([f"  {item}" for item in items] if items else [f"  ({empty})"])


def describe_devices(
    jack_ports: Callable[[], list[str]] = jack_audio_ports,
    portaudio: Callable[[], list[str]] = portaudio_devices,
    midi: Callable[[], list[str]] = midi_outputs,
) -> str:
    """The text `livecode devices` prints."""
    server = os.environ.get("JACK_DEFAULT_SERVER", "default")
    lines = _section(f"JACK audio ports (server {server})", jack_ports(), "no JACK server running")
    lines += _section("PortAudio output devices", portaudio(), "none found")
    lines += _section("MIDI outputs", midi(), "none found")
    return "\n".join(lines)
