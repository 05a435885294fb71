"""Safe YAML reading with positions: bytes to a node tree, and typed field access.

We compose a node tree with libyaml's safe loader (the C one when PyYAML has it) and
read values from nodes ourselves, so that every value keeps its line and column, a
duplicate key is an error rather than a silent overwrite, and an alias bomb costs
nothing: we only ever read the shapes the schema expects, never expand a whole tree.
Timestamps are not resolved by YAML; the loader parses dates itself.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import yaml

from feeds.problems import CatalogError, Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FLOW_DEPTH = 100
MAX_PROBLEMS = 200
MAX_BLOCK_PREFIX = 400
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")
_FLOW_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_PREFIX = re.compile(rf"^[ \t\-?:]{{{MAX_BLOCK_PREFIX},}}", re.MULTILINE)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader without YAML 1.1 timestamps (dates are ours to parse)."""

    yaml_implicit_resolvers: ClassVar = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def compose(data: bytes, filename: str) -> yaml.Node | None:
    """The document's node tree; a ``CatalogError`` for bytes that are not UTF-8,
    nesting too deep for the parser to survive, or YAML syntax errors."""
    text = _decode(data, filename)
    _check_nesting(text, filename)
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


def _check_nesting(text: str, filename: str) -> None:
    """libyaml's composer recurses in C and crashes the process on very deep nesting;
    refuse such documents before composing (no real catalogue nests more than a few
    levels)."""
    depth = 0
    for match in _FLOW_BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise CatalogError([Problem(filename, line, None, _TOO_DEEP)])
    deep_block = _BLOCK_PREFIX.search(text)
    if deep_block:
        line = text.count("\n", 0, deep_block.start()) + 1
        raise CatalogError([Problem(filename, line, None, _TOO_DEEP)])


_TOO_DEEP = "the document is nested too deeply (brackets or indentation) to be a catalogue."


def _at(filename: str, mark, message: str, hint: str | None = None) -> Problem:
    if mark is None:
        return Problem(filename, None, None, message, hint=hint)
    return Problem(filename, mark.line + 1, mark.column + 1, message, hint=hint)


@dataclass
class Report:
    """Collects problems and warnings while a file is read."""

    filename: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, node: yaml.Node, message: str, *, entry=None, key=None, hint=None) -> None:
        self.problems.append(self._make(node, message, entry, key, hint))

    def warn(self, node: yaml.Node, message: str, *, entry=None, key=None, hint=None) -> None:
        self.warnings.append(self._make(node, message, entry, key, hint))

    def _make(self, node, message, entry, key, hint) -> Problem:
        mark = node.start_mark if node is not None else None
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
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
    if node.tag.endswith(":null"):
        return "nothing"
    return f"{node.value!r}"


def clean_text(value: str, *, single_line: bool) -> tuple[str, bool]:
    """Text with characters that XML, iCalendar or JSON cannot carry removed, line
    breaks normalised, and (for single-line fields) folded to spaces. Returns the text
    and whether anything unsafe was removed."""
    text = _LINE_BREAKS.sub("\n", value)
    cleaned = _UNSAFE_CHARS.sub("", text)
    changed = cleaned != text
    if single_line:
        cleaned = " ".join(cleaned.split())
    return unicodedata.normalize("NFC", cleaned), changed


class Fields:
    """The keys of one YAML mapping, checked against the keys the schema allows."""

    def __init__(self, report: Report, node: yaml.MappingNode, entry: str, allowed) -> None:
        self.report = report
        self.node = node
        self.entry = entry
        self.values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            self._add(key_node, value_node, allowed)

    def _add(self, key_node: yaml.Node, value_node: yaml.Node, allowed) -> None:
        if not isinstance(key_node, yaml.ScalarNode):
            self.report.problem(key_node, "keys must be plain words.", entry=self.entry)
            return
        key = key_node.value
        if key in self.values:
            first = self.values[key].start_mark.line + 1
            self.report.problem(
                key_node,
                f"duplicate key '{key}' (first given on line {first}).",
                entry=self.entry,
                hint="Keep one of the two.",
            )
        elif key not in allowed:
            self.report.problem(
                key_node, f"unknown key '{key}'.", entry=self.entry, hint=suggest(key, allowed)
            )
        else:
            self.values[key] = value_node

    def problem(self, node: yaml.Node, key: str, message: str, hint: str | None = None) -> None:
        """Record a problem with this entry's field ``key``, found at ``node``."""
        self.report.problem(node, message, entry=self.entry, key=key, hint=hint)

    def get(self, key: str) -> yaml.Node | None:
        node = self.values.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return None
        return node

    def require(self, key: str, hint: str | None = None) -> yaml.Node | None:
        node = self.get(key)
        if node is None:
            at = self.values.get(key, self.node)
            self.problem(at, key, f"'{key}' is required.", hint=hint)
        return node

    def scalar(self, key: str, *, required: bool = False, hint: str | None = None):
        node = self.require(key, hint) if required else self.get(key)
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, key, f"expected a single value, got {kind_of(node)}.", hint=hint)
            return None
        return node

    def text(self, key: str, *, required=False, max_length=500, single_line=True, hint=None):
        node = self.scalar(key, required=required, hint=hint)
        if node is None:
            return None
        value, changed = clean_text(node.value, single_line=single_line)
        if changed:
            self.report.warn(
                node,
                "removed control characters or invalid code points.",
                entry=self.entry,
                key=key,
            )
        if len(value) > max_length:
            self.problem(
                node, key, f"is {len(value):,} characters long; at most {max_length:,} are allowed."
            )
            return None
        if required and not value:
            self.problem(node, key, f"'{key}' must not be empty.")
            return None
        return value or None

    def sequence(self, key: str) -> Iterator[yaml.Node]:
        node = self.get(key)
        if node is None:
            return
        if isinstance(node, yaml.ScalarNode):
            yield node
            return
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, key, f"expected a list, got {kind_of(node)}.")
            return
        yield from node.value

    def mapping(self, key: str, allowed, *, required: bool = False) -> Fields | None:
        node = self.require(key) if required else self.get(key)
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, key, f"expected a mapping of keys, got {kind_of(node)}.")
            return None
        return Fields(self.report, node, self.entry, allowed)


def suggest(word: str, choices) -> str | None:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    known = ", ".join(sorted(choices))
    if close:
        return f"Did you mean '{close[0]}'? Known keys: {known}."
    return f"Known keys: {known}."
