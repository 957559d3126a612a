"""A pyo manual-mode rig shared by the effect and mixer tests (imported by path), and its tests."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from synths._pyo import pyo

__all__ = ["Rig", "rig_fixture", "tone", "level_db", "centroid"]

SR = 48000
BLOCK = 256


class Rig:
    """A booted manual-mode pyo server; `record(signal, seconds)` returns (frames, 2) numpy.

    Like the engine, it ticks effect contexts at every block start (`attach(ctx)`), so chains
    and mixers re-route after edits.
    """

    def __init__(self, sr: int = SR, block: int = BLOCK) -> None:
        self.sr = sr
        self.block = block
        self.frames = 0
        self.contexts: list[Any] = []
        self.server = pyo().Server(sr=sr, nchnls=2, buffersize=block, audio="manual", duplex=0)
        self.server.setVerbosity(0)
        self.server.boot()
        self.server.setCallback(self._on_block)
        self.server.start()

    def attach(self, ctx: Any) -> Any:
        """Tick `ctx` (an EffectContext) at every block start from now on; returns it."""
        if not any(known is ctx for known in self.contexts):
            self.contexts.append(ctx)
        return ctx

    def _on_block(self) -> None:
        for ctx in self.contexts:
            ctx.tick(self.frames)
        self.frames += self.block

    def process(self, seconds: float) -> None:
        """Compute `seconds` of audio (rounded up to whole blocks)."""
        for _ in range(math.ceil(seconds * self.sr / self.block)):
            self.server.process()

    def record(self, signal: Any, seconds: float, during: Any = None) -> np.ndarray:
        """Record `signal` for `seconds`; `during(rig, block_index)` runs before each block."""
        p = pyo()
        table = p.NewTable(length=seconds, chnls=2)
        frames = table.getSize()
        rec = p.TableRec(signal if len(signal) == 2 else p.Mix(signal, voices=2), table).play()
        for index in range(math.ceil(frames / self.block) + 1):
            if during is not None:
                during(self, index)
            self.server.process()
        rec.stop()
        data = np.stack([np.asarray(table.getBuffer(c)).copy() for c in range(2)], axis=1)
        del rec
        return data.astype(np.float64)

    def close(self) -> None:
        """Stop and shut the server down."""
        self.server.stop()
        self.server.shutdown()


def rig_fixture() -> Iterator[Rig]:
    """Body of a module-scoped `rig` fixture."""
    rig = Rig()
    yield rig
    rig.close()


def tone(freq: float, amp: float = 0.5) -> Any:
    """A stereo sine."""
    return pyo().Sine(freq=freq, mul=[amp, amp])


def level_db(audio: np.ndarray) -> float:
    """RMS level in dBFS of a block of audio."""
    return 20 * math.log10(max(1e-12, float(np.sqrt(np.mean(audio**2)))))


def centroid(audio: np.ndarray, sr: int = SR) -> float:
    """Spectral centroid (Hz) of the left channel."""
    spectrum = np.abs(np.fft.rfft(audio[:, 0] * np.hanning(len(audio))))
    freqs = np.fft.rfftfreq(len(audio), 1 / sr)
    return float(np.sum(freqs * spectrum) / np.sum(spectrum))


rig = pytest.fixture(scope="module", name="rig")(rig_fixture)


def test_rig_records_a_sine_at_its_level(rig: Rig) -> None:
    audio = rig.record(tone(1000, 0.5), 0.2)
    assert audio.shape == (int(0.2 * SR), 2)
    assert abs(level_db(audio) - 20 * math.log10(0.5 / math.sqrt(2))) < 0.1
