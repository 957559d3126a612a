"""The type check, as a test: mypy (held to 2.4.x in pyproject's test extras) finds no error in
livecode, patterns and synths; and tests/typings/, the stubs mypy reads before its own
(pyproject's `mypy_path`), stays what it claims to be: a copy of the installed mypy's typeshed
stub with a few lines marked `# livecode`."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mypy

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
TYPINGS = ROOT / "tests" / "typings"


def test_mypy_finds_no_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "livecode", "patterns", "synths"],
        cwd=ROOT, capture_output=True, text=True, timeout=200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")


def _without_ours(text: str) -> list[str]:
    """The stub's lines without its leading comment block and the lines marked `# livecode`."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return [line for line in lines if "# livecode" not in line]


def test_fractions_stub_is_typeshed_plus_the_slots() -> None:
    typeshed = Path(mypy.__file__).parent / "typeshed" / "stdlib" / "fractions.pyi"
    ours = (TYPINGS / "fractions.pyi").read_text()
    assert _without_ours(ours) == typeshed.read_text().splitlines(), (
        "tests/typings/fractions.pyi no longer matches the installed mypy's typeshed: copy its"
        " stdlib/fractions.pyi again and keep the lines marked `# livecode`")


def test_the_slots_the_stub_adds_are_where_fraction_keeps_its_value() -> None:
    value = Fraction(-6, 4)
    assert (value._numerator, value._denominator) == (value.numerator, value.denominator) == (-3, 2)
