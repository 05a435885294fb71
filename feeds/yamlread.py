"""Safe YAML reading with positions: bytes to a node tree, and a report of problems.

We compose a node tree with libyaml's safe loader (the C one when PyYAML has it) and
read values from nodes ourselves, so that every value keeps its line and column, a
duplicate key is an error rather than a silent overwrite, and an alias bomb costs
nothing: we only ever read the shapes the schema expects, never expand a whole tree.
Timestamps are not resolved by YAML; the loader parses dates itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate

import yaml

from feeds.problems import CatalogError, Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FLOW_DEPTH = 100
MAX_PROBLEMS = 200
MAX_BLOCK_PREFIX = 400
_FLOW_BRACKETS = re.compile(r"[\[\]{}]")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_LONG_PREFIX = re.compile(rf"[ \t\-?:]{{{MAX_BLOCK_PREFIX},}}")
_LONG_PREFIX_INSIDE = re.compile(rf"\n[ \t\-?:]{{{MAX_BLOCK_PREFIX},}}")  # fast: no '^'


PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_INTEGER = next(  # YAML 1.1's integers: the pattern of PyYAML's own resolver
    pattern
    for tag, pattern in _BaseLoader.yaml_implicit_resolvers["0"]
    if tag == "tag:yaml.org,2002:int"
)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, leaving what a plain scalar means to the reader.

    The composer asks ``resolve`` for the tag of every node, and PyYAML's answers by
    matching each plain scalar against its patterns in Python: a quarter of the time
    spent composing. The schema only ever asks two things of a scalar, whether it is
    null (``is_null``) and whether it is an integer (``is_integer``), so untagged
    nodes keep an empty tag and those two questions are answered where they are asked.
    Timestamps are not resolved either: dates are the loader's to parse."""

    # Built-in callables that take the composer's arguments and do nothing that
    # matters cost far less than Python methods: ``resolve(kind, value, implicit)``
    # returns "" (str.format ignores arguments its text does not use), and path
    # resolvers, never used here, have nothing to track on descending and ascending.
    resolve = "".format
    descend_resolver = {}.get  # (node, index) -> index, ignored
    ascend_resolver = int  # () -> 0, ignored


def is_null(node: yaml.ScalarNode) -> bool:
    """Whether a scalar means nothing: tagged ``!!null``, or written plainly as
    nothing, ``~`` or null (YAML 1.1)."""
    if node.tag:
        return node.tag.endswith(":null")
    return not node.style and node.value in PLAIN_NULLS


def is_integer(node: yaml.ScalarNode) -> bool:
    """Whether a scalar is an integer: tagged ``!!int``, or written plainly as one."""
    if node.tag:
        return node.tag.endswith(":int")
    return not node.style and _PLAIN_INTEGER.match(node.value) is not None


def decode(data: bytes, filename: str) -> str:
    """The file's text; a ``CatalogError`` for bytes that are not UTF-8 or nesting too
    deep for the parser to survive."""
    text = _decode(data, filename)
    if "\r\n" in text:  # YAML reads CRLF as one line break, in scalars too: same meaning
        text = text.replace("\r\n", "\n")
    if _flow_depth(data) > MAX_FLOW_DEPTH:
        _refuse_deep_brackets(text, filename)
    deep_block = _deep_block(text)
    if deep_block is not None:
        line = text.count("\n", 0, deep_block) + 1
        raise CatalogError([Problem(filename, line, None, _TOO_DEEP)])
    return text


def _flow_depth(data: bytes) -> int:
    """The deepest nesting of brackets, counted on the bytes (no multi-byte UTF-8
    sequence contains an ASCII byte): about 30 times faster than on the text."""
    brackets = data.translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def compose_text(text: str, filename: str) -> yaml.Node | None:
    """The node tree of text that ``decode`` returned (or a part of it); a
    ``CatalogError`` for YAML syntax errors."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"YAML syntax error: {error.problem or error.context}."
        raise CatalogError([_at(filename, mark, message, _SYNTAX_HINT)]) from None
    except yaml.YAMLError as error:
        raise CatalogError([Problem(filename, None, None, f"YAML error: {error}")]) from None


_SYNTAX_HINT = (
    "Check the indentation and quoting around that line; text containing ': ' or "
    "starting with a special character needs quotes."
)


def _decode(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise CatalogError(
            [
                Problem(
                    filename,
                    line,
                    column,
                    f"the file is not UTF-8 (byte 0x{data[error.start]:02x}).",
                    hint="Save the file as UTF-8.",
                )
            ]
        ) from None


def _refuse_deep_brackets(text: str, filename: str) -> None:
    """libyaml's composer recurses in C and crashes the process on very deep nesting,
    so such documents are refused before composing (no real catalogue nests more
    than a few levels). Called once ``_flow_depth`` found it: this says on which line."""
    depth = 0
    for match in _FLOW_BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise CatalogError([Problem(filename, line, None, _TOO_DEEP)])


def _deep_block(text: str) -> int | None:
    """Where a line starts with more indentation and block indicators than any
    catalogue needs (the same crash through block nesting), if one does."""
    if _LONG_PREFIX.match(text):
        return 0
    found = _LONG_PREFIX_INSIDE.search(text)
    return None if found is None else found.start() + 1


_TOO_DEEP = "the document is nested too deeply (brackets or indentation) to be a catalogue."


def _at(filename: str, mark, message: str, hint: str | None = None) -> Problem:
    if mark is None:
        return Problem(filename, None, None, message, hint=hint)
    return Problem(filename, mark.line + 1, mark.column + 1, message, hint=hint)


@dataclass(frozen=True)
class Reference:
    """A name an entry uses that another part of the file must define (a show), kept
    to be checked once the whole file is read. ``named`` is false when the value was
    not a name at all (``name`` then says what it was)."""

    name: str
    named: bool
    line: int | None
    column: int | None
    entry: str
    key: str


@dataclass
class Report:
    """Collects problems, warnings and references while a file (or one entry of it)
    is read. ``line_offset`` is added to every line: an entry composed on its own
    reports lines counted from its first line."""

    filename: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    line_offset: int = 0

    def problem(self, node: yaml.Node, message: str, *, entry=None, key=None, hint=None) -> None:
        self.problems.append(self._make(node, message, entry, key, hint))

    def warn(self, node: yaml.Node, message: str, *, entry=None, key=None, hint=None) -> None:
        self.warnings.append(self._make(node, message, entry, key, hint))

    def refer(self, node: yaml.Node, name: str, *, named: bool, entry: str, key: str) -> None:
        line, column = self.position(node)
        self.references.append(Reference(name, named, line, column, entry, key))

    def position(self, node: yaml.Node | None) -> tuple[int | None, int | None]:
        mark = node.start_mark if node is not None else None
        if mark is None:
            return None, None
        return mark.line + 1 + self.line_offset, mark.column + 1

    def _make(self, node, message, entry, key, hint) -> Problem:
        line, column = self.position(node)
        return Problem(self.filename, line, column, message, entry, key, hint)

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
        if len(ordered) > MAX_PROBLEMS:
            rest = len(ordered) - MAX_PROBLEMS
            ordered = ordered[:MAX_PROBLEMS]
            ordered.append(Problem(self.filename, None, None, f"and {rest:,} more problems."))
        raise CatalogError(ordered)


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"{node.value!r}"
