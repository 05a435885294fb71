"""The calendar as independent parsers read it: python-icalendar, vobject and Mozilla's
ical.js (Thunderbird's parser, run through Node with ``tests/js/parse_ics.mjs``).

The ical.js tests need ``node`` and ``tests/js/node_modules`` (``make js`` installs it);
they skip only when ``node`` is not on PATH.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from catalogs import sample_catalog, sample_edition
from feeds.ical import render_calendar
from feeds.model import AllDay, Edition, Premiere, Status, Timed, Weekly
from feeds.query import Query
from feeds.zones import get_zone

SCRIPT = Path(__file__).parent / "js" / "parse_ics.mjs"
ZONES = ("America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Seoul")
HOURS = (0, 4, 12, 23)


def icaljs(data: bytes) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    run = subprocess.run([node, str(SCRIPT)], input=data, capture_output=True, check=False)
    assert run.returncode == 0, f"{run.stderr.decode()}\n(run `make js` to install ical.js)"
    return json.loads(run.stdout)


def utc_text(moment: datetime) -> str:
    """A moment as ical.js's ``toJSDate().toISOString()`` writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def edition_of(*premieres: Premiere) -> Edition:
    catalog = replace(sample_catalog(), premieres=premieres)
    return Edition(catalog=catalog, moment=datetime(2026, 1, 10, tzinfo=UTC))


def timed(premiere_id: str, start: datetime, zone_name: str, **fields) -> Premiere:
    return Premiere(
        id=premiere_id,
        show="space-cops",
        title=premiere_id,
        when=Timed(start, zone_name),
        status=Status.CONFIRMED,
        **fields,
    )


def change_days(zone_name: str, year: int) -> list[date]:
    """The days on which the zone's offset changes (from one noon UTC to the next)."""
    zone = get_zone(zone_name)
    days = []
    for number in range(365):
        noon = datetime(year, 1, 1, 12, tzinfo=UTC) + timedelta(days=number)
        if (
            noon.astimezone(zone).utcoffset()
            != (noon + timedelta(days=1)).astimezone(zone).utcoffset()
        ):
            days.append((noon + timedelta(days=1)).astimezone(zone).date())
    return days


def around_every_change() -> list[Premiere]:
    """Timed premieres at four hours (none in a gap or an overlap) the day before, of
    and after every offset change of 2026, plus a weekly release across each change."""
    found = []
    for zone_name in ZONES:
        zone = get_zone(zone_name)
        for day in change_days(zone_name, 2026) or [date(2026, 3, 29)]:
            for shift in (-1, 0, 1):
                for hour in HOURS:
                    local = datetime.combine(day + timedelta(days=shift), datetime.min.time())
                    start = local.replace(hour=hour, tzinfo=zone)
                    found.append(timed(f"{zone_name}-{start:%Y%m%dT%H}", start, zone_name))
            start = datetime.combine(day - timedelta(days=8), datetime.min.time()).replace(
                hour=21, tzinfo=zone
            )
            weekly = Weekly(episodes=4)
            found.append(timed(f"{zone_name}-weekly-{day}", start, zone_name, release=weekly))
    return found


SEED = Premiere(
    id="seed",
    show="zombie-school",
    title="Season 2",
    when=AllDay(date(2026, 1, 23)),
    status=Status.CONFIRMED,
)


def test_icalendar_reads_the_seed_premiere_as_a_one_day_event():
    data = render_calendar(edition_of(SEED), Query())
    assert b"\r\nDTSTART;VALUE=DATE:20260123\r\nDTEND;VALUE=DATE:20260124\r\n" in data
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2026, 1, 23), date(2026, 1, 24))


def test_vobject_reads_the_seed_premiere_as_a_one_day_event():
    calendar = vobject.readOne(render_calendar(edition_of(SEED), Query()).decode())
    (event,) = calendar.vevent_list
    assert (event.dtstart.value, event.dtend.value) == (date(2026, 1, 23), date(2026, 1, 24))


@pytest.mark.node
def test_icaljs_reads_the_seed_premiere_as_a_one_day_event():
    (event,) = icaljs(render_calendar(edition_of(SEED), Query()))["events"]
    assert event["start"] == {"iso": "2026-01-23", "isDate": True, "zone": None, "utc": None}
    assert event["end"]["iso"] == "2026-01-24"
    assert [o["iso"] for o in event["occurrences"]] == ["2026-01-23"]


def test_vobject_reads_every_event_of_the_sample():
    data = render_calendar(sample_edition(), Query(alarm=timedelta(hours=1)))
    calendar = vobject.readOne(data.decode())
    expected = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert [e.uid.value for e in calendar.vevent_list] == list(expected)
    for event in calendar.vevent_list:
        ours = expected[event.uid.value]
        assert event.summary.value == ours["SUMMARY"]
        assert event.dtstart.value == ours["DTSTART"].dt
        assert event.sequence.value == str(ours["SEQUENCE"])


