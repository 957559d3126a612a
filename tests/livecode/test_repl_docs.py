"""Every `python` block of the tutorial and the REPL page evaluates in one real session."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from livecode.session import Session

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(page: str) -> list[str]:
    return BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", ["tutorial.md"])
def test_every_line_of_the_page_evaluates(page: str, tmp_path: Path) -> None:
    blocks = _blocks(page)
    assert len(blocks) >= 10
    session = Session.create(audio="none")
    cwd = os.getcwd()
    os.chdir(tmp_path)                                 # save("mysketch.py") writes here
    try:
        for block in blocks:
            for line in block.strip().splitlines():
                result = session.evaluate(line)
                assert result.ok, f"{page}: {line!r} -> {result.error}"
        assert (tmp_path / "mysketch.py").exists()
    finally:
        os.chdir(cwd)
        session.close()


def test_show_examples_in_the_repl_page_match() -> None:
    text = (DOCS / "repl.md").read_text(encoding="utf-8")
    from livecode.show import grid
    from patterns.controls import note, s

    assert str(grid(s("bd*4, ~ sd, hh*8"), width=100)) in text
    assert str(grid(note("c4 ~ [e4 g4] ~").legato(2), cycles=1, width=100)) in text
