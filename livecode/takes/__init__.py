"""Takes: recorded files on the song timeline (placing, comping) and live audio input with take
recording aligned to the bar (docs/takes.md).

>>> callable(audio) and callable(comp)
True
"""

from __future__ import annotations

from livecode.takes.placing import (
           TAKE_KEY,
           audio,
           audio_in,
           audio_pattern,
           comp,
           comp_ranges,
)
from livecode.takes.spec import LiveInput, Take, Time, make_take, parse_bar, parse_time
from livecode.takes.timeline import place_segment

__all__ = ["TAKE_KEY", "audio", "audio_in", "audio_pattern", "comp", "comp_ranges", "LiveInput", "Take", "Time", "make_take",
           "parse_bar", "parse_time", "place_segment"]
