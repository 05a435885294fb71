"""Change tracking end to end: edit events.yaml, rebuild, read what subscribers get."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import feedparser
import icalendar
import pytest

from service_fixtures import Clock, make_app, make_settings

SEASON_2 = "all-of-us-are-dead-s2"
UID = f"{SEASON_2}@premieres.example"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def service(settings, clock):
    app, publisher = make_app(settings, clock)
    return app.test_client(), publisher


def edit(settings, old: str, new: str) -> None:
    text = settings.events_file.read_text(encoding="utf-8")
    assert old in text
    settings.events_file.write_text(text.replace(old, new, 1), encoding="utf-8")


def later_edit(service, settings, clock, old: str, new: str) -> None:
    clock.now += timedelta(hours=1)
    edit(settings, old, new)
    assert service[1].refresh() is True


def season_2_event(client):
    calendar = icalendar.Calendar.from_ical(client.get("/calendar.ics").data)
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == UID]
    assert len(events) == 1
    return events[0]


def change_entries(client, path: str):
    feed = feedparser.parse(client.get(path).data)
    assert feed.bozo == 0
    return [e for e in feed.entries if ":change/" in e.id]


def json_changes(client):
    items = json.loads(client.get("/feed.json").data)["items"]
    return [i for i in items if ":change/" in i["id"]]


def test_a_moved_date_raises_the_sequence_under_the_same_uid(service, settings, clock):
    client = service[0]
    assert int(season_2_event(client)["SEQUENCE"]) == 0
    later_edit(service, settings, clock, "date: 2026-01-23", "date: 2026-02-06")
    event = season_2_event(client)
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt.isoformat() == "2026-02-06"
    assert event["LAST-MODIFIED"].dt == clock.now.replace(microsecond=0)
    assert event["DTSTAMP"].dt == clock.now.replace(microsecond=0)


def test_a_moved_date_is_one_date_changed_item_in_every_feed(service, settings, clock):
    client = service[0]
    later_edit(service, settings, clock, "date: 2026-01-23", "date: 2026-02-06")
    expected = (
        "Date changed: All of Us Are Dead Season 2 moved from 23 January 2026 to 6 February 2026"
    )
    for path in ("/rss.xml", "/atom.xml"):
        [entry] = change_entries(client, path)
        assert entry.title == expected
    [item] = json_changes(client)
    assert item["title"] == expected
    assert item["date_published"] == clock.now.replace(microsecond=0).isoformat()


def test_a_change_item_keeps_its_id_across_rebuilds_and_restarts(service, settings, clock):
    client, _ = service
    later_edit(service, settings, clock, "date: 2026-01-23", "date: 2026-02-06")
    before = client.get("/rss.xml").data
    restarted, _ = make_app(settings, Clock(clock.now + timedelta(minutes=5)))
    assert restarted.test_client().get("/rss.xml").data == before


@pytest.mark.parametrize(
    ("new_status", "title_start"),
    [("delayed", "Delayed: "), ("released", "Released: "), ("cancelled", "Cancelled: ")],
)
def test_a_status_change_is_announced(service, settings, clock, new_status, title_start):
    later_edit(service, settings, clock, "status: confirmed", f"status: {new_status}")
    [item] = json_changes(service[0])
    assert item["title"].startswith(title_start)


def test_a_confirmation_is_announced(service, settings, clock):
    edit(settings, "status: confirmed", "status: announced")
    service[1].refresh()
    later_edit(service, settings, clock, "status: announced", "status: confirmed")
    assert [i["title"][:10] for i in json_changes(service[0])] == ["Confirmed:"]


def test_a_partial_date_that_becomes_exact_is_announced_and_enters_the_calendar(
    service, settings, clock
):
    client = service[0]
    later_edit(service, settings, clock, "date: 2026-01-23", "date: 2026-03")
    assert UID.encode() not in client.get("/calendar.ics").data
    later_edit(service, settings, clock, "date: 2026-03", "date: 2026-03-06")
    titles = [item["title"] for item in json_changes(client)]
    assert titles[0].startswith("Date announced: All of Us Are Dead Season 2")
    assert int(season_2_event(client)["SEQUENCE"]) == 2


def test_a_removed_premiere_stays_in_the_calendar_as_cancelled(service, settings, clock):
    client = service[0]
    text = settings.events_file.read_text(encoding="utf-8")
    start = text.index(f"  - id: {SEASON_2}")
    end = text.index("news:")
    clock.now += timedelta(hours=1)
    settings.events_file.write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    assert service[1].refresh() is True
    event = season_2_event(client)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert [i["title"] for i in json_changes(client)] == ["Removed: All of Us Are Dead Season 2"]


def test_a_description_typo_updates_the_text_without_raising_the_sequence(service, settings, clock):
    later_edit(service, settings, clock, "Filming began in mid-2025.", "Filming began mid-2025.")
    event = season_2_event(service[0])
    assert int(event["SEQUENCE"]) == 0
    assert "Filming began mid-2025." in str(event["DESCRIPTION"]).replace("\n", " ")
    assert json_changes(service[0]) == []


def test_a_restart_changes_no_byte(service, settings, clock):
    client = service[0]
    later_edit(service, settings, clock, "date: 2026-01-23", "date: 2026-02-06")
    paths = ("/calendar.ics", "/rss.xml", "/atom.xml", "/feed.json", "/api/events")
    before = {path: client.get(path).data for path in paths}
    restarted, _ = make_app(settings, Clock(clock.now + timedelta(minutes=30)))
    assert {path: restarted.test_client().get(path).data for path in paths} == before


RENDER_IN_A_PROCESS = """
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from datetime import datetime
from service_fixtures import Clock, make_app, make_settings
clock = Clock(datetime.fromisoformat(sys.argv[2]))
app, _ = make_app(make_settings(Path(sys.argv[1])), clock)
sys.stdout.buffer.write(app.test_client().get(sys.argv[3]).data)
"""


def render_elsewhere(tmp_path, moment, path: str) -> bytes:
    result = subprocess.run(
        [sys.executable, "-c", RENDER_IN_A_PROCESS, str(tmp_path), moment.isoformat(), path],
        capture_output=True,
        check=True,
    )
    return result.stdout


def test_two_processes_sharing_one_store_render_identical_bytes_after_an_edit(
    tmp_path, settings, clock
):
    make_app(settings, clock)
    edit(settings, "date: 2026-01-23", "date: 2026-02-06")
    first = render_elsewhere(tmp_path, clock.now + timedelta(hours=1), "/calendar.ics")
    second = render_elsewhere(tmp_path, clock.now + timedelta(hours=2), "/calendar.ics")
    assert first == second and b"SEQUENCE:1" in first
    assert render_elsewhere(tmp_path, clock.now + timedelta(hours=3), "/rss.xml") == (
        render_elsewhere(tmp_path, clock.now + timedelta(hours=4), "/rss.xml")
    )


def test_a_premiere_added_later_is_announced_as_new_in_every_feed(service, settings, clock):
    added = (
        "  - id: all-of-us-are-dead-s3\n    show: all-of-us-are-dead\n    title: Season 3\n"
        "    date: 2027-Q2\n    status: rumored\n\nnews:"
    )
    later_edit(service, settings, clock, "news:", added)
    expected = (
        "New premiere announced: All of Us Are Dead Season 3 is expected in Q2 2027 on Netflix"
    )
    assert [i["title"] for i in json_changes(service[0])] == [expected]
    for path in ("/rss.xml", "/atom.xml"):
        assert [e.title for e in change_entries(service[0], path)] == [expected]
