"""Syntax tree to Pattern, with Strudel's meaning for every construct.

Each atom becomes a pure pattern whose events carry the atom's source columns as context.
Operators apply in source order. Random operators (`?`, `|`) use the reference generator,
shifted earlier by 0.0003 cycles times the seed the parser gave them.

>>> from patterns.mini.parser import parse
>>> [(str(e.whole), e.value, e.context) for e in build(parse("bd*2 sn"), "bd*2 sn").first_cycle()]
[('0 → 1/4', 'bd', ((0, 2),)), ('1/4 → 1/2', 'bd', ((0, 2),)), ('1/2 → 1', 'sn', ((5, 7),))]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from patterns.constructors import fastcat, stack, timecat
from patterns.errors import MiniNotationError, PatternError, RunawayError
from patterns.event import Event
from patterns.mini.ast import (
    Alternation,
    Atom,
    Degrade,
    Euclid,
    Fast,
    Feet,
    Node,
    Op,
    Polymeter,
    RandomChoice,
    Range,
    Replicate,
    Rest,
    Sequence,
    Slow,
    Span,
    Stack,
    Step,
    Tail,
    walk,
)
from patterns.mini.euclid import euclid_pattern
from patterns.pattern import Pattern, is_pure, pure, silence
from patterns.random import time_to_rand
from patterns.time_ops import fast, repeatCycles
from patterns.runaway import MAX_SPEED
from patterns.timespan import TimeSpan, to_time

__all__ = [
    "build",
    "located_pure",
    "degrade_with_seed",
    "choose_per_cycle",
    "RAND_SHIFT",
    "MAX_RANGE",
]

RAND_SHIFT = Fraction(3, 10000)
"""How much earlier each further random seed of a string samples the generator (cycles)."""

MAX_RANGE = 10_000
"""Most values one `a .. b` range may expand to."""


def build(tree: Node, source: str) -> Pattern:
    """The Pattern of a syntax tree parsed from `source` (used for error columns).

    >>> from patterns.mini.parser import parse
    >>> [e.value for e in build(parse("<a b>!2"), "<a b>!2").query_arc(1, 2)]
    ['b', 'b']
    """
    return _Compiler(source).node(tree)


class _Compiler:
    """Turns nodes into patterns; knows the source so errors can point at a column."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, message: str, span: Span) -> MiniNotationError:
        """A MiniNotationError at the start of `span`."""
        return MiniNotationError(message, self.source, span[0])

    def node(self, node: Node) -> Pattern:
        """The pattern of any node."""
        if isinstance(node, Atom):
            return located_pure(node.value, node.span)
        if isinstance(node, Rest):
            return silence
        if isinstance(node, Sequence):
            return self.sequence(node)
        if isinstance(node, Stack):
            return stack(*[self.sequence(layer) for layer in node.layers])
        if isinstance(node, RandomChoice):
            options = [self.sequence(option) for option in node.options]
            return choose_per_cycle(options, node.seed)
        if isinstance(node, Feet):
            return fastcat(*[self.sequence(group) for group in node.groups])
        if isinstance(node, Alternation):
            layers = [self.sequence(layer).fast_raw(1 / layer.weight) for layer in node.layers]
            return stack(*layers)
        return self.polymeter(node)

    def sequence(self, sequence: Sequence) -> Pattern:
        """Steps side by side, each as long as its weight."""
        steps = sequence.steps
        if not steps:
            return silence
        patterns = [self.step(step) for step in steps]
        if len(patterns) == 1:
            return patterns[0]
        if all(step.weight == 1 for step in steps):
            return fastcat(*patterns)
        return timecat(*[(step.weight, pat) for step, pat in zip(steps, patterns)])

    def polymeter(self, node: Polymeter) -> Pattern:
        """Layers stepping together: each sped up to `steps_per_cycle` of its own steps."""
        layers = [(layer.weight, self.sequence(layer)) for layer in node.layers]
        if node.steps_per_cycle is None:
            steps = layers[0][0]
            return stack(*[pat.fast_raw(steps / weight) for weight, pat in layers])
        per_cycle = self.numeric(node.steps_per_cycle, "'%'")
        aligned = []
        for weight, pat in layers:
            aligned.append(_fast_by(per_cycle, pat, _divide_by(weight)))
        return stack(*aligned)

    def step(self, step: Step) -> Pattern:
        """A step's node with its operators applied in order."""
        pat = self.node(step.node)
        for index, op in enumerate(step.ops):
            pat = self.apply(op, pat, step, index)
        return pat

    def apply(self, op: Op, pat: Pattern, step: Step, index: int) -> Pattern:
        """One operator applied to the pattern built so far."""
        if isinstance(op, (Fast, Slow)):
            symbol, convert = ("'*'", to_time) if isinstance(op, Fast) else ("'/'", _reciprocal)
            try:
                return _fast_by(self.numeric(op.amount, symbol), pat, convert)
            except RunawayError:
                message = f"{symbol} speeds up past {MAX_SPEED:,} times (a runaway pattern)"
                raise MiniNotationError(message, self.source, op.span[0]) from None
        if isinstance(op, Replicate):
            repeated: Pattern = repeatCycles(op.count, pat)
            return repeated.fast_raw(Fraction(op.count))
        if isinstance(op, Euclid):
            pulses = self.numeric(op.pulses, "euclid")
            steps = self.numeric(op.steps, "euclid")
            rotation = None if op.rotation is None else self.numeric(op.rotation, "euclid")
            try:
                return euclid_pattern(pulses, steps, rotation, pat)
            except PatternError as exc:
                raise self.error(str(exc), op.span) from exc
        if isinstance(op, Degrade):
            amount = 0.5 if op.amount is None else op.amount
            return degrade_with_seed(pat, amount, op.seed)
        if isinstance(op, Tail):
            return pat.fmap(_append).app_left(self.node(op.element))
        if isinstance(op, Range):
            self.check_range_start(step, index)
            return self.range(pat, op)
        raise self.error(f"unknown operator {type(op).__name__}", op.span)  # pragma: no cover

    def numeric(self, node: Node | Step, what: str) -> Pattern:
        """The pattern of an argument that must hold numbers (checked statically)."""
        self.check_numeric(node, what)
        if isinstance(node, Step):
            return self.step(node)
        return self.node(node)

    def check_numeric(self, node: Node | Step, what: str) -> None:
        """Every value `node` can produce is a number: no words, no `:` lists."""
        for item in walk(node):
            if isinstance(item, Atom) and not isinstance(item.value, (int, float)):
                raise self.error(f"{what} needs a number, got {item.text!r}", item.span)
            if isinstance(item, Step):
                for op in item.ops:
                    if isinstance(op, Tail):
                        raise self.error(f"{what} needs a number, not a ':' list", op.span)

    def check_range_start(self, step: Step, index: int) -> None:
        """A range starts from the step's own value: it must be numeric."""
        self.check_numeric(step.node, "'..'")
        for op in step.ops[:index]:
            if isinstance(op, Tail):
                raise self.error("'..' needs a number, not a ':' list", op.span)

    def range(self, start: Pattern, op: Range) -> Pattern:
        """`a .. b`: the integers (steps of 1) from a to b as a sequence, patterned ends."""
        end = self.numeric(op.end, "'..'")
        if is_pure(start) and is_pure(end):
            _range_values(start.pure_value, end.pure_value, self.source, op.span)
        cache: dict[tuple[Any, Any], Pattern] = {}

        def expand(a: Any) -> Pattern:
            def inner(b: Any) -> Pattern:
                key = (a, b)
                found = cache.get(key)
                if found is None:
                    found = fastcat(*_range_values(a, b, self.source, op.span))
                    if len(cache) < 256:
                        cache[key] = found
                return found

            return end.bind(inner)

        return start.squeeze_bind(expand)


