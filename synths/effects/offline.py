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
from synths.effects.base import Effect, EffectContext
from synths.errors import RenderError
from synths.tableplay import TablePlayer, record_blocks

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
        return _run(server, audio, sr, build)
    finally:
        server.stop()
        server.shutdown()


def _run(server: Any, audio: np.ndarray, sr: int, build: EffectBuilder) -> np.ndarray:
    frames = audio.shape[1]
    server.start()
    player = TablePlayer(server, audio.T, play=False)
    ctx = EffectContext(sr, 120.0)
    effects = list(build(player.out, ctx))
    if not effects:
        raise RenderError("run_effects: the builder made no effect")
    player.out.play()
    recording = record_blocks(server, effects[-1].out, blocks=-(-frames // BLOCK), block_size=BLOCK,
                              before_block=ctx.tick)       # as the engine: the tempo ticks every block
    out = np.array([recording.channel(channel)[:frames] for channel in range(2)])
    for effect in reversed(effects):
        effect.release()
    del recording, effects, player
    return out
