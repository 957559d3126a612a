"""Session API: evaluate, status, hush/panic, journal + resume, save/load, close."""

from __future__ import annotations

from pathlib import Path

import pytest

from livecode.clock import ManualClock
from livecode.errors import SessionError, SetFileError
from livecode.journal import Journal, latest_journal, read_entries
from livecode.outputs import ListSink
from livecode.session import Session

__all__: list[str] = []

SR = 48000

SET_LINES = [
    "bpm(132)",
    'chords = chord("<Am F C G>").voicing()',
    'd1 >> s("bd*4, ~ cp").bank("808")',
    'd2 >> note("<a1 f1>").s("bass808").legato(0.9)',
    'd3 >> chords.s("supersaw")',
    'd3.fx("lpf", cutoff=sine.range(800, 3000).slow(4)).fx("reverb", mix=0.3)',
    "d2.duck(d1, amount=0.6)",
    'track("lead") >> note("e5 g5").s("pluck")',
    "d3.gain(-4)",
    "d1.pan(0.4)",
    "d2.mute()",
]


def make_session(journal: Path | None = None) -> tuple[Session, ListSink]:
    session = Session(clock=ManualClock(SR), journal=Journal.open(journal) if journal else None)
    sink = ListSink()
    session.scheduler.sink = sink
    return session, sink


def play(session: Session, seconds: float) -> None:
    clock = session.clock
    assert isinstance(clock, ManualClock)
    for _ in range(round(seconds / 0.01)):
        session.scheduler.tick()
        clock.advance(0.01)


def events(sink: ListSink) -> list[tuple[int, str, tuple[tuple[str, object], ...]]]:
    return sorted((e.time, e.track, tuple(sorted(e.params.items(), key=str))) for e in sink.notes)  # type: ignore[attr-defined]


def test_evaluate_values_errors_and_warnings() -> None:
    session, _ = make_session()
    assert session.evaluate("1 + 2").value_repr == "3"
    assert session.evaluate("x = 5").value_repr is None
    assert session.evaluate("x * 2").value_repr == "10"
    result = session.evaluate("y = 1\nz = undefined_name\nw = 3")
    assert not result.ok and result.error == "line 2: NameError: name 'undefined_name' is not defined"
    assert session.namespace["y"] == 1 and "w" not in session.namespace
    assert session.evaluate("d1 >> s(").error.startswith("SyntaxError")  # type: ignore[union-attr]
    bad = session.evaluate('d1 >> fast("x y", s("bd"))')
    assert not bad.ok and "\n" not in (bad.error or "")


def test_prelude_has_every_name_performers_use() -> None:
    session, _ = make_session()
    ns = session.namespace
    for name in ["s", "n", "note", "sound", "fast", "slow", "every", "jux", "rev", "stack", "cat", "sine",
                 "saw", "rand", "chord", "scale", "arp", "bpm", "setcps", "hush", "panic", "solo",
                 "unsolo", "save", "show", "track", "d1", "d16"]:
        assert name in ns, name
    assert session.evaluate("setcps(0.5)\ncps()").value_repr == "0.5"


def test_status_reports_position_tracks_and_errors() -> None:
    session, _ = make_session()
    session.evaluate('d1 >> s("bd*4")\nd2 >> s("hh*8")\nd2.mute()\nsolo(d1)')
    play(session, 3.0)
    status = session.status()
    assert status.bar == 2 and status.beat == 2 and status.bpm == 120
    assert [(t.name, t.muted, t.soloed, t.active) for t in status.tracks] == [
        ("d1", False, True, True), ("d2", True, False, False)]     # muted: not sounding


def test_hush_stops_everything_and_the_session_goes_on() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*4")\nd2 >> s("hh*8")')
    play(session, 1.0)
    count = len(sink.notes)
    session.evaluate("hush()")
    play(session, 3.0)
    assert len(sink.notes) <= count + 3            # only what the lookahead had already sent
    session.evaluate('d1 >> s("cp")')
    play(session, 3.0)
    assert any(e.params["s"] == "cp" for e in sink.notes)  # type: ignore[attr-defined]


