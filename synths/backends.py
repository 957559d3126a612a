"""Audio backends: choose one (`auto`), and boot a pyo Server for it.

Backends: `jack` (a running JACK server; honours JACK_DEFAULT_SERVER), `portaudio` (an output
device), `offline` and `manual` (no device: the caller computes blocks with `Engine.process_blocks`,
`offline` for rendering to files), and `auto`: JACK if a server runs, else a PortAudio output
device, else `AudioDeviceError`.

>>> normalize_backend("JACK")
'jack'
>>> normalize_backend("alsa")
Traceback (most recent call last):
...
synths.errors.AudioDeviceError: backend must be one of auto, jack, portaudio, offline, manual (got 'alsa')
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from typing import Any

from synths._pyo import pyo
from synths.errors import AudioDeviceError, ParamError

__all__ = [
    "BACKENDS",
    "NO_DEVICE_MESSAGE",
    "BootedServer",
    "normalize_backend",
    "jack_running",
    "portaudio_output",
    "choose_backend",
    "boot_server",
    "XrunMonitor",
    "SAMPLE_RATE_RANGE",
    "BLOCK_SIZE_RANGE",
]

BACKENDS = ("auto", "jack", "portaudio", "offline", "manual")
NO_DEVICE_MESSAGE = "no audio device found: use `livecode render` to render to a file"
SAMPLE_RATE_RANGE = (8000, 384000)
"""The sample rates (Hz, inclusive) an engine boots at."""
BLOCK_SIZE_RANGE = (16, 8192)
"""The block sizes (frames, inclusive) an engine boots with."""


@dataclass(slots=True)
class BootedServer:
    """A booted pyo Server and what it really runs at (JACK imposes its rate and buffer size)."""

    server: Any
    backend: str
    sample_rate: int
    block_size: int


def normalize_backend(name: str) -> str:
    """Lower-case and check a backend name."""
    key = str(name).strip().lower()
    if key not in BACKENDS:
        raise AudioDeviceError(f"backend must be one of {', '.join(BACKENDS)} (got {name!r})")
    return key


def jack_running() -> bool:
    """True when a JACK server (JACK_DEFAULT_SERVER or the default) accepts a client.

    Usage (not run as a doctest: it needs a running engine or device)::

        isinstance(jack_running(), bool)
        # -> True
    """
    try:
        import jack  # noqa: PLC0415 - libjack is optional at import time
    except (ImportError, OSError):
        return False
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            client = jack.Client("livecode-probe", no_start_server=True)
    except jack.JackError:
        return False
    client.close()
    return True


def portaudio_output() -> int | None:
    """The default PortAudio output device index, or None when there is none."""
    p = pyo()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            if p.pa_count_devices() <= 0:
                return None
            names, indexes = p.pa_get_output_devices()
            default = p.pa_get_default_output()
        except Exception:  # noqa: BLE001 - PortAudio reports missing hardware in many ways
            return None
    if not indexes:
        return None
    return int(default if default in indexes else indexes[0])


def choose_backend(name: str) -> str:
    """Resolve `auto` to `jack` or `portaudio`; raise `AudioDeviceError` when neither exists.

    >>> choose_backend("offline")
    'offline'
    """
    key = normalize_backend(name)
    if key != "auto":
        return key
    if jack_running():
        return "jack"
    if portaudio_output() is not None:
        return "portaudio"
    raise AudioDeviceError(NO_DEVICE_MESSAGE)


def boot_server(
    backend: str, sample_rate: int, block_size: int, *, channels: int = 2, jackname: str = "livecode",
    inputs: int = 0,
) -> BootedServer:
    """Boot a pyo Server for a concrete backend and report the rate and block size it really got;
    `inputs` > 0 opens that many input channels too (duplex: JACK ports `<jackname>:input_N`)."""
    low, high = SAMPLE_RATE_RANGE
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or not low <= sample_rate <= high:
        raise ParamError(f"Engine: sample_rate must be an int in [{low}, {high}], not {sample_rate!r}")
    low, high = BLOCK_SIZE_RANGE
    if isinstance(block_size, bool) or not isinstance(block_size, int) or not low <= block_size <= high:
        raise ParamError(f"Engine: block_size must be an int in [{low}, {high}], not {block_size!r}")
    key = choose_backend(backend)
    if key == "jack" and not jack_running():
        raise AudioDeviceError(
            f"no JACK server is running (JACK_DEFAULT_SERVER={os.environ.get('JACK_DEFAULT_SERVER', 'default')})"
        )
    if key == "portaudio" and portaudio_output() is None:
        raise AudioDeviceError(NO_DEVICE_MESSAGE)
    audio = "manual" if key in ("offline", "manual") else key
    p = pyo()
    server = p.Server(
        sr=sample_rate, nchnls=channels, buffersize=block_size, duplex=1 if inputs > 0 else 0, audio=audio,
        jackname=jackname, ichnls=max(1, inputs),
    )
    server.setVerbosity(1)
    with contextlib.redirect_stdout(io.StringIO()):
        server.boot()
    if not server.getIsBooted():
        raise AudioDeviceError(f"the {key} backend did not boot; {NO_DEVICE_MESSAGE}")
    return BootedServer(server, key, int(server.getSamplingRate()), int(server.getBufferSize()))


class XrunMonitor:
    """Counts JACK xruns through a small JACK-Client client's xrun callback.

    Usage (not run as a doctest: it needs a running engine or device)::

        monitor = XrunMonitor.open("livecode-xruns")
        monitor.count
        # -> 0
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.count = 0
        self.server_gone = False

    @classmethod
    def open(cls, name: str) -> XrunMonitor | None:
        """Connect to the running JACK server; None when that fails."""
        try:
            import jack  # noqa: PLC0415

            client = jack.Client(name, no_start_server=True)
        except (ImportError, OSError, jack.JackError):
            return None
        monitor = cls(client)
        client.set_xrun_callback(monitor._on_xrun)
        client.set_shutdown_callback(monitor._on_shutdown)
        client.activate()
        return monitor

    def _on_xrun(self, delay: float) -> None:
        self.count += 1

    def _on_shutdown(self, status: object, reason: str) -> None:
        self.server_gone = True

    def frame_time(self) -> int:
        """The JACK frame at which the current process cycle started (call it from a JACK
        process callback of this process, e.g. pyo's, to relate its frames to JACK's)."""
        return int(self.client.last_frame_time)

    def cpu_load(self) -> float:
        """JACK's DSP load in percent."""
        return float(self.client.cpu_load())

    def close(self) -> None:
        """Deactivate and close the client."""
        if self.server_gone:
            return
        try:
            self.client.deactivate()
            self.client.close()
        except Exception:  # noqa: BLE001 - the server may already be gone
            pass
