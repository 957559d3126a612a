"""Pattern constructors: sequences, alternation, stacks, weighted sequences, polymeters, runs.

>>> [e.value for e in sequence("a", ["b", "c"]).first_cycle()]
['a', 'b', 'c']
>>> [e.value for e in cat("a", "b").query_arc(0, 3)]
['a', 'b', 'a']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction
from math import lcm
from typing import Any

from patterns.errors import PatternArgumentError
from patterns.event import Event
from patterns.pattern import Pattern, is_pure, pure, reify, shift_events, silence
from patterns.timemath import add, affine, eq, lt, sub, whole
from patterns.timespan import TimeSpan, make_span, same_span, to_time
from patterns.runaway import to_count

__all__ = [
    "pure",
    "silence",
    "sequence",
    "seq",
    "fastcat",
    "cat",
    "slowcat",
    "stack",
    "timecat",
    "timeCat",
    "stepcat",
    "polymeter",
    "polymeter_steps",
    "polymeterSteps",
    "run",
    "scan",
    "binary",
    "binaryN",
    "arrange",
]


def _item(value: Any) -> Pattern:
    """A sequence element: a list is a nested sequence, anything else is reified."""
    if isinstance(value, (list, tuple)):
        return sequence(*value)
    return reify(value)


def slowcat(*pats: Any) -> Pattern:
    """Play one pattern per cycle in turn; each advances only when played (alias `cat`).

    >>> [e.value for e in slowcat("a", sequence("b", "c")).query_arc(0, 2)]
    ['a', 'b', 'c']
    """
    children = [_item(p) for p in pats]
    if not children:
        return silence
    if len(children) == 1:
        return children[0]
    count = len(children)
    queries = [c.query for c in children]

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            begin = piece.begin
            cycle = begin._numerator // begin._denominator
            index = cycle % count
            offset = cycle - (cycle // count)
            if offset == 0:
                out.extend(queries[index](piece))
                continue
            back = whole(-offset)
            shifted = queries[index](make_span(add(piece.begin, back), add(piece.end, back)))
            out.extend(shift_events(shifted, whole(offset)))
        return out

    return Pattern(query, Fraction(1))


cat = slowcat


def _slot_query(slots: list[tuple[Fraction, Fraction, Pattern]]) -> Pattern:
    """Each (begin, end, pat) plays cycle c of pat compressed into [c+begin, c+end)."""
    one = Fraction(1)
    # inner time u = t / d + (c * (1 - 1/d) - b/d); back: t = u * d + (c * (1 - d) + b)
    # rests (`silence`) answer nothing: left out; the slots are in time order, so a query
    # starts at the first slot ending after its begin and stops at the first one past its end
    prepared = [
        (b, e, e - b, 1 / (e - b), one - 1 / (e - b), -b / (e - b), one - (e - b), p.query)
        for b, e, p in slots
        if e > b and p is not silence
    ]
    scale = lcm(*(slot[1]._denominator for slot in prepared)) if prepared else 1
    ends = [slot[1]._numerator * (scale // slot[1]._denominator) for slot in prepared]  # x scale

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        append = out.append
        for piece in span.span_cycles():
            pbegin, pend = piece.begin, piece.end
            cycle_int = pbegin._numerator // pbegin._denominator
            cycle = whole(cycle_int)
            rb = sub(pbegin, cycle)
            re = sub(pend, cycle)
            point = eq(rb, re)
            first = bisect_right(ends, rb._numerator * scale // rb._denominator)  # first end > rb
            for index in range(first, len(prepared)):
                b, e, d, inv_d, in_scale, in_offset, one_minus_d, child = prepared[index]
                if point:
                    if lt(rb, b):
                        break
                    lo = hi = rb
                else:
                    if not lt(b, re):
                        break
                    lo = b if lt(rb, b) else rb
                    hi = re if lt(re, e) else e
                to_inner = affine(cycle, in_scale, in_offset)
                to_outer = affine(cycle, one_minus_d, b)
                inner = make_span(
                    affine(add(lo, cycle), inv_d, to_inner), affine(add(hi, cycle), inv_d, to_inner)
                )
                for ev in child(inner):
                    w = ev.whole
                    p = ev.part
                    part = make_span(affine(p.begin, d, to_outer), affine(p.end, d, to_outer))
                    if w is None:
                        mapped = None
                    elif same_span(w, p):
                        mapped = part  # spans are never mutated: share the mapped one
                    else:
                        mapped = make_span(affine(w.begin, d, to_outer), affine(w.end, d, to_outer))
                    append(Event(mapped, part, ev.value, ev.context))
        return out

    return Pattern(query)


def timecat(*pairs: Any) -> Pattern:
    """Concatenate (weight, pattern) pairs into one cycle, each in proportion to its weight.

    >>> [str(e.whole) for e in timecat((3, "a"), (1, "b")).first_cycle()]
    ['0 → 3/4', '3/4 → 1']
    """
    items: list[tuple[Fraction, Pattern]] = []
    for pair in pairs:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise PatternArgumentError(
                f"timecat(*pairs): each argument must be a (weight, pattern) pair, got {pair!r}"
            )
        items.append((to_time(pair[0]), _item(pair[1])))
    total = sum((w for w, _ in items), Fraction(0))
    if total == 0:
        return silence
    if len(items) == 1:
        return items[0][1].with_steps(total)
    slots: list[tuple[Fraction, Fraction, Pattern]] = []
    begin = Fraction(0)
    for weight, pat in items:
        end = begin + weight
        slots.append((begin / total, end / total, pat))
        begin = end
    return _slot_query(slots).set_steps(total)


timeCat = timecat


def fastcat(*pats: Any) -> Pattern:
    """Squeeze the patterns into one cycle, equal steps (aliases `sequence`, `seq`).

    >>> [str(e.whole) for e in fastcat("a", "b").first_cycle()]
    ['0 → 1/2', '1/2 → 1']
    """
    children = [_item(p) for p in pats]
    if not children:
        return silence
    if len(children) == 1:
        return children[0]
    count = len(children)
    return timecat(*[(1, c) for c in children]).set_steps(count)


def sequence(*values: Any) -> Pattern:
    """A sequence of values in one cycle; lists nest (`sequence(1, [2, 3])`).

    >>> [e.value for e in sequence(1, [2, 3]).first_cycle()]
    [1, 2, 3]
    """
    return fastcat(*values)


seq = sequence


def stack(*pats: Any) -> Pattern:
    """Play patterns at the same time.

    >>> sorted(e.value for e in stack("a", "b").first_cycle())
    ['a', 'b']
    """
    children = [_item(p) for p in pats]
    if not children:
        return silence
    if len(children) == 1:
        return children[0]
    queries = [c.query for c in children]

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for q in queries:
            out.extend(q(span))
        return out

    steps = [c.steps for c in children]
    common: Fraction | None = None
    if all(s is not None for s in steps):
        common = Fraction(_lcm_fractions(steps))  # type: ignore[arg-type]
    return Pattern(query, common)


def _lcm_fractions(values: Sequence[Fraction]) -> Fraction:
    result = Fraction(1)
    for v in values:
        if v.denominator != 1 or result.denominator != 1:
            return values[0]
        if v == 0:
            continue
        result = Fraction(lcm(int(result), int(v)))
    return result


def stepcat(*items: Any) -> Pattern:
    """Concatenate patterns in proportion to their step counts (Strudel's stepcat).

    >>> [str(e.whole) for e in stepcat(sequence("a", "b", "c"), sequence("d", "e")).first_cycle()][:2]
    ['0 → 1/5', '1/5 → 2/5']
    """
    pairs: list[tuple[Fraction, Pattern]] = []
    for item in items:
        if isinstance(item, (list, tuple)) and len(item) == 2 and not isinstance(item[0], str):
            pairs.append((to_time(item[0]), _item(item[1])))
        else:
            pat = _item(item)
            pairs.append((pat.steps if pat.steps is not None else Fraction(1), pat))
    return timecat(*pairs)


def polymeter_steps(steps: Any, *pats: Any) -> Pattern:
    """Fit `steps` steps of each pattern into every cycle.

    >>> [e.value for e in polymeter_steps(2, sequence("a", "b", "c")).query_arc(0, 2)]
    ['a', 'b', 'c', 'a']
    """
    children = [_item(p) for p in pats]
    if not children:
        return silence
    target = to_time(steps)
    if target == 0:
        return silence
    fitted = []
    for child in children:
        own = child.steps if child.steps is not None else Fraction(1)
        if own == 0:
            continue
        fitted.append(child.fast_raw(target / own))
    return stack(*fitted).set_steps(target)


def polymeter(*pats: Any) -> Pattern:
    """Stack patterns, each playing the first pattern's number of steps per cycle.

    >>> [e.value for e in polymeter(sequence("a", "b"), sequence("c", "d", "e")).query_arc(1, 2)]
    ['a', 'b', 'e', 'c']
    """
    children = [_item(p) for p in pats]
    if not children:
        return silence
    first = children[0].steps if children[0].steps is not None else Fraction(1)
    return polymeter_steps(first, *children)


polymeterSteps = polymeter_steps
"""Strudel's name for `polymeter_steps`."""


def _run(count: Any) -> Pattern:
    n = to_count(count, "run")
    if n <= 0:
        return silence
    return fastcat(*[pure(i) for i in range(n)])


def run(count: Any) -> Pattern:
    """The integers 0 .. n-1 as a sequence; `count` may be patterned.

    >>> [e.value for e in run(4).first_cycle()]
    [0, 1, 2, 3]
    """
    pat = reify(count)
    if is_pure(pat) and isinstance(pat.pure_value, (int, float, Fraction)):
        return _run(pat.pure_value)
    return pat.fmap(_run).inner_join()


def scan(count: Any) -> Pattern:
    """Runs of growing length, one per cycle: 0, then 0 1, ... up to `count` (Tidal's scan).

    >>> [e.value for e in scan(3).query_arc(0, 3)]
    [0, 0, 1, 0, 1, 2]
    """
    n = to_count(count, "scan")
    if n <= 0:
        return silence
    return slowcat(*[_run(i) for i in range(1, n + 1)])


def _bits(number: Any, width: Any) -> Pattern:
    value, count = int(number), to_count(width, "binaryN")
    if count <= 0:
        return silence
    return fastcat(*[pure((value >> (count - 1 - i)) & 1 == 1) for i in range(count)])


def binaryN(number: Any, bits: Any = 16) -> Pattern:
    """The bits of `number` as booleans, most significant first, in `bits` steps (patterned).

    >>> [int(e.value) for e in binaryN(5, 4).first_cycle()]
    [0, 1, 0, 1]
    """
    npat, bpat = reify(number), reify(bits)
    if is_pure(npat) and is_pure(bpat):
        return _bits(npat.pure_value, bpat.pure_value)
    return npat.fmap(lambda n: lambda b: _bits(n, b)).app_left(bpat).inner_join()


def binary(number: Any) -> Pattern:
    """The bits of `number` as booleans, as many steps as it has binary digits.

    >>> [int(e.value) for e in binary(5).first_cycle()]
    [1, 0, 1]
    """
    npat = reify(number)

    def bits_of(n: Any) -> Pattern:
        return _bits(n, max(1, int(n).bit_length()))

    if is_pure(npat):
        return bits_of(npat.pure_value)
    return npat.fmap(bits_of).inner_join()


def arrange(*sections: Any) -> Pattern:
    """Play (cycles, pattern) sections one after another, looping the whole arrangement.

    >>> [e.value for e in arrange((2, "a"), (1, "b")).query_arc(0, 4)]
    ['a', 'a', 'b', 'a']
    """
    pairs: list[tuple[Fraction, Pattern]] = []
    for section in sections:
        if not isinstance(section, (list, tuple)) or len(section) != 2:
            raise PatternArgumentError(
                f"arrange(*sections): each section must be (cycles, pattern), got {section!r}"
            )
        cycles = to_time(section[0])
        pairs.append((cycles, _item(section[1]).fast_raw(cycles)))
    total = sum((c for c, _ in pairs), Fraction(0))
    if total == 0:
        return silence
    return timecat(*pairs).fast_raw(1 / total)
