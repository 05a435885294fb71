"""When the feeds' reminders ("premieres in 7 days", "premieres today") fall due.

Each premiere's reminder moments are kept across builds (``feeds.fragments``) while its
date, status and the calendar's zone and reminder days are unchanged: the edition's
time boundaries and every feed's candidates ask for them, for every premiere, on every
build, and placing a day in a zone is not cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise

from feeds import wording
from feeds.fragments import Fragments
from feeds.model import AllDay, CalendarInfo, Catalog, Premiere, Status, Timed, When
from feeds.zones import get_zone

Reminders = tuple[tuple[int, datetime], ...]
"""(days before, moment in UTC) for each reminder, fewest days (so latest) first."""

_KEPT: Fragments[Reminders] = Fragments()
_ZERO_HOUR = time(0)
_DATED = (AllDay, Timed)  # the dates reminders count back from


def reminders(calendar: CalendarInfo, premiere: Premiere) -> Reminders:
    """The premiere's reminders (none for an inexact or cancelled premiere)."""
    inputs = (premiere.when, premiere.status, calendar.timezone, calendar.reminder_days)
    return _KEPT.get(premiere.id, inputs, _reminders)


def reminder_moments(catalog: Catalog) -> list[datetime]:
    """Every moment (UTC, sorted, without repeats) at which a reminder falls due.

    Most premieres share their reminders with others of the same day (one tuple, one
    moment object each), so repeats are dropped by identity first, which is cheap, and
    the rest by sorting: a set would hash each moment, and hashing an aware datetime
    asks its zone for the offset."""
    trim(len(catalog.premieres))
    calendar = catalog.calendar
    days = {id(kept): kept for kept in [reminders(calendar, p) for p in catalog.premieres]}
    return sorted_distinct(moment for kept in days.values() for _, moment in kept)


def sorted_distinct(moments: Iterable[datetime]) -> list[datetime]:
    """``sorted(set(moments))`` without hashing: of equal moments, the first is kept."""
    ordered = sorted(moments)
    return ordered[:1] + [moment for before, moment in pairwise(ordered) if moment != before]


def reminder_moment(calendar: CalendarInfo, premiere: Premiere, days: int) -> datetime:
    """Midnight, in the premiere's zone, ``days`` days before its day (UTC)."""
    return _moment(premiere.when, calendar.timezone, days)


def trim(premieres: int) -> None:
    """Bound the kept reminders by the size of the whole catalogue."""
    _KEPT.trim(keep=2 * premieres + 1000)


def _reminders(when: When, status: Status, zone: str, reminder_days: tuple[int, ...]) -> Reminders:
    if status is Status.CANCELLED or not isinstance(when, _DATED):
        return ()
    return _reminders_on(*_day_in_zone(when, zone), reminder_days)


@lru_cache(maxsize=16_384)
def _reminders_on(day: date, zone: str | None, reminder_days: tuple[int, ...]) -> Reminders:
    """The reminders of a premiere on ``day`` in ``zone``: one tuple for all the
    premieres of a day (most share one with others), not one each."""
    return tuple(
        [(days, _midnight(day - timedelta(days), zone)) for days in _fewest_first(reminder_days)]
    )


@lru_cache(maxsize=64)
def _fewest_first(reminder_days: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(set(reminder_days)))


def _moment(when: AllDay | Timed, zone: str, days: int) -> datetime:
    day, day_zone = _day_in_zone(when, zone)
    return _midnight(day - timedelta(days), day_zone)


def _day_in_zone(when: AllDay | Timed, zone: str) -> tuple[date, str | None]:
    """The day reminders count back from, and the zone whose midnights they fall at:
    a timed premiere's own (UTC without one), else the calendar's ``zone``."""
    if isinstance(when, Timed):
        return wording.local_start(when).date(), when.zone
    return when.day, zone


@lru_cache(maxsize=16_384)
def _midnight(day: date, zone: str | None) -> datetime:
    """The start of ``day`` in ``zone`` (UTC when ``None``), in UTC."""
    return datetime.combine(day, _ZERO_HOUR, get_zone(zone) if zone else UTC).astimezone(UTC)
