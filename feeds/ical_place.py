"""Where each premiere goes in the calendar: its start, the days it covers in the
calendar's zone, its place in the order, and the subscriber's window.

``entries`` is the straightforward way, used by the reference renderer;
``feeds.ical_memo`` keeps the same answers per premiere across builds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from feeds.ical_event import Entry, end_of
from feeds.model import AllDay, Edition, Premiere, Timed
from feeds.query import Query
from feeds.zones import get_zone

Span = tuple[str, int, int]
"""A TZID and the first and last year its events need (``feeds.vtimezone``)."""


def window(edition: Edition, query: Query, zone: ZoneInfo) -> tuple[date, date | None]:
    """The first and last day (``None``: no end) a subscriber's calendar keeps, counted
    from the date of ``edition.moment`` in the calendar's zone."""
    today = edition.moment.astimezone(zone).date()
    past = query.past_days if query.past_days is not None else edition.catalog.calendar.past_days
    latest = None if query.future_days is None else today + timedelta(days=query.future_days)
    return today - timedelta(days=past), latest


def entries(edition: Edition, query: Query, zone: ZoneInfo) -> list[Entry]:
    """The premieres to publish, placed and windowed, sorted by (start, id)."""
    earliest, latest = window(edition, query, zone)
    candidates = [(p, False) for p in edition.catalog.premieres]
    candidates += [(p, True) for p in edition.removed]
    kept = []
    for premiere, removed in candidates:
        start = start_of(premiere, query.all_day, zone)
        if start is None:
            continue
        entry = Entry(premiere, start, removed)
        first, last = day_of(entry.start, zone), day_of(entry.last_start, zone)
        if last >= earliest and (latest is None or first <= latest):
            kept.append(entry)
    return sorted(kept, key=lambda e: (instant_of(e.start, zone), e.premiere.id))


def spans(each: Iterable[Span | None]) -> list[Span]:
    """Each TZID used, with the years its events span, by TZID."""
    years: dict[str, tuple[int, int]] = {}
    for span in each:
        if span is not None:
            name, first, last = span
            low, high = years.get(name, (first, last))
            years[name] = (min(low, first), max(high, last))
    return [(name, *years[name]) for name in sorted(years)]


def span_of(start: date | datetime, last_start: date | datetime) -> Span | None:
    """The TZID and years of an event, from its start to the end of its last drop;
    ``None`` for an all-day or UTC event."""
    if not isinstance(start, datetime) or start.tzinfo is UTC:
        return None
    return start.tzinfo.key, start.year, end_of(last_start).year


def start_of(premiere: Premiere, all_day: bool, zone: ZoneInfo) -> date | datetime | None:
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


def day_of(moment: date | datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date() if isinstance(moment, datetime) else moment


def instant_of(moment: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC)
    return midnight(moment, zone)


@lru_cache(maxsize=8192)
def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant the day starts in ``zone``."""
    return datetime.combine(day, time(), zone).astimezone(UTC)
