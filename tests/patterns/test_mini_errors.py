"""Mini-notation errors: columns and messages for bad inputs, limits, and the guarantee that
nothing but MiniNotationError ever escapes the parser or the compiler (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patterns import mini
from patterns.errors import LivecodeError, MiniNotationError
from patterns.mini import MAX_DEPTH, MAX_SOURCE_LENGTH, parse
from patterns.mini.ast import Atom, walk
from patterns.mini.parser import MAX_NESTING, nesting

# (source, 0-based column of the caret, a fragment of the message)
BAD_INPUTS = [
    ("[a b", 0, "unclosed '['"),
    ("a [b c", 2, "unclosed '['"),
    ("<a b", 0, "unclosed '<'"),
    ("{a b", 0, "unclosed '{'"),
    ("a(3,8", 1, "unclosed '('"),
    ("a b)", 3, "unexpected ')'"),
    ("a ]", 2, "unexpected ']'"),
    ("a >", 2, "unexpected '>'"),
    ("[a b>", 4, "expected ']' to close the '[' at column 1"),
    ("a*", 2, "'*' needs a factor"),
    ("a* ", 3, "'*' needs a factor"),
    ("a/", 2, "'/' needs a divisor"),
    ("a:", 2, "':' needs a value"),
    ("0 ..", 4, "'..' needs an end value"),
    ("a(3)", 1, "euclid needs 2 or 3 arguments"),
    ("a(3,8,1,2)", 1, "euclid needs 2 or 3 arguments"),
    ("a(3 8)", 1, "euclid needs 2 or 3 arguments"),
    ("a()", 1, "euclid needs 2 or 3 arguments"),
    ("[]", 1, "empty '[ ]'"),
    ("<>", 1, "empty '< >'"),
    ("a,", 2, "expected a step after ','"),
    ("a |", 3, "expected a step after '|'"),
    ("a . . b", 4, "expected a step after '.'"),
    (". a", 0, "unexpected '.'"),
    ("*2", 0, "'*' has no step before it"),
    ("!", 0, "'!' has no step before it"),
    ("_ a", 0, "'_' has no step to extend"),
    ("a, b | c", 5, "cannot mix ',' and '|'"),
    ("a | b . c", 6, "cannot mix '|' and '.'"),
    ("<a | b>", 3, "'|' cannot be used directly inside '< >'"),
    ("{a . b}", 3, "'.' cannot be used directly inside '{ }'"),
    ("a ; b", 2, "unexpected character ';'"),
    ("a@0", 0, "weight must be positive"),
    ("a@-2", 0, "weight must be positive"),
    ("a!0", 2, "'!' needs a whole number of at least 1"),
    ("a!1.5", 2, "'!' needs a whole number of at least 1"),
    ("a!20000", 2, "'!' repeats at most"),
    ("1e999", 0, "is too large"),
    ("a*b", 2, "'*' needs a number, got 'b'"),
    ("a/[1 x]", 5, "'/' needs a number, got 'x'"),
    ("a*[2:3]", 4, "'*' needs a number, not a ':' list"),
    ("a(x,8)", 2, "euclid needs a number, got 'x'"),
    ("a(3,8,r)", 6, "euclid needs a number, got 'r'"),
    ("{a b}%x", 6, "'%' needs a number, got 'x'"),
    ("a .. 4", 0, "'..' needs a number, got 'a'"),
    ("0 .. b", 5, "'..' needs a number, got 'b'"),
    ("1:2 .. 4", 1, "'..' needs a number, not a ':' list"),
    ("0 .. 20000", 2, "'..' range too long"),
    ("%2", 0, "'%' can only follow '{ }'"),
    ("{a}%", 4, "'%' needs a step count"),
    ("a(3,100000)", 1, "at most 10000 steps"),
]


@pytest.mark.parametrize(
    ("source", "column", "fragment"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_points_at_its_column(source: str, column: int, fragment: str) -> None:
    with pytest.raises(MiniNotationError) as info:
        mini(source)
    error = info.value
    assert fragment in error.reason
    assert error.column == column
    assert error.source == source
    lines = str(error).splitlines()
    assert lines[1] == f"  {source}"
    assert lines[2] == "  " + " " * column + "^"


def test_error_is_a_livecode_error_with_one_line_form() -> None:
    with pytest.raises(LivecodeError) as info:
        mini("bd [sn")
    one = info.value.one_line()
    assert "\n" not in one
    assert "unclosed '['" in one and "'bd [sn'" in one


def test_non_string_source_is_a_mini_notation_error() -> None:
    with pytest.raises(MiniNotationError, match="takes a str"):
        mini(3)  # type: ignore[arg-type]


def test_nesting_at_the_limit_parses_and_one_more_fails() -> None:
    ok = "[" * MAX_DEPTH + "a" + "]" * MAX_DEPTH
    assert [e.value for e in mini(ok).first_cycle()] == ["a"]
    too_deep = "[" * (MAX_DEPTH + 1) + "a" + "]" * (MAX_DEPTH + 1)
    with pytest.raises(MiniNotationError, match="nesting deeper than 64") as info:
        mini(too_deep)
    assert info.value.column == MAX_DEPTH


@pytest.mark.parametrize(
    "source",
    [
        "[" * 5000,
        "<" * 5000 + "a",
        "{" * 3000,
        "a(" * 3000,
        "[a " * 2000 + "]" * 2000,
        "a*[" * 2000,
        "<a <b " * 1000,
    ],
    ids=["brackets", "angles", "braces", "euclid", "sequences", "factors", "alternations"],
)
def test_very_deep_input_is_a_syntax_error_not_recursion(source: str) -> None:
    with pytest.raises(MiniNotationError, match="nesting deeper"):
        parse(source)


def test_long_operator_chains_are_bounded() -> None:
    with pytest.raises(MiniNotationError, match="nested too deeply"):
        mini("a" + ":1" * (MAX_NESTING + 5))
    # a chain just inside the limit still queries without hitting the recursion limit
    chain = mini("a" + ":1" * (MAX_NESTING - 5))
    assert len(chain.first_cycle()[0].value) == MAX_NESTING - 4


def test_too_long_source_is_rejected_clearly() -> None:
    with pytest.raises(MiniNotationError, match="source too long") as info:
        parse("a " * (MAX_SOURCE_LENGTH // 2 + 1))
    assert info.value.column == MAX_SOURCE_LENGTH


def test_long_flat_source_is_fine() -> None:
    source = " ".join(["bd", "[sn cp]", "<a b>", "hh*2"] * 600)[: MAX_SOURCE_LENGTH - 10]
    tree = parse(source.rsplit(" ", 1)[0])
    assert len(tree.steps) > 1000


# ---- property tests ---------------------------------------------------------------------

ALPHABET = list("ab019 ~-._[]<>{}(),|*/!@?:%^#e") + ["bd", "c#4", " .. ", "é", "\t", "?0.3"]


def _density_bound(source: str) -> float:
    """A crude upper bound on how much numbers in the source can multiply the event count."""
    bound = 1.0
    for node in walk(parse(source)):
        if isinstance(node, Atom) and isinstance(node.value, (int, float)) and node.value != 0:
            size = abs(float(node.value))
            bound *= max(size, 1 / size, 1.0)
    return bound


def _query_small(source: str) -> None:
    """Build, then query a small window unless the numbers could make it enormous."""
    pattern = mini(source)
    if _density_bound(source) > 1e5:
        return
    pattern.query_arc(0, Fraction(1, 16))
    pattern.query_arc(Fraction(-3, 2), Fraction(-3, 2) + Fraction(1, 32))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_random_strings_only_ever_raise_mini_notation_error(source: str) -> None:
    try:
        _query_small(source)
    except MiniNotationError as error:
        assert 0 <= error.column <= len(source)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_unicode_only_ever_raises_mini_notation_error(source: str) -> None:
    try:
        _query_small(source)
    except MiniNotationError:
        pass


WORDS = st.sampled_from(["a", "bd", "sn:2", "0", "3", "-2", "1.5", "c#4", "eb3", "~", "-"])
NUMBERS = st.sampled_from(["1", "2", "3", "0.5", "1.5", "<1 2>", "[1 2]"])
OPS = st.sampled_from(
    ["", "*2", "*<2 3>", "/2", "/1.5", "!", "!2", "@3", "@", " _", "?", "?0.3", "(3,8)",
     "(<3 5>,8,2)", "(-3,8)", ":3", ":<1 2>"]
)


def _with_op(node: str, op: str) -> str:
    return node + op


def _trees(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    steps = st.tuples(children, OPS).map(lambda t: _with_op(*t))
    seqs = st.lists(steps, min_size=1, max_size=4).map(" ".join)
    return st.one_of(
        seqs.map(lambda s: f"[{s}]"),
        seqs.map(lambda s: f"<{s}>"),
        st.tuples(seqs, seqs).map(lambda t: f"[{t[0]}, {t[1]}]"),
        st.tuples(seqs, seqs).map(lambda t: f"[{t[0]} | {t[1]}]"),
        st.tuples(seqs, seqs).map(lambda t: f"[{t[0]} . {t[1]}]"),
        st.tuples(seqs, seqs).map(lambda t: f"<{t[0]}, {t[1]}>"),
        st.tuples(seqs, seqs, NUMBERS).map(lambda t: f"{{{t[0]}, {t[1]}}}%{t[2]}"),
    )


VALID = st.recursive(WORDS, _trees, max_leaves=12)
RANGES = st.tuples(st.integers(-5, 5), st.integers(-5, 5)).map(lambda t: f"{t[0]} .. {t[1]}")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(VALID, RANGES), min_size=1, max_size=3).map(" ".join))
def test_random_valid_trees_parse_compile_and_query(source: str) -> None:
    pattern = mini(source)
    for cycle in (0, 1, 7):
        events = pattern.query_arc(cycle, cycle + 1)
        for event in events:
            assert event.part.begin >= cycle and event.part.end <= cycle + 1


@settings(max_examples=60, deadline=None)
@given(VALID)
def test_atom_contexts_point_at_their_words(source: str) -> None:
    for event in mini(source).query_arc(0, 2):
        for begin, end in event.context:
            assert 0 <= begin < end <= len(source)
            assert source[begin:end].strip() != ""


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    """A valid string with a few random edits: near-valid inputs that often still parse."""
    source = draw(st.lists(st.one_of(VALID, RANGES), min_size=1, max_size=3).map(" ".join))
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(source)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            source = source[:position] + draw(st.sampled_from(ALPHABET)) + source[position:]
        elif action == "delete":
            source = source[:position] + source[position + 1 :]
        else:
            source = source[:position] + source[position:position + 3] * 2 + source[position + 3 :]
    return source


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_edited_valid_strings_only_ever_raise_mini_notation_error(source: str) -> None:
    try:
        _query_small(source)
    except MiniNotationError as error:
        assert 0 <= error.column <= len(source)


@pytest.mark.parametrize("op", [":1", "?0.1", "*1", "/1", "(1,1)", " .. 1", "*<1 2>", ":<1 2>"])
def test_deepest_accepted_nesting_queries_without_recursion_error(op: str) -> None:
    source = "1"
    while True:
        deeper = "[" + source + op * 2 + "]"
        try:
            parse(deeper)
        except MiniNotationError:
            break
        source = deeper
    depth = nesting(parse(source))[0]
    assert depth > MAX_NESTING - 10 or source.count("[") == MAX_DEPTH
    for cycle in (0, 1, 5):
        mini(source).query_arc(cycle, cycle + 1)
