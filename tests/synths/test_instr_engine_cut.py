"""Through the real engine: Tidal cut groups stop a track's sounding samples of the same group,
and two tracks playing `lead` glide independently (one glide memory per voice pool)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from synths.engine import Engine
from synths.events import NoteEvent
from synths.instruments import load_sample_folder, unload_sample_kit
from synths.render import render

SR = 48000


@pytest.fixture(scope="module")
def cutkit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("cut_samples")
    (root / "cutkit").mkdir()
    tone = 0.5 * np.sin(2 * np.pi * 220.0 * np.arange(SR) / SR)
    wavfile.write(root / "cutkit" / "a_tone.wav", SR, tone.astype(np.float32))
    click = np.zeros(SR // 50, dtype=np.float32)
    click[:48] = 0.5
    wavfile.write(root / "cutkit" / "b_click.wav", SR, click)
    load_sample_folder(root)
    yield "cutkit"
    unload_sample_kit("cutkit")


def _render(events: list[NoteEvent], path: Path, seconds: float) -> np.ndarray:
    def neutral(engine: Engine) -> None:
        engine.mixer.master.set_neutral(True)

    rate, data = wavfile.read(render(events, path, duration=seconds, sample_format="float", setup=neutral).path)
    assert rate == SR
    return data.astype(np.float64).mean(axis=1)


def _energy(audio: np.ndarray, start: float, stop: float) -> float:
    return float(np.sum(audio[int(start * SR) : int(stop * SR)] ** 2))


def _tone_then_click(kit: str, first: dict[str, object], second: dict[str, object],
                     track2: str = "d1") -> list[NoteEvent]:
    return [
        NoteEvent(0, "d1", {"s": kit, "n": 0, **first}, 4800),
        NoteEvent(int(0.3 * SR), track2, {"s": kit, "n": 1, **second}, 4800),
    ]


def test_cut_stops_the_sounding_sample_of_its_group(cutkit: str, tmp_path: Path) -> None:
    free = _render(_tone_then_click(cutkit, {}, {}), tmp_path / "free.wav", 1.0)
    cut = _render(_tone_then_click(cutkit, {"cut": 1}, {"cut": 1}), tmp_path / "cut.wav", 1.0)
    other = _render(_tone_then_click(cutkit, {"cut": 1}, {"cut": 2}), tmp_path / "other.wav", 1.0)
    assert _energy(free, 0.4, 0.95) > 1000.0                       # the tone plays out without cut
    assert _energy(cut, 0.4, 0.95) < 1e-6 * _energy(free, 0.4, 0.95)
    assert _energy(cut, 0.0, 0.29) == pytest.approx(_energy(free, 0.0, 0.29), rel=1e-3)
    assert _energy(other, 0.4, 0.95) == pytest.approx(_energy(free, 0.4, 0.95), rel=1e-3)


def test_cut_spans_the_instruments_of_a_track(cutkit: str, tmp_path: Path) -> None:
    """`s("<sample> sine").cut(1)`: a synth note in the group stops the track's sounding sample."""
    def tone_then_sine(cut: dict[str, object]) -> list[NoteEvent]:
        return [
            NoteEvent(0, "d1", {"s": cutkit, "n": 0, **cut}, 4800),
            NoteEvent(int(0.3 * SR), "d1", {"s": "sine", "note": 84, "release": 0.01, **cut}, 480),
        ]

    free = _render(tone_then_sine({}), tmp_path / "free.wav", 1.0)
    cut = _render(tone_then_sine({"cut": 1}), tmp_path / "cut.wav", 1.0)
    assert _energy(free, 0.45, 0.95) > 1000.0                      # the sample plays on under the sine
    assert _energy(cut, 0.45, 0.95) < 1e-6 * _energy(free, 0.45, 0.95)


def test_cut_groups_belong_to_their_track(cutkit: str, tmp_path: Path) -> None:
    two_tracks = _render(_tone_then_click(cutkit, {"cut": 1}, {"cut": 1}, track2="d2"), tmp_path / "t.wav", 1.0)
    assert _energy(two_tracks, 0.4, 0.95) > 1000.0


def _peak_hz(signal: np.ndarray) -> float:
    size = 1 << 16
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)), size))
    freqs = np.fft.rfftfreq(size, 1.0 / SR)
    band = (freqs > 100.0) & (freqs < 3000.0)
    return float(freqs[band][np.argmax(spectrum[band])])


def test_two_tracks_leads_glide_independently_in_the_engine(tmp_path: Path) -> None:
    lead = {"s": "lead", "detune": 0.0, "glide": 0.1, "sustain": 1.0, "cutoff": 600.0, "env": 0.0}
    events = [
        NoteEvent(0, "a", {**lead, "note": 57}, int(0.4 * SR)),
        NoteEvent(int(0.25 * SR), "b", {**lead, "note": 93, "gain": 0.0}, int(0.2 * SR)),  # silent
        NoteEvent(int(0.5 * SR), "a", {**lead, "note": 69}, int(0.4 * SR)),
    ]
    audio = _render(events, tmp_path / "glide.wav", 1.0)
    start = _peak_hz(audio[int(0.5 * SR) : int(0.55 * SR)])
    assert 200.0 < start < 400.0, f"track a's glide should rise from 220 Hz, starts at {start:.0f} Hz"
