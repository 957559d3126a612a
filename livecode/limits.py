"""The ranges of the values a performer gives on the command line, in one place.

The CLI checks its options against these before anything starts (so a bad value is a usage
error naming the option), and the code below it checks the same ranges when called directly.
Importing this module is cheap: `livecode send`, which editors run on every key press, builds
the same argument parser.

>>> SAMPLE_RATE_RANGE, BLOCK_SIZE_RANGE
((8000, 384000), (16, 8192))
>>> (MIN_BPM, MAX_BPM, MAX_RENDER_BARS, MAX_LOOKAHEAD)
(10.0, 999.0, 10000, 2.0)
"""

from __future__ import annotations

from livecode.clock import MAX_BPM, MIN_BPM
from synths.backends import BLOCK_SIZE_RANGE, SAMPLE_RATE_RANGE

__all__ = [
    "SAMPLE_RATE_RANGE", "BLOCK_SIZE_RANGE", "MIN_BPM", "MAX_BPM", "MAX_RENDER_BARS", "MAX_LOOKAHEAD",
    "MAX_TAIL_SECONDS", "SILENCE_DBFS", "SILENCE_SECONDS",
]

MAX_RENDER_BARS = 10000
"""The longest render, in bars (cycles)."""

MAX_LOOKAHEAD = 2.0
"""The longest scheduler lookahead, in seconds."""

MAX_TAIL_SECONDS = 30.0
"""How long `render` and `play` let reverb and delay tails ring out at most after the last bar."""

SILENCE_DBFS = -80.0
"""A tail has rung out when every sample stays below this peak level (dBFS) ..."""

SILENCE_SECONDS = 1.0
"""... for this long (longer than the gaps between the echoes of a typical delay)."""
