"""The ``events.yaml`` schema: one reader per kind of entry, node tree to model values.

Each reader records every problem it finds in the shared ``Report`` and returns what it
could build (or ``None``), so that one pass over the file reports all mistakes.
"""

from __future__ import annotations

from datetime import timedelta

import yaml

from feeds.dates import DATE_FORMS, DateError, parse_moment, parse_when
from feeds.fields import Fields
from feeds.model import AllAtOnce, CalendarInfo, NewsItem, Premiere, Show, Status
from feeds.model import Weekly as WeeklyRelease
from feeds.values import (
    ID_HINT,
    ID_PATTERN,
    entry_fields,
    read_color,
    read_duration,
    read_id,
    read_integer,
    read_links,
    read_reminders,
    read_source,
    read_tags,
    read_texts,
    read_url,
    read_zone,
)
from feeds.yamlread import Report, kind_of

LONG_TEXT = 20_000
STATUSES = ", ".join(s.value for s in Status)

TOP_KEYS = {"calendar", "shows", "premieres", "news"}
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


def read_calendar(fields: Fields) -> CalendarInfo | None:
    name = fields.text("name", required=True)
    timezone = read_zone(fields, "timezone", required=True)
    base_url = read_url(fields, "base_url", required=True)
    refresh = read_duration(fields, "refresh", timedelta(minutes=15), timedelta(days=7))
    values = {
        "description": fields.text("description", max_length=LONG_TEXT) or "",
        "language": fields.text("language", max_length=20) or "en",
        "author": fields.text("author"),
        "image": read_url(fields, "image"),
        "color": read_color(fields),
        "feed_items": read_integer(fields, "feed_items", 1, 1000),
        "past_days": read_integer(fields, "past_days", 0, 36_500),
        "reminder_days": read_reminders(fields),
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
    fields = entry_fields(report, node, f"show '{slug}'", SHOW_KEYS)
    if fields is None:
        return None
    title = fields.text("title", required=True)
    show = Show(
        slug=slug,
        title=title or "",
        original_title=fields.text("original_title"),
        platform=fields.text("platform", max_length=80),
        url=read_url(fields, "url"),
        tags=read_tags(fields, "tags"),
        image=read_url(fields, "image"),
        description=fields.text("description", max_length=LONG_TEXT, single_line=False),
        based_on=fields.text("based_on"),
        creators=read_texts(fields, "creators"),
        source=read_source(fields),
    )
    return show if title else None


def read_premiere(report: Report, node: yaml.Node, label: str) -> Premiere | None:
    """``label``: how problems name the entry (see ``entry_label``)."""
    fields = entry_fields(report, node, label, PREMIERE_KEYS)
    if fields is None:
        return None
    required = {
        "id": read_id(fields),
        "show": _show_ref(fields),
        "title": fields.text("title", required=True),
        "when": _when(fields),
        "status": _status(fields),
    }
    optional = {
        "release": _release(fields),
        "platform": fields.text("platform", max_length=80),
        "url": read_url(fields, "url"),
        "description": fields.text("description", max_length=LONG_TEXT, single_line=False),
        "tags": read_tags(fields, "tags"),
        "cast": read_texts(fields, "cast"),
        "image": read_url(fields, "image"),
        "source": read_source(fields),
    }
    if None in required.values():
        return None
    return Premiere(**required, **optional)


def read_news(report: Report, node: yaml.Node, label: str) -> NewsItem | None:
    fields = entry_fields(report, node, label, NEWS_KEYS)
    if fields is None:
        return None
    required = {
        "id": read_id(fields),
        "title": fields.text("title", required=True),
        "published": _moment(fields, "published"),
    }
    optional = {
        "body": fields.text("body", max_length=LONG_TEXT, single_line=False) or "",
        "links": read_links(fields),
        "shows": _show_refs(fields),
        "tags": read_tags(fields, "tags"),
        "source": read_source(fields),
    }
    if None in required.values():
        return None
    return NewsItem(**required, **optional)


def peek_id(node: yaml.Node) -> str | None:
    """The entry's ``id`` as written, valid or not, before the entry is read."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "id" and isinstance(value, yaml.ScalarNode):
                return value.value[:80] or None
    return None


def entry_label(kind: str, ident: str | None, index: int) -> str:
    """How problems name an entry: by its id when it has one, else by position."""
    return f"{kind} '{ident}'" if ident else f"{kind} #{index + 1}"


def _show_ref(fields: Fields) -> str | None:
    """The show a premiere belongs to; whether it exists is checked once every show
    is read (``feeds.entries``)."""
    slug = read_id(fields, "show")
    if slug is not None:
        fields.refer(fields.values["show"], slug, key="show")
    return slug


def _show_refs(fields: Fields) -> tuple[str, ...]:
    slugs = []
    for node in fields.sequence("shows"):
        if isinstance(node, yaml.ScalarNode):
            fields.refer(node, node.value, key="shows")
            slugs.append(node.value)
        else:
            fields.refer(node, kind_of(node), key="shows", named=False)
    return tuple(dict.fromkeys(slugs))


def _when(fields: Fields):
    node = fields.scalar("date", required=True, hint=DATE_FORMS)
    zone_node = fields.scalar("zone")
    if node is None:
        return None
    try:
        return parse_when(node.value, zone_node.value if zone_node else None)
    except DateError as error:
        fields.problem(node, "date", str(error))
        return None


def _moment(fields: Fields, key: str):
    node = fields.scalar(key, required=True)
    zone_node = fields.scalar("zone")
    if node is None:
        return None
    try:
        return parse_moment(node.value, zone_node.value if zone_node else None)
    except DateError as error:
        fields.problem(node, key, str(error))
        return None


def _status(fields: Fields) -> Status | None:
    node = fields.scalar("status", required=True, hint=f"One of: {STATUSES}.")
    if node is None:
        return None
    try:
        return Status(node.value.strip().lower())
    except ValueError:
        fields.problem(
            node, "status", f"unknown status {node.value!r}.", hint=f"Use one of: {STATUSES}."
        )
        return None


def _release(fields: Fields):
    release = fields.mapping("release", RELEASE_KEYS)
    if release is None:
        return None
    pattern = release.scalar("pattern", required=True, hint="all-at-once or weekly.")
    episodes = read_integer(release, "episodes", 1, 10_000)
    per_drop = read_integer(release, "per_drop", 1, 10_000)
    if pattern is None:
        return None
    if pattern.value == "all-at-once":
        if per_drop is not None:
            fields.problem(
                release.values["per_drop"], "release", "'per_drop' is for weekly releases."
            )
        return AllAtOnce(episodes)
    if pattern.value == "weekly":
        if episodes is None:
            release.require("episodes", hint="A weekly release needs its episode count.")
            return None
        return WeeklyRelease(episodes, per_drop or 1)
    fields.problem(
        pattern,
        "release",
        f"unknown release pattern {pattern.value!r}.",
        hint="Use all-at-once or weekly.",
    )
    return None
