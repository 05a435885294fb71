"""Typed access to the keys of one YAML mapping, checked against what the schema allows.

Every read records a problem (with the value's line and column, through the entry's
``Report``) when the value cannot be used, and returns ``None`` for it, so one pass
over an entry reports all its mistakes. Text is cleaned on the way in.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import yaml

from feeds.yamlread import PLAIN_NULLS, Report, is_null, kind_of

_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def clean_text(value: str, *, single_line: bool) -> tuple[str, bool]:
    """Text with characters that XML, iCalendar or JSON cannot carry removed, line
    breaks normalised, and (for single-line fields) folded to spaces. Returns the text
    and whether anything unsafe was removed."""
    if value.isascii() and value.isprintable():  # most text: nothing to remove
        return (" ".join(value.split()) if single_line else value), False
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
        values = self.values
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.__class__ is yaml.ScalarNode and key in allowed and key not in values:
                values[key] = value_node
            else:
                self._refuse(key_node, allowed)

    def _refuse(self, key_node: yaml.Node, allowed) -> None:
        if not isinstance(key_node, yaml.ScalarNode):
            self.report.problem(key_node, "keys must be plain words.", entry=self.entry)
            return
        key = key_node.value
        if key in self.values:
            first, _ = self.report.position(self.values[key])
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

    def problem(self, node: yaml.Node, key: str, message: str, hint: str | None = None) -> None:
        """Record a problem with this entry's field ``key``, found at ``node``."""
        self.report.problem(node, message, entry=self.entry, key=key, hint=hint)

    def refer(self, node: yaml.Node, name: str, *, key: str, named: bool = True) -> None:
        """Record that this entry's field ``key`` names ``name``, defined elsewhere."""
        self.report.refer(node, name, named=named, entry=self.entry, key=key)

    def get(self, key: str) -> yaml.Node | None:
        node = self.values.get(key)
        if node is None or (node.__class__ is yaml.ScalarNode and is_null(node)):
            return None
        return node

    def require(self, key: str, hint: str | None = None) -> yaml.Node | None:
        node = self.get(key)
        if node is None:
            at = self.values.get(key, self.node)
            self.problem(at, key, f"'{key}' is required.", hint=hint)
        return node

    def scalar(self, key: str, *, required: bool = False, hint: str | None = None):
        node = self.values.get(key)
        if node.__class__ is yaml.ScalarNode and not node.tag and node.value not in PLAIN_NULLS:
            return node  # the common case, first: this runs for nearly every value
        if node is None and not required:
            return None
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

    def sequence(self, key: str) -> list[yaml.Node]:
        """The items of a list; a single value counts as a list of one."""
        node = self.get(key)
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode):
            return [node]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, key, f"expected a list, got {kind_of(node)}.")
            return []
        return node.value

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
