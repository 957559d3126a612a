"""Every instrument parameter is reachable as a pattern control, and no control range lets a
pattern send a value the instrument's table rejects (synths clamp on purpose where noted in
their tables: drum `decay`, lead `glide`, epiano `index`, supersaw `detune`, `bandq` 0)."""

from __future__ import annotations

import pytest

from patterns.control_table import CONTROLS
from patterns.controls import control_spec
from synths.events import TRACK_SENDS
from synths.instruments import INSTRUMENTS
from synths.instruments._notefx import NOTE_FX_ROWS, vowel_index
from synths.instruments.sampler import SamplerVoice
from synths.params import ParamSpec
from synths.voice import Voice

VOICES: list[type[Voice]] = [*INSTRUMENTS.values(), SamplerVoice]
SUPPLIED_BY_LIVECODE = {"cps"}  # the tempo, added to unit "c" notes by livecode.targets.cycle_units
ROWS = sorted(
    {
        (cls.NAME, name): spec
        for cls in VOICES
        for name, spec in cls.PARAMS.items()
        if name not in SUPPLIED_BY_LIVECODE
    }.items()
)
CHOICE_CODES = {"vowel": vowel_index, "unit": lambda value: {"r": 0, "c": 1}[value]}


def _pattern_range(name: str) -> tuple[float, float]:
    spec = CONTROLS[name]
    if spec.kind == "flag":
        return 0.0, 1.0
    assert spec.low is not None and spec.high is not None, f"{name}: the control is unbounded"
    return spec.low, spec.high


@pytest.mark.parametrize(("key", "param"), ROWS, ids=[f"{k[0]}.{k[1]}" for k, _ in ROWS])
def test_every_instrument_param_has_a_compatible_control(key: tuple[str, str], param: ParamSpec) -> None:
    instrument, name = key
    spec = control_spec(name)
    assert spec.name == name, f"{instrument}.{name}: the control {name!r} sets {spec.name!r}"
    if spec.kind == "str":  # text (the `lyric` syllable) passes to the voice as is; the row holds its place
        assert param.lo == param.hi == param.default == 0.0, f"{instrument}.{name}: a text row takes no numbers"
        return
    if spec.kind == "choice":  # letters pass to the voice; each has a numeric code in range
        codes = [CHOICE_CODES[name](choice) for choice in spec.choices]
        assert all(param.lo <= code <= param.hi for code in codes), name
        if name == "vowel":
            assert 0 not in codes, "every vowel letter must switch the formant filter on"
        return
    low, high = _pattern_range(name)
    assert param.lo <= low and high <= param.hi, (
        f"{instrument}.{name}: control range {low} .. {high} exceeds the synth's {param.lo} .. {param.hi}"
    )


def test_every_instrument_takes_the_per_note_effects() -> None:
    for cls in VOICES:
        for row in NOTE_FX_ROWS:
            assert row.name in cls.PARAMS, f"{cls.NAME} lacks {row.name}"


def test_track_send_controls_fit_the_engine_range() -> None:
    for name in TRACK_SENDS:
        low, high = _pattern_range(name)
        assert 0.0 <= low and high <= 4.0, name


def test_the_glide_control_reaches_both_meanings() -> None:
    assert INSTRUMENTS["bass808"].PARAMS["glide"].unit == "semitones"
    assert INSTRUMENTS["lead"].PARAMS["glide"].unit == "s"
    assert CONTROLS["glide"].low == -24.0 and CONTROLS["glide"].high == 24.0
