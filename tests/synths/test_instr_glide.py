"""Glide memory is per voice pool (per track): two tracks playing `lead` glide independently."""

from __future__ import annotations

from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.instruments import resolve
from synths.instruments.preview import note_params
from synths.instruments.tonal import share_glide

SR = 48000
BLOCK = 256
LEAD = {"detune": 0.0, "glide": 0.1, "sustain": 1.0, "cutoff": 600.0, "env": 0.0}


def _two_tracks(a_notes: list[tuple[float, float]], b_notes: list[tuple[float, float]], seconds: float) -> np.ndarray:
    """Render two 2-voice `lead` pools on one server (each linked by `share_glide`, as a track's
    pool is); returns track A's mono output. Notes are (time s, MIDI note), held 0.4 s."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        pools: list[list[tuple[Any, Any, Any]]] = []
        for _ in range(2):
            slots = []
            for _ in range(2):
                trig = p.Trig().stop()
                delay = p.SDelay(trig, delay=0.5 / SR, maxdelay=(BLOCK + 1) / SR)
                slots.append((trig, delay, resolve("lead")(delay, SR)))
            share_glide([voice for _, _, voice in slots])
            pools.append(slots)
        frames = int(seconds * SR)
        table = p.NewTable(seconds, chnls=1)
        recorder = p.TableRec(p.Mix([voice.out for _, _, voice in pools[0]], voices=1), table).play()
        queue = sorted([(t, n, 0) for t, n in a_notes] + [(t, n, 1) for t, n in b_notes])
        used = [0, 0]
        for start in range(0, frames + BLOCK, BLOCK):
            while queue and int(queue[0][0] * SR) < start + BLOCK:
                time, note, track = queue.pop(0)
                trig, delay, voice = pools[track][used[track] % 2]
                used[track] += 1
                voice.set_note(note_params(type(voice), {**LEAD, "note": note}), 0.4)
                delay.delay = (max(0, int(time * SR) - start) + 0.5) / SR
                trig.play()
            server.process()
        del recorder
        return np.asarray(table.getTable(), dtype=np.float64)[:frames]
    finally:
        server.stop()
        server.shutdown()


def _peak_hz(signal: np.ndarray) -> float:
    size = 1 << 16
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)), size))
    freqs = np.fft.rfftfreq(size, 1.0 / SR)
    band = (freqs > 100.0) & (freqs < 3000.0)
    return float(freqs[band][np.argmax(spectrum[band])])


def test_a_track_glides_from_its_own_previous_note_not_the_other_tracks() -> None:
    # A: a3 (220 Hz) then a4 (440 Hz) gliding; B plays a6 (1760 Hz) in between on its own pool
    audio = _two_tracks([(0.0, 57.0), (0.5, 69.0)], [(0.25, 93.0)], 1.0)
    start = _peak_hz(audio[int(0.5 * SR) : int(0.55 * SR)])
    settled = _peak_hz(audio[int(0.75 * SR) : int(0.9 * SR)])
    assert 200.0 < start < 400.0, f"A's glide should rise from 220 Hz, starts at {start:.0f} Hz"
    assert abs(settled - 440.0) < 5.0
