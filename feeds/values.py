"""Typed values inside ``events.yaml`` entries: ids, text, tags, URLs, zones, numbers,
durations, colours, sources and links.

Each reader takes an entry's ``Fields`` and a key, records a problem (with the value's
line and column) when the value cannot be used, and returns the value or ``None``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import yaml

from feeds.fields import Fields
from feeds.model import Link, Source
from feeds.query import format_duration, parse_duration
from feeds.yamlread import Report, is_integer, is_null, kind_of
from feeds.zones import UnknownZone, get_zone

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
ID_HINT = "Use lowercase letters, digits, '-', '_' or '.', such as 'my-show-s2'."
COLOR_PATTERN = re.compile(r"^(#[0-9a-fA-F]{6}|[a-z]{3,20})$")
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s@]*)?")
SOURCE_KEYS = {"name", "url"}
LINK_KEYS = {"title", "url"}


def entry_fields(report: Report, node: yaml.Node, entry: str, allowed) -> Fields | None:
    if not isinstance(node, yaml.MappingNode):
        report.problem(node, f"expected a mapping of keys, got {kind_of(node)}.", entry=entry)
        return None
    return Fields(report, node, entry, allowed)


def read_id(fields: Fields, key: str = "id") -> str | None:
    node = fields.scalar(key, required=True)
    if node is None:
        return None
    if not ID_PATTERN.match(node.value):
        fields.problem(node, key, f"{node.value!r} is not a valid id.", hint=ID_HINT)
        return None
    return node.value


def read_texts(fields: Fields, key: str, max_length: int = 200) -> tuple[str, ...]:
    found = []
    for node in fields.sequence(key):
        if not isinstance(node, yaml.ScalarNode) or is_null(node):
            fields.problem(node, key, f"expected text, got {kind_of(node)}.")
            continue
        text = " ".join(node.value.split())
        if text and len(text) <= max_length and text.isprintable():
            found.append(text)
        else:
            fields.problem(node, key, f"{text[:40]!r} is not short printable text.")
    return tuple(found)


def read_tags(fields: Fields, key: str) -> tuple[str, ...]:
    tags = read_texts(fields, key, max_length=40)
    bad = [t for t in tags if "," in t]
    if bad:
        fields.problem(
            fields.values[key],
            key,
            f"tag {bad[0]!r} contains a comma.",
            hint="Write tags as a list.",
        )
    return tuple(dict.fromkeys(tags))


def read_integer(fields: Fields, key: str, low: int, high: int) -> int | None:
    node = fields.scalar(key)
    if node is None:
        return None
    number = _whole_number(node)
    if number is None or not low <= number <= high:
        fields.problem(
            node, key, f"expected a whole number from {low} to {high}, got {node.value!r}."
        )
        return None
    return number


def _whole_number(node: yaml.ScalarNode) -> int | None:
    """The number an integer scalar stands for. YAML 1.1 also reads ``010`` (octal),
    ``1:30`` (base 60) and ``1__0`` as integers, which Python's ``int`` refuses, as it
    refuses anything tagged ``!!int`` that is not a number: all are refused here too."""
    if not is_integer(node):
        return None
    try:
        return int(node.value, 0)
    except ValueError:
        return None


def read_reminders(fields: Fields) -> tuple[int, ...] | None:
    if fields.get("reminders") is None:
        return None
    days = []
    for node in fields.sequence("reminders"):
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if value.isascii() and value.isdigit() and int(value) <= 365:
            days.append(int(value))
        else:
            fields.problem(
                node, "reminders", f"expected a number of days from 0 to 365, got {kind_of(node)}."
            )
    return tuple(sorted(set(days), reverse=True))


def read_url(fields: Fields, key: str, *, required: bool = False) -> str | None:
    value = fields.text(key, required=required, max_length=2000)
    if value is None:
        return None
    if _PLAIN_URL.fullmatch(value):  # the common case, several times faster than urlsplit
        return value
    try:
        parts = urlsplit(value)
    except ValueError:  # such as a '[' that does not start an IPv6 address
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        fields.problem(
            fields.values[key],
            key,
            f"{value[:60]!r} is not an http(s) URL.",
            hint="Write a full address such as https://example.com/page.",
        )
        return None
    if "@" in parts.netloc:
        fields.problem(
            fields.values[key],
            key,
            "a URL must not carry a user name or password: everything here is published.",
            hint="Remove the part before '@' in the address.",
        )
        return None
    return value


def read_zone(fields: Fields, key: str, *, required: bool = False) -> str | None:
    value = fields.text(key, required=required, max_length=80)
    if value is None:
        return None
    try:
        get_zone(value)
    except UnknownZone:
        fields.problem(
            fields.values[key],
            key,
            f"{value!r} is not an IANA time zone.",
            hint="Use a name such as UTC, Asia/Seoul or America/New_York.",
        )
        return None
    return value


def read_duration(fields: Fields, key: str, low: timedelta, high: timedelta) -> timedelta | None:
    value = fields.text(key, max_length=40)
    if value is None:
        return None
    duration = parse_duration(value)
    if duration is None or not low <= duration <= high:
        fields.problem(
            fields.values[key],
            key,
            f"{value!r} is not a duration from {format_duration(low)} to {format_duration(high)}.",
            hint="Write it like PT6H or P1D.",
        )
        return None
    return duration


def read_color(fields: Fields) -> str | None:
    value = fields.text("color", max_length=20)
    if value is not None and not COLOR_PATTERN.match(value):
        fields.problem(
            fields.values["color"],
            "color",
            f"{value!r} is not a colour.",
            hint="Use #rrggbb or a CSS colour name.",
        )
        return None
    return value


def read_source(fields: Fields) -> Source | None:
    node = fields.get("source")
    if isinstance(node, yaml.ScalarNode):
        name = fields.text("source")
        return Source(name) if name else None
    source = fields.mapping("source", SOURCE_KEYS)
    if source is None:
        return None
    name = source.text("name", required=True)
    url = read_url(source, "url")
    return Source(name, url) if name else None


def read_links(fields: Fields) -> tuple[Link, ...]:
    links = []
    for node in fields.sequence("links"):
        link = entry_fields(fields.report, node, fields.entry, LINK_KEYS)
        if link is None:
            continue
        title, url = link.text("title", required=True), read_url(link, "url", required=True)
        if title and url:
            links.append(Link(title, url))
    return tuple(links)
