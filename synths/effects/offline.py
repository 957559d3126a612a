"""Effects run offline on a numpy array: one pyo server in manual mode, the audio played from a
table through the effects, the last one's output recorded, `ctx.tick` every block like the
engine. The sound audit of effects (`synths.effects.audit`) and the offline vocal chain
(`synths.vocal_chain`, `livecode tune`) both run their effects this way.

>>> import numpy as np
>>> from synths.effects import create
>>> out = run_effects(np.full((2, 300), 0.25), 48000, lambda player, ctx: [create("width", player, ctx)])
>>> out.shape
(2, 300)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.denormals import flushed
from synths.effects.base import Effect, EffectContext
from synths.errors import RenderError

__all__ = ["BLOCK", "EffectBuilder", "run_effects"]

BLOCK = 256
"""Block size of the offline server."""

EffectBuilder = Callable[[Any, EffectContext], Sequence[Effect]]
"""Builds the effects on the player (a pyo stereo source) and the context, in signal order:
the last one's `out` is what is recorded. Effects after the first take their input from the one
before (`Harmony(effects[0].out, ctx)`)."""


def run_effects(audio: np.ndarray, sr: int, build: EffectBuilder, *, seed: int = 0) -> np.ndarray:
    """`audio` (2, frames) through the effects `build` makes, on a manual pyo server of its own at
    `sr` (`seed` > 0 seeds pyo's random objects: byte-identical runs); returns (2, frames) float.

    >>> from synths.effects import create
    >>> silent = run_effects(np.zeros((2, 512)), 48000, lambda player, ctx: [create("lpf", player, ctx)])
    >>> float(np.abs(silent).max())
    0.0
    """
    p = pyo()
    server = p.Server(sr=sr, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1)
    server.boot()
    if seed:
        server.setGlobalSeed(seed)
    try:
        return _run(p, server, audio, sr, build)
    finally:
        server.stop()
        server.shutdown()


def _run(p: Any, server: Any, audio: np.ndarray, sr: int, build: EffectBuilder) -> np.ndarray:
    frames = audio.shape[1]
    server.start()
    source = p.DataTable(size=frames, chnls=2)
    for channel in range(2):
        np.asarray(source.getBuffer(channel))[:] = audio[channel]
    player = p.TableRead(source, freq=sr / frames, loop=0)
    ctx = EffectContext(sr, 120.0)
    effects = list(build(player, ctx))
    if not effects:
        raise RenderError("run_effects: the builder made no effect")
    sink = p.NewTable(frames / sr, chnls=2)
    recorder = p.TableRec(effects[-1].out, sink)
    player.play()
    recorder.play()
    with flushed():                      # as the engine's audio thread: no denormals
        for block in range(-(-frames // BLOCK)):
            ctx.tick(block * BLOCK)
            server.process()
    out = np.array([np.asarray(sink.getBuffer(channel)) for channel in range(2)])
    for effect in reversed(effects):
        effect.release()
    del recorder, effects, player
    return out[:, :frames]
