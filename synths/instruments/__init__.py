"""The instrument registry: every synthesized instrument, the drum banks and the sample kits.

`resolve(s, bank)` turns an `s` name (and an optional `bank`) into a `Voice` class: drum names go
to the chosen drum bank (`808` by default, `909`; aliases such as `tr909` or `RolandTR909`),
other names to the synths, and names of loaded sample folders to the sampler. A `:n` suffix
(`"mykit:3"`) is allowed; `split_name` separates it so the caller can pass it on as `n`.

>>> resolve("bd").NAME, resolve("bd", "909").NAME, resolve("hh", "RolandTR909").NAME
('tr808_bd', 'tr909_bd', 'tr909_hh')
>>> resolve("supersaw").NAME
'supersaw'
>>> resolve("supersw")
Traceback (most recent call last):
...
synths.errors.UnknownInstrumentError: unknown instrument 'supersw'; did you mean: supersaw?
>>> split_name("mykit:3")
('mykit', 3)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from synths.errors import UnknownInstrumentError
from synths.instruments.bass import BASSES
from synths.instruments.drums808 import KIT_808
from synths.instruments.drums909 import KIT_909
from synths.instruments.keys import KEYS
from synths.instruments.leads import LEADS
from synths.instruments.pads import PADS
from synths.instruments.vocal import VOCALS
from synths.instruments.sampler import SampleBank, SampleKit, sampler_class, scan_sample_folder
from synths.instruments.transitions import SWEEPS
from synths.instruments.take import TAKE_PREFIX, take_class
from synths.live_input import INPUT_PREFIX, input_class
from synths.voice import Voice

__all__ = [
    "INSTRUMENTS",
    "DRUM_NAMES",
    "DRUM_BANKS",
    "CHOKE_GROUPS",
    "resolve",
    "split_name",
    "bank_name",
    "load_sample_folder",
    "unload_sample_kit",
    "sample_kits",
]

DRUM_BANKS: Mapping[str, Mapping[str, type[Voice]]] = MappingProxyType({"808": KIT_808, "909": KIT_909})
"""Drum kits by canonical bank name."""

DRUM_NAMES: frozenset[str] = frozenset(KIT_808)
"""The drum `s` names every bank answers: bd sd cp rim hh oh lt mt ht cb cr rd sh kick808 bd808long."""

CHOKE_GROUPS: Mapping[str, str] = MappingProxyType(
    {cls.NAME: "hat" for kit in (KIT_808, KIT_909) for key, cls in kit.items() if key in ("hh", "oh")}
)
"""Voice NAME -> choke group: a closed hat (`hh`) cuts a sounding open hat (`oh`) on its track."""

_BANK_ALIASES: Mapping[str, str] = {
    "808": "808",
    "tr808": "808",
    "tr-808": "808",
    "roland808": "808",
    "rolandtr808": "808",
    "909": "909",
    "tr909": "909",
    "tr-909": "909",
    "roland909": "909",
    "rolandtr909": "909",
}

_SYNTHS: dict[str, type[Voice]] = {**LEADS, **BASSES, **PADS, **KEYS, **SWEEPS, **VOCALS}
_BY_NAME: dict[str, type[Voice]] = {cls.NAME: cls for kit in (KIT_808, KIT_909) for cls in kit.values()}
_SAMPLES: dict[str, type[Voice]] = {}
_ALL: dict[str, type[Voice]] = {}


def _rebuild() -> None:
    """Refresh the combined name table behind `INSTRUMENTS`."""
    _ALL.clear()
    _ALL.update(_BY_NAME)
    _ALL.update(KIT_808)
    _ALL.update(_SYNTHS)
    _ALL.update(_SAMPLES)


_rebuild()

INSTRUMENTS: Mapping[str, type[Voice]] = MappingProxyType(_ALL)
"""Every resolvable name (default-bank drums, `tr909_bd`-style names, synths, sample kits)."""


def split_name(s: str) -> tuple[str, int | None]:
    """Split Strudel's `"name:index"` into the name and the index (None without one).

    >>> split_name("bd"), split_name("bd:2")
    (('bd', None), ('bd', 2))
    """
    name, sep, index = s.partition(":")
    if sep and index.strip().isdigit():
        return name.strip(), int(index)
    return s.strip(), None


def bank_name(bank: str | None) -> str | None:
    """The canonical drum bank for `bank` ("808"/"909"), or None when it names no drum bank.

    >>> bank_name("RolandTR909"), bank_name(None), bank_name("mykit")
    ('909', '808', None)
    """
    if bank is None or bank == "":
        return "808"
    return _BANK_ALIASES.get(bank.strip().lower().replace("_", "").replace(" ", ""))


def resolve(s: str, bank: str | None = None) -> type[Voice]:
    """The `Voice` class for instrument `s` in drum `bank` (default 808).

    A loaded sample kit of the same name wins when no bank is given (your `bd` folder plays for
    `s("bd")`; `s("bd").bank("909")` is still the synthesized 909 kick). A bank that is no drum bank
    may name a sample kit `"<bank>_<s>"` (Strudel's convention).

    >>> resolve("oh", "tr808").NAME
    'tr808_oh'
    >>> resolve("bd", "707")                                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    synths.errors.UnknownInstrumentError: unknown bank '707' for 'bd'; banks: 808, 909 ...
    """
    if not isinstance(s, str) or not s.strip():
        raise UnknownInstrumentError(f"resolve: s must be a non-empty instrument name, not {s!r}")
    if s.startswith(TAKE_PREFIX):  # a take names its file, case kept (docs/takes.md)
        return take_class(s[len(TAKE_PREFIX):])
    if s.startswith(INPUT_PREFIX):  # live input channels (docs/takes.md)
        return input_class(s[len(INPUT_PREFIX):])
    name = split_name(s)[0].lower()
    canonical = bank_name(bank)
    if bank and canonical is None:
        kit = f"{bank.strip().lower()}_{name}"
        if kit in _SAMPLES:
            return _SAMPLES[kit]
        if name in DRUM_NAMES:
            raise UnknownInstrumentError(
                f"unknown bank {bank!r} for {name!r}; banks: 808, 909 (or a sample kit {kit!r})"
            )
    if name in _SAMPLES and not bank:
        return _SAMPLES[name]
    if name in DRUM_NAMES:
        return DRUM_BANKS[canonical or "808"][name]
    found = _ALL.get(name)
    if found is not None:
        return found
    typed = sorted(n for n in _ALL if not n.startswith(("tr808_", "tr909_")))
    close = difflib.get_close_matches(name, typed, n=4, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else f"; known: {' '.join(typed)}"
    raise UnknownInstrumentError(f"unknown instrument {name!r}{hint}")


def load_sample_folder(path: str | Path) -> SampleBank:
    """Register every kit under `path` (subfolders = kits, sorted files = `n`) and return them.

    Audio is loaded later, once per engine, by the first voice of each kit. A kit whose name is
    a built-in instrument shadows it (the user's samples win; drums only when no bank is given).

    Usage (not run as a doctest: it needs a running engine or device)::

        bank = load_sample_folder("~/samples")
        resolve("mykit").NAME
        # -> 'mykit'

    Loading a folder again keeps the instrument of every kit whose files are unchanged (the
    engine's voice pools for it stay: a resumed or repeated `load_samples` costs nothing).
    """
    bank = scan_sample_folder(path)
    for name, kit in bank.kits.items():
        known = _SAMPLES.get(name)
        if known is None or _kit_signature(getattr(known, "KIT", None)) != _kit_signature(kit):
            _SAMPLES[name] = sampler_class(kit)
    _rebuild()
    return bank


def _kit_signature(kit: SampleKit | None) -> tuple[object, ...]:
    """A kit's name and files with their sizes and modification times (None: no kit)."""
    if kit is None:
        return ()
    stats = []
    for file in kit.files:
        try:
            info = file.stat()
            stats.append((str(file), info.st_size, info.st_mtime_ns))
        except OSError:
            stats.append((str(file), -1, -1))
    return (kit.name, tuple(stats))


def unload_sample_kit(name: str) -> bool:
    """Forget the sample kit `name` (the built-in instrument of that name is back); False if unknown.

    >>> unload_sample_kit("no-such-kit")
    False
    """
    found = _SAMPLES.pop(name.lower(), None) is not None
    if found:
        _rebuild()
    return found


def sample_kits() -> list[str]:
    """The names of the loaded sample kits, sorted.

    >>> isinstance(sample_kits(), list)
    True
    """
    return sorted(_SAMPLES)
