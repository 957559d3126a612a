"""Which stems each deliverable holds, decided by the tracks' roles.

| variant | holds |
| --- | --- |
| `mix` | every stem |
| `instrumental` | every role but `lead_vocal` and `backing_vocal` |
| `tv-track` | every role but `lead_vocal` |
| `karaoke` | as `tv-track`; with a guide, the `lead_vocal` stems too, `guide_db` quieter |
| `acapella` | `lead_vocal` and `backing_vocal` only |

A bus return (`fx-reverb.lead_vocal`) counts as its group's roles: the lead vocal's reverb
leaves with the lead vocal. A variant with no stem is not written (the report says why).

>>> roles = {"d1": "drums", "v": "lead_vocal", "bv": "backing_vocal"}
>>> stems = ["d1", "v", "bv", "fx-reverb.rest", "fx-reverb.lead_vocal"]
>>> members(VARIANTS["instrumental"], stems, roles)
{'d1': 1.0, 'fx-reverb.rest': 1.0}
>>> round(members(VARIANTS["karaoke"], stems, roles, guide_db=-12)["v"], 3)
0.251
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from livecode.package.roles import ROLES, VOCAL_ROLES

__all__ = ["Variant", "VARIANTS", "members", "stem_roles", "variant_mix"]


@dataclass(frozen=True)
class Variant:
    """A deliverable: the roles it keeps (`guide`: roles added at the karaoke guide level)."""

    name: str
    roles: frozenset[str]
    guide: frozenset[str] = frozenset()


VARIANTS: dict[str, Variant] = {
    "mix": Variant("mix", frozenset(ROLES)),
    "instrumental": Variant("instrumental", frozenset(ROLES) - frozenset(VOCAL_ROLES)),
    "tv-track": Variant("tv-track", frozenset(ROLES) - {"lead_vocal"}),
    "karaoke": Variant("karaoke", frozenset(ROLES) - {"lead_vocal"}, frozenset({"lead_vocal"})),
    "acapella": Variant("acapella", frozenset(VOCAL_ROLES)),
}
"""Every deliverable, by file name."""


def stem_roles(stem: str, roles: Mapping[str, str]) -> frozenset[str]:
    """The roles a stem carries: a track's role, or a bus return's group (`rest` = every role
    but the vocal ones; `+` joins groups).

    >>> sorted(stem_roles("fx-delay.lead_vocal+rest", {}))[:2]
    ['bass', 'drums']
    """
    if stem in roles:
        return frozenset({roles[stem]})
    groups = stem.rsplit(".", 1)[-1].split("+")
    found: set[str] = set()
    for group in groups:
        found |= set(ROLES) - set(VOCAL_ROLES) if group == "rest" else {group}
    return frozenset(found)


def members(variant: Variant, stems: Iterable[str], roles: Mapping[str, str],
            guide_db: float | None = None) -> dict[str, float]:
    """The stems `variant` holds and the gain of each (1.0, or the guide's level)."""
    out: dict[str, float] = {}
    guide = 10 ** (guide_db / 20) if guide_db is not None else None
    for stem in stems:
        carried = stem_roles(stem, roles)
        if carried & variant.roles:
            out[stem] = 1.0
        elif guide is not None and carried & variant.guide:
            out[stem] = guide
    return out


def variant_mix(stems: Mapping[str, np.ndarray], gains: Mapping[str, float], frames: int) -> np.ndarray:
    """The pre-master sum (`frames` long) of the stems in `gains`, each times its gain; a stem
    shorter than `frames` is silent after its end.

    >>> variant_mix({"a": np.ones((2, 2)), "b": np.ones((2, 2))}, {"a": 1.0}, 3).tolist()
    [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    """
    total = np.zeros((frames, 2))
    for name, gain in gains.items():     # float64 products of float32 stems: the same sums
        data = stems[name][:frames]
        total[:data.shape[0]] += np.multiply(data, gain, dtype=np.float64) if gain != 1.0 else data
    return total
