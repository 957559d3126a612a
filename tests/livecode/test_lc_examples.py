"""Every example set loads (instruments and effects valid), and a set plays headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from livecode.options import SessionOptions
from livecode.play import play_set
from livecode.session import Session

__all__: list[str] = []

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.py"))


def test_there_are_a_kpop_sketch_and_short_sets() -> None:
    names = {path.stem for path in EXAMPLES}
    assert "kpop" in names and len(names) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_loads_and_plays_a_cycle(path: Path) -> None:
    with Session.create(audio="manual") as session:
        session.load(path)
        assert session.status().tracks
        session.run_blocks(200)
        assert session.messages() == []
        assert session.scheduler.stats.events > 0


def test_play_set_headless_for_one_bar(tmp_path: Path) -> None:
    (tmp_path / "fast.py").write_text('bpm(480)\nd1 >> s("hh*8")\n')
    messages: list[str] = []
    report = play_set(tmp_path / "fast.py", bars=1, options=SessionOptions(audio="none"), on_message=messages.append)
    assert report.cycles >= 1 and not report.interrupted and report.late_events == 0
    assert messages == [f"playing {tmp_path / 'fast.py'} at 480 BPM for 1 bar with no audio (patterns and MIDI only); "
                        "Ctrl-C stops"]                  # what starts, and nothing else went wrong
