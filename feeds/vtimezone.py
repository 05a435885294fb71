"""VTIMEZONE components built from the bundled zone rules, with RRULE-based observances.

python-icalendar's ``add_missing_timezones()`` writes each observance as one long
``RDATE`` list; ical.js (Thunderbird) reads only the first value of such a list and
puts events an hour off. So we write what RFC 5545's examples and the big producers
write: one observance per rule, repeating yearly (``RRULE:FREQ=YEARLY;BYMONTH=3;
BYDAY=2SU``).

How the observances are found: the zone's transitions are located by scanning the
years from ``first_year - 1`` (so the offset on 1 January of ``first_year`` is covered)
to ``last_year + LOOKAHEAD``, the days ``feeds.zone_changes`` says it can change on,
then bisecting to the second. Transitions of the same kind, offsets, name, month and
wall-clock time in consecutive years that fall on the same kind of day (the 2nd
Sunday, the last Sunday, the first Friday on or after the 23rd, the 21st) become one
observance with a yearly RRULE. The look-ahead years tell apart rules that agree
within a short span ("4th Sunday" and "last Sunday" of October) and find rules that
stop soon after it. A rule that stops gets an ``UNTIL`` (in UTC, as RFC 5545 requires
in a VTIMEZONE); a rule still in force at the end of the look-ahead is left open, as
the zone's own database does. A transition that follows no rule is an observance of
its own. A zone with no transition before ``first_year`` gets one observance holding
its offset from 1 January of ``first_year - 1``: the only observance, in a zone
without DST. ``daylight`` marks a transition to a larger DST amount than before, so
zones with negative DST (Europe/Dublin) still get a summer DAYLIGHT.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from feeds.zone_changes import DAY, days_to_check
from feeds.zones import get_zone

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PREFERENCE = ("nth", "last", "window", "date")
LOOKAHEAD = 8


@dataclass(frozen=True)
class _Transition:
    """A change of offset (or of DST flag or abbreviation) at ``local``, the wall time
    on the clock before the change: what an observance's DTSTART says."""

    local: datetime
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    @property
    def key(self) -> tuple:
        """What a yearly rule keeps the same: everything but the year and the day."""
        return (
            self.daylight,
            self.before,
            self.after,
            self.name,
            self.local.month,
            self.local.time(),
        )

    @property
    def utc(self) -> datetime:
        return (self.local - self.before).replace(tzinfo=UTC)


def vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``zone_name`` that is exact for every moment from 1 January of
    ``first_year`` to the end of ``last_year`` (and follows the rules then in force
    after that)."""
    years = range(first_year - 1, last_year + LOOKAHEAD + 1)
    transitions = [t for year in years for t in _year_transitions(zone_name, year)]
    component = Timezone()
    component.add("tzid", zone_name)
    if not transitions or transitions[0].utc >= datetime(first_year, 1, 1, tzinfo=UTC):
        component.add_component(_constant(zone_name, first_year - 1))
    for run in _series(transitions):
        if run[0].utc.year <= last_year:
            open_ended = run[-1].utc.year >= last_year + LOOKAHEAD
            component.add_component(_observance(run, open_ended))
    return component


@cache
def _year_transitions(zone_name: str, year: int) -> tuple[_Transition, ...]:
    """Every transition after the first second of ``year`` (UTC) up to and including
    the first second of the next year."""
    start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    found = []
    for low in days_to_check(zone_name, start, end):
        high = min(low + DAY, end)
        if _state(zone_name, low) != _state(zone_name, high):
            found.append(_transition(zone_name, low, high))
    return tuple(found)


def _state(zone_name: str, timestamp: int) -> tuple[timedelta, timedelta, str]:
    moment = datetime.fromtimestamp(timestamp, get_zone(zone_name))
    return moment.utcoffset(), moment.dst(), moment.tzname()


def _transition(zone_name: str, low: int, high: int) -> _Transition:
    """Bisect ``(low, high]`` down to the first second in the new state."""
    before = _state(zone_name, low)
    while high - low > 1:
        middle = (low + high) // 2
        if _state(zone_name, middle) == before:
            low = middle
        else:
            high = middle
    offset, dst, name = _state(zone_name, high)
    local = datetime.fromtimestamp(high, UTC).replace(tzinfo=None) + before[0]
    return _Transition(local, before[0], offset, name, dst > before[1])


def _series(transitions: list[_Transition]) -> list[list[_Transition]]:
    """Group transitions into runs that one yearly RRULE describes."""
    runs: list[list[_Transition]] = []
    latest: dict[tuple, list[_Transition]] = {}
    for item in transitions:
        run = latest.get(item.key)
        if run is not None and _extends(run, item):
            run.append(item)
            continue
        run = [item]
        runs.append(run)
        latest[item.key] = run
    return runs


def _extends(run: list[_Transition], item: _Transition) -> bool:
    return item.local.year == run[-1].local.year + 1 and bool(_common_patterns([*run, item]))


def _common_patterns(run: list[_Transition]) -> frozenset[tuple]:
    common = _patterns(run[0].local)
    for item in run[1:]:
        common = common & _patterns(item.local)
    return common


@lru_cache(maxsize=4096)
def _patterns(local: datetime) -> frozenset[tuple]:
    """Every way of naming this day that a yearly rule could repeat."""
    day, weekday = local.day, _WEEKDAYS[local.weekday()]
    month_length = calendar.monthrange(local.year, local.month)[1]
    found: set[tuple] = {("date", day)}
    if day <= 28:
        found.add(("nth", (day + 6) // 7, weekday))
    if day > month_length - 7:
        found.add(("last", weekday))
    found |= {("window", first, weekday) for first in range(max(1, day - 6), day + 1)}
    return frozenset(p for p in found if p[0] != "window" or p[1] + 6 <= month_length)


def _observance(run: list[_Transition], open_ended: bool) -> TimezoneStandard | TimezoneDaylight:
    first = run[0]
    observance = TimezoneDaylight() if first.daylight else TimezoneStandard()
    observance.add("dtstart", first.local)
    observance.add("tzoffsetfrom", first.before)
    observance.add("tzoffsetto", first.after)
    observance.add("tzname", first.name)
    if len(run) > 1:
        rule = _rule(run)
        if not open_ended:
            rule["until"] = run[-1].utc
        observance.add("rrule", rule)
    return observance


def _rule(run: list[_Transition]) -> dict:
    pattern = min(_common_patterns(run), key=lambda p: (_PREFERENCE.index(p[0]), p))
    rule: dict = {"freq": "yearly", "bymonth": run[0].local.month}
    if pattern[0] == "nth":
        rule["byday"] = f"{pattern[1]}{pattern[2]}"
    elif pattern[0] == "last":
        rule["byday"] = f"-1{pattern[1]}"
    elif pattern[0] == "window":
        rule["bymonthday"] = list(range(pattern[1], pattern[1] + 7))
        rule["byday"] = pattern[2]
    else:
        rule["bymonthday"] = pattern[1]
    return rule


def _constant(zone_name: str, year: int) -> TimezoneStandard | TimezoneDaylight:
    """The observance in force at the start of ``year``, for the time before the
    first transition (or for ever, in a zone without any)."""
    offset, dst, name = _state(zone_name, int(datetime(year, 1, 1, tzinfo=UTC).timestamp()))
    observance = TimezoneDaylight() if dst > timedelta(0) else TimezoneStandard()
    observance.add("dtstart", datetime(year, 1, 1))
    observance.add("tzoffsetfrom", offset)
    observance.add("tzoffsetto", offset)
    observance.add("tzname", name)
    return observance
