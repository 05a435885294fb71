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
  LAST-MODIFIED are the premiere's ``stamp.modified``, CREATED and SEQUENCE come from the
  stamp too; events are sorted by (start, id). Premieres in ``edition.removed`` are
  published ``STATUS:CANCELLED`` with their stamp.
- Subscriber choices: ``query.select`` narrows first. ``past_days`` (default
  ``calendar.past_days``) and ``future_days`` (default unlimited) count from the date of
  ``edition.moment`` in the calendar's zone and are matched against each event's date
  in that zone; a weekly release stays while any drop is inside the window. ``alarm``
  adds a display VALARM that long before each event (not to cancelled ones).
  ``all_day`` publishes timed premieres as all-day events on their date in the
  calendar's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vDuration

from feeds.ical_event import Entry, end_of, event, find_show, show_title
from feeds.ical_lines import event_bytes, trim_cache
from feeds.model import AllDay, Catalog, Edition, Premiere, Timed
from feeds.paths import CALENDAR, document_url
from feeds.query import Query
from feeds.vtimezone import vtimezone
from feeds.zones import get_zone

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Premiere Feeds//premiere-feeds//EN"


def render_calendar(edition: Edition, query: Query) -> bytes:
    """The calendar for ``edition`` as ``query`` asks for it, as iCalendar bytes: the
    calendar's own lines and VTIMEZONEs through icalendar, each VEVENT from
    ``feeds.ical_lines`` (same bytes, written once per event content)."""
    edition, entries, calendar, domain = _frame(edition, query)
    shows = {show.slug: show for show in edition.catalog.shows}
    events = [
        event_bytes(
            entry,
            edition.stamp(entry.premiere.id),
            shows.get(entry.premiere.show),
            domain,
            query.alarm,
        )
        for entry in entries
    ]
    trim_cache(keep=4 * len(entries) + 1000)
    head = calendar.to_ical()
    assert head.endswith(_END)
    return b"".join([head[: -len(_END)], *events, _END])


def _frame(edition: Edition, query: Query) -> tuple[Edition, list[Entry], Calendar, str]:
    """What both renderers share: the selected edition, its entries, the calendar with
    its own properties and VTIMEZONEs, and the UID domain."""
    edition = query.select(edition)
    catalog = edition.catalog
    entries = _entries(edition, query, get_zone(catalog.calendar.timezone))
    calendar = _calendar(catalog, query)
    for component in _timezones(entries):
        calendar.add_component(component)
    return edition, entries, calendar, _domain(catalog)


def render_calendar_with_library(edition: Edition, query: Query) -> bytes:
    """The reference: every VEVENT through icalendar (what ``render_calendar`` must
    equal byte for byte)."""
    edition, entries, calendar, domain = _frame(edition, query)
    for entry in entries:
        calendar.add_component(event(edition, entry, domain, query.alarm))
    return calendar.to_ical()


_END = b"END:VCALENDAR\r\n"


def _domain(catalog: Catalog) -> str:
    return urlsplit(catalog.calendar.base_url).hostname or catalog.calendar.base_url


def _calendar(catalog: Catalog, query: Query) -> Calendar:
    info = catalog.calendar
    name = info.name
    if len(query.shows) == 1:
        (slug,) = query.shows
        name = f"{name} — {show_title(find_show(catalog, slug), slug)}"
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
        ("source", document_url(info.base_url, CALENDAR, query)),
    ):
        calendar.add(key, value)
    calendar.add("refresh-interval", vDuration(info.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(info.refresh))
    if info.color:
        calendar.add("color", info.color)
    if info.image:
        calendar.add("image", info.image, parameters={"VALUE": "URI"})
    return calendar


def _entries(edition: Edition, query: Query, zone: ZoneInfo) -> list[Entry]:
    """The premieres to publish, placed and windowed, sorted by (start, id)."""
    today = edition.moment.astimezone(zone).date()
    past = query.past_days if query.past_days is not None else edition.catalog.calendar.past_days
    earliest = today - timedelta(days=past)
    latest = None if query.future_days is None else today + timedelta(days=query.future_days)
    candidates = [(p, False) for p in edition.catalog.premieres]
    candidates += [(p, True) for p in edition.removed]
    entries = []
    for premiere, removed in candidates:
        start = _start(premiere, query.all_day, zone)
        if start is None:
            continue
        entry = Entry(premiere, start, removed)
        first, last = _day(entry.start, zone), _day(entry.last_start, zone)
        if last >= earliest and (latest is None or first <= latest):
            entries.append(entry)
    return sorted(entries, key=lambda e: (_instant(e.start, zone), e.premiere.id))


def _start(premiere: Premiere, all_day: bool, zone: ZoneInfo) -> date | datetime | None:
    """Where the premiere starts, or ``None`` when it has no exact date."""
    when = premiere.when
    if isinstance(when, AllDay):
        return when.day
    if not isinstance(when, Timed):
        return None
    if all_day:
        return when.start.astimezone(zone).date()
    return _placed(when.start.astimezone(UTC), when.zone)


def _placed(instant: datetime, zone_name: str | None) -> datetime:
    """The moment in its own zone, unless its wall time there happens twice (the hour
    the clocks go back): RFC 5545 reads such a time as the first occurrence and ical.js
    as the second, so it is published in UTC, where every client agrees."""
    if zone_name is None:
        return instant
    local = instant.astimezone(get_zone(zone_name))
    twin = local.replace(fold=1 - local.fold)
    return local if twin.utcoffset() == local.utcoffset() else instant


def _day(moment: date | datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date() if isinstance(moment, datetime) else moment


def _instant(moment: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC)
    return datetime.combine(moment, time(), zone).astimezone(UTC)


def _timezones(entries: list[Entry]) -> list[Timezone]:
    """A VTIMEZONE for each TZID used, covering the years its events span."""
    years: dict[str, tuple[int, int]] = {}
    for entry in entries:
        start = entry.start
        if isinstance(start, datetime) and start.tzinfo is not UTC:
            first, last = years.get(start.tzinfo.key, (start.year, start.year))
            end_year = end_of(entry.last_start).year
            years[start.tzinfo.key] = (min(first, start.year), max(last, end_year))
    return [vtimezone(name, *years[name]) for name in sorted(years)]
