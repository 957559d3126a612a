"""First-order Markov chains learned from a melody or a drum pattern, played as patterns.

`learn_markov(source)` reads a pattern on a grid (`steps` a cycle): the state of a step is
what starts in it, every sound with its length (so a drum step may be "kick and hat", and an
empty step is a state too), and the chain counts which state follows which, the last step
leading back to the first (the source is a loop). A list of values is read one item a step
(None or "~" is a rest). `MarkovChain.pattern(seed)` walks the chain from the source's first
state with a seeded stream and loops the walk, so it is a pure function of time.

>>> from patterns.controls import s
>>> chain = learn_markov(s("bd hh sd hh"), steps=4)
>>> chain.describe()
['bd -> hh', 'hh -> sd 1, bd 1', 'sd -> hh']
>>> [e.value["s"] for e in chain.pattern(seed=2, length=2).onsets(0, 2)]
['bd', 'hh', 'bd', 'hh', 'sd', 'hh', 'bd', 'hh']
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from patterns.compose.phrase import PhraseEvent, loop_phrase, per_seed
from patterns.compose.rng import Stream, check_seed
from patterns.errors import GeneratorError
from patterns.pattern import Pattern
from patterns.runaway import MAX_COUNT

__all__ = ["MarkovChain", "learn_markov", "markov"]

State = tuple[tuple[Hashable, Fraction], ...]
"""What starts in one grid step: (value key, length in steps) for each sound; () is a rest."""

def _freeze(value: Any) -> Hashable:
    """A hashable key for an event value (control maps and lists included)."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _label(value: Any) -> str:
    if isinstance(value, Mapping):
        for key in ("s", "note", "n"):
            if key in value:
                return str(value[key])
    return str(value)


@dataclass(frozen=True, slots=True)
class MarkovChain:
    """A learned first-order Markov chain of grid steps.

    The states in the order first seen, the original value of each key, for each state the
    (next state, count) pairs, and the grid it was learned on (`steps` a cycle).

    >>> chain = learn_markov(["c4", "e4", "c4", "g4"], steps=4)
    >>> len(chain.states), chain.transitions[0]
    (3, ((1, 1), (2, 1)))
    """

    states: tuple[State, ...]
    values: Mapping[Hashable, Any]
    transitions: tuple[tuple[tuple[int, int], ...], ...]
    steps: int

    def describe(self) -> list[str]:
        """Each state and where it goes (with counts when there is a choice).

        >>> learn_markov(["a", "a", "b"]).describe()
        ['a -> a 1, b 1', 'b -> a']
        """
        lines = []
        for index, targets in enumerate(self.transitions):
            names = [self.name(target) + (f" {count}" if len(targets) > 1 else "") for target, count in targets]
            lines.append(f"{self.name(index)} -> {', '.join(names)}")
        return lines

    def name(self, index: int) -> str:
        """A short name of a state: its sounds joined by `+`, or `~` for a rest."""
        state = self.states[index]
        return "+".join(_label(self.values[key]) for key, _ in state) if state else "~"

    def walk(self, seed: int, count: int, start: int = 0) -> list[int]:
        """`count` state indices from `start`, each drawn from the counts of the one before.

        >>> learn_markov(["a", "b"]).walk(0, 4)
        [0, 1, 0, 1]
        """
        check_seed(seed, "markov")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise GeneratorError(f"markov: the length in steps must be 1 .. {MAX_COUNT}, got {count!r}")
        stream = Stream(seed, "markov")
        path = [start]
        for _ in range(count - 1):
            targets = self.transitions[path[-1]]
            path.append(targets[stream.weighted([c for _, c in targets])][0])
        return path

    def phrase(self, seed: int, length: int = 1) -> list[PhraseEvent]:
        """A walk of `length` cycles as timed values (a sound longer than the phrase is cut)."""
        step = Fraction(1, self.steps)
        out: list[PhraseEvent] = []
        for slot, index in enumerate(self.walk(seed, self.steps * length)):
            begin = slot * step
            for key, size in self.states[index]:
                out.append((begin, min(Fraction(length), begin + size * step), self.values[key]))
        return out

    def pattern(self, seed: Any = 0, length: int = 1) -> Pattern:
        """The walk of a seed as a pattern, `self.steps` steps a cycle, looping every `length`
        cycles; a patterned seed picks the walk each cycle.

        >>> [e.value for e in learn_markov(["a", "b"], steps=2).pattern().onsets(0, 1)]
        ['a', 'b']
        """
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= 64:
            raise GeneratorError(f"markov: length must be a whole number of cycles 1 .. 64, got {length!r}")
        return per_seed(seed, "markov", lambda value: loop_phrase(self.phrase(value, length), length))


