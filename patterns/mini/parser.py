"""Recursive-descent parser: mini-notation source to a syntax tree (`patterns.mini.ast`).

It follows Strudel's grammar (krill). Every step reads at least one token and recursion only
happens inside brackets, whose nesting is limited to MAX_DEPTH, so parsing takes time linear in
the length of the source and never overflows the stack. Any bad input raises
`MiniNotationError` with the column of the problem.

>>> parse("a").steps[0]
Step(span=(0, 1), node=Atom(span=(0, 1), text='a', value='a'), ops=(), weight=Fraction(1, 1))
>>> parse("[a b")
Traceback (most recent call last):
...
patterns.errors.MiniNotationError: unclosed '[' at column 1
  [a b
  ^
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from fractions import Fraction

from patterns.errors import MiniNotationError
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
    Stack,
    Step,
    Tail,
    children,
)
from patterns.mini.lexer import WORD_KIND, Token, split_number, tokenize

__all__ = ["parse", "word_value", "nesting", "MAX_DEPTH", "MAX_NESTING", "MAX_REPLICATE"]

MAX_DEPTH = 64
"""Deepest nesting of brackets and parentheses accepted."""

MAX_NESTING = 160
"""Deepest nesting of patterns accepted: brackets plus the operators applied at each level
(`a:1:2:3` nests three times), so that querying stays well inside Python's recursion limit."""

MAX_REPLICATE = 10_000
"""Largest `!n` accepted."""

_OPENERS = {"[": "]", "<": ">", "{": "}"}
_SEPARATORS = (",", "|", ".")
_STEP_START = frozenset((WORD_KIND, "[", "<", "{"))
_MAX_INT_DIGITS = 300
_INT_RE = re.compile(r"-?[0-9]+\Z")
_DECIMAL_RE = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE]-?[0-9]+)?\Z")
_PREFIXED_RE = re.compile(r"0(?:[xX][0-9a-fA-F]+|[bB][01]+|[oO][0-7]+)\Z")


def parse(source: str) -> Node:
    """Parse mini-notation into a syntax tree; an empty source is an empty sequence (silence).

    >>> type(parse("<a b>, c")).__name__
    'Stack'
    >>> parse("").steps
    ()
    """
    if not isinstance(source, str):
        raise MiniNotationError(
            f"mini-notation must be a str, not {type(source).__name__}", repr(source), 0
        )
    tree = _Parser(source).parse_root()
    depth, node = nesting(tree)
    if depth > MAX_NESTING:
        raise MiniNotationError(
            f"patterns nested too deeply ({depth} levels of brackets and operators, "
            f"at most {MAX_NESTING})",
            source,
            node.span[0],
        )
    return tree


def word_value(text: str) -> str | int | float | None:
    """The value of a word: an int or float for numeric words, the text otherwise, None when
    the number does not fit a float.

    >>> [word_value(w) for w in ("3", "-1.5", "1e3", "0x10", "eb3")]
    [3, -1.5, 1000.0, 16, 'eb3']
    """
    if _INT_RE.match(text):
        return int(text) if len(text) <= _MAX_INT_DIGITS else None
    if _DECIMAL_RE.match(text):
        number = float(text)
        return number if math.isfinite(number) else None
    if _PREFIXED_RE.match(text):
        return int(text, 0)
    return text


def nesting(node: Node | Step) -> tuple[int, Node | Step]:
    """How deeply the patterns built from `node` nest, and the deepest node on the way.

    Each bracket, step and operator adds a level; recursion follows the brackets, so it is
    bounded by MAX_DEPTH.

    >>> nesting(parse("a:1:2 [b]"))[0]
    4
    """
    own = len(node.ops) if isinstance(node, Step) else 1
    below, culprit = 0, node
    for child in children(node):
        depth, found = nesting(child)
        if depth > below:
            below, culprit = depth, found
    if below > MAX_NESTING:  # already too deep further down: keep pointing there
        return below + own, culprit
    return below + own, node


