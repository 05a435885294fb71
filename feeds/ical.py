"""The iCalendar document (``/calendar.ics``): pure, from edition and query to bytes.

What the calendar holds, and why:

- One VEVENT per premiere with an exact day or moment. A day is ``VALUE=DATE`` with
  the exclusive DTEND on the next day; a moment carries its zone's TZID and a VTIMEZONE
  (RRULE-based, from ``feeds.vtimezone``); a moment the YAML gave as a UTC offset, or
  whose wall time is ambiguous (in the hour the clocks go back), is published in UTC.
  Partial dates (``2026``, ``2026-03``, ``2026-Q1``) and TBA are left out: a calendar
  could only put them on a made-up day (the RSS/JSON feeds show them).
- A timed event lasts ``feeds.ical_event.TIMED_DURATION`` (one hour): the YAML says
  when a premiere starts, not how long it runs, and an hour reads as "starts at".
- A binge drop (``AllAtOnce``) is one event whose description says "all 12 episodes at
  once". A weekly release is one recurring event, ``RRULE:FREQ=WEEKLY;COUNT=<drops>``,
  not one event per drop: one UID to move or cancel, and clients still show each drop.
- Output depends only on the data: the UID is ``<premiere id>@<site host>``; DTSTAMP and
  LAST-MODIFIED are the premiere's ``stamp.modified`` (in UTC), CREATED and SEQUENCE
  come from the stamp too; events are sorted by (start, id). Premieres in ``edition.removed`` are
  published ``STATUS:CANCELLED`` with their stamp.
- Subscriber choices: ``query.select`` narrows first. ``past_days`` (default
  ``calendar.past_days``) and ``future_days`` (default unlimited) count from the date of
  ``edition.moment`` in the calendar's zone and are matched against each event's date
  in that zone; a weekly release stays while any drop is inside the window. ``alarm``
  adds a display VALARM that long before each event (not to cancelled ones).
  ``all_day`` publishes timed premieres as all-day events on their date in the
  calendar's zone.

How: ``feeds.ical_place`` places and windows the premieres, ``feeds.ical_lines`` writes
each VEVENT and ``feeds.ical_memo`` keeps both per premiere across builds; the
calendar's own lines and VTIMEZONEs go through icalendar, once per distinct head.
``render_calendar_with_library`` is the straightforward reference (every VEVENT through
icalendar) that ``render_calendar`` must equal byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from icalendar import Calendar, vDuration

from feeds.ical_event import event, find_show, show_title
from feeds.ical_memo import placed_events
from feeds.ical_place import Span, entries, span_of, spans
from feeds.model import CalendarInfo, Catalog, Edition
from feeds.paths import CALENDAR, document_url
from feeds.query import Query
from feeds.vtimezone import vtimezone
from feeds.zones import get_zone

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Premiere Feeds//premiere-feeds//EN"
_END = b"END:VCALENDAR\r\n"


def render_calendar(edition: Edition, query: Query) -> bytes:
    """The calendar for ``edition`` as ``query`` asks for it, as iCalendar bytes."""
    catalog = edition.catalog
    events, used = placed_events(edition, query, _domain(catalog))
    head = _head(catalog.calendar, _name(catalog, query), _source(catalog, query), tuple(used))
    return b"".join([head, *events, _END])


def render_calendar_with_library(edition: Edition, query: Query) -> bytes:
    """The reference: every VEVENT through icalendar (what ``render_calendar`` must
    equal byte for byte)."""
    edition = query.select(edition)
    catalog = edition.catalog
    placed = entries(edition, query, get_zone(catalog.calendar.timezone))
    used = spans(span_of(entry.start, entry.last_start) for entry in placed)
    calendar = _calendar(catalog.calendar, _name(catalog, query), _source(catalog, query), used)
    domain = _domain(catalog)
    for entry in placed:
        calendar.add_component(event(edition, entry, domain, query.alarm))
    return calendar.to_ical()


@lru_cache(maxsize=256)
def _head(info: CalendarInfo, name: str, source: str, used: tuple[Span, ...]) -> bytes:
    """The calendar's own lines and VTIMEZONEs, up to its first VEVENT."""
    head = _calendar(info, name, source, used).to_ical()
    assert head.endswith(_END)
    return head[: -len(_END)]


def _domain(catalog: Catalog) -> str:
    return urlsplit(catalog.calendar.base_url).hostname or catalog.calendar.base_url


def _name(catalog: Catalog, query: Query) -> str:
    name = catalog.calendar.name
    if len(query.shows) == 1:
        (slug,) = query.shows
        name = f"{name} — {show_title(find_show(catalog, slug), slug)}"
    return name


def _source(catalog: Catalog, query: Query) -> str:
    return document_url(catalog.calendar.base_url, CALENDAR, query)


def _calendar(info: CalendarInfo, name: str, source: str, used: Iterable[Span]) -> Calendar:
    """The calendar with its own properties, and a VTIMEZONE for each TZID used."""
    calendar = Calendar()
    for key, value in (
        ("version", "2.0"),
        ("prodid", PRODID),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("name", name),
        ("x-wr-calname", name),
        ("description", info.description),
        ("x-wr-caldesc", info.description),
        ("x-wr-timezone", info.timezone),
        ("url", info.base_url),
        ("source", source),
    ):
        calendar.add(key, value)
    calendar.add("refresh-interval", vDuration(info.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(info.refresh))
    if info.color:
        calendar.add("color", info.color)
    if info.image:
        calendar.add("image", info.image, parameters={"VALUE": "URI"})
    for zone_name, first_year, last_year in used:
        calendar.add_component(vtimezone(zone_name, first_year, last_year))
    return calendar
