"""OSC for livecode (python-osc): tracks send timestamped bundles, addresses drive parameters.

Out (`livecode.osc.out`): `pattern.osc("/dirt/play", port=57120)` sends each event as an OSC
message in a bundle whose timetag is the event's time, sent ahead by the scheduler's lookahead
(SuperDirt's `/dirt/play` shape, or plain key/value pairs). In (`livecode.osc.inbound`): an
`OscIn` listens on 127.0.0.1 unless an address is named, hands each message to bindings (the
same as MIDI CC bindings, `livecode.control`), never evaluates code, and counts and drops what
is malformed with one warning.

>>> from livecode.osc.out import dirt_args
>>> dirt_args({"s": "bd", "n": 3}, 0.25)
['s', 'bd', 'n', 3, 'delta', 0.25, 'orbit', 0]
"""

from __future__ import annotations

from livecode.osc.errors import OscError
from livecode.osc.inbound import OscIn
from livecode.osc.out import OscEvent, OscSenders

__all__ = ["OscIn", "OscEvent", "OscSenders", "OscError"]