def test_vobject_puts_times_around_every_change_on_pythons_instants():
    premieres = around_every_change()
    calendar = vobject.readOne(render_calendar(edition_of(*premieres), Query()).decode())
    starts = {event.uid.value.split("@")[0]: event.dtstart.value for event in calendar.vevent_list}
    for premiere in premieres:
        assert starts[premiere.id].astimezone(UTC) == premiere.when.start.astimezone(UTC)


def test_parsers_keep_a_smuggled_property_inside_the_summary():
    sneaky = replace(SEED, title="Pilot\r\nATTENDEE:mailto:x@y")
    data = render_calendar(edition_of(sneaky), Query())
    (event,) = vobject.readOne(data.decode()).vevent_list
    assert "attendee" not in event.contents
    assert event.summary.value.endswith("ATTENDEE:mailto:x@y")


@pytest.mark.node
def test_icaljs_keeps_a_smuggled_property_inside_the_summary():
    sneaky = replace(SEED, title="Pilot\r\nATTENDEE:mailto:x@y")
    (event,) = icaljs(render_calendar(edition_of(sneaky), Query()))["events"]
    assert "attendee" not in event["properties"]
    assert event["summary"] == "Zombie School — Pilot\nATTENDEE:mailto:x@y"


@pytest.mark.node
def test_icaljs_reads_every_event_of_the_sample_as_python_does():
    data = render_calendar(sample_edition(), Query(alarm=timedelta(hours=1)))
    parsed = icaljs(data)
    ours = Calendar.from_ical(data).walk("VEVENT")
    assert parsed["timezones"] == ["America/New_York"]
    assert [e["uid"] for e in parsed["events"]] == [str(e["UID"]) for e in ours]
    for event, expected in zip(parsed["events"], ours, strict=True):
        assert event["summary"] == expected["SUMMARY"]
        assert event["description"] == expected["DESCRIPTION"]
        assert event["status"] == expected["STATUS"]
        assert event["sequence"] == expected["SEQUENCE"]
        assert event["start"]["isDate"] == (not isinstance(expected["DTSTART"].dt, datetime))
        if expected.get("CATEGORIES"):
            assert event["categories"] == expected["CATEGORIES"].cats
        alarms = (
            [] if expected["STATUS"] == "CANCELLED" else [{"action": "DISPLAY", "trigger": "-PT1H"}]
        )
        assert event["alarms"] == alarms


@pytest.mark.node
def test_icaljs_resolves_new_york_from_our_vtimezone_across_the_dst_change():
    (event,) = [
        e for e in icaljs(render_calendar(sample_edition(), Query()))["events"] if e["rrule"]
    ]
    assert event["rrule"] == "FREQ=WEEKLY;COUNT=4"
    assert event["start"]["zone"] == "America/New_York"
    assert event["start"]["iso"] == "2026-03-04T21:00:00-05:00"
    start = datetime(2026, 3, 4, 21, tzinfo=get_zone("America/New_York"))
    expected = [utc_text(start + timedelta(weeks=week)) for week in range(4)]
    assert [o["utc"] for o in event["occurrences"]] == expected
    assert event["occurrences"][1]["iso"] == "2026-03-11T21:00:00-04:00"


@pytest.mark.node
def test_icaljs_puts_times_around_every_change_on_pythons_instants():
    premieres = around_every_change()
    parsed = {
        e["uid"].split("@")[0]: e
        for e in icaljs(render_calendar(edition_of(*premieres), Query()))["events"]
    }
    assert len(parsed) == len(premieres)
    for premiere in premieres:
        event = parsed[premiere.id]
        assert event["start"]["zone"] == premiere.when.zone
        assert event["start"]["utc"] == utc_text(premiere.when.start), premiere.id
        drops = premiere.release.drops if premiere.release else 1
        expected = [utc_text(premiere.when.start + timedelta(weeks=w)) for w in range(drops)]
        assert [o["utc"] for o in event["occurrences"]] == expected, premiere.id


@pytest.mark.node
def test_icaljs_reads_a_utc_premiere_in_utc():
    start = datetime(2026, 12, 24, 18, tzinfo=UTC)
    (event,) = icaljs(render_calendar(edition_of(timed("utc", start, None)), Query()))["events"]
    assert event["start"]["iso"] == "2026-12-24T18:00:00+00:00"
    assert event["start"]["utc"] == "2026-12-24T18:00:00.000Z"
    assert event["end"]["utc"] == "2026-12-24T19:00:00.000Z"


@pytest.mark.node
def test_icaljs_agrees_on_wall_times_the_clocks_repeat_or_skip():
    new_york = get_zone("America/New_York")
    repeated = datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    premieres = [
        timed("first", repeated, "America/New_York"),
        timed("second", repeated.replace(fold=1), "America/New_York"),
        timed("skipped", datetime(2026, 3, 8, 2, 30, tzinfo=new_york), "America/New_York"),
    ]
    events = icaljs(render_calendar(edition_of(*premieres), Query()))["events"]
    utc = {e["uid"].split("@")[0]: e["start"]["utc"] for e in events}
    assert utc == {p.id: utc_text(p.when.start) for p in premieres}