def _states_of_pattern(source: Pattern, steps: int, cycles: int, values: dict[Hashable, Any]) -> list[State]:
    slots: list[list[tuple[Hashable, Fraction]]] = [[] for _ in range(steps * cycles)]
    for event in source.query_arc(0, cycles):
        if event.whole is None or not event.has_onset():
            continue
        slot = math.floor(event.whole.begin * steps)
        key = _freeze(event.value)
        values.setdefault(key, event.value)
        slots[slot].append((key, (event.whole.end - event.whole.begin) * steps))
    return [tuple(sorted(set(slot), key=repr)) for slot in slots]


def _states_of_list(source: Sequence[Any], values: dict[Hashable, Any]) -> list[State]:
    states: list[State] = []
    for item in source:
        if item is None or item == "~":
            states.append(())
            continue
        key = _freeze(item)
        values.setdefault(key, item)
        states.append(((key, Fraction(1)),))
    return states


def learn_markov(source: Pattern | Sequence[Any], steps: int | None = None, cycles: int = 1) -> MarkovChain:
    """Learn a first-order Markov chain from a pattern or a list.

    A pattern's first `cycles` cycles are read on a grid of `steps` a cycle (16 by default); a
    list gives one item a step (`steps`, 8 by default, is then how many a cycle it plays).

    >>> from patterns.controls import note
    >>> learn_markov(note("c4 e4 g4 e4"), steps=4).describe()
    ['c4 -> e4', 'e4 -> g4 1, c4 1', 'g4 -> e4']
    """
    values: dict[Hashable, Any] = {}
    if isinstance(source, Pattern):
        grid = 16 if steps is None else steps
        _check_whole(grid, "steps", 64)
        _check_whole(cycles, "cycles", 64)
        sequence = _states_of_pattern(source, grid, cycles, values)
    elif isinstance(source, (list, tuple)):
        grid = 8 if steps is None else steps
        _check_whole(grid, "steps", 64)
        sequence = _states_of_list(source, values)
    else:
        raise GeneratorError(f"markov: learn from a pattern or a list of values, got {type(source).__name__}")
    if not any(sequence):
        raise GeneratorError("markov: the source has no notes to learn from")
    order: list[State] = []
    for state in sequence:
        if state not in order:
            order.append(state)
    counts: list[dict[int, int]] = [{} for _ in order]
    for here, there in zip(sequence, sequence[1:] + sequence[:1]):
        row = counts[order.index(here)]
        row[order.index(there)] = row.get(order.index(there), 0) + 1
    transitions = tuple(tuple(row.items()) for row in counts)
    return MarkovChain(tuple(order), values, transitions, grid)


def _check_whole(value: Any, name: str, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise GeneratorError(f"markov: {name} must be a whole number 1 .. {high}, got {value!r}")


def markov(source: Pattern | Sequence[Any], seed: Any = 0, steps: int | None = None, cycles: int = 1,
           length: int = 1) -> Pattern:
    """A new pattern in the style of `source`, from a Markov chain learned from it.

    Learns the chain (`learn_markov`) and plays a seeded walk of `length` cycles, looping.

    >>> from patterns.controls import note
    >>> [e.value["note"] for e in markov(note("c4 e4 g4 e4 d4 e4 c4 b3"), 3, steps=8).onsets(0, 1)]
    ['c4', 'e4', 'g4', 'e4', 'c4', 'b3', 'c4', 'e4']
    """
    return learn_markov(source, steps, cycles).pattern(seed, length)
