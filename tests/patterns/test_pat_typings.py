"""typings/ holds stubs mypy reads before its own (pyproject.toml's `mypy_path`); each is a copy of
typeshed's with a few lines marked `# livecode`, and must stay a copy of the installed mypy's."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

__all__: list[str] = []

TYPINGS = Path(__file__).resolve().parents[2] / "typings"


def _without_ours(text: str) -> list[str]:
    """The stub's lines without its leading comment block and the lines marked `# livecode`."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return [line for line in lines if "# livecode" not in line]


def test_fractions_stub_is_typeshed_plus_the_slots() -> None:
    mypy = pytest.importorskip("mypy")
    typeshed = Path(mypy.__file__).parent / "typeshed" / "stdlib" / "fractions.pyi"
    ours = (TYPINGS / "fractions.pyi").read_text()
    assert _without_ours(ours) == typeshed.read_text().splitlines(), (
        "typings/fractions.pyi no longer matches the installed mypy's typeshed: copy its"
        " stdlib/fractions.pyi again and keep the lines marked `# livecode`")


def test_the_slots_the_stub_adds_are_where_fraction_keeps_its_value() -> None:
    value = Fraction(-6, 4)
    assert (value._numerator, value._denominator) == (value.numerator, value.denominator) == (-3, 2)