def located_pure(value: Any, span: Span) -> Pattern:
    """`pure(value)` whose events carry `span` as their source context.

    >>> located_pure("bd", (3, 5)).first_cycle()[0].context
    ((3, 5),)
    """
    return pure(value, (span,))


def degrade_with_seed(pat: Pattern, amount: float, seed: int) -> Pattern:
    """Keep each event when the generator at its onset (shifted by the seed) is above `amount`.

    >>> from patterns.constructors import sequence
    >>> [e.value for e in degrade_with_seed(sequence(*"abcdefgh"), 0.5, 0).first_cycle()]
    ['b']
    """
    shift = RAND_SHIFT * seed
    query = pat.query

    def degraded(span: TimeSpan) -> list[Event]:
        return [
            e
            for e in query(span)
            if time_to_rand((e.part if e.whole is None else e.whole).begin + shift) > amount
        ]

    return Pattern(degraded, pat.steps)


def choose_per_cycle(options: list[Pattern], seed: int) -> Pattern:
    """One of `options` per cycle, picked by the generator at the cycle's start plus the seed's
    shift (`a | b | c`).

    >>> from patterns.pattern import pure
    >>> [e.value for e in choose_per_cycle([pure("a"), pure("b")], 0).query_arc(0, 4)]
    ['a', 'b', 'b', 'a']
    """
    shift = RAND_SHIFT * seed
    queries = [option.query for option in options]
    count = len(queries)

    def chosen(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            begin = piece.begin
            cycle = Fraction(begin.numerator // begin.denominator)
            index = min(int(time_to_rand(cycle + shift) * count), count - 1)
            out.extend(queries[index](piece))
        return out

    return Pattern(chosen)


def _fast_by(factor: Pattern, pat: Pattern, convert: Callable[[Any], Fraction]) -> Pattern:
    """`pat` sped up by `convert(value)` for each value of a numeric factor pattern (a constant
    takes the direct path)."""
    if is_pure(factor):
        return pat.fast_raw(convert(factor.pure_value))
    faster: Pattern = fast(factor.fmap(convert), pat)
    return faster


def _reciprocal(value: Any) -> Fraction:
    """1 / value, with 0 staying 0 (a zero speed is silence either way)."""
    factor = to_time(value)
    return Fraction(0) if factor == 0 else 1 / factor


def _divide_by(weight: Fraction) -> Callable[[Any], Fraction]:
    """value / weight as a Fraction."""
    return lambda value: to_time(value) / weight


def _append(head: Any) -> Callable[[Any], list[Any]]:
    """The `:` operator: a list of the left value(s) followed by the right value."""
    if isinstance(head, list):
        return lambda tail: [*head, tail]
    return lambda tail: [head, tail]


def _range_values(start: Any, stop: Any, source: str, span: Span) -> list[Any]:
    """start, start ± 1, ... while within |stop - start| (Strudel's arrayRange)."""
    if not isinstance(start, (int, float)) or not isinstance(stop, (int, float)):
        raise PatternError(f"mini-notation '..' needs numbers, got {start!r} .. {stop!r}")
    distance = abs(stop - start)
    if distance > MAX_RANGE - 1:
        message = f"'..' range too long (more than {MAX_RANGE} values)"
        raise MiniNotationError(message, source, span[0])
    count = math.floor(distance) + 1
    step = 1 if start <= stop else -1
    return [start + step * index for index in range(count)]
