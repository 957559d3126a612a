"""livecode's pattern engine: rational-time patterns with Tidal/Strudel semantics.

Importing the package attaches every registered transformation to `Pattern`.

>>> from patterns import sequence
>>> [e.value for e in sequence("a", "b").fast(2).rev().first_cycle()]
['b', 'a', 'b', 'a']
"""

from __future__ import annotations

from patterns import (  # noqa: F401 - importing registers the transformations
    euclid as _euclid_module,
    random as _random_module,
    structure as _structure_module,
    time_ops as _time_ops_module,
)
from patterns.constructors import (
    arrange,
    cat,
    fastcat,
    polymeter,
    polymeter_steps,
    run,
    seq,
    sequence,
    slowcat,
    stack,
    stepcat,
    timecat,
    timeCat,
)
from patterns.errors import LivecodeError, PatternArgumentError, PatternError
from patterns.event import Event
from patterns.pattern import Pattern, is_pure, pure, reify, silence, steady
from patterns.register import register, registry
from patterns.timespan import TimeSpan

__all__ = [
    "Pattern",
    "Event",
    "TimeSpan",
    "pure",
    "silence",
    "steady",
    "reify",
    "is_pure",
    "register",
    "registry",
    "sequence",
    "seq",
    "fastcat",
    "cat",
    "slowcat",
    "stack",
    "timecat",
    "timeCat",
    "stepcat",
    "polymeter",
    "polymeter_steps",
    "run",
    "arrange",
    "LivecodeError",
    "PatternError",
    "PatternArgumentError",
]
from patterns.mini import mini  # noqa: E402 - the mini-notation parser (reify uses it for strings)
