"""A learned binding is journaled as the line that makes it, so `--resume` brings it back silently
(and does not wait to learn again)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livecode.control.bindings import Source
from livecode.journal import latest_journal, read_entries
from livecode.replay import is_action
from livecode.session import Session

__all__: list[str] = []


def test_a_learned_binding_comes_back_on_resume(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    old = Session.create(audio="none", bpm=120, journal=tmp_path / "old")
    assert old.evaluate('learn("cut", range=(0.1234567891, 3200), curve="exp", pickup=False)').ok
    old.controls.feed_midi("kb", 0.0, (0xB2, 21, 127))                 # cc 21, channel 3, on "kb"
    assert old.controls.values.value("cut") == 3200.0
    assert old.evaluate('learn("bpm", range=(100, 140))').ok
    old.controls.feed_osc("/tempo", [0.5], 0.0)
    assert old.evaluate('d1 >> s("bd")').ok
    old.close()
    journal = latest_journal(tmp_path / "old")
    assert journal is not None
    written = [entry.code for entry in read_entries(journal)]
    assert '# learn: cc 21 ch3 on kb -> cut\nmap_cc(21, "cut", range=(0.1234567891, 3200), curve="exp", ' \
           'channel=3, input="kb", pickup=False)' in written
    capfd.readouterr()

    new = Session.create(audio="none", bpm=120, journal=tmp_path / "new")
    try:
        report = new.resume(journal)
        assert report.restored == report.total == len(written) and not report.skipped
        assert capfd.readouterr().out == "" and new.messages() == []    # silently
        found = {binding.target.name: binding for binding in new.controls.bindings.all()}
        assert sorted(found) == ["bpm", "cut"]
        cut = found["cut"]
        assert cut.source == Source("cc", control=21, channel=3, input="kb")
        assert (cut.scale.lo, cut.scale.hi, cut.scale.curve, cut.pickup) == (0.1234567891, 3200, "exp", False)
        assert found["bpm"].source == Source("osc", address="/tempo") and found["bpm"].pickup
        assert not new.controls.bindings.learning                       # learn(...) not armed again
        new.controls.feed_midi("kb", 0.0, (0xB2, 21, 0))                 # the restored binding drives
        assert new.controls.values.value("cut") == pytest.approx(0.1234567891)
        new.controls.feed_midi("kb", 0.0, (0xB2, 22, 64))                # another knob binds nothing
        assert new.controls.values.value("cut") == pytest.approx(0.1234567891)
        assert new.evaluate('d1 >> s("sd")').ok
    finally:
        new.close()
    copied = [entry.code for entry in read_entries(latest_journal(tmp_path / "new"))]  # type: ignore[arg-type]
    assert any(code.startswith("map_cc(21,") for code in copied)     # carried on by the new journal


def test_learn_is_an_action_and_map_cc_is_state() -> None:
    session = Session.create(audio="none")
    try:
        assert is_action(session.namespace["learn"])
        assert not is_action(session.namespace["map_cc"]) and not is_action(session.namespace["map_osc"])
    finally:
        session.close()
