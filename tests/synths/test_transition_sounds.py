"""The transition sounds and the tape stop, rendered and measured (docs/transitions.md): risers
rise (spectral centroid up over time), downlifters fall, the synth sweep does not alias against a
4x render, every sound stays under -1 dBFS with no DC at any length, and the tape stop's pitch
falls linearly to nothing over its beats, then the track comes back without a click."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

from synths._pyo import pyo
from synths.effects import EffectContext, create
from synths.instruments import resolve
from synths.instruments.audit import (
    DC_LIMIT,
    OVERSAMPLE,
    PEAK_LIMIT_DBFS,
    SR,
    alias_db,
    dc_offset,
    peak_dbfs,
)
from synths.instruments.preview import Note, render_notes

__all__: list[str] = []

SOUNDS = ["riser", "sweep", "downlifter", "impact", "revcymbal"]


def centroids(audio: np.ndarray, parts: int, seconds: float) -> list[float]:
    """The spectral centroid (Hz) of each of `parts` equal slices of the first `seconds`."""
    mono = audio.mean(axis=0).astype(np.float64)[: int(seconds * SR)]
    out = []
    for piece in np.array_split(mono, parts):
        power = np.abs(np.fft.rfft(piece * np.hanning(piece.size))) ** 2
        freqs = np.fft.rfftfreq(piece.size, 1.0 / SR)
        out.append(float((power * freqs).sum() / max(float(power.sum()), 1e-30)))
    return out


def levels_db(audio: np.ndarray, parts: int, seconds: float) -> list[float]:
    mono = audio.mean(axis=0).astype(np.float64)[: int(seconds * SR)]
    return [10.0 * np.log10(float(np.mean(piece**2)) + 1e-30) for piece in np.array_split(mono, parts)]


@pytest.mark.parametrize(("name", "ratio"), [("riser", 8.0), ("sweep", 2.5), ("revcymbal", 2.0)])
def test_build_ups_rise_in_brightness_and_level(name: str, ratio: float) -> None:
    audio = render_notes(resolve(name), [Note(0.0, {}, 2.0)], 2.0)
    bright = centroids(audio, 4, 2.0)
    assert bright == sorted(bright) and bright[-1] > ratio * bright[0], bright
    loud = levels_db(audio, 4, 2.0)
    assert loud == sorted(loud), loud


def test_the_downlifter_falls_in_brightness_and_level() -> None:
    audio = render_notes(resolve("downlifter"), [Note(0.0, {}, 2.0)], 2.0)
    dark = centroids(audio, 4, 2.0)
    assert dark == sorted(dark, reverse=True) and dark[0] > 5 * dark[-1], dark
    loud = levels_db(audio, 4, 2.0)
    assert loud == sorted(loud, reverse=True)


def test_the_impact_thump_falls_onto_55_hz() -> None:
    audio = render_notes(resolve("impact"), [Note(0.0, {}, 0.1)], 2.0)[0].astype(np.float64)

    def pitch(start: float, stop: float) -> float:
        body = audio[int(start * SR): int(stop * SR)]
        crossings = np.nonzero(np.diff(np.signbit(body)))[0]
        return SR / float(np.mean(np.diff(crossings[::2])))

    assert pitch(0.0, 0.05) > 2 * pitch(0.5, 1.0)
    assert pitch(0.5, 1.0) == pytest.approx(55.0, rel=0.03)


def test_the_synth_sweep_does_not_alias() -> None:
    """The glide's wavetable is the one for its top note: against a 4x render nothing folds back
    (measured -200 dB: no bin 10 dB above the reference), here with the glide ending at c8."""
    for note in (57.0, 84.0):
        notes = [Note(0.0, {"note": note}, 1.0)]
        audio = render_notes(resolve("sweep"), notes, 1.0)
        reference = render_notes(resolve("sweep"), notes, 1.0, sr=SR * OVERSAMPLE)
        assert alias_db(audio, reference) <= -70.0, note


@pytest.mark.parametrize("name", SOUNDS)
def test_every_length_stays_under_minus_1_dbfs_without_dc(name: str) -> None:
    cls = resolve(name)
    for hold in (0.3, 4.0, 8.0):
        audio = render_notes(cls, [Note(0.0, {}, hold)], hold + 2.5)
        assert peak_dbfs(audio) <= PEAK_LIMIT_DBFS, (name, hold, peak_dbfs(audio))
        assert dc_offset(audio) < DC_LIMIT, (name, hold)
        assert np.abs(audio[:, -int(0.05 * SR):]).max() < 1e-4, (name, hold)   # it ended


def _tape_stop(bpm: float, start: float, beats: float, release: float, seconds: float) -> np.ndarray:
    """A 440 Hz sine through `tapestop`: a stop of `beats` at `start` s, the gate closed at `release` s."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=256, duplex=0, audio="manual", verbosity=1)
    server.boot()
    try:
        server.start()
        source = p.Sine(freq=440.0, mul=[0.5, 0.5])
        ctx = EffectContext(SR, bpm)
        effect = create("tapestop", source, ctx)
        frames = int(seconds * SR)
        sink = p.NewTable(frames / SR, chnls=2)
        recorder = p.TableRec(effect.out, sink).play()
        changes = [(int(start * SR), beats), (int(release * SR), 0.0)]
        for first in range(0, frames + 256, 256):
            for frame, value in [c for c in changes if first <= c[0] < first + 256]:
                effect.set("stop", value, delay=(frame - first) / SR)
            ctx.tick(first)
            server.process()
        out = np.array([np.asarray(sink.getBuffer(c)) for c in range(2)])[:, :frames]
        effect.release()
        del recorder, effect
        return out
    finally:
        server.stop()
        server.shutdown()


def test_the_tape_stop_pitch_falls_linearly_to_zero_then_the_track_returns() -> None:
    # 2 beats at 120 BPM: a one-second stop starting at 0.5 s; the gate closes at 2.0 s
    audio = _tape_stop(120.0, 0.5, 2.0, 2.0, 2.6)[0].astype(np.float64)

    def hz(start: float) -> float:
        piece = audio[int(start * SR): int((start + 0.1) * SR)]
        return float(np.count_nonzero(np.diff(np.signbit(piece)))) / 2 / 0.1

    assert hz(0.3) == pytest.approx(440.0, abs=10)
    falling = [hz(0.5 + 0.1 * k) for k in range(9)]
    assert falling == sorted(falling, reverse=True)
    for k, value in enumerate(falling):                  # 440 x (1 - t / T) at the slice's middle
        assert value == pytest.approx(440.0 * (1 - (0.1 * k + 0.05)), abs=15), (k, falling)
    assert np.abs(audio[int(1.5 * SR): int(2.0 * SR)]).max() < 1e-4      # stopped: silence
    assert hz(2.2) == pytest.approx(440.0, abs=10)                        # back again
    steps = np.abs(np.diff(audio)).max()
    assert steps <= 0.5 * 2 * np.pi * 440.0 / SR * 1.01                    # no click anywhere


@pytest.mark.parametrize("name", ["synths.instruments.transitions", "synths.effects.tapestop"])
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
