"""The instruments inside the real engine: the hat choke, banks by event, a K-pop sketch renders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent
from synths.render import render

SR = 48000


def _neutral(engine: Engine) -> None:
    engine.mixer.master.set_neutral(True)


def _render(events: list[NoteEvent], path: Path, seconds: float) -> np.ndarray:
    """Render through the real engine with a neutral master; the float samples."""
    return _read(render(events, path, duration=seconds, sample_format="float", setup=_neutral).path)


def _read(path: Path) -> np.ndarray:
    rate, data = wavfile.read(path)
    assert rate == SR
    return data.astype(np.float64)


def _energy(audio: np.ndarray, start: float, stop: float) -> float:
    return float(np.sum(audio[int(start * SR) : int(stop * SR)] ** 2))


def test_closed_hat_chokes_the_open_hat(tmp_path: Path) -> None:
    open_only = [NoteEvent(0, "d1", {"s": "oh", "decay": 1.0}, 4800)]
    choked = [*open_only, NoteEvent(int(0.1 * SR), "d1", {"s": "hh"}, 4800)]
    free = _render(open_only, tmp_path / "free.wav", 0.5)
    cut = _render(choked, tmp_path / "cut.wav", 0.5)
    assert _energy(free, 0.25, 0.5) > 100.0 * _energy(cut, 0.25, 0.5)
    assert _energy(cut, 0.0, 0.09) > 0.5 * _energy(free, 0.0, 0.09)


def test_bank_in_the_event_selects_the_kit(tmp_path: Path) -> None:
    kick808 = [NoteEvent(0, "d1", {"s": "bd", "bank": "808"}, 4800)]
    kick909 = [NoteEvent(0, "d1", {"s": "bd", "bank": "RolandTR909"}, 4800)]
    a = _render(kick808, tmp_path / "a.wav", 0.4)
    b = _render(kick909, tmp_path / "b.wav", 0.4)
    assert np.abs(a - b).max() > 0.1


def test_a_kpop_sketch_renders_through_the_engine(tmp_path: Path) -> None:
    beat = 0.5 * SR
    events: list[NoteEvent] = []
    for i in range(8):
        t = int(i * beat)
        events.append(NoteEvent(t, "drums", {"s": "bd", "bank": "909"}, 2400))
        events.append(NoteEvent(t + int(beat / 2), "drums", {"s": "hh"}, 1200))
        if i % 2:
            events.append(NoteEvent(t, "drums", {"s": "cp"}, 2400))
    for i, note in enumerate((36, 36, 39, 34)):
        start = int(i * 2 * beat)
        events.append(NoteEvent(start, "bass", {"s": "bass808", "note": note, "glide": 5}, int(1.5 * beat)))
        pad = {"s": "supersaw", "note": note + 24, "gain": 0.5}
        events.append(NoteEvent(start, "pad", pad, int(2 * beat)))
    result = render(events, tmp_path / "sketch.wav", sample_format="float", tail=0.5, setup=_neutral)
    audio = _read(result.path)
    assert np.isfinite(audio).all()
    assert 0.1 < np.abs(audio).max() < 4.0
    assert np.sqrt(np.mean(audio**2)) > 0.02


def test_noisy_instruments_render_byte_identically(tmp_path: Path) -> None:
    events = [NoteEvent(0, "d1", {"s": "cp"}, 4800), NoteEvent(4800, "d1", {"s": "hh"}, 4800),
              NoteEvent(9600, "d1", {"s": "sd", "bank": "909"}, 4800)]
    first = render(events, tmp_path / "1.wav", duration=0.4).path
    second = render(events, tmp_path / "2.wav", duration=0.4).path
    assert Path(first).read_bytes() == Path(second).read_bytes()
