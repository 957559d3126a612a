"""Live control: MIDI and OSC inputs driving parameters, the keyboard and recording into patterns.

`ControlHub` (`hub.py`) is the session's (`session.controls`); `Bindings` join a controller
`Source` to a `ParamTarget` through a `Scale` (`bindings.py`, `curves.py`) with soft takeover;
`ControlValues` (`values.py`) hold the latest values patterns read (`cc(74)`, `ctl("cut")`);
`quantize` (`record.py`) turns what was played into mini-notation; `names.py` is the prelude's
part. docs/midi.md and docs/osc.md describe them.

>>> Scale(200, 3200, "exp").map(0.5)
800.0
"""

from __future__ import annotations

from livecode.control.bindings import Binding, Bindings, ParamTarget, Source
from livecode.control.curves import Scale
from livecode.control.errors import MappingError
from livecode.control.record import Played, Take, quantize
from livecode.control.values import ControlValues

__all__ = ["Binding", "Bindings", "ParamTarget", "Source", "Scale", "MappingError", "Played", "Take", "quantize",
           "ControlValues"]
