"""Live control without devices: curves, soft takeover, learn, targets, the cc() signal, rec's
quantizer and the errors that name their field."""

from __future__ import annotations

import pytest

from livecode.control.bindings import Bindings, Source
from livecode.control.curves import Scale
from livecode.control.errors import MappingError
from livecode.control.record import Played, quantize
from livecode.session import Session

__all__: list[str] = []


@pytest.fixture()
def session() -> Session:
    made = Session.create(audio="none", bpm=120)
    yield made
    made.close()


def cc(session: Session, control: int, raw: int, channel: int = 1, port: str = "kb") -> None:
    session.controls.feed_midi(port, 0.0, (0xB0 | (channel - 1), control, raw))


@pytest.mark.parametrize("curve", ["lin", "exp", "log"])
@pytest.mark.parametrize("bounds", [(200.0, 3200.0), (0.0, 1.0), (-1.0, 1.0), (6.0, -60.0)])
def test_curves_are_monotonic_hit_their_ends_and_invert(curve: str, bounds: tuple[float, float]) -> None:
    scale = Scale(bounds[0], bounds[1], curve)
    xs = [i / 127 for i in range(128)]
    values = [scale.map(x) for x in xs]
    assert values[0] == pytest.approx(bounds[0]) and values[-1] == pytest.approx(bounds[1])
    steps = [b - a for a, b in zip(values, values[1:])]
    assert all(s >= -1e-9 for s in steps) or all(s <= 1e-9 for s in steps)
    assert all(scale.unmap(v) == pytest.approx(x, abs=1e-9) for x, v in zip(xs, values))


def test_soft_takeover_waits_for_the_knob_and_picks_up_again_after_code(session: Session) -> None:
    session.evaluate("d1.gain(-6)")
    session.controls.map_cc(7, "d1.gain", range=(-60, 0))             # -6 dB is 0.9 of the travel
    cc(session, 7, 0)
    cc(session, 7, 60)
    assert session.tracks["d1"].gain_db == -6.0                     # not caught: no jump
    cc(session, 7, 120)                                             # crossed 0.9: caught
    assert session.tracks["d1"].gain_db == pytest.approx(-60 + 60 * 120 / 127)
    cc(session, 7, 20)
    assert session.tracks["d1"].gain_db == pytest.approx(-60 + 60 * 20 / 127)
    session.evaluate("d1.gain(-3)")                                  # set from code: pick up again
    cc(session, 7, 30)
    cc(session, 7, 100)
    assert session.tracks["d1"].gain_db == -3.0
    cc(session, 7, 127)                                             # crossed -3 dB: follows again
    assert session.tracks["d1"].gain_db == 0.0


def test_channel_and_input_filters(session: Session) -> None:
    session.controls.map_cc(10, "d1.pan", channel=2, input="nano", pickup=False)
    cc(session, 10, 127, channel=1, port="nanoKONTROL")
    cc(session, 10, 127, channel=2, port="other")
    assert session.tracks["d1"].pan_pos == 0.5
    cc(session, 10, 127, channel=2, port="nanoKONTROL")
    assert session.tracks["d1"].pan_pos == 1.0


def test_learn_binds_the_next_cc_or_osc_address(session: Session) -> None:
    assert session.evaluate('learn("cut", range=(100, 200), pickup=False)').ok
    cc(session, 21, 127, channel=3)
    assert session.controls.values.value("cut") == 200.0
    assert "learn: cc 21 ch3 on kb -> cut" in session.messages()
    session.controls.learn("bpm", range=(100, 140), pickup=False)
    session.controls.feed_osc("/tempo", [0.5], 0.0)
    assert session.tempo.segments[-1].cps * 60 * 4 == pytest.approx(120.0)
    assert "learn: osc /tempo -> bpm" in session.messages()
    session.controls.feed_osc("/tempo", [1.0], 0.0)
    assert session.tempo.segments[-1].cps * 60 * 4 == pytest.approx(140.0)


def test_cc_signal_in_a_pattern_reads_the_latest_value(session: Session) -> None:
    result = session.evaluate('p = note("c3*2").lpf(cc(74).range(200, 1200))')
    assert result.ok
    pattern = session.namespace["p"]
    assert [e.value["cutoff"] for e in pattern.first_cycle()] == [200, 200]    # type: ignore[attr-defined]
    cc(session, 74, 127)
    assert [e.value["cutoff"] for e in pattern.first_cycle()] == [1200, 1200]  # type: ignore[attr-defined]
    assert session.evaluate('note("c3").cc("74:100")').ok                     # the output control stays


@pytest.mark.parametrize(("code", "message"), [
    ('map_cc(128, "d1.gain")', "map_cc: control=128 must be a CC number 0..127"),
    ('map_cc(7, "d1.gain", channel=17)', "map_cc: channel=17 must be 1..16"),
    ('map_cc(7, "d1.gain", curve="sine")', "curve='sine' must be one of lin, exp, log"),
    ('map_cc(7, "d1.", range=(0, 1))', "target 'd1.': name a parameter after the dot"),
    ('map_cc(7, "d1.gain", range=(0,))', "range=(0,) must be (low, high)"),
    ('rec(d1, bars=0)', "rec: bars=0 must be a whole number 1..64"),
    ('rec(d1, grid=5)', "rec: grid=5 must be one of"),
    ('keys(d1, hold=0)', "keys: hold=0 must be seconds in 0.01..30"),
    ('keys(d9)', "keys: d9 plays no instrument yet"),
    ('map_osc("fader", "cut")', "osc: address='fader' must start with '/'"),
])
def test_bad_input_is_one_line_naming_the_field(session: Session, code: str, message: str) -> None:
    result = session.evaluate(code)
    assert result.error is not None and message in result.error and "\n" not in result.error


def test_quantize_chords_weights_and_bars() -> None:
    notes = [Played(0.0, 0.5, 60, 0.8), Played(0.01, 0.5, 64, 0.8), Played(1.5, 0.25, 67, 0.8)]
    assert quantize(notes, 0, 2, 4).code == 'note("<[[c4,e4]@2 ~@2] [~@2 g4 ~]>")'


def test_bindings_replace_a_binding_of_the_same_source_and_target() -> None:
    class Value:
        name = "v"
        def current(self) -> float | None: return None
        def set(self, value: float, mono: float) -> None: self.value = value

    binds, target = Bindings(), Value()
    binds.bind(Source("cc", control=1), target, Scale(0, 1))
    binds.bind(Source("cc", control=1), target, Scale(0, 2))
    assert len(binds.all()) == 1
    binds.feed(Source("cc", control=1, channel=1), 1.0, 0.0)
    assert target.value == 2.0
    assert binds.unbind("v") == 1 and binds.all() == []


def test_bindings_prints_lines_that_make_the_same_bindings(session: Session) -> None:
    session.controls.learn("d1.pan", pickup=False)
    cc(session, 10, 0, channel=2, port="nanoKONTROL")
    assert session.evaluate('map_osc("/fader/1", "cut", range=(200, 3200), curve="exp")').ok
    lines = session.namespace["bindings"]()                                  # type: ignore[operator]
    assert lines == ['map_cc(10, "d1.pan", range=(0, 1), curve="lin", channel=2, input="nanoKONTROL", pickup=False)',
                     'map_osc("/fader/1", "cut", range=(200, 3200), curve="exp")']
    other = Session.create(audio="none")
    try:
        for line in lines:
            assert other.evaluate(line).ok
        assert [b.code() for b in other.controls.bindings.all()] == lines
    finally:
        other.close()
