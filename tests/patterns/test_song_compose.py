"""Generators and variations: deterministic for a seed, every note in the scale (hypothesis
over seeds, scales and settings), and each variation doing what its name says."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patterns import (
    call_response,
    drums,
    learn_markov,
    lsystem,
    lsystem_melody,
    markov,
    motif,
    n,
    note,
    ornament,
    retrograde,
    s,
    walk,
)
from patterns.compose import CONTOURS, ORNAMENTS, Stream, motif_steps, walk_degrees
from patterns.errors import GeneratorError, LivecodeError, TheoryError
from patterns.pattern import Pattern
from patterns.theory import get_scale, note_to_midi

__all__: list[str] = []

SCALES = ["C:major", "A:minor", "E:minor", "F#:dorian", "Bb:mixolydian", "D:harmonic minor",
          "G:major pentatonic", "C#:minor pentatonic", "Eb:blues", "A2:phrygian"]
SEEDS = st.integers(-(2**40), 2**40)


def onsets(pat: Pattern, begin: Any = 0, end: Any = 1) -> list[tuple[Fraction, Fraction, str]]:
    return [(e.whole.begin, e.whole.end, e.value["note"]) for e in pat.onsets(begin, end)]


def in_scale(name: str, spec: str) -> bool:
    scale = get_scale(spec)
    chromas = {note_to_midi(scale.step(d)) % 12 for d in range(len(scale))}
    return note_to_midi(name) % 12 in chromas


def degree(name: str, spec: str) -> int:
    return get_scale(spec).degree_of(name)


# ------------------------------------------------------------------ motif

MOTIF_SETTINGS = st.fixed_dictionaries({
    "steps": st.sampled_from([4, 8, 16]),
    "length": st.integers(1, 3),
    "density": st.floats(0, 1),
    "contour": st.sampled_from(list(CONTOURS)),
    "span": st.integers(0, 12),
    "low": st.integers(-5, 5),
})


@settings(max_examples=120, deadline=None)
@given(SEEDS, st.sampled_from(SCALES), MOTIF_SETTINGS)
def test_motif_is_deterministic_and_in_the_scale(seed: int, spec: str, options: dict[str, Any]) -> None:
    pat = motif(spec, seed, **options)
    length = options["length"]
    played = onsets(pat, 0, length)
    assert played == onsets(motif(spec, seed, **options), 0, length)       # same seed, same notes
    assert onsets(pat, length, 2 * length) == [(b + length, e + length, v) for b, e, v in played]
    assert played[0][0] == 0                                                # starts on the downbeat
    step = Fraction(1, options["steps"])
    for (begin, end, name), after in zip(played, played[1:] + [(Fraction(length), None, None)]):
        assert in_scale(name, spec)
        assert begin % step == 0 and end == after[0]                        # on the grid, held
        assert options["low"] <= degree(name, spec) <= options["low"] + options["span"]


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.sampled_from(SCALES), st.integers(0, 12), st.integers(-5, 5))
def test_motif_cadence_ends_on_the_tonic(seed: int, spec: str, span: int, low: int) -> None:
    size = len(get_scale(spec))
    last = motif_steps(seed, size, span=span, low=low)[-1][2]
    if any(d % size == 0 for d in range(low, low + span + 1)):
        assert last % size == 0


def test_motif_density_and_contour() -> None:
    assert len(motif_steps(1, 7, steps=16, density=0.0)) == 1
    assert len(motif_steps(1, 7, steps=16, density=1.0)) == 16
    rising = [d for _, _, d in motif_steps(4, 7, steps=16, density=1.0, contour="rise", cadence=False)]
    falling = [d for _, _, d in motif_steps(4, 7, steps=16, density=1.0, contour="fall", cadence=False)]
    assert rising[-1] - rising[0] >= 5 and falling[0] - falling[-1] >= 5
    arch = [d for _, _, d in motif_steps(4, 7, steps=16, density=1.0, contour="arch", cadence=False)]
    assert max(arch[5:11]) > max(arch[0], arch[-1])


def test_different_seeds_give_different_motifs() -> None:
    assert len({tuple(onsets(motif("A:minor", seed))) for seed in range(20)}) >= 15


def test_a_patterned_seed_switches_phrases_by_cycle() -> None:
    pat = motif("A:minor", "<1 2>", length=1)
    assert onsets(pat, 0, 1) == onsets(motif("A:minor", 1), 0, 1)
    assert onsets(pat, 1, 2) == onsets(motif("A:minor", 2), 1, 2)


# ------------------------------------------------------------------ walk, L-system


@settings(max_examples=80, deadline=None)
@given(SEEDS, st.sampled_from(SCALES), st.integers(1, 4), st.integers(-7, 0), st.integers(1, 10))
def test_walk_stays_in_range_and_steps_at_most_leap(seed: int, spec: str, leap: int, low: int, width: int) -> None:
    high = low + width
    degrees = walk_degrees(seed, 32, low, low, high, leap)
    assert degrees == walk_degrees(seed, 32, low, low, high, leap)
    assert all(low <= d <= high for d in degrees)
    assert all(0 < abs(b - a) <= leap for a, b in zip(degrees, degrees[1:]))
    played = onsets(walk(spec, seed, 8, 2, low, low, high, leap), 0, 2)
    assert [degree(name, spec) for _, _, name in played] == degrees[:16]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="AB+-[]", min_size=1, max_size=6), st.text(alphabet="AB+-", max_size=5),
       st.integers(0, 4), st.sampled_from(SCALES))
def test_lsystem_melodies_are_in_the_scale(axiom: str, rule: str, generations: int, spec: str) -> None:
    try:
        pat = lsystem_melody(axiom, {"A": rule or "A"}, generations, spec)
    except GeneratorError:
        return  # no notes, or too long: refused with a GeneratorError, never anything else
    played = onsets(pat, 0, 2)
    assert played == onsets(lsystem_melody(axiom, {"A": rule or "A"}, generations, spec), 0, 2)
    assert all(in_scale(name, spec) and -7 <= degree(name, spec) <= 14 for _, _, name in played)


def test_lsystem_rewrites_in_parallel_and_is_bounded() -> None:
    assert lsystem("A", {"A": "AB", "B": "A"}, 5) == "ABAABABAABAAB"
    with pytest.raises(GeneratorError, match="grows past 4096"):
        lsystem("AB", {"A": "AAA", "B": "BB"}, 30)


# ------------------------------------------------------------------ Markov


def states(pat: Pattern, steps: int, cycles: int) -> list[frozenset[str]]:
    out: list[set[str]] = [set() for _ in range(steps * cycles)]
    for event in pat.onsets(0, cycles):
        out[int(event.whole.begin * steps)].add(event.value["s"])
    return [frozenset(slot) for slot in out]


@settings(max_examples=40, deadline=None)
@given(SEEDS, st.sampled_from(["trap", "boom bap", "dembow", "uk garage"]), st.integers(1, 3))
def test_markov_drums_only_take_learned_steps(seed: int, program: str, length: int) -> None:
    source = drums(program)
    cycles = 2 if program == "boom bap" else 1
    learned = states(source, 16, cycles)
    follows = {(a, b) for a, b in zip(learned, learned[1:] + learned[:1])}
    made = markov(source, seed, steps=16, cycles=cycles, length=length)
    walked = states(made, 16, length)
    assert walked[0] == learned[0]
    assert all(step in learned for step in walked)
    assert all(pair in follows for pair in zip(walked, walked[1:]))
    assert walked == states(markov(source, seed, steps=16, cycles=cycles, length=length), 16, length)


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.lists(st.sampled_from(["c4", "d4", "e4", "g4", "a4", None]), min_size=2, max_size=12))
def test_markov_melody_from_a_list(seed: int, tune: list[str | None]) -> None:
    if all(item is None for item in tune):
        with pytest.raises(GeneratorError, match="no notes"):
            learn_markov(tune)
        return
    chain = learn_markov(tune, steps=4)
    path = chain.walk(seed, 16)
    assert path == chain.walk(seed, 16) and path[0] == 0
    for here, there in zip(path, path[1:]):
        assert there in dict(chain.transitions[here])
    values = [e.value for e in chain.pattern(seed, 4).onsets(0, 4)]
    assert set(values) <= {item for item in tune if item is not None}


def test_markov_learns_counts() -> None:
    chain = learn_markov(note("c4 e4 c4 g4"), steps=4)
    assert chain.describe() == ["c4 -> e4 1, g4 1", "e4 -> c4", "g4 -> c4"]
    assert learn_markov(s("bd ~ bd ~"), steps=4).describe() == ["bd -> ~", "~ -> bd"]


# ------------------------------------------------------------------ variations

HOOKS = st.builds(lambda seed, spec: motif(spec, seed, steps=8), SEEDS, st.sampled_from(SCALES))


@settings(max_examples=60, deadline=None)
@given(HOOKS, st.integers(-3, 3), st.integers(1, 4), st.sampled_from(list(ORNAMENTS)))
def test_variations_stay_in_the_scale(hook: Pattern, step: int, times: int, kind: str) -> None:
    spec = hook.first_cycle()[0].value["note"].scale
    for varied in (hook.inversion(), hook.inversionAt(2), hook.retrograde(), hook.retrogradeBy(2),
                   hook.scaleSequence(step, times), hook.ornament(kind), hook.augment(2),
                   hook.diminish(2), hook.displace(Fraction(1, 8))):
        assert all(in_scale(name, spec) for _, _, name in onsets(varied, 0, 4))


@settings(max_examples=60, deadline=None)
@given(HOOKS)
def test_inversion_and_retrograde(hook: Pattern) -> None:
    original = onsets(hook)
    spec = hook.first_cycle()[0].value["note"].scale
    # inversion mirrors the steps around the first note and undoes itself
    inverted = onsets(hook.inversion())
    first = degree(original[0][2], spec)
    assert [degree(v, spec) for _, _, v in inverted] == [2 * first - degree(v, spec) for _, _, v in original]
    assert onsets(hook.inversion().inversion()) == original
    # retrograde: the same rhythm, the notes in reverse order
    backwards = onsets(hook.retrograde())
    assert [(b, e) for b, e, _ in backwards] == [(b, e) for b, e, _ in original]
    assert [v for _, _, v in backwards] == [v for _, _, v in reversed(original)]
    assert onsets(hook.retrograde().retrograde()) == original


@settings(max_examples=40, deadline=None)
@given(HOOKS, st.integers(-3, 3), st.integers(1, 4))
def test_scale_sequence_moves_each_repeat(hook: Pattern, step: int, times: int) -> None:
    spec = hook.first_cycle()[0].value["note"].scale
    base = [degree(v, spec) for _, _, v in onsets(hook)]
    for cycle in range(times + 1):
        got = [degree(v, spec) for _, _, v in onsets(hook.scaleSequence(step, times), cycle, cycle + 1)]
        assert got == [d + step * (cycle % times) for d in base]


def test_time_variations() -> None:
    hook = n("0 2 4 5").scale("C:major")
    assert onsets(hook.augment(2), 0, 2) == onsets(hook.slow(2), 0, 2)
    assert onsets(hook.diminish(2)) == onsets(hook.fast(2))
    assert onsets(hook.displace(0.25)) == onsets(hook.late(0.25))


def test_ornaments_take_the_start_of_the_note() -> None:
    hook = n("0 4").scale("C:major")
    assert [(str(b), v) for b, _, v in onsets(hook.ornament("grace"))] == [
        ("0", "D3"), ("1/8", "C3"), ("1/2", "A3"), ("5/8", "G3")]
    assert [v for _, _, v in onsets(hook.ornament("turn"))][:4] == ["D3", "C3", "B2", "C3"]
    assert [v for _, _, v in onsets(note("c4").ornament("slide"))] == ["Bb3", "B3", "c4"]
    some = hook.fast(4).sometimesBy(0.5, ornament("trill"))
    assert 8 < len(onsets(some)) < 8 * len(ORNAMENTS["trill"])


def test_call_and_response() -> None:
    hook = motif("A:minor", 7)
    ask, reply = call_response(hook, retrograde)
    for cycle in range(6):
        asked, replied = onsets(ask, cycle, cycle + 1), onsets(reply, cycle, cycle + 1)
        if cycle % 2 == 0:
            assert asked == onsets(hook, cycle, cycle + 1) and replied == []
        else:
            assert asked == []
            assert [v for _, _, v in replied] == [v for _, _, v in reversed(onsets(hook))]
    ask, reply = call_response(note("c4 d4"), note("e4 f4 g4"), cycles=2)
    assert [v for _, _, v in onsets(reply, 2, 3)] == ["e4", "f4", "g4"]
    assert onsets(reply, 0, 2) == [] and onsets(ask, 2, 4) == []


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: motif("C:major", 1, density=1.5), GeneratorError, "density must be a number 0 .. 1"),
        (lambda: motif("C:major", 1, contour="zigzag"), GeneratorError, "unknown contour 'zigzag'"),
        (lambda: motif("C:major", 1, steps=0), GeneratorError, "steps must be a whole number"),
        (lambda: motif("C:blah", 1), TheoryError, "unknown scale name"),
        (lambda: motif("C:major", True), GeneratorError, "the seed must be a whole number"),
        (lambda: walk("C:major", 1, start=20), GeneratorError, "start must be a whole number"),
        (lambda: markov([]), GeneratorError, "no notes to learn from"),
        (lambda: markov(42), GeneratorError, "learn from a pattern or a list"),  # type: ignore[arg-type]
        (lambda: lsystem("", {}, 1), GeneratorError, "axiom must be a non-empty string"),
        (lambda: lsystem_melody("A", {"A": "A"}, 1, moves={"A": "x"}), GeneratorError, "moves map"),
        (lambda: note("c4 e4").scaleSequence(1, 2).query_arc(1, 2), TheoryError, "has no scale to move along"),
        (lambda: n("0").scale("C:major").ornament("wiggle"), TheoryError, "unknown ornament"),
        (lambda: n("0").scale("C:major").retrogradeBy(0), TheoryError, "1/64 .. 64 cycles"),
        (lambda: n("0").scale("C:major").retrogradeBy(1e9), TheoryError, "1/64 .. 64 cycles"),
        (lambda: call_response(note("c4"), 3), TheoryError, "the answer is a pattern"),  # type: ignore[arg-type]
    ],
)
def test_errors(build: Any, error: type[LivecodeError], message: str) -> None:
    with pytest.raises(error, match=message):
        build()


def test_stream_is_the_projects_generator() -> None:
    first = [Stream(11, "x").random() for _ in range(3)]
    assert first == [Stream(11, "x").random() for _ in range(3)]
    stream = Stream(5)
    draws = [stream.random() for _ in range(2000)]
    assert all(0 <= d < 1 for d in draws) and 0.45 < sum(draws) / len(draws) < 0.55
