"""The instrument registry: names, banks, aliases, errors with close matches, parameter tables."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from synths.errors import ParamError, UnknownInstrumentError
from synths.instruments import (
    CHOKE_GROUPS,
    DRUM_BANKS,
    DRUM_NAMES,
    INSTRUMENTS,
    bank_name,
    resolve,
    split_name,
)
from synths.instruments.audition import main, parse_sets
from synths.voice import Voice

STRUDEL_DRUMS = {"bd", "sd", "cp", "rim", "hh", "oh", "lt", "mt", "ht", "cb", "cr", "rd", "sh"}
SYNTHS = {
    "sine", "triangle", "saw", "sawtooth", "square", "lead", "sub", "acid", "reese", "pluckbass",
    "bass808", "supersaw", "pad", "strings", "epiano", "bell", "pluck",
}


def test_every_required_name_resolves_to_a_voice_class() -> None:
    assert STRUDEL_DRUMS | {"kick808", "bd808long"} <= DRUM_NAMES
    for name in STRUDEL_DRUMS | SYNTHS | {"kick808", "bd808long"}:
        cls = resolve(name)
        assert issubclass(cls, Voice) and cls.NAME
        assert name in INSTRUMENTS


def test_banks_and_their_aliases_pick_different_kits() -> None:
    assert resolve("bd").NAME == "tr808_bd"
    for alias in ("909", "tr909", "RolandTR909", "TR-909", "roland909"):
        assert resolve("bd", alias).NAME == "tr909_bd"
    for alias in ("808", "tr808", "RolandTR808"):
        assert resolve("sd", alias).NAME == "tr808_sd"
    assert resolve("sd", "909") is not resolve("sd", "808")
    assert bank_name(None) == "808" and bank_name("nothing") is None


def test_every_bank_has_every_drum_and_unique_voice_names() -> None:
    names = []
    for kit in DRUM_BANKS.values():
        assert set(kit) == set(DRUM_NAMES)
        names.extend(cls.NAME for key, cls in kit.items() if key not in ("kick808", "bd808long"))
    assert len(names) == len(set(names))


def test_synths_ignore_the_drum_bank() -> None:
    assert resolve("supersaw", "909") is resolve("supersaw")


def test_unknown_instrument_names_close_matches() -> None:
    with pytest.raises(UnknownInstrumentError, match="did you mean: .*supersaw"):
        resolve("supersw")
    with pytest.raises(UnknownInstrumentError, match="bass808"):
        resolve("bass88")
    with pytest.raises(UnknownInstrumentError, match="unknown instrument 'zzzzqq'; known: ") as info:
        resolve("zzzzqq")
    known = str(info.value).split("known: ")[1].split()
    assert {"bd", "supersaw", "bass808"} <= set(known)
    assert not [n for n in known if n.startswith(("tr808_", "tr909_"))]  # internal class names


def test_unknown_bank_is_named_in_the_error() -> None:
    with pytest.raises(UnknownInstrumentError, match="unknown bank '707' for 'bd'"):
        resolve("bd", "707")


def test_name_index_suffix_is_split_off() -> None:
    assert split_name("bd:3") == ("bd", 3)
    assert split_name("bd") == ("bd", None)
    assert resolve("bd:3") is resolve("bd")


def test_open_hats_are_choked_by_closed_hats_of_every_bank() -> None:
    for kit in DRUM_BANKS.values():
        assert CHOKE_GROUPS[kit["hh"].NAME] == CHOKE_GROUPS[kit["oh"].NAME]
    assert resolve("bd").NAME not in CHOKE_GROUPS


@pytest.mark.parametrize("name", sorted(SYNTHS | STRUDEL_DRUMS))
def test_every_table_has_the_common_controls_and_sane_defaults(name: str) -> None:
    table = resolve(name).PARAMS
    for control in ("note", "freq", "velocity", "gain", "pan", "legato", "attack", "decay", "sustain",
                    "release", "cutoff", "resonance", "detune"):
        assert control in table, f"{name} lacks {control}"
    for spec in table.values():
        assert spec.lo <= spec.default <= spec.hi, f"{name}.{spec.name}"
        assert spec.doc, f"{name}.{spec.name} has no doc"


def test_bad_values_name_the_control() -> None:
    with pytest.raises(ParamError, match=r"acid: cutoff=50000 is out of range"):
        resolve("acid").PARAMS.validate({"cutoff": 50000})
    with pytest.raises(ParamError, match=r"tr909_bd: decay must be a number"):
        resolve("bd", "909").PARAMS.validate({"decay": "long"})
    with pytest.raises(ParamError, match=r"supersaw: spread=2 is out of range"):
        resolve("supersaw").PARAMS.validate({"spread": 2})


def test_audition_writes_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    main(["hh", "--bank", "909", "--notes", "0 3", "--n", "--step", "0.1", "-o", str(out)])
    with wave.open(str(out)) as wav:
        assert wav.getframerate() == 48000 and wav.getnframes() > 48000
    with pytest.raises(ParamError, match="--set expects name=number"):
        parse_sets(["cutoff"])
