"""`register`: methods and functions, patterned arguments, currying, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from patterns import PatternArgumentError, pure, sequence
from patterns.arithmetic import add
from patterns.conditional import every
from patterns.register import register, registry
from patterns.structure import rev
from patterns.time_ops import fast

__all__: list[str] = []


def _values(pat: object, begin: int = 0, end: int = 1) -> list[object]:
    return [e.value for e in pat.onsets(begin, end)]  # type: ignore[attr-defined]


def test_pat_function_and_method_agree() -> None:
    pat = sequence("a", "b")
    assert _values(fast(2, pat)) == _values(pat.fast(2)) == ["a", "b", "a", "b"]


def test_pat_patterned_argument_does_not_restart_time() -> None:
    got = [(str(e.whole.begin), e.value) for e in sequence(*"abcd").fast("1 2").onsets(0, 1)]
    assert got == [("0", "a"), ("1/4", "b"), ("1/2", "a"), ("5/8", "b"), ("3/4", "c"), ("7/8", "d")]


def test_pat_curried_registered_function_as_argument() -> None:
    pat = sequence(1, 2)
    assert _values(pat.every(2, fast(2)), 0, 1) == [1, 2, 1, 2]
    assert _values(every(2, rev)(pat), 0, 2) == [2, 1, 1, 2]


def test_pat_wrong_arity_names_the_signature() -> None:
    with pytest.raises(PatternArgumentError, match=r"fast\(factor, pat\): expected 1 argument after the pattern, got 3"):
        pure(1).fast(1, 2, 3)
    with pytest.raises(PatternArgumentError, match=r"fast\(factor, pat\)"):
        fast(1, 2, 3, 4)


def test_pat_non_patternable_argument_is_refused() -> None:
    with pytest.raises(PatternArgumentError, match="argument 1 must be"):
        pure(1).fast(object())
    with pytest.raises(PatternArgumentError, match="pattern argument"):
        fast(2, object())


def test_pat_dotted_variants_as_function_and_method() -> None:
    left = sequence(0, 1)
    assert _values(left.add.out("10 20 30")) == [10, 20, 31]
    assert _values(add.out("10 20 30", left)) == [10, 20, 31]
    assert registry["add.squeeze"] is add.squeeze


def test_pat_register_aliases_and_custom_function() -> None:
    def _double(pat: object) -> object:
        return pat.fmap(lambda v: v * 2)  # type: ignore[attr-defined]

    reg = register(["double_test", "doubleTest"], _double)
    assert _values(pure(3).double_test()) == [6]
    assert _values(pure(3).doubleTest()) == [6]
    assert _values(reg("1 2")) == [2, 4]


def test_pat_string_argument_is_mini_notation() -> None:
    assert [str(e.whole) for e in pure("a").slow("2").first_cycle()] == ["0 → 2"]
    assert pure(1).early(Fraction(1, 2)).first_cycle()[0].whole.begin == Fraction(-1, 2)


def test_pat_unusable_argument_value_names_the_function() -> None:
    with pytest.raises(PatternArgumentError, match=r"^fast\(factor, pat\): expected a number of cycles"):
        pure(1).fast("x")
    with pytest.raises(PatternArgumentError, match=r"^segment\(count, pat\)"):
        pure(1).segment("<4 x>").query_arc(0, 2)


def test_pat_bad_values_raise_clear_errors() -> None:
    with pytest.raises(PatternArgumentError, match=r"^struct\(bools, pat\): expected a Pattern"):
        pure(1).struct(object())
    with pytest.raises(PatternArgumentError, match=r"^inside\(factor, func, pat\)"):
        pure(1).inside(0, rev)
    with pytest.raises(PatternArgumentError, match=r"^euclid\(pulses, steps, pat\)"):
        pure(1).euclid("x", 8)
    assert sequence(1, 2).bite(0, "0 1").first_cycle() == []


def test_pat_register_refuses_core_attribute_names() -> None:
    from patterns import PatternError

    with pytest.raises(PatternError, match="core Pattern attribute"):
        register("steps", lambda pat: pat)
    assert sequence(1, 2).steps == 2 and "steps" not in registry


def test_pat_function_arguments_must_be_callables() -> None:
    with pytest.raises(PatternArgumentError, match=r"^every\(count, func, pat\): argument 2 must be a function"):
        pure(1).every(2, 3)
    with pytest.raises(PatternArgumentError, match=r"superimpose\(\*funcs, pat\): argument 1 must be a function"):
        pure(1).superimpose("x")
