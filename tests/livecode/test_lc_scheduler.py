"""The scheduler with a manual clock: frames, contiguous windows, hot swap, errors, runaways."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from livecode.clock import ManualClock
from livecode.outputs import ListSink
from livecode.scheduler import QUERY_BUDGET
from livecode.session import Session
from patterns import Event, Pattern, TimeSpan, s

__all__: list[str] = []

SR = 48000
CYCLE = 2.0 * SR  # frames per cycle at 120 bpm, 4 beats per cycle


def make_session(bpm: float = 120.0, lookahead: float = 0.1) -> tuple[Session, ListSink]:
    session = Session(clock=ManualClock(SR), bpm=bpm, lookahead=lookahead)
    sink = ListSink()
    session.scheduler.sink = sink
    session.outputs.report = sink.report  # type: ignore[method-assign]
    return session, sink


def run(session: Session, seconds: float, step: float = 0.01) -> None:
    clock = session.clock
    assert isinstance(clock, ManualClock)
    for _ in range(round(seconds / step)):
        session.scheduler.tick()
        clock.advance(step)


def onsets(sink: ListSink, track: str = "d1") -> list[tuple[int, str]]:
    return [(e.time, e.params.get("s")) for e in sink.notes if e.track == track]  # type: ignore[attr-defined]


def test_events_land_on_their_frames_and_windows_are_contiguous() -> None:
    session, sink = make_session()
    assert session.evaluate('d1 >> s("bd*4 , ~ hh")').ok
    run(session, 4.0)  # 2 cycles, about 400 ticks
    bd = [t for t, s in onsets(sink) if s == "bd"]
    hh = [t for t, s in onsets(sink) if s == "hh"]
    assert bd[:8] == [round(k * CYCLE / 4) for k in range(8)]
    assert hh[:2] == [round(CYCLE / 2), round(CYCLE * 1.5)]
    times = [t for t, _ in onsets(sink)]
    assert len(times) == len(set(zip(times, [s for _, s in onsets(sink)])))  # nothing doubled
    assert session.scheduler.stats.late == 0


def test_hot_swap_at_the_next_cycle_without_double_or_gap() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*4")')
    run(session, 2.5)                                   # into cycle 1
    horizon = session.scheduler.horizon
    assert 1 < horizon < 2
    result = session.evaluate('d1 >> s("sd*3")')
    assert result.ok
    assert session.tracks["d1"].swap_at == 2
    run(session, 4.0)
    events = onsets(sink)
    before = [t for t, s in events if t < 2 * CYCLE]
    after = [(t, s) for t, s in events if 2 * CYCLE <= t < 3 * CYCLE]
    assert all(s == "bd" for t, s in events if t < 2 * CYCLE)
    assert len(before) == 8                             # cycles 0 and 1 complete
    assert after == [(round(2 * CYCLE + k * CYCLE / 3), "sd") for k in range(3)]


def test_same_line_twice_never_doubles() -> None:
    session, sink = make_session()
    for _ in range(3):
        session.evaluate('d1 >> s("bd*2")')
    run(session, 1.8)
    session.evaluate('d1 >> s("bd*2")')
    run(session, 2.0)
    assert onsets(sink) == [(round(k * CYCLE / 2), "bd") for k in range(4)]


def test_quantum_of_four_cycles() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd")')
    run(session, 2.2, step=0.1)
    session.evaluate('d1.quant(4)')
    session.evaluate('d1 >> s("sd")')
    assert session.tracks["d1"].swap_at == 4
    run(session, 8.0)
    assert [s for t, s in onsets(sink) if t < 4 * CYCLE] == ["bd"] * 4
    assert (round(4 * CYCLE), "sd") in onsets(sink)


def _raising_after(cycle: int) -> Pattern:
    from patterns.controls import s

    good = s("cp*2")

    def query(span: TimeSpan) -> list[Event]:
        if span.end > cycle:
            raise ZeroDivisionError("boom in the pattern")
        return good.query(span)

    return Pattern(query)


def test_a_raising_pattern_keeps_the_last_good_one_and_reports_once() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*2")\nd2 >> s("hh*4")')
    run(session, 1.0)
    session.namespace["bad"] = _raising_after(6)
    assert session.evaluate("d1 >> bad").ok             # the probe of cycles 1-4 passes
    run(session, 16.0)
    d1 = onsets(sink, "d1")
    # cycles 1-5 played the new pattern; from the window that raised on, the old one again
    assert (round(CYCLE), "cp") in d1 and (round(5.5 * CYCLE), "cp") in d1
    assert (round(7 * CYCLE), "bd") in d1 and (round(7.5 * CYCLE), "bd") in d1
    errors = [m for m in sink.messages if "boom" in m]
    assert len(errors) == 1 and errors[0].startswith("d1:")
    assert session.status().tracks[0].error is not None
    # the other track never noticed
    assert [t for t, _ in onsets(sink, "d2")][:32] == [round(k * CYCLE / 4) for k in range(32)]


def test_a_pattern_that_raises_in_its_first_cycles_is_refused() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*2")')
    session.namespace["bad"] = _raising_after(3)
    result = session.evaluate("d1 >> bad")
    assert not result.ok and "boom" in (result.error or "")
    run(session, 1.8)
    assert onsets(sink) == [(0, "bd"), (round(CYCLE / 2), "bd")]


def test_an_error_at_evaluation_keeps_the_track_unchanged() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd")')
    result = session.evaluate('d1 >> s("bd [")')
    assert not result.ok and "column" in (result.error or "")
    assert "\n" not in (result.error or "")
    run(session, 2.0)
    assert onsets(sink)[0] == (0, "bd")


def test_runaway_pattern_is_refused_and_the_track_keeps_playing() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*2")')
    result = session.evaluate('d1 >> s("bd").fast(1000000)')
    assert not result.ok and "runaway" in (result.error or "") and "\n" not in (result.error or "")
    run(session, 1.8)
    assert onsets(sink) == [(0, "bd"), (round(CYCLE / 2), "bd")]


def test_dense_pattern_is_thinned_to_the_cap_with_a_warning() -> None:
    session, sink = make_session()
    session.evaluate('d2 >> s("hh*4")')
    result = session.evaluate('d1 >> s("bd").fast(8000)')
    assert result.ok and any("thinned" in w for w in result.warnings)
    run(session, 1.9)                                   # cycle 0 and a lookahead
    first_cycle = [t for t, _ in onsets(sink, "d1") if t < CYCLE]
    assert 1000 <= len(first_cycle) <= 2000 * 1.05
    assert max(first_cycle) > 0.9 * CYCLE              # spread over the cycle, not bunched
    assert any("thinned" in m for m in sink.messages)
    assert [t for t, _ in onsets(sink, "d2")][:2] == [0, round(CYCLE / 4)]


def test_user_code_that_never_ends_is_stopped() -> None:
    session, _ = make_session()
    session.eval_timeout = 0.5
    result = session.evaluate("while True:\n    pass")
    assert not result.ok and "EvalTimeout" in (result.error or "")
    assert session.evaluate("1 + 1").value_repr == "2"


def test_tempo_change_mid_play_keeps_the_phase() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*4")')
    run(session, 1.0)
    at = session.set_bpm(60)
    assert at == Fraction(3, 4)        # the next beat after the horizon (about cycle 0.55)
    run(session, 6.0)
    times = [t for t, _ in onsets(sink)]
    assert times[:3] == [0, 24000, 48000]
    assert times[3] == 72000           # the beat the change lands on keeps its time
    assert times[4] - times[3] == 48000 and times[5] - times[4] == 48000


def test_mute_solo_and_fade() -> None:
    session, sink = make_session()
    session.evaluate('d1 >> s("bd*4")\nd2 >> s("hh*4")\nd3 >> s("cp*4")')
    session.evaluate("d2.mute()\nsolo(d1, d2)")
    run(session, 1.8)
    assert onsets(sink, "d2") == [] and onsets(sink, "d3") == [] and len(onsets(sink, "d1")) == 4
    session.evaluate("unsolo()\nd2.unmute()\nd1.fade_out(2)")
    run(session, 6.0)
    assert onsets(sink, "d3")
    gains = [e.params.get("gain", 1.0) for e in sink.notes if e.track == "d1"]  # type: ignore[attr-defined]
    assert gains[0] == 1.0 and 0.0 < min(gains[4:]) < 1.0
    assert all(a >= b for a, b in zip(gains, gains[1:]))       # monotone down
    assert len(gains) < 4 * 4                                    # silent once faded out


def test_patterned_fx_param_is_sampled_every_sixteenth() -> None:
    session, sink = make_session()
    result = session.evaluate('d1 >> s("bd")\nd1.fx("lpf", cutoff=sine.range(400, 4000))')
    assert result.ok, result.error
    run(session, 2.0)
    cutoffs = [(frame, value) for track, path, value, frame in sink.params if path == "fx.0.cutoff"]
    assert [f for f, _ in cutoffs[:16]] == [round(k * CYCLE / 16) for k in range(16)]
    assert all(400 <= v <= 4000 for _, v in cutoffs)
    assert max(v for _, v in cutoffs) > 3500 and min(v for _, v in cutoffs) < 600


def test_bad_effect_is_one_clear_line_and_the_chain_is_kept() -> None:
    session, _ = make_session()
    assert session.evaluate('d1.fx("reverb", mix=0.3)').ok
    for code in ('d1.fx("lfp")', 'd1.fx("reverb", mixx=1)', 'd1.fx("reverb", mix=7)'):
        result = session.evaluate(code)
        assert not result.ok and "\n" not in (result.error or "")
        assert "reverb" in (result.error or "") or "lfp" in (result.error or "")
    assert [spec.kind for spec in session.tracks["d1"].effects] == ["reverb"]


def test_midi_target_gets_notes_at_monotonic_times() -> None:
    session, sink = make_session()
    assert session.evaluate('d4 >> note("c4 e4").midi("IAC Bus 1", channel=2)').ok
    assert session.evaluate('d5 >> note("g4")\nd5.midi("Synth", channel=3)').ok
    run(session, 1.8)
    assert not [e for e in sink.notes if e.track in ("d4", "d5")]  # type: ignore[attr-defined]
    d4 = [m for m in sink.midi if m[0] == "IAC Bus 1"]
    assert [(m[1], m[2]) for m in d4] == [(2, 60), (2, 64)]
    assert d4[1][4] - d4[0][4] == pytest.approx(1.0)           # half a cycle at 120 bpm
    assert [(m[0], m[1], m[2]) for m in sink.midi if m[0] == "Synth"] == [("Synth", 3, 67)]


def test_patterned_fx_values_are_clamped_to_the_parameter_range() -> None:
    session, sink = make_session()
    assert session.evaluate('d1 >> s("bd")\nd1.fx("lpf", cutoff=sine.range(0, 50000))').ok
    run(session, 1.8)
    values = [value for _, path, value, _ in sink.params if path == "fx.0.cutoff"]
    assert min(values) == 20.0 and max(values) == 20000.0


def test_the_watchdog_never_cuts_an_engine_call() -> None:
    import time

    from livecode.engine_api import LockedEngine
    from livecode.watchdog import EvalTimeout, time_limit

    class SlowEngine:
        def __init__(self) -> None:
            self.completed = 0

        def panic(self) -> None:
            time.sleep(0.4)
            self.completed += 1

    engine = SlowEngine()
    locked = LockedEngine(engine)
    with pytest.raises(EvalTimeout):
        with time_limit(0.1):
            locked.panic()           # runs to its end, then the timeout fires
            while True:
                pass
    assert engine.completed == 1


def test_pattern_midi_keeps_a_channel_control() -> None:
    session, sink = make_session()
    assert session.evaluate('d4 >> note("c4").midichan(5).midi("IAC")').ok
    run(session, 1.8)
    assert [(m[0], m[1], m[2]) for m in sink.midi] == [("IAC", 5, 60)]


def test_ticks_called_by_hand_have_no_query_budget_so_a_render_never_depends_on_load() -> None:
    """A query that burns 60 ms of CPU (a full garbage collection inside it did, late in the
    suite) plays when ticks are called by hand (renders, manual clocks); only the real-time
    thread's ticks fall back to the last good pattern past `QUERY_BUDGET`."""

    slow = [False]

    def burn(value: object) -> object:
        started = time.thread_time()
        while slow[0] and time.thread_time() - started < 0.06:
            pass
        return value

    session, sink = make_session()
    session.evaluate('d1 >> s("bd")')
    session.tracks["d1"] >> s("sd").fmap(burn)
    slow[0] = True                                        # accepted: now every query is slow
    run(session, 2.2, step=0.1)
    assert [name for _, name in onsets(sink)][:2] == ["sd", "sd"] and not sink.messages
    assert session.scheduler.query_budget == QUERY_BUDGET
