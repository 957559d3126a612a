"""The control table and the generated control functions."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import patterns
from patterns import mini, note, n, s, sequence
from patterns.control_table import ALIASES, CONTROLS
from patterns.controls import (
    CONTROL_FUNCTIONS,
    control,
    control_spec,
    validate_control,
    validate_controls,
)
from patterns.errors import ControlError, LivecodeError, PatternError
from patterns.pattern import Pattern, pure
from patterns.signals import saw


def _values(pat: Pattern, cycles: int = 1) -> list[Any]:
    return [e.value for e in pat.query_arc(0, cycles)]


REQUIRED = (
    "s sound n note velocity gain pan legato cutoff lpf ctf resonance lpq hpf hcutoff hpq bandf "
    "attack decay sustain release room size roomsize delay delaytime delayfeedback speed begin end "
    "loop cut channel cc ccn ccv bank orbit shape crush coarse vowel detune unison accent slide "
    "clip duck chord"
).split()


def test_every_required_control_exists_as_function_and_method() -> None:
    for name in REQUIRED:
        assert name in CONTROL_FUNCTIONS, name
        assert getattr(patterns, name) is CONTROL_FUNCTIONS[name]
        assert callable(getattr(pure({"s": "x"}), name))


def test_every_example_in_the_table_runs() -> None:
    namespace: dict[str, Any] = dict(CONTROL_FUNCTIONS)
    namespace.update(s=patterns.s, note=patterns.note)
    for spec in CONTROLS.values():
        pat = eval(spec.example, namespace)  # noqa: S307 - the table's own examples
        values = _values(pat)
        assert values, spec.name
        assert all(isinstance(v, dict) for v in values), spec.name


def test_aliases_resolve_to_canonical_names() -> None:
    for alias, name in ALIASES.items():
        assert control_spec(alias).name == name
    assert _values(patterns.lpf(400)) == [{"cutoff": 400}]
    assert _values(patterns.sound("bd")) == [{"s": "bd"}]
    assert _values(patterns.clip(0.5)) == [{"legato": 0.5}]


def test_wrapping_and_colon_spreading() -> None:
    assert _values(s("bd:3 sd")) == [{"s": "bd", "n": 3}, {"s": "sd"}]
    assert _values(s("bd:3:0.5")) == [{"s": "bd", "n": 3, "gain": 0.5}]
    assert _values(patterns.cc("74:100")) == [{"ccn": 74, "ccv": 100}]
    assert _values(patterns.lpf("800:0.5")) == [{"cutoff": 800, "resonance": 0.5}]
    assert _values(mini("0 2").n()) == [{"n": 0}, {"n": 2}]


def test_set_takes_structure_from_the_left() -> None:
    pat = s("bd*2").gain("0.5 0.25 1")
    got = [(str(e.whole), str(e.part), e.value["gain"]) for e in pat.first_cycle()]
    assert got == [
        ("0 → 1/2", "0 → 1/3", 0.5),
        ("0 → 1/2", "1/3 → 1/2", 0.25),
        ("1/2 → 1", "1/2 → 2/3", 0.25),
        ("1/2 → 1", "2/3 → 1", 1),
    ]


def test_set_from_a_signal_is_sampled_per_event() -> None:
    pat = s("a*4").pan(saw)
    assert [e.value["pan"] for e in pat.first_cycle()] == [0, 0.25, 0.5, 0.75]


def test_later_controls_override_earlier_ones() -> None:
    assert _values(s("bd").gain(0.5).gain(0.8)) == [{"s": "bd", "gain": 0.8}]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: patterns.gain(9), "gain: 9 is out of range 0 .. 4"),
        (lambda: patterns.pan(-0.1), "pan: -0.1 is out of range 0 .. 1"),
        (lambda: patterns.pan("left"), "pan: expected a number"),
        (lambda: s(True), "s: expected a name"),
        (lambda: note("h4"), "note: expected a MIDI number or a note name"),
        (lambda: patterns.channel(17), "channel: 17 is out of range 1 .. 16"),
        (lambda: patterns.channel(1.5), "channel: expected a whole number"),
        (lambda: patterns.vowel("y"), "vowel: expected one of a, e, i, o, u, aah, eh, ee, oh, ooh"),
        (lambda: patterns.cc(74), "cc: expected 'ccn:ccv' values"),
        (lambda: n("1:2"), "n: expected a single value"),
        (lambda: s("a:1:2:3"), "s: expected at most 3 values"),
        (lambda: s("bd").lpf(10), "cutoff: 10 is out of range 20 .. 20000"),
        (lambda: patterns.gain(math.inf), "gain: expected a finite number"),
        (lambda: control("wobble", 1), "unknown control 'wobble'"),
        (lambda: control("lpff", 1), "did you mean lpf"),
        (lambda: patterns.chord("Cxyz"), "chord: chord: unknown quality"),
        (lambda: s("bd").n(), "n: the values are already control maps"),
        (lambda: sequence(1, 2).s("x"), "cannot set a control on the plain value 1"),
        (lambda: s("bd").s("a", "b"), "s: expected one value"),
    ],
)
def test_bad_values_raise_clear_control_errors(build: Any, message: str) -> None:
    with pytest.raises(ControlError) as info:
        build()
    assert message in str(info.value)
    assert isinstance(info.value, PatternError) and isinstance(info.value, LivecodeError)


def test_patterned_values_are_checked_when_events_are_produced() -> None:
    pat = s("bd").gain("<0.5 7>")  # cycle 0 is fine, so building succeeds
    assert _values(pat) == [{"s": "bd", "gain": 0.5}]
    with pytest.raises(ControlError, match="gain: 7 is out of range"):
        pat.query_arc(1, 2)


def test_names_accept_numbers_from_mini_notation() -> None:
    assert _values(s("bd").bank("808")) == [{"s": "bd", "bank": "808"}]


def test_flags_accept_booleans_numbers_and_words() -> None:
    assert _values(patterns.accent("t f 1 0.5")) == [
        {"accent": True}, {"accent": False}, {"accent": 1}, {"accent": 0.5}
    ]
    with pytest.raises(ControlError, match="accent"):
        patterns.accent(2)


def test_validate_controls_checks_whole_maps() -> None:
    assert validate_controls({"sound": "bd", "lpf": 500, "pan": Fraction(1, 2)}) == {
        "s": "bd", "cutoff": 500, "pan": Fraction(1, 2)
    }
    with pytest.raises(ControlError, match="unknown control 'foo'"):
        validate_controls({"foo": 1})
    with pytest.raises(ControlError):
        validate_controls([("s", "bd")])  # type: ignore[arg-type]
    assert validate_control("ctf", 300) == {"cutoff": 300}


def test_functions_and_methods_agree() -> None:
    by_function = _values(patterns.gain("0.5 1", s("a")))
    assert by_function == _values(s("a").gain("0.5 1"))
    curried = patterns.n()
    assert _values(curried(sequence(1, 2))) == [{"n": 1}, {"n": 2}]


def test_docs_list_every_control_and_alias() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "controls.md").read_text()
    for spec in CONTROLS.values():
        assert f"| `{spec.name}` |" in docs, spec.name
        for alias in spec.aliases:
            assert f"`{alias}`" in docs, alias


NUMERIC = [
    spec for spec in CONTROLS.values()
    if spec.kind == "number" and spec.low is not None and (not spec.spread or spec.name in spec.spread)
]


@given(st.sampled_from(NUMERIC), st.floats(min_value=-1e5, max_value=1e5, allow_nan=False))
def test_numbers_pass_exactly_when_in_range(spec: Any, value: float) -> None:
    inside = spec.low <= value <= (spec.high if spec.high is not None else math.inf)
    if inside:
        assert validate_control(spec.name, value) == {spec.name: value}
    else:
        with pytest.raises(ControlError, match=f"^{spec.name}: "):
            validate_control(spec.name, value)
