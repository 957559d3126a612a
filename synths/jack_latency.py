"""JACK port latencies, read (and, for tests and tools, set) through libjack itself.

JACK-Client (the `jack` module) exposes no latency API, so these call
`jack_port_get_latency_range` / `jack_port_set_latency_range` / `jack_recompute_total_latencies`
with ctypes on the port and client pointers JACK-Client holds (the same loaded libjack). Modes
follow JACK: `capture` is how long ago a port's samples entered the system (an input's ADC side),
`playback` how long until they leave it (an output's DAC side).

>>> MODES["capture"], MODES["playback"]
(0, 1)
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from synths.errors import EngineError

__all__ = ["MODES", "port_latency", "set_port_latency", "recompute_latencies", "on_latency", "LatencyCallback"]

MODES = {"capture": 0, "playback": 1}
"""JACK's jack_latency_callback_mode_t values."""


LatencyCallback = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p)
"""The C type of JACK's latency callback: (mode, arg)."""


class _Range(ctypes.Structure):
    _fields_ = [("min", ctypes.c_uint32), ("max", ctypes.c_uint32)]


@lru_cache(maxsize=1)
def _lib() -> ctypes.CDLL:
    name = ctypes.util.find_library("jack")
    if name is None:
        raise EngineError("JACK latency: libjack is not installed")
    lib = ctypes.CDLL(name)
    lib.jack_port_get_latency_range.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_Range)]
    lib.jack_port_get_latency_range.restype = None
    lib.jack_port_set_latency_range.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_Range)]
    lib.jack_port_set_latency_range.restype = None
    lib.jack_recompute_total_latencies.argtypes = [ctypes.c_void_p]
    lib.jack_recompute_total_latencies.restype = ctypes.c_int
    lib.jack_set_latency_callback.argtypes = [ctypes.c_void_p, LatencyCallback, ctypes.c_void_p]
    lib.jack_set_latency_callback.restype = ctypes.c_int
    return lib


def _address(obj: Any) -> int:
    """The C pointer a JACK-Client object wraps (`Port._ptr`, `Client._ptr`)."""
    import jack  # noqa: PLC0415 - libjack is optional

    return int(jack._ffi.cast("uintptr_t", obj._ptr))  # noqa: SLF001 - JACK-Client has no latency API


def _mode(mode: str) -> int:
    if mode not in MODES:
        raise EngineError(f"JACK latency: mode must be 'capture' or 'playback', not {mode!r}")
    return MODES[mode]


def port_latency(port: Any, mode: str) -> tuple[int, int]:
    """(min, max) latency in frames of a JACK-Client `port` in `mode`."""
    found = _Range()
    _lib().jack_port_get_latency_range(_address(port), _mode(mode), ctypes.byref(found))
    return int(found.min), int(found.max)


def set_port_latency(port: Any, mode: str, low: int, high: int) -> None:
    """Set an own port's latency range (what a driver or a client with a delay reports)."""
    value = _Range(int(low), int(high))
    _lib().jack_port_set_latency_range(_address(port), _mode(mode), ctypes.byref(value))


def recompute_latencies(client: Any) -> None:
    """Ask the JACK server to propagate latencies through the graph again."""
    _lib().jack_recompute_total_latencies(_address(client))


def on_latency(client: Any, callback: Callable[[str], None]) -> Any:
    """Have JACK call `callback("capture" | "playback")` whenever it recomputes latencies (the
    place where a client sets its ports' ranges). Call before `client.activate()`; keep the
    returned handle as long as the client lives."""
    names = {value: key for key, value in MODES.items()}

    def called(mode: int, arg: Any) -> None:
        callback(names.get(int(mode), "capture"))

    handle = LatencyCallback(called)
    if _lib().jack_set_latency_callback(_address(client), handle, None) != 0:
        raise EngineError("JACK latency: the latency callback could not be set")
    return handle
