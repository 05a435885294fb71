"""The ``events.yaml`` schema: one reader per kind of entry, node tree to model values.

Each reader records every problem it finds in the shared ``Report`` and returns what it
could build (or ``None``), so that one pass over the file reports all mistakes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import yaml

from feeds.dates import DATE_FORMS, DateError, parse_moment, parse_when
from feeds.model import AllAtOnce, CalendarInfo, Link, NewsItem, Premiere, Show, Source, Status
from feeds.model import Weekly as WeeklyRelease
from feeds.query import format_duration, parse_duration
from feeds.yamlread import Fields, Report, kind_of
from feeds.zones import UnknownZone, get_zone

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
ID_HINT = "Use lowercase letters, digits, '-', '_' or '.', such as 'my-show-s2'."
COLOR_PATTERN = re.compile(r"^(#[0-9a-fA-F]{6}|[a-z]{3,20})$")
LONG_TEXT = 20_000
STATUSES = ", ".join(s.value for s in Status)

CALENDAR_KEYS = {
    "name",
    "description",
    "timezone",
    "base_url",
    "refresh",
    "language",
    "author",
    "image",
    "color",
    "reminders",
    "feed_items",
    "past_days",
}
SHOW_KEYS = {
    "title",
    "original_title",
    "platform",
    "url",
    "tags",
    "image",
    "description",
    "based_on",
    "creators",
    "source",
}
PREMIERE_KEYS = {
    "id",
    "show",
    "title",
    "date",
    "zone",
    "status",
    "release",
    "platform",
    "url",
    "description",
    "tags",
    "cast",
    "image",
    "source",
}
RELEASE_KEYS = {"pattern", "episodes", "per_drop"}
NEWS_KEYS = {"id", "published", "zone", "title", "body", "links", "shows", "tags", "source"}
SOURCE_KEYS = {"name", "url"}
LINK_KEYS = {"title", "url"}


def read_calendar(fields: Fields) -> CalendarInfo | None:
    name = fields.text("name", required=True)
    timezone = _zone(fields, "timezone", required=True)
    base_url = _url(fields, "base_url", required=True)
    refresh = _duration(fields, "refresh", timedelta(minutes=15), timedelta(days=7))
    values = {
        "description": fields.text("description", max_length=LONG_TEXT) or "",
        "language": fields.text("language", max_length=20) or "en",
        "author": fields.text("author"),
        "image": _url(fields, "image"),
        "color": _color(fields),
        "feed_items": _integer(fields, "feed_items", 1, 1000),
        "past_days": _integer(fields, "past_days", 0, 36_500),
        "reminder_days": _reminders(fields),
    }
    if name is None or timezone is None or base_url is None:
        return None
    values = {k: v for k, v in values.items() if v is not None}
    if refresh is not None:
        values["refresh"] = refresh
    return CalendarInfo(name=name, timezone=timezone, base_url=base_url.rstrip("/"), **values)


def read_show(report: Report, key_node: yaml.Node, node: yaml.Node) -> Show | None:
    slug = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
    if not ID_PATTERN.match(slug):
        report.problem(key_node, f"show key {slug!r} is not a valid slug.", hint=ID_HINT)
        return None
    fields = _entry(report, node, f"show '{slug}'", SHOW_KEYS)
    if fields is None:
        return None
    title = fields.text("title", required=True)
    show = Show(
        slug=slug,
        title=title or "",
        original_title=fields.text("original_title"),
        platform=fields.text("platform", max_length=80),
        url=_url(fields, "url"),
        tags=_tags(fields, "tags"),
        image=_url(fields, "image"),
        description=fields.text("description", max_length=LONG_TEXT, single_line=False),
        based_on=fields.text("based_on"),
        creators=_texts(fields, "creators"),
        source=_source(fields),
    )
    return show if title else None


def read_premiere(
    report: Report, node: yaml.Node, index: int, known_shows: set[str]
) -> Premiere | None:
    fields = _entry(report, node, _label(node, "premiere", index), PREMIERE_KEYS)
    if fields is None:
        return None
    required = {
        "id": _id(fields),
        "show": _show_ref(fields, known_shows),
        "title": fields.text("title", required=True),
        "when": _when(fields),
        "status": _status(fields),
    }
    optional = {
        "release": _release(fields),
        "platform": fields.text("platform", max_length=80),
        "url": _url(fields, "url"),
        "description": fields.text("description", max_length=LONG_TEXT, single_line=False),
        "tags": _tags(fields, "tags"),
        "cast": _texts(fields, "cast"),
        "image": _url(fields, "image"),
        "source": _source(fields),
    }
    if None in required.values():
        return None
    return Premiere(**required, **optional, line=node.start_mark.line + 1)


def read_news(
    report: Report, node: yaml.Node, index: int, known_shows: set[str]
) -> NewsItem | None:
    fields = _entry(report, node, _label(node, "news", index), NEWS_KEYS)
    if fields is None:
        return None
    required = {
        "id": _id(fields),
        "title": fields.text("title", required=True),
        "published": _moment(fields, "published"),
    }
    optional = {
        "body": fields.text("body", max_length=LONG_TEXT, single_line=False) or "",
        "links": _links(fields),
        "shows": _show_refs(fields, known_shows),
        "tags": _tags(fields, "tags"),
        "source": _source(fields),
    }
    if None in required.values():
        return None
    return NewsItem(**required, **optional, line=node.start_mark.line + 1)


def peek_id(node: yaml.Node) -> str | None:
    """The entry's ``id`` as written, valid or not, before the entry is read."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return value.value[:80] or None
    return None


