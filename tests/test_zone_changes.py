"""VTIMEZONE transitions found from the zone's TZif data (``feeds.zone_changes``) are
exactly those of the previous method, asking ``zoneinfo`` about every day of the year.

The previous method is kept here as the reference. It was also run against the
new one for every zone from 1900 to 2100, with no difference.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds import vtimezone
from feeds.zone_changes import DAY, _read_tzif, _rule_moment, _zone_data, days_to_check
from feeds.zones import get_zone, zone_file, zone_names

IRREGULAR = [
    "Africa/Casablanca",
    "Africa/Cairo",
    "America/Godthab",
    "America/Santiago",
    "America/Sao_Paulo",
    "Antarctica/Troll",
    "Asia/Gaza",
    "Asia/Jerusalem",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Europe/Dublin",
    "Europe/Moscow",
    "Pacific/Chatham",
    "Pacific/Apia",
]


def day_by_day(zone_name: str, year: int) -> tuple:
    """The previous ``vtimezone._year_transitions``: every day of the year."""
    start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    found = []
    for low in range(start, end, DAY):
        high = min(low + DAY, end)
        if vtimezone._state(zone_name, low) != vtimezone._state(zone_name, high):
            found.append(vtimezone._transition(zone_name, low, high))
    return tuple(found)


def new(zone_name: str, year: int) -> tuple:
    return vtimezone._year_transitions.__wrapped__(zone_name, year)


@pytest.mark.parametrize("zone_name", sorted(zone_names()))
def test_every_zone_this_year_and_next(zone_name):
    for year in (2026, 2027):
        assert new(zone_name, year) == day_by_day(zone_name, year)


@pytest.mark.parametrize("zone_name", IRREGULAR)
def test_zones_with_irregular_rules_over_decades(zone_name):
    for year in range(1965, 2045):
        assert new(zone_name, year) == day_by_day(zone_name, year), year


@settings(max_examples=40, deadline=None)
@given(zone_name=st.sampled_from(sorted(zone_names())), year=st.integers(1900, 2100))
def test_any_zone_in_any_year(zone_name, year):
    assert new(zone_name, year) == day_by_day(zone_name, year)


def test_the_vtimezone_is_byte_identical_to_the_day_by_day_one(monkeypatch):
    zones = [("America/New_York", 2006, 2008), ("Europe/Berlin", 2024, 2030)]
    zones += [(name, 2020, 2027) for name in IRREGULAR]
    fast = [vtimezone.vtimezone(*args).to_ical() for args in zones]
    monkeypatch.setattr(vtimezone, "_year_transitions", day_by_day)
    assert fast == [vtimezone.vtimezone(*args).to_ical() for args in zones]


def test_the_days_checked_are_few_and_within_the_span():
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    days = days_to_check("Europe/Berlin", start, end)
    assert len(days) < 40
    assert list(days) == sorted(set(days))
    assert all(start <= day < end and (day - start) % DAY == 0 for day in days)


def test_the_footer_rule_gives_the_days_zoneinfo_changes_on():
    _, rules = _zone_data("America/New_York")
    assert rules == ((3, 2, 0, 7200), (11, 1, 0, 7200))
    zone = get_zone("America/New_York")
    for rule in rules:
        local = datetime.fromtimestamp(_rule_moment(rule, 2026), UTC).replace(tzinfo=None)
        before = local.replace(hour=0).replace(tzinfo=zone)
        after = local.replace(hour=23).replace(tzinfo=zone)
        assert before.utcoffset() != after.utcoffset()


def test_the_tzif_reader_reads_the_64_bit_part_and_footer():
    times, footer = _read_tzif(zone_file("Europe/Berlin"))
    assert footer == "CET-1CEST,M3.5.0,M10.5.0/3"
    assert times == tuple(sorted(times)) and times[0] < 0
    assert _read_tzif(zone_file("Asia/Seoul"))[1] == "KST-9"