class _Parser:
    """One parse: a token cursor, the nesting depth and the random-seed counter."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.position = 0
        self.pending: list[Token] = []
        self.previous: Token | None = None
        self.depth = 0
        self.seed = 0

    # ---- cursor -------------------------------------------------------------------------

    def peek(self) -> Token:
        """The next token (an "eof" token at the end)."""
        if self.pending:
            return self.pending[-1]
        return self.tokens[self.position]

    def advance(self) -> Token:
        """Consume and return the next token."""
        if self.pending:
            token = self.pending.pop()
        else:
            token = self.tokens[self.position]
            if token.kind != "eof":
                self.position += 1
        self.previous = token
        return token

    def push_back(self, tokens: list[Token]) -> None:
        """Make `tokens` the next ones read, in order."""
        self.pending.extend(reversed(tokens))

    def error(self, message: str, column: int) -> MiniNotationError:
        """A syntax error at `column`."""
        return MiniNotationError(message, self.source, column)

    def unclosed(self, opener: Token) -> MiniNotationError:
        """A bracket never closed: the caret points at the bracket itself."""
        return self.error(f"unclosed '{opener.text}'", opener.column)

    def next_seed(self) -> int:
        """The next value of the string's random counter (`?`, `|` and `.` each take one)."""
        seed = self.seed
        self.seed += 1
        return seed

    # ---- structure ----------------------------------------------------------------------

    def parse_root(self) -> Node:
        """The whole source: a stack, choice, feet or sequence, then the end."""
        if self.peek().kind == "eof":
            return Sequence((0, 0), ())
        node = self.stack_or_choose(None)
        token = self.peek()
        if token.kind != "eof":
            raise self.error(_unexpected(token), token.column)
        return node

    def stack_or_choose(self, opener: Token | None) -> Node:
        """Sequences separated by one kind of `,` (stack), `|` (random choice), `.` (feet)."""
        head = self.sequence(opener)
        kind = self.peek().kind
        if kind not in _SEPARATORS:
            return head
        parts = [head]
        while self.peek().kind == kind:
            self.advance()
            parts.append(self.sequence(opener))
        other = self.peek()
        if other.kind in _SEPARATORS:
            raise self.error(
                f"cannot mix '{kind}' and '{other.kind}' in one group; wrap one side in '[ ]'",
                other.column,
            )
        span = (head.span[0], parts[-1].span[1])
        if kind == ",":
            return Stack(span, tuple(parts))
        if kind == "|":
            return RandomChoice(span, tuple(parts), self.next_seed())
        return Feet(span, tuple(parts), self.next_seed())

    def layers(self, opener: Token) -> tuple[Sequence, ...]:
        """The comma-separated sequences inside `< >` or `{ }`."""
        layers = [self.sequence(opener)]
        while self.peek().kind == ",":
            self.advance()
            layers.append(self.sequence(opener))
        token = self.peek()
        if token.kind in ("|", "."):
            raise self.error(
                f"'{token.kind}' cannot be used directly inside '{opener.text} "
                f"{_OPENERS[opener.text]}'; wrap that part in '[ ]'",
                token.column,
            )
        return tuple(layers)

    def sequence(self, opener: Token | None) -> Sequence:
        """One or more steps side by side (a leading `^` step marker is accepted and ignored)."""
        self.skip_step_marker()
        steps: list[Step] = []
        while self.peek().kind in _STEP_START:
            steps.append(self.step())
        if not steps:
            token = self.peek()
            if token.kind == "eof" and opener is not None:
                raise self.unclosed(opener)
            raise self.error(self.missing_step_message(token, opener), token.column)
        return Sequence((steps[0].span[0], steps[-1].span[1]), tuple(steps))

    def skip_step_marker(self) -> None:
        """Drop a `^` that starts a sequence (Strudel's step-count marker)."""
        token = self.peek()
        if token.kind != WORD_KIND or not token.text.startswith("^"):
            return
        self.advance()
        if len(token.text) > 1:
            rest = Token(WORD_KIND, token.text[1:], token.column + 1, token.end, False)
            self.push_back([rest])

    def missing_step_message(self, token: Token, opener: Token | None) -> str:
        """Why a sequence could not start at `token`."""
        previous = self.previous
        if opener is not None and token.kind == _OPENERS[opener.text] and previous is opener:
            return f"empty '{opener.text} {token.kind}'"
        if previous is not None and previous.kind in _SEPARATORS:
            return f"expected a step after '{previous.kind}'"
        if token.kind == "_":
            return "'_' has no step to extend"
        if token.kind in ("*", "/", "!", "@", "?", ":", "(", ".."):
            return f"'{token.kind}' has no step before it"
        return _unexpected(token)

    # ---- steps --------------------------------------------------------------------------

    def step(self) -> Step:
        """A slice followed by its modifiers (`@ _ ! ( * / ? : ..`)."""
        node = self.slice()
        if node is None:
            token = self.peek()
            raise self.error(_unexpected(token), token.column)
        ops: list[Op] = []
        weight = Fraction(1)
        reps = 1
        end = node.span[1]
        while True:
            token = self.peek()
            kind = token.kind
            if kind in ("@", "_"):
                self.advance()
                amount = self.glued_number()
                weight += (Fraction(2) if amount is None else amount) - 1
            elif kind == "!":
                self.advance()
                reps = self.replicate_count(token, reps)
                ops = [op for op in ops if not isinstance(op, Replicate)]
                ops.append(Replicate((token.column, self.previous_end()), reps))
                weight = Fraction(reps)
            elif kind == "(":
                ops.append(self.euclid())
            elif kind in ("*", "/", ":", ".."):
                ops.append(self.slice_op(token))
            elif kind == "?":
                self.advance()
                amount = self.glued_number()
                value = None if amount is None else float(amount)
                ops.append(Degrade((token.column, self.previous_end()), value, self.next_seed()))
            else:
                break
            end = self.previous_end()
        if weight <= 0:
            raise self.error(
                f"a step's weight must be positive, got {_show(weight)}", node.span[0]
            )
        return Step((node.span[0], end), node, tuple(ops), weight)

    def previous_end(self) -> int:
        """The end column of the last token read."""
        return 0 if self.previous is None else self.previous.end

    def replicate_count(self, bang: Token, reps: int) -> int:
        """The repeat count after a `!` (bare `!` adds one)."""
        amount = self.glued_number()
        if amount is None:
            return reps + 1
        if amount.denominator != 1 or amount < 1:
            message = f"'!' needs a whole number of at least 1, got {_show(amount)}"
            raise self.error(message, bang.column + 1)
        total = reps + int(amount) - 1
        if total > MAX_REPLICATE:
            raise self.error(f"'!' repeats at most {MAX_REPLICATE} times", bang.column + 1)
        return total

    def glued_number(self) -> Fraction | None:
        """A number written right after an operator (`@3`, `?0.3`, `!2`), if there is one."""
        token = self.peek()
        if token.kind != WORD_KIND or token.spaced:
            return None
        split = split_number(token)
        if split is None:
            return None
        number, rest = split
        self.advance()
        self.push_back(rest)
        self.previous = number
        value = float(number.text)
        if not math.isfinite(value):
            raise self.error(f"number {number.text!r} is too large", number.column)
        return Fraction(repr(value))

    def slice_op(self, token: Token) -> Op:
        """`*factor`, `/divisor`, `:element` or `.. end`: an operator taking one slice."""
        self.advance()
        argument = self.slice()
        if argument is None:
            needs = {"*": "a factor", "/": "a divisor", ":": "a value", "..": "an end value"}
            found = self.peek()
            raise self.error(f"'{token.kind}' needs {needs[token.kind]}", found.column)
        span = (token.column, argument.span[1])
        if token.kind == "*":
            return Fast(span, argument)
        if token.kind == "/":
            return Slow(span, argument)
        if token.kind == ":":
            return Tail(span, argument)
        return Range(span, argument)

    def euclid(self) -> Euclid:
        """`(pulses, steps[, rotation])`, each argument a step with its own modifiers."""
        opener = self.enter()
        args: list[Step] = []
        while True:
            if self.peek().kind not in _STEP_START:
                break
            args.append(self.step())
            token = self.peek()
            if token.kind != ",":
                break
            self.advance()
            if self.peek().kind == ")" and len(args) == 2:
                break
        token = self.peek()
        if token.kind == "eof":
            raise self.unclosed(opener)
        if token.kind != ")" or len(args) not in (2, 3):
            if token.kind == ")" or token.kind in _STEP_START or token.kind == ",":
                message = "euclid needs 2 or 3 arguments, as in (3,8) or (3,8,2)"
                raise self.error(message, opener.column)
            raise self.error(f"unexpected '{token.text}' in euclid arguments", token.column)
        self.advance()
        self.depth -= 1
        rotation = args[2] if len(args) == 3 else None
        return Euclid((opener.column, token.end), args[0], args[1], rotation)

    # ---- slices -------------------------------------------------------------------------

    def slice(self) -> Node | None:
        """A word, `[ ]`, `< >` or `{ }`; None when the next token starts none of them."""
        token = self.peek()
        kind = token.kind
        if kind == WORD_KIND:
            self.advance()
            return self.atom(token)
        if kind == "[":
            self.enter()
            inner = self.stack_or_choose(token)
            closer = self.close(token)
            return replace(inner, span=(token.column, closer.end))
        if kind == "<":
            self.enter()
            layers = self.layers(token)
            closer = self.close(token)
            return Alternation((token.column, closer.end), layers)
        if kind == "{":
            return self.polymeter(token)
        return None

    def polymeter(self, opener: Token) -> Polymeter:
        """`{a b, c d e}` with an optional `%steps` (a slice)."""
        self.enter()
        layers = self.layers(opener)
        closer = self.close(opener)
        end = closer.end
        steps: Node | None = None
        if self.peek().kind == "%":
            self.advance()
            steps = self.slice()
            if steps is None:
                raise self.error("'%' needs a step count", self.peek().column)
            end = steps.span[1]
        return Polymeter((opener.column, end), layers, steps)

    def enter(self) -> Token:
        """Consume an opening bracket, checking the nesting limit."""
        token = self.advance()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels", token.column)
        return token

    def close(self, opener: Token) -> Token:
        """Consume the bracket matching `opener`."""
        closer = _OPENERS[opener.text]
        token = self.peek()
        if token.kind == closer:
            self.depth -= 1
            return self.advance()
        if token.kind == "eof":
            raise self.unclosed(opener)
        raise self.error(
            f"unexpected '{token.text}', expected '{closer}' to close the '{opener.text}' "
            f"at column {opener.column + 1}",
            token.column,
        )

    def atom(self, token: Token) -> Node:
        """A word: a rest (`~`, `-`) or an atom with its value."""
        span = (token.column, token.end)
        if token.text in ("~", "-"):
            return Rest(span)
        value = word_value(token.text)
        if value is None:
            raise self.error(f"number {token.text!r} is too large", token.column)
        return Atom(span, token.text, value)



def _unexpected(token: Token) -> str:
    """The message for a token that cannot appear where it is."""
    if token.kind == "eof":
        return "unexpected end of input"
    if token.kind == "%":
        return "'%' can only follow '{ }'"
    return f"unexpected '{token.text}'"


def _show(number: Fraction) -> str:
    """A number for an error message (3, 0.5, -1/3)."""
    if number.denominator == 1:
        return str(number.numerator)
    as_float = float(number)
    return repr(as_float) if Fraction(repr(as_float)) == number else str(number)
