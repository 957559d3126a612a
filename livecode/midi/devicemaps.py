"""Per-device CC maps: controller names to CC numbers, shipped as data and added by the user.

A map is a JSON file `{"name": "...", "cc": {"cutoff": 43, "resonance": 44}}`. livecode ships
a few (`gm`, `minilogue`, `volca-keys`, in `livecode/midi/maps/`); a user adds their own as
`~/.config/livecode/midi/NAME.json` (or in the folder `LIVECODE_MIDI_MAPS` names), which wins
over a shipped map of the same name. A pattern names the device with `.midi(..., device="NAME")`
and a CC by name with `ccname("cutoff")`; without a device the `gm` map is used.

>>> maps = DeviceMaps(user_dir=None)
>>> maps.cc_number("minilogue", "cutoff"), maps.cc_number(None, "modwheel")
(43, 1)
>>> maps.cc_number("minilogue", "wobble")
Traceback (most recent call last):
...
livecode.midi.errors.MidiValueError: ccname: 'wobble' is not in the minilogue map (amp_attack, amp_decay, amp_release, amp_sustain, ... 22 more)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from livecode.midi.errors import MidiValueError

__all__ = ["DeviceMaps", "SHIPPED_DIR", "DEFAULT_DEVICE", "user_maps_dir"]

SHIPPED_DIR = Path(__file__).with_name("maps")
"""Where the shipped maps are."""
DEFAULT_DEVICE = "gm"


def user_maps_dir() -> Path:
    """`LIVECODE_MIDI_MAPS`, else `~/.config/livecode/midi`."""
    env = os.environ.get("LIVECODE_MIDI_MAPS")
    return Path(env).expanduser() if env else Path.home() / ".config" / "livecode" / "midi"


def _load(path: Path) -> dict[str, int]:
    """One map file's CC table, validated (the error names the file and the field)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise MidiValueError(f"MIDI map {path}: cannot read it: {' '.join(str(err).split())}") from None
    table = data.get("cc") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise MidiValueError(f'MIDI map {path}: needs a "cc" object of name: number')
    checked: dict[str, int] = {}
    for name, number in table.items():
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= 127:
            raise MidiValueError(f"MIDI map {path}: cc {name!r} = {number!r} is not a number 0..127")
        checked[str(name).lower()] = number
    return checked


class DeviceMaps:
    """The shipped maps and the user's (read on first use of each name)."""

    def __init__(self, user_dir: Path | None = None, shipped_dir: Path = SHIPPED_DIR) -> None:
        self.user_dir = user_dir
        self.shipped_dir = shipped_dir
        self._cache: dict[str, dict[str, int]] = {}

    def names(self) -> list[str]:
        """Every device map name available.

        >>> DeviceMaps(user_dir=None).names()
        ['gm', 'minilogue', 'volca-keys']
        """
        dirs = [d for d in (self.shipped_dir, self.user_dir) if d is not None and d.is_dir()]
        return sorted({path.stem for folder in dirs for path in folder.glob("*.json")})

    def table(self, device: str | None) -> dict[str, int]:
        """The name -> CC number table of `device` (None: `gm`)."""
        name = device or DEFAULT_DEVICE
        if name not in self._cache:
            for folder in (self.user_dir, self.shipped_dir):
                if folder is not None and (folder / f"{name}.json").is_file():
                    self._cache[name] = _load(folder / f"{name}.json")
                    break
            else:
                raise MidiValueError(f"device: no MIDI map called {name!r} (maps: {', '.join(self.names())}; "
                                     f"add your own as {user_maps_dir() / (name + '.json')})")
        return self._cache[name]

    def cc_number(self, device: str | None, name: str) -> int:
        """The CC number of controller `name` on `device`, or an error listing the names there."""
        table = self.table(device)
        number = table.get(name.lower())
        if number is None:
            known = sorted(table)
            more = f", ... {len(known) - 4} more" if len(known) > 4 else ""
            raise MidiValueError(f"ccname: {name!r} is not in the {device or DEFAULT_DEVICE} map "
                                 f"({', '.join(known[:4])}{more})")
        return number
