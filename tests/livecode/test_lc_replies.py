"""What the prompt answers (issue 7, smaller defects): tempo as typed, swaps counted as the status
bar counts, close names for a mistyped method."""

from __future__ import annotations

from livecode.clock import ManualClock
from livecode.outputs import ListSink
from livecode.session import Session


def _session() -> Session:
    session = Session(clock=ManualClock(48000))
    session.scheduler.sink = ListSink()
    return session


def test_bpm_reads_back_as_typed() -> None:
    session = _session()
    for typed in (124, 133, 97.5, 174):
        result = session.evaluate(f"bpm({typed})")
        assert result.ok and result.value_repr == repr(float(typed))


def test_the_swap_reply_counts_bars_like_the_status_bar() -> None:
    session = _session()
    assert session.evaluate('d2 >> s("bd")').ok
    session.scheduler.clock.advance(4.5)                                   # 2.25 cycles at 120 BPM
    session.scheduler.tick()
    assert session.status().bar == 3
    assert session.evaluate('d2 >> s("sd")').value_repr == "<track d2: playing, swaps at bar 4>"


def test_a_mistyped_method_says_what_is_close() -> None:
    session = _session()
    on_pattern = session.evaluate('d1 >> s("bd").fastt(2)')
    on_track = session.evaluate("d1.mutte()")
    assert not on_pattern.ok and "did you mean: fast" in (on_pattern.error or "")
    assert not on_track.ok and "did you mean: mute" in (on_track.error or "")
