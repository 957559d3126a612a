"""Numpy arrays through pyo objects offline: play an array from a table, record what comes out.

The offline effects (`synths.effects.offline.run_effects`: the effect audit, the vocal chain) and
the mastering renders (`synths.mastering.offline.render_through`) both put audio into a
`DataTable`, play it from its first sample through pyo objects on a manual-mode server, and read
a `TableRec` afterwards. `TablePlayer` is the playing half, `record_blocks` the other.

>>> import numpy as np
>>> from synths._pyo import pyo
>>> server = pyo().Server(sr=48000, nchnls=2, buffersize=256, duplex=0, audio="manual").boot().start()
>>> player = TablePlayer(server, np.full((300, 2), 0.25))
>>> recording = record_blocks(server, player.out * 2.0, blocks=2, block_size=256)
>>> [float(recording.channel(c)[299]) for c in (0, 1)], recording.channel(0)[300:].any()
([0.5, 0.5], np.False_)
>>> del recording, player; server.shutdown()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.denormals import flushed

__all__ = ["TablePlayer", "Recording", "record_blocks"]


class TablePlayer:
    """A (frames,) or (frames, channels) array played by a pyo `TableRead` (`out`) from its
    first sample, each sample as it is (no interpolation), once. Playing from creation (`play`),
    players made before the server's next block play in step; with `play=False` call
    `out.play()` when the graph after it is built."""

    def __init__(self, server: Any, data: np.ndarray, *, play: bool = True) -> None:
        p = pyo()
        columns = data[:, None] if data.ndim == 1 else data
        frames = columns.shape[0]
        self.table = p.DataTable(size=frames, chnls=columns.shape[1])
        for channel in range(columns.shape[1]):
            np.asarray(self.table.getBuffer(channel))[:] = columns[:, channel]
        self.out = p.TableRead(self.table, freq=server.getSamplingRate() / frames, loop=0, interp=1)
        if play:
            self.out.play()


class Recording:
    """What `record_blocks` recorded: `channel(c)` is a float32 view of channel `c` (valid while
    this object lives: copy what you keep)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def channel(self, channel: int) -> np.ndarray:
        """Channel `channel`'s samples, from the first block on (a view into pyo's table)."""
        return np.asarray(self._table.getBuffer(channel))


def record_blocks(server: Any, out: Any, *, blocks: int, block_size: int,
                  before_block: Callable[[int], None] | None = None) -> Recording:
    """Run the started manual-mode `server` for `blocks` blocks of `block_size`, recording the stereo
    `out` from the first of them, with denormals flushed (a decaying tail cost 27x otherwise);
    `before_block(frame)` runs before each block (the effects' tempo tick)."""
    p = pyo()
    sr = server.getSamplingRate()
    recording = p.NewTable(length=blocks * block_size / sr, chnls=2)
    recorder = p.TableRec(out, recording).play()
    with flushed():
        for block in range(blocks):
            if before_block is not None:
                before_block(block * block_size)
            server.process()
    recorder.stop()
    return Recording(recording)
