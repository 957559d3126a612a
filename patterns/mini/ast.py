"""The syntax tree of a mini-notation string; every node knows its source columns.

`span` is `(begin, end)`: 0-based, end exclusive, in the source string. A tree is plain frozen
data: `parse()` builds it, `compile.build()` turns it into a Pattern.

>>> from patterns.mini.parser import parse
>>> tree = parse("bd*2 sn")
>>> [type(step.node).__name__ for step in tree.steps]
['Atom', 'Atom']
>>> tree.steps[0].ops[0]
Fast(span=(2, 4), amount=Atom(span=(3, 4), text='2', value=2))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Union

__all__ = [
    "Span",
    "Node",
    "Op",
    "Atom",
    "Rest",
    "Step",
    "Sequence",
    "Stack",
    "RandomChoice",
    "Feet",
    "Alternation",
    "Polymeter",
    "Fast",
    "Slow",
    "Replicate",
    "Euclid",
    "Degrade",
    "Tail",
    "Range",
    "walk",
    "children",
    "op_arguments",
]

Span = tuple[int, int]
"""Source columns (begin, end) of a node, 0-based, end exclusive."""


@dataclass(frozen=True, slots=True)
class Atom:
    """A word: its text and its value (a number for numeric words, else the text).

    >>> Atom((0, 2), "bd", "bd").value
    'bd'
    """

    span: Span
    text: str
    value: str | int | float


@dataclass(frozen=True, slots=True)
class Rest:
    """`~` or `-`: a silent step.

    >>> Rest((0, 1)).span
    (0, 1)
    """

    span: Span


@dataclass(frozen=True, slots=True)
class Fast:
    """`*amount`: speed the step up by a (patterned) factor.

    >>> Fast((2, 4), Atom((3, 4), "2", 2)).amount.value
    2
    """

    span: Span
    amount: Node


@dataclass(frozen=True, slots=True)
class Slow:
    """`/amount`: slow the step down by a (patterned) factor.

    >>> Slow((1, 3), Atom((2, 3), "2", 2)).amount.text
    '2'
    """

    span: Span
    amount: Node


@dataclass(frozen=True, slots=True)
class Replicate:
    """`!n` (or bare `!`s): the step repeated as `count` steps.

    >>> Replicate((1, 3), 3).count
    3
    """

    span: Span
    count: int


@dataclass(frozen=True, slots=True)
class Euclid:
    """`(pulses,steps[,rotation])`: Bjorklund rhythm with patterned arguments.

    >>> three, eight = Step.of(Atom((3, 4), "3", 3)), Step.of(Atom((5, 6), "8", 8))
    >>> Euclid((2, 7), three, eight, None).rotation is None
    True
    """

    span: Span
    pulses: Step
    steps: Step
    rotation: Step | None


@dataclass(frozen=True, slots=True)
class Degrade:
    """`?` or `?amount`: drop events at random; `seed` is the string's random counter.

    >>> Degrade((4, 5), None, 0).amount is None
    True
    """

    span: Span
    amount: float | None
    seed: int


@dataclass(frozen=True, slots=True)
class Tail:
    """`:element`: append a (patterned) value, making a list value (`bd:3`).

    >>> Tail((2, 4), Atom((3, 4), "3", 3)).element.value
    3
    """

    span: Span
    element: Node


@dataclass(frozen=True, slots=True)
class Range:
    """`.. end`: the integers from the step's value to `end`, as steps.

    >>> Range((2, 6), Atom((5, 6), "4", 4)).end.value
    4
    """

    span: Span
    end: Node


Op = Union[Fast, Slow, Replicate, Euclid, Degrade, Tail, Range]
"""A modifier applied to a step, in source order."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a sequence: a node, its modifiers in order, and its relative length.

    >>> Step.of(Atom((0, 1), "a", "a")).weight
    Fraction(1, 1)
    """

    span: Span
    node: Node
    ops: tuple[Op, ...]
    weight: Fraction

    @staticmethod
    def of(node: Node) -> Step:
        """A step of weight 1 without modifiers.

        >>> Step.of(Rest((0, 1))).ops
        ()
        """
        return Step(node.span, node, (), Fraction(1))


@dataclass(frozen=True, slots=True)
class Sequence:
    """Steps side by side filling one cycle, each in proportion to its weight.

    >>> Sequence((0, 0), ()).weight
    Fraction(0, 1)
    """

    span: Span
    steps: tuple[Step, ...]

    @property
    def weight(self) -> Fraction:
        """The sum of the steps' weights (the step count of `< >` and `{ }`).

        >>> Sequence((0, 3), (Step.of(Atom((0, 1), "a", "a")),) * 2).weight
        Fraction(2, 1)
        """
        return sum((step.weight for step in self.steps), Fraction(0))


@dataclass(frozen=True, slots=True)
class Stack:
    """`a b, c d`: layers played at the same time, each filling the cycle.

    >>> len(Stack((0, 3), (Sequence((0, 1), ()), Sequence((2, 3), ()))).layers)
    2
    """

    span: Span
    layers: tuple[Sequence, ...]


@dataclass(frozen=True, slots=True)
class RandomChoice:
    """`a | b c`: one option chosen at random each cycle.

    >>> RandomChoice((0, 5), (), 0).seed
    0
    """

    span: Span
    options: tuple[Sequence, ...]
    seed: int


@dataclass(frozen=True, slots=True)
class Feet:
    """`a . b c`: groups, each one step (`[a] [b c]`).

    >>> Feet((0, 7), (), 0).groups
    ()
    """

    span: Span
    groups: tuple[Sequence, ...]
    seed: int


@dataclass(frozen=True, slots=True)
class Alternation:
    """`<a b, c d e>`: each layer plays one step per cycle (weights count in cycles).

    >>> Alternation((0, 5), ()).layers
    ()
    """

    span: Span
    layers: tuple[Sequence, ...]


@dataclass(frozen=True, slots=True)
class Polymeter:
    """`{a b c, d e}%n`: layers stepping together, `steps_per_cycle` steps a cycle (default:
    the first layer's step count).

    >>> Polymeter((0, 5), (), None).steps_per_cycle is None
    True
    """

    span: Span
    layers: tuple[Sequence, ...]
    steps_per_cycle: Node | None


Node = Union[Atom, Rest, Sequence, Stack, RandomChoice, Feet, Alternation, Polymeter]
"""Anything that becomes a pattern."""


def walk(node: Node | Step) -> list[Node | Step]:
    """Every node and step below (and including) `node`, depth first, without recursion.

    >>> from patterns.mini.parser import parse
    >>> [type(n).__name__ for n in walk(parse("a [b]"))]
    ['Sequence', 'Step', 'Atom', 'Step', 'Sequence', 'Step', 'Atom']
    """
    found: list[Node | Step] = []
    pending: list[Node | Step] = [node]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(reversed(children(current)))
    return found


def children(node: Node | Step) -> list[Node | Step]:
    """The direct children of a node: steps of a sequence, layers of a group, a step's node and
    its operators' arguments, a polymeter's step count.

    >>> from patterns.mini.parser import parse
    >>> [type(c).__name__ for c in children(parse("a*2").steps[0])]
    ['Atom', 'Atom']
    """
    if isinstance(node, Step):
        found: list[Node | Step] = [node.node]
        for op in node.ops:
            found.extend(op_arguments(op))
        return found
    if isinstance(node, Sequence):
        return list(node.steps)
    if isinstance(node, (Stack, Alternation)):
        return list(node.layers)
    if isinstance(node, RandomChoice):
        return list(node.options)
    if isinstance(node, Feet):
        return list(node.groups)
    if isinstance(node, Polymeter):
        extra = [] if node.steps_per_cycle is None else [node.steps_per_cycle]
        return [*node.layers, *extra]
    return []


def op_arguments(op: Op) -> list[Node | Step]:
    """The nodes an operator takes as arguments.

    >>> op_arguments(Fast((0, 2), Atom((1, 2), "2", 2)))
    [Atom(span=(1, 2), text='2', value=2)]
    """
    if isinstance(op, (Fast, Slow)):
        return [op.amount]
    if isinstance(op, Tail):
        return [op.element]
    if isinstance(op, Range):
        return [op.end]
    if isinstance(op, Euclid):
        args: list[Node | Step] = [op.pulses, op.steps]
        if op.rotation is not None:
            args.append(op.rotation)
        return args
    return []
