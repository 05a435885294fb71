"""Each premiere's place in the calendar and its VEVENT bytes, kept across builds.

A rebuild after an edit sees the same premieres, stamps and shows as the build before
(equal, and usually the very same objects), so all but the edited premieres can keep
what they were given: their order key, their first and last day in the calendar's zone,
the TZID and years their VTIMEZONE must cover, and their VEVENT. Only the window (it
moves with the edition's moment and the query) and the sort are redone each build.

Each variant of the events (all-day or not, the calendar's zone, the UID's domain, the
alarm) has its own table with one slot per premiere id, holding the inputs (premiere,
removed or not, the lines its stamp gives, show) and what they give. A slot is reused
only while its inputs are equal to the ones asked for, compared as a tuple (identity
first, so unchanged objects cost no deep comparison and nothing is hashed but the id);
a changed premiere overwrites its own slot. A slot is replaced by one assignment and
both writers of a slot write what its inputs give, so builds and requests rendering
variants can share tables. The tables are bounded: the least recently used variants are
dropped while they hold more than four slots per premiere (and a thousand more).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

from feeds.ical_lines import StampLines, stamp_lines, write_event
from feeds.ical_place import Span, midnight, span_of, spans, start_of, window
from feeds.model import Edition, Premiere, Show, Stamp, Weekly
from feeds.query import Query
from feeds.zones import get_zone

Variant = tuple[bool, str, str, timedelta | None]
"""(all-day, calendar zone, UID domain, alarm): what every event of a calendar shares."""

Place = tuple[tuple[datetime, str], date, date, Span | None, bytes]
"""(order key, first day, last day, TZID span, VEVENT) of a premiere with an exact date."""

Table = dict[str, tuple[tuple, Place | None]]
"""A variant's slots by premiere id: (inputs, place or ``None`` without an exact date)."""


class _Tables:
    """The slots of each variant, least recently used first."""

    def __init__(self) -> None:
        self._tables: dict[Variant, Table] = {}
        self._lock = threading.Lock()

    def table(self, variant: Variant) -> Table:
        with self._lock:
            table = self._tables.pop(variant, None)
            self._tables[variant] = table = {} if table is None else table
        return table

    def trim(self, keep: int) -> None:
        """Drop the least recently used variants while there are more than ``keep``
        slots, and the last one too if it alone has more."""
        with self._lock:
            tables = self._tables
            while len(tables) > 1 and self.size() > keep:
                del tables[next(iter(tables))]
            if self.size() > keep:
                tables.clear()

    def size(self) -> int:
        return sum(map(len, list(self._tables.values())))

    def cache_clear(self) -> None:
        with self._lock:
            self._tables.clear()


_TABLES = _Tables()
_ORDER = itemgetter(0)


def clear() -> None:
    """Forget every kept event (the next build of each variant writes them all)."""
    _TABLES.cache_clear()


def placed_events(edition: Edition, query: Query, domain: str) -> tuple[list[bytes], list[Span]]:
    """The VEVENTs ``query`` selects from ``edition`` in its window, sorted by (start,
    id), and the TZIDs they use with the years each must cover."""
    size = len(edition.catalog.premieres) + len(edition.removed)
    edition = query.select(edition)
    catalog = edition.catalog
    zone_name = catalog.calendar.timezone
    variant = (query.all_day, zone_name, domain, query.alarm)
    table = _TABLES.table(variant)
    shows = {show.slug: show for show in reversed(catalog.shows)}
    places = _Places(table, edition, shows, variant)
    found = places.of(catalog.premieres, removed=False) + places.of(edition.removed, removed=True)
    _TABLES.trim(keep=4 * size + 1000)
    earliest, latest = window(edition, query, get_zone(zone_name))
    if latest is None:
        kept = [place for place in found if place[2] >= earliest]
    else:
        kept = [place for place in found if place[2] >= earliest and place[1] <= latest]
    kept.sort(key=_ORDER)
    return [place[4] for place in kept], spans({place[3] for place in kept})  # each once


class _Places:
    """One build's lookups: the slots, the shows by key, and each stamp's lines (made
    once per stamp object, which most premieres share; kept with the stamp, so its id
    is not reused while they are)."""

    def __init__(self, table: Table, edition: Edition, shows: dict[str, Show], variant: Variant):
        self.table, self.edition, self.shows = table, edition, shows
        all_day, zone_name, domain, alarm = variant
        self.writing = (all_day, get_zone(zone_name), domain, alarm)
        self.stamps: dict[int, tuple[Stamp, StampLines]] = {}

    def of(self, premieres: tuple[Premiere, ...], removed: bool) -> list[Place]:
        """The place of each premiere with an exact date, from its slot when its inputs
        (the premiere, removed or not, its stamp's lines, its show) are unchanged."""
        found = []
        table, edition, seen, writing = self.table, self.edition, self.stamps, self.writing
        slots, show_of, stamp_of = table.get, self.shows.get, edition.stamps.get
        for premiere in premieres:
            key = premiere.id
            stamp = stamp_of(key) or edition.stamp(key)
            stamped = seen.get(id(stamp))
            if stamped is None:
                stamped = seen[id(stamp)] = (stamp, stamp_lines(stamp))
            inputs = (premiere, removed, stamped[1], show_of(premiere.show))
            slot = slots(key)
            if slot is None or slot[0] != inputs:
                slot = table[key] = (inputs, _place(*inputs, *writing))
            if slot[1] is not None:
                found.append(slot[1])
        return found


def _place(
    premiere: Premiere,
    removed: bool,
    stamped: StampLines,
    show: Show | None,
    all_day: bool,
    zone: ZoneInfo,
    domain: str,
    alarm: timedelta | None,
) -> Place | None:
    start = start_of(premiere, all_day, zone)
    if start is None:
        return None
    release = premiere.release
    last = start + timedelta(7 * (release.drops - 1)) if isinstance(release, Weekly) else start
    if isinstance(start, datetime):
        key = start.astimezone(UTC)
        first_day, last_day = start.astimezone(zone).date(), last.astimezone(zone).date()
        span = span_of(start, last)
    else:
        key, first_day, last_day, span = midnight(start, zone), start, last, None
    body = write_event(premiere, start, removed, stamped, show, domain, alarm)
    return (key, premiere.id), first_day, last_day, span, body
