"""VTIMEZONE blocks: written as yearly RRULEs, and telling the same time as zoneinfo.

The offsets are checked by expanding the observances here (with dateutil's rrule, the
way a client does), independently of how ``feeds.vtimezone`` found them, and compared
with ``datetime.utcoffset()`` one second either side of every change.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Timezone, vRecur

from feeds.vtimezone import vtimezone
from feeds.zones import get_zone, zone_names

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def onsets(component: Timezone) -> list[tuple[datetime, timedelta]]:
    """Every (UTC instant, offset from then on) the observances define, up to 2100, as
    read back from the serialised component."""
    found = []
    for observance in Timezone.from_ical(component.to_ical()).walk():
        if observance.name not in ("STANDARD", "DAYLIGHT"):
            continue
        start = observance["DTSTART"].dt
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        for local in _local_onsets(observance, start, before):
            found.append(((local - before).replace(tzinfo=UTC), after))
    return sorted(found)


def _local_onsets(observance, start: datetime, before: timedelta) -> list[datetime]:
    if "RRULE" not in observance:
        return [start]
    rule = vRecur(dict(observance["RRULE"]))
    if "UNTIL" in rule:
        until = rule["UNTIL"][0]
        rule["UNTIL"] = [until.astimezone(UTC).replace(tzinfo=None) + before]
    text = rule.to_ical().decode()
    return list(rrulestr(text, dtstart=start).between(start, datetime(2100, 1, 1), inc=True))


def offset_at(table: list[tuple[datetime, timedelta]], instant: datetime) -> timedelta:
    position = bisect_right(table, (instant, timedelta.max))
    assert position > 0, f"{instant} is before the first observance"
    return table[position - 1][1]


def zoneinfo_changes(zone_name: str, first_year: int, last_year: int) -> list[datetime]:
    """The instants where the zone's offset changes, found hour by hour, then to the
    second."""
    zone = get_zone(zone_name)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    changes = []
    while moment < end:
        if moment.astimezone(zone).utcoffset() != (moment + HOUR).astimezone(zone).utcoffset():
            low, high = moment, moment + HOUR
            while high - low > SECOND:
                middle = low + (high - low) / 2
                same = middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset()
                low, high = (middle, high) if same else (low, middle)
            changes.append(high)
        moment += HOUR
    return changes


def assert_offsets_match(zone_name: str, first_year: int, last_year: int) -> None:
    table = onsets(vtimezone(zone_name, first_year, last_year))
    zone = get_zone(zone_name)
    probes = [datetime(first_year, 1, 1, tzinfo=UTC), datetime(last_year, 12, 31, 23, tzinfo=UTC)]
    for change in zoneinfo_changes(zone_name, first_year, last_year):
        probes += [change - SECOND, change, change + HOUR]
    for probe in probes:
        expected = probe.astimezone(zone).utcoffset()
        assert offset_at(table, probe) == expected, f"{zone_name} at {probe.isoformat()}"


@pytest.mark.parametrize(
    "zone_name", ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Seoul"]
)
def test_offsets_equal_zoneinfo_either_side_of_every_change(zone_name):
    assert len(zoneinfo_changes(zone_name, 2024, 2028)) in (0, 10)
    assert_offsets_match(zone_name, 2024, 2028)


@pytest.mark.parametrize(
    ("zone_name", "first_year", "last_year"),
    [
        ("America/New_York", 2005, 2009),
        ("America/Sao_Paulo", 2017, 2021),
        ("Asia/Jerusalem", 2010, 2014),
        ("Europe/Dublin", 2024, 2026),
        ("Africa/Casablanca", 2024, 2026),
        ("Europe/Moscow", 2010, 2015),
    ],
)
def test_offsets_equal_zoneinfo_where_rules_changed_or_are_irregular(
    zone_name, first_year, last_year
):
    assert_offsets_match(zone_name, first_year, last_year)


@settings(max_examples=25, deadline=None)
@given(
    zone_name=st.sampled_from(sorted(zone_names())),
    first_year=st.integers(1995, 2035),
    span=st.integers(0, 2),
)
def test_offsets_equal_zoneinfo_in_any_zone_and_years(zone_name, first_year, span):
    assert_offsets_match(zone_name, first_year, first_year + span)


def test_icalendar_reads_the_same_offsets():
    tz = vtimezone("Australia/Sydney", 2026, 2027).to_tz()
    zone = get_zone("Australia/Sydney")
    for month in range(1, 13):
        local = datetime(2026, month, 15, 12)
        assert tz.utcoffset(local) == local.replace(tzinfo=zone).utcoffset()


def test_new_york_is_two_yearly_rules():
    text = vtimezone("America/New_York", 2026, 2026).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n" in text
    assert text.count("BEGIN:DAYLIGHT") == text.count("BEGIN:STANDARD") == 1
    assert "RDATE" not in text


def test_europe_uses_the_last_sunday():
    text = vtimezone("Europe/Berlin", 2026, 2026).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text


def test_a_rule_tied_to_a_day_of_month_is_a_window_of_days():
    text = vtimezone("Asia/Jerusalem", 2026, 2026).to_ical().decode()
    assert "BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3\r\n" in text


def test_a_zone_without_dst_has_one_standard_observance():
    component = vtimezone("Asia/Seoul", 2026, 2026)
    (observance,) = component.subcomponents
    assert observance.name == "STANDARD"
    assert observance["TZOFFSETFROM"].td == observance["TZOFFSETTO"].td == timedelta(hours=9)
    assert "RRULE" not in observance


def test_a_rule_that_changed_within_the_span_is_bounded_with_until():
    text = vtimezone("America/New_York", 2006, 2008).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;UNTIL=20060402T070000Z;BYDAY=1SU;BYMONTH=4\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n" in text


def test_the_first_observance_starts_before_the_first_year():
    for zone_name in ("America/New_York", "Australia/Sydney", "Asia/Seoul"):
        table = onsets(vtimezone(zone_name, 2026, 2026))
        assert table[0][0] < datetime(2026, 1, 1, tzinfo=UTC)


def test_the_same_arguments_give_the_same_component():
    assert vtimezone("Europe/Berlin", 2026, 2027) == vtimezone("Europe/Berlin", 2026, 2027)
    first = vtimezone("Europe/Berlin", 2026, 2027).to_ical()
    assert first == vtimezone("Europe/Berlin", 2026, 2027).to_ical()