def _label(node: yaml.Node, kind: str, index: int) -> str:
    """How problems name an entry: by its id when it has one, else by position."""
    ident = peek_id(node)
    return f"{kind} '{ident}'" if ident else f"{kind} #{index + 1}"


def _show_ref(fields: Fields, known_shows: set[str]) -> str | None:
    slug = _id(fields, "show")
    if slug is not None and slug not in known_shows:
        _unknown_show(fields, fields.values["show"], slug, known_shows)
        return None
    return slug


def _show_refs(fields: Fields, known_shows: set[str]) -> tuple[str, ...]:
    slugs = []
    for node in fields.sequence("shows"):
        if not isinstance(node, yaml.ScalarNode):
            _unknown_show(fields, node, kind_of(node), known_shows, "shows")
        elif node.value not in known_shows:
            _unknown_show(fields, node, node.value, known_shows, "shows")
        else:
            slugs.append(node.value)
    return tuple(dict.fromkeys(slugs))


def _unknown_show(
    fields: Fields, node: yaml.Node, name: str, known_shows: set[str], key: str = "show"
) -> None:
    known = ", ".join(sorted(known_shows)) or "none yet"
    fields.report.problem(
        node,
        f"unknown show {name!r}.",
        entry=fields.entry,
        key=key,
        hint=f"Add it under 'shows:' or use one of: {known}.",
    )


def _entry(report: Report, node: yaml.Node, entry: str, allowed) -> Fields | None:
    if not isinstance(node, yaml.MappingNode):
        report.problem(node, f"expected a mapping of keys, got {kind_of(node)}.", entry=entry)
        return None
    return Fields(report, node, entry, allowed)


def _id(fields: Fields, key: str = "id") -> str | None:
    node = fields.scalar(key, required=True)
    if node is None:
        return None
    if not ID_PATTERN.match(node.value):
        fields.report.problem(
            node, f"{node.value!r} is not a valid id.", entry=fields.entry, key=key, hint=ID_HINT
        )
        return None
    return node.value


def _texts(fields: Fields, key: str, max_length: int = 200) -> tuple[str, ...]:
    found = []
    for node in fields.sequence(key):
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            fields.report.problem(
                node, f"expected text, got {kind_of(node)}.", entry=fields.entry, key=key
            )
            continue
        text = " ".join(node.value.split())
        if text and len(text) <= max_length and text.isprintable():
            found.append(text)
        else:
            fields.report.problem(
                node, f"{text[:40]!r} is not short printable text.", entry=fields.entry, key=key
            )
    return tuple(found)


def _tags(fields: Fields, key: str) -> tuple[str, ...]:
    tags = _texts(fields, key, max_length=40)
    bad = [t for t in tags if "," in t]
    if bad:
        fields.report.problem(
            fields.values[key],
            f"tag {bad[0]!r} contains a comma.",
            entry=fields.entry,
            key=key,
            hint="Write tags as a list.",
        )
    return tuple(dict.fromkeys(tags))


def _when(fields: Fields):
    node = fields.scalar("date", required=True, hint=DATE_FORMS)
    zone_node = fields.scalar("zone")
    if node is None:
        return None
    try:
        return parse_when(node.value, zone_node.value if zone_node else None)
    except DateError as error:
        fields.report.problem(node, str(error), entry=fields.entry, key="date")
        return None


def _moment(fields: Fields, key: str):
    node = fields.scalar(key, required=True)
    zone_node = fields.scalar("zone")
    if node is None:
        return None
    try:
        return parse_moment(node.value, zone_node.value if zone_node else None)
    except DateError as error:
        fields.report.problem(node, str(error), entry=fields.entry, key=key)
        return None


def _status(fields: Fields) -> Status | None:
    node = fields.scalar("status", required=True, hint=f"One of: {STATUSES}.")
    if node is None:
        return None
    try:
        return Status(node.value.strip().lower())
    except ValueError:
        fields.report.problem(
            node,
            f"unknown status {node.value!r}.",
            entry=fields.entry,
            key="status",
            hint=f"Use one of: {STATUSES}.",
        )
        return None


