"""The examples in docs/prelude.md and docs/live.md run, and the generated index is not stale."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import pytest

from livecode.clock import ManualClock
from livecode.outputs import ListSink
from livecode.session import Session

__all__: list[str] = []

DOCS = Path(__file__).parents[2] / "docs"


def table_examples(text: str, heading: str) -> list[str]:
    """The last backticked cell of each row in the table under `heading`."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    found = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[-1].startswith("`") and not set(cells[-1]) <= {"-", " "}:
            found.append(re.sub(r"^`|`$", "", cells[-1]))
    return found


@pytest.fixture()
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    kit = tmp_path / "home" / "kit" / "docskit"
    kit.mkdir(parents=True)
    with wave.open(str(kit / "a.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(48000)
        handle.writeframes(b"\x00\x10" * 480)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    result = Session.create(audio="manual")           # an engine, for record() and the mix
    return result


@pytest.mark.parametrize(("doc", "heading"), [("prelude.md", "## Session functions"),
                                              ("prelude.md", "## Tracks"), ("live.md", "## Tracks")])
def test_doc_table_examples_run(session: Session, doc: str, heading: str) -> None:
    examples = table_examples((DOCS / doc).read_text(), heading)
    assert len(examples) >= 8
    session.evaluate('d2 >> s("bd")\nd3 >> s("hh")')
    for example in examples:
        # a render-style engine has nothing to reconnect: that one runs where MIDI can reopen
        where = Session.create(audio="none") if example == "reconnect_audio()" else session
        result = where.evaluate(example)
        assert result.ok, f"{doc}: {example}: {result.error}"


def test_generated_index_names_exist(session: Session) -> None:
    text = (DOCS / "prelude.md").read_text().split("## Every name", 1)[1]
    names = re.findall(r"^\| `([^`]+)` \|", text, flags=re.M)
    assert len(names) > 300
    missing = [name for name in names if name not in session.namespace]
    assert not missing, f"stale names in docs/prelude.md: {missing} (regenerate: python -m livecode.reference)"
    for own in ("bpm", "hush", "panic", "solo", "unsolo", "save", "show", "track", "d1", "d16", "P"):
        assert own in names