def test_journal_records_successful_evaluations_only(tmp_path: Path) -> None:
    session, _ = make_session(tmp_path)
    session.evaluate('d1 >> s("bd*4")')
    session.evaluate('d1 >> s("bd [")')
    session.evaluate("a = 1\nb = nope\nc = 3")
    session.close()
    path = latest_journal(tmp_path)
    assert path is not None and path.parent == tmp_path
    assert [e.code for e in read_entries(path)] == ['d1 >> s("bd*4")', "a = 1"]


def test_resume_brings_back_tempo_tracks_instruments_and_effects(tmp_path: Path) -> None:
    first, first_sink = make_session(tmp_path)
    for line in SET_LINES:
        assert first.evaluate(line).ok, line
    play(first, 1.0)                               # swaps happen at cycle 1 etc. while playing
    first.evaluate('d1 >> s("bd*2, ~ cp").bank("808")')
    first.close()                                  # a crash would leave the same journal

    second, sink = make_session(tmp_path / "new")
    report = second.resume(latest_journal(tmp_path))
    assert report.restored == report.total == len(SET_LINES) + 1 and report.skipped == []
    assert second.tempo.bpm == pytest.approx(132)
    d1, d2, d3 = (second.tracks[n] for n in ("d1", "d2", "d3"))
    assert d2.muted and d3.gain_db == -4 and d1.pan_pos == 0.4
    assert [fx.kind for fx in d3.effects] == ["lpf", "reverb"] and d2.duck_source == ("d1", 0.6)
    assert "lead" in second.tracks
    play(second, 2.0)
    d1_events = [(e.time, e.params["s"]) for e in sink.notes if e.track == "d1"]  # type: ignore[attr-defined]
    half = round(SR * 60 / 132 * 2)
    assert sorted(d1_events[:3]) == [(0, "bd"), (half, "bd"), (half, "cp")]


def test_save_then_load_gives_the_same_events(tmp_path: Path) -> None:
    first, first_sink = make_session()
    for line in SET_LINES:
        assert first.evaluate(line).ok, line
    saved = first.save(tmp_path / "myset")
    assert saved.suffix == ".py"
    text = saved.read_text()
    assert "bpm(132.0)" in text and "chords = chord" in text and "d2.mute()" in text
    play(first, 6.0)

    second, second_sink = make_session()
    second.load(saved)
    play(second, 6.0)
    assert events(second_sink) == events(first_sink)
    assert len(events(first_sink)) > 20
    assert first_sink.params == second_sink.params             # the patterned cutoff too


def test_save_from_the_prelude_and_a_missing_set_file(tmp_path: Path) -> None:
    session, _ = make_session()
    session.evaluate('d1 >> s("bd")')
    result = session.evaluate(f"save({str(tmp_path / 'x.py')!r})")
    assert result.ok and (tmp_path / "x.py").exists()
    with pytest.raises(SetFileError, match="nope.py"):
        session.load(tmp_path / "nope.py")


def test_close_is_idempotent_and_start_after_close_fails() -> None:
    session, _ = make_session()
    session.close()
    session.close()
    with pytest.raises(SessionError):
        session.start()
    with pytest.raises(SessionError):
        Session.create(audio="alsa")


def test_none_audio_session_runs_its_scheduler_thread() -> None:
    import time

    with Session.create(audio="none", lookahead=0.05) as session:
        sink = ListSink()
        session.scheduler.sink = sink
        session.evaluate('d1 >> s("hh*16")')
        session.start()
        time.sleep(0.6)
        assert session.scheduler.stats.ticks > 10
        assert sink.notes and session.status().running
    assert not session.running


def test_an_unused_journal_leaves_no_file(tmp_path: Path) -> None:
    session, _ = make_session(tmp_path)
    session.evaluate("1 + 1")                       # an expression: journaled
    session.close()
    idle, _ = make_session(tmp_path / "idle")
    idle.close()
    assert latest_journal(tmp_path) is not None
    assert list((tmp_path / "idle").glob("journal-*.py")) == []


def test_bad_create_options_are_clear_errors() -> None:
    from livecode.errors import ClockError, SchedulerError

    with pytest.raises(ClockError, match="bpm"):
        Session.create(audio="none", bpm=0)
    with pytest.raises(SchedulerError, match="lookahead"):
        Session.create(audio="manual", lookahead=9)