def _release(fields: Fields):
    release = fields.mapping("release", RELEASE_KEYS)
    if release is None:
        return None
    pattern = release.scalar("pattern", required=True, hint="all-at-once or weekly.")
    episodes = _integer(release, "episodes", 1, 10_000)
    per_drop = _integer(release, "per_drop", 1, 10_000)
    if pattern is None:
        return None
    if pattern.value == "all-at-once":
        if per_drop is not None:
            fields.report.problem(
                release.values["per_drop"],
                "'per_drop' is for weekly releases.",
                entry=fields.entry,
                key="release",
            )
        return AllAtOnce(episodes)
    if pattern.value == "weekly":
        if episodes is None:
            release.require("episodes", hint="A weekly release needs its episode count.")
            return None
        return WeeklyRelease(episodes, per_drop or 1)
    fields.report.problem(
        pattern,
        f"unknown release pattern {pattern.value!r}.",
        entry=fields.entry,
        key="release",
        hint="Use all-at-once or weekly.",
    )
    return None


def _integer(fields: Fields, key: str, low: int, high: int) -> int | None:
    node = fields.scalar(key)
    if node is None:
        return None
    if not node.tag.endswith(":int") or not low <= int(node.value, 0) <= high:
        fields.report.problem(
            node,
            f"expected a whole number from {low} to {high}, got {node.value!r}.",
            entry=fields.entry,
            key=key,
        )
        return None
    return int(node.value, 0)


def _reminders(fields: Fields) -> tuple[int, ...] | None:
    if fields.get("reminders") is None:
        return None
    days = []
    for node in fields.sequence("reminders"):
        if isinstance(node, yaml.ScalarNode) and node.value.isdigit() and int(node.value) <= 365:
            days.append(int(node.value))
        else:
            fields.report.problem(
                node,
                f"expected a number of days from 0 to 365, got {kind_of(node)}.",
                entry=fields.entry,
                key="reminders",
            )
    return tuple(sorted(set(days), reverse=True))


def _url(fields: Fields, key: str, *, required: bool = False) -> str | None:
    value = fields.text(key, required=required, max_length=2000)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        fields.report.problem(
            fields.values[key],
            f"{value[:60]!r} is not an http(s) URL.",
            entry=fields.entry,
            key=key,
            hint="Write a full address such as https://example.com/page.",
        )
        return None
    if "@" in parts.netloc:
        fields.report.problem(
            fields.values[key],
            "a URL must not carry a user name or password: everything here is published.",
            entry=fields.entry,
            key=key,
            hint="Remove the part before '@' in the address.",
        )
        return None
    return value


def _zone(fields: Fields, key: str, *, required: bool = False) -> str | None:
    value = fields.text(key, required=required, max_length=80)
    if value is None:
        return None
    try:
        get_zone(value)
    except UnknownZone:
        fields.report.problem(
            fields.values[key],
            f"{value!r} is not an IANA time zone.",
            entry=fields.entry,
            key=key,
            hint="Use a name such as UTC, Asia/Seoul or America/New_York.",
        )
        return None
    return value


def _duration(fields: Fields, key: str, low: timedelta, high: timedelta) -> timedelta | None:
    value = fields.text(key, max_length=40)
    if value is None:
        return None
    duration = parse_duration(value)
    if duration is None or not low <= duration <= high:
        fields.report.problem(
            fields.values[key],
            f"{value!r} is not a duration from {format_duration(low)} to {format_duration(high)}.",
            entry=fields.entry,
            key=key,
            hint="Write it like PT6H or P1D.",
        )
        return None
    return duration


def _color(fields: Fields) -> str | None:
    value = fields.text("color", max_length=20)
    if value is not None and not COLOR_PATTERN.match(value):
        fields.report.problem(
            fields.values["color"],
            f"{value!r} is not a colour.",
            entry=fields.entry,
            key="color",
            hint="Use #rrggbb or a CSS colour name.",
        )
        return None
    return value


def _source(fields: Fields) -> Source | None:
    node = fields.get("source")
    if isinstance(node, yaml.ScalarNode):
        name = fields.text("source")
        return Source(name) if name else None
    source = fields.mapping("source", SOURCE_KEYS)
    if source is None:
        return None
    name = source.text("name", required=True)
    url = _url(source, "url")
    return Source(name, url) if name else None


def _links(fields: Fields) -> tuple[Link, ...]:
    links = []
    for node in fields.sequence("links"):
        link = _entry(fields.report, node, fields.entry, LINK_KEYS)
        if link is None:
            continue
        title, url = link.text("title", required=True), _url(link, "url", required=True)
        if title and url:
            links.append(Link(title, url))
    return tuple(links)
