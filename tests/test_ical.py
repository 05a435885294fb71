"""The calendar renderer: what each premiere becomes, what subscribers can choose, and
the bytes themselves.

The golden file is ``tests/golden/calendar.ics``. After an intended change to the
output, regenerate it with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_ical.py`` and
review the diff like code.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from catalogs import FIRST_SEEN, NEW_YORK, sample_catalog, sample_edition
from feeds.ical import MEDIA_TYPE, render_calendar
from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    Edition,
    PartialDate,
    Premiere,
    Stamp,
    Status,
    Timed,
    Weekly,
)
from feeds.query import Query, parse_query

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "calendar.ics"
MOMENT = datetime(2026, 1, 10, tzinfo=UTC)


def edition_of(*premieres: Premiere, moment: datetime = MOMENT, **calendar) -> Edition:
    """The sample shows with only ``premieres``, and calendar settings overridden."""
    catalog = sample_catalog()
    catalog = replace(catalog, premieres=premieres, calendar=replace(catalog.calendar, **calendar))
    return Edition(catalog=catalog, moment=moment)


def premiere(premiere_id: str = "p", **fields) -> Premiere:
    """A confirmed Space Cops premiere on 1 February 2026 unless ``fields`` say otherwise."""
    fields = {"when": AllDay(date(2026, 2, 1)), "status": Status.CONFIRMED, **fields}
    return Premiere(id=premiere_id, show="space-cops", title="Pilot", **fields)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(data: bytes) -> dict[str, Event]:
    """The events by premiere id (the UID's left half)."""
    return {str(e["UID"]).split("@")[0]: e for e in parse(data).walk("VEVENT")}


def ids(data: bytes) -> list[str]:
    return list(events(data))


def render(edition: Edition | None = None, **query) -> bytes:
    return render_calendar(edition or sample_edition(), Query(**query))


def unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


def test_the_media_type_is_utf8_text_calendar():
    assert MEDIA_TYPE == "text/calendar; charset=utf-8"


def test_the_sample_calendar_matches_the_golden_file():
    data = render()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_rendering_twice_gives_identical_bytes():
    assert render() == render()


def test_two_python_processes_render_identical_bytes():
    code = (
        "import sys; from catalogs import sample_edition; from feeds.ical import render_calendar;"
        " from feeds.query import Query;"
        " sys.stdout.buffer.write(render_calendar(sample_edition(), Query()))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": f"{ROOT}/tests{os.pathsep}{ROOT}",
        }
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] == render()


def test_the_calendar_describes_itself():
    calendar = parse(render())
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "Premiere Feeds"
    assert calendar["DESCRIPTION"] == calendar["X-WR-CALDESC"] == "Premiere dates and news."
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"


def test_the_calendar_has_no_uid_of_its_own():
    assert "UID" not in parse(render())


def test_both_refresh_hints_are_durations():
    data = render(edition_of(refresh=timedelta(hours=1, minutes=30)))
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H30M\r\n" in data


def test_source_is_the_calendar_url_with_the_normalised_query():
    data = render(alarm=timedelta(minutes=30), shows=frozenset({"space-cops"}), all_day=True)
    calendar = parse(data)
    expected = "https://premieres.example/calendar.ics?alarm=PT30M&all_day=1&show=space-cops"
    assert calendar["SOURCE"] == expected
    assert calendar["URL"] == "https://premieres.example"


def test_color_and_image_appear_when_the_calendar_has_them():
    data = render(edition_of(color="darkorange", image="https://premieres.example/logo.png"))
    assert b"\r\nCOLOR:darkorange\r\n" in data
    assert b"\r\nIMAGE;VALUE=URI:https://premieres.example/logo.png\r\n" in data


def test_color_and_image_are_absent_when_the_calendar_has_none():
    calendar = parse(render())
    assert "COLOR" not in calendar
    assert "IMAGE" not in calendar


def test_every_event_has_a_uid_a_stamp_and_a_start():
    found = parse(render()).walk("VEVENT")
    assert found
    for event in found:
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)


def test_every_tzid_has_a_vtimezone():
    data = render()
    used = set(re.findall(r";TZID=([^:;]+)", unfolded(data)))
    defined = {str(tz["TZID"]) for tz in parse(data).walk("VTIMEZONE")}
    assert used == {"America/New_York"}
    assert used == defined


def test_the_uid_is_the_premiere_id_at_the_site_domain():
    assert ids(render()) == ["zs-s2", "sc-s1", "zs-spinoff", "sc-special"]
    for event in parse(render()).walk("VEVENT"):
        assert str(event["UID"]).endswith("@premieres.example")


def test_the_uid_survives_edits_and_reordering():
    before = premiere("stable", when=AllDay(date(2026, 2, 1)))
    after = replace(before, title="Renamed", when=Timed(datetime(2026, 5, 1, tzinfo=UTC), None))
    first = events(render(edition_of(before, premiere("other"))))
    second = events(render(edition_of(premiere("other"), after)))
    assert first["stable"]["UID"] == second["stable"]["UID"] == "stable@premieres.example"


def test_stamps_come_from_the_edition_not_the_clock():
    stamp = Stamp(3, datetime(2025, 5, 1, 8, tzinfo=UTC), datetime(2025, 9, 2, 7, tzinfo=UTC))
    edition = replace(edition_of(premiere("p")), stamps={"p": stamp})
    event = events(render(edition))["p"]
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == stamp.modified
    assert event["CREATED"].dt == stamp.created
    assert event["SEQUENCE"] == 3


def test_a_premiere_without_history_gets_the_fixed_epoch_stamp():
    event = events(render(edition_of(premiere("p"))))["p"]
    assert event["DTSTAMP"].dt == datetime(2000, 1, 1, tzinfo=UTC)
    assert event["SEQUENCE"] == 0


def test_an_all_day_premiere_ends_on_the_next_day():
    data = render()
    assert "DTSTART;VALUE=DATE:20260123\r\nDTEND;VALUE=DATE:20260124\r\n" in unfolded(data)
    event = events(data)["zs-s2"]
    assert event["DTSTART"].dt == date(2026, 1, 23)
    assert event["DTEND"].dt == date(2026, 1, 24)


def test_a_timed_premiere_keeps_its_zone_and_lasts_an_hour():
    text = unfolded(render())
    assert "DTSTART;TZID=America/New_York:20260304T210000\r\n" in text
    assert "DTEND;TZID=America/New_York:20260304T220000\r\n" in text


def test_a_premiere_given_as_a_utc_offset_is_published_in_utc():
    text = unfolded(render())
    assert "DTSTART:20261224T180000Z\r\nDTEND:20261224T190000Z\r\n" in text


def test_a_binge_drop_is_one_event_that_says_so():
    found = [e for e in parse(render()).walk("VEVENT") if str(e["UID"]).startswith("zs-s2@")]
    assert len(found) == 1
    assert "RRULE" not in found[0]
    assert "all 12 episodes at once" in found[0]["DESCRIPTION"]


def test_a_weekly_release_is_a_weekly_recurrence_counting_its_drops():
    event = events(render())["sc-s1"]
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert "2 episodes a week, 8 in all" in event["DESCRIPTION"]


def test_partial_and_tba_dates_are_left_out():
    data = render()
    assert not {"zs-s3", "sc-s2", "zs-movie", "sc-s3"} & set(ids(data))
    assert not re.search(r"DTSTART[^:]*:\d{4}0101", data.decode())


def test_a_partial_date_is_never_placed_on_the_first_of_january():
    edition = edition_of(premiere("p", when=PartialDate(2026)), premiere("t", when=TBA()))
    assert parse(render(edition)).walk("VEVENT") == []


def test_a_removed_premiere_is_cancelled_with_its_stamp():
    gone = premiere("gone", when=AllDay(date(2026, 2, 1)), status=Status.CONFIRMED)
    stamp = Stamp(2, FIRST_SEEN, datetime(2026, 1, 5, tzinfo=UTC))
    edition = replace(edition_of(), removed=(gone,), stamps={"gone": stamp})
    event = events(render(edition))["gone"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert event["LAST-MODIFIED"].dt == stamp.modified


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.RUMORED, "TENTATIVE"),
        (Status.ANNOUNCED, "TENTATIVE"),
        (Status.DELAYED, "TENTATIVE"),
        (Status.CONFIRMED, "CONFIRMED"),
        (Status.RELEASED, "CONFIRMED"),
        (Status.CANCELLED, "CANCELLED"),
    ],
)
def test_each_premiere_status_becomes_an_event_status(status, expected):
    assert events(render(edition_of(premiere("p", status=status))))["p"]["STATUS"] == expected


def test_the_event_tells_what_where_and_from_whom():
    event = events(render())["zs-s2"]
    assert event["SUMMARY"] == "Zombie School — Season 2"
    description = str(event["DESCRIPTION"])
    for fact in (
        "Platform: Netflix",
        "Status: confirmed",
        "Cast: Park Ji-hu as Nam On-jo, Lee Min-jae",
        "The halfbies return.",
        "Source: Example News https://news.example/article",
    ):
        assert fact in description
    assert event["URL"] == "https://netflix.example/zombie-school/s2"
    assert event["CATEGORIES"].cats == ["k-drama", "horror", "binge"]
    assert event["TRANSP"] == "TRANSPARENT"


def test_an_image_is_published_as_a_uri():
    data = render(edition_of(premiere("p", image="https://img.example/p.jpg")))
    assert "\r\nIMAGE;VALUE=URI:https://img.example/p.jpg\r\n" in unfolded(data)


def test_events_are_sorted_by_start_then_id():
    same_day = AllDay(date(2026, 3, 1))
    edition = edition_of(
        premiere("b", when=same_day),
        premiere("late", when=AllDay(date(2026, 4, 1))),
        premiere("a", when=same_day),
        premiere("early", when=Timed(datetime(2026, 2, 1, 12, tzinfo=UTC), None)),
    )
    assert ids(render(edition)) == ["early", "a", "b", "late"]


def test_lines_end_with_crlf_and_fit_in_75_octets():
    long_title = "Ünïcödé — 좀비 " * 20
    data = render(edition_of(premiere("p", description=long_title)))
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(len(line) > 70 for line in lines)


def test_commas_semicolons_backslashes_and_newlines_are_escaped():
    title = 'Part 1, "Rise"; back\\slash\nsecond line'
    data = render(edition_of(replace(premiere("p"), title=title)))
    escaped = r'SUMMARY:Space Cops — Part 1\, "Rise"\; back\\slash\nsecond line'
    assert escaped + "\r\n" in unfolded(data)
    assert events(data)["p"]["SUMMARY"] == f"Space Cops — {title}"


def test_a_property_smuggled_into_a_title_stays_inside_the_summary():
    title = "Pilot\r\nATTENDEE:mailto:x@y"
    event = events(render(edition_of(replace(premiere("p"), title=title))))["p"]
    assert "ATTENDEE" not in event
    assert "ATTENDEE:mailto:x@y" in event["SUMMARY"]


def selected(**args: list[str]) -> list[str]:
    """The premiere ids in the sample calendar for these query arguments."""
    return ids(render_calendar(sample_edition(), parse_query(args, sample_catalog())))


def test_the_show_filter_keeps_one_show_and_names_the_calendar_after_it():
    assert selected(show=["zombie-school"]) == ["zs-s2", "zs-spinoff"]
    data = render(shows=frozenset({"zombie-school"}))
    assert parse(data)["NAME"] == parse(data)["X-WR-CALNAME"] == "Premiere Feeds — Zombie School"


def test_the_tag_filter_keeps_premieres_with_the_tag_on_premiere_or_show():
    assert selected(tag=["binge"]) == ["zs-s2"]
    assert selected(tag=["SCI-FI"]) == ["sc-s1", "sc-special"]


def test_the_platform_filter_keeps_premieres_on_the_platform():
    assert selected(platform=["Disney+"]) == ["sc-s1", "sc-special"]


def test_the_status_filter_keeps_premieres_with_the_status():
    assert selected(status=["confirmed,cancelled"]) == ["zs-s2", "zs-spinoff"]


def test_past_days_drops_premieres_that_ended_longer_ago():
    edition = sample_edition(moment=datetime(2026, 6, 10, 12, tzinfo=UTC))
    assert ids(render(edition, past_days=9)) == ["zs-spinoff", "sc-special"]
    assert ids(render(edition, past_days=8)) == ["sc-special"]
    assert "zs-s2" in ids(render(edition, past_days=138))
    assert "zs-s2" not in ids(render(edition, past_days=137))


def test_a_weekly_release_stays_while_any_drop_is_within_the_window():
    edition = sample_edition(moment=datetime(2026, 6, 10, 12, tzinfo=UTC))
    assert "sc-s1" in ids(render(edition, past_days=76))
    assert "sc-s1" not in ids(render(edition, past_days=75))


def test_past_days_defaults_to_the_calendar_setting():
    edition = edition_of(premiere("old", when=AllDay(date(2026, 1, 1))), past_days=5)
    assert ids(render(edition)) == []
    assert ids(render(edition, past_days=9)) == ["old"]


def test_future_days_drops_premieres_beyond_the_horizon():
    assert ids(render(future_days=53)) == ["zs-s2"]
    assert ids(render(future_days=54)) == ["zs-s2", "sc-s1"]


def test_the_window_counts_days_in_the_calendars_zone():
    late_evening_utc = datetime(2026, 1, 22, 23, 30, tzinfo=UTC)
    assert ids(render(sample_edition(moment=late_evening_utc), future_days=0)) == ["zs-s2"]


def test_a_removed_premiere_follows_the_window_too():
    gone = premiere("gone", when=AllDay(date(2025, 1, 1)))
    edition = replace(edition_of(), removed=(gone,))
    assert ids(render(edition)) == ["gone"]
    assert ids(render(edition, past_days=30)) == []


def test_an_alarm_reminds_before_every_event_that_still_happens():
    found = events(render(alarm=timedelta(minutes=30)))
    for premiere_id in ("zs-s2", "sc-s1", "sc-special"):
        (alarm,) = found[premiere_id].walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(minutes=-30)
        assert alarm["DESCRIPTION"] == found[premiere_id]["SUMMARY"]
    assert found["zs-spinoff"].walk("VALARM") == []
    assert b"\r\nTRIGGER:-PT30M\r\n" in render(alarm=timedelta(minutes=30))


def test_no_alarm_unless_asked():
    assert b"VALARM" not in render()


def test_all_day_publishes_timed_premieres_on_their_date_in_the_calendars_zone():
    data = render(all_day=True)
    found = events(data)
    assert found["sc-s1"]["DTSTART"].dt == date(2026, 3, 5)
    assert found["sc-s1"]["DTEND"].dt == date(2026, 3, 6)
    assert found["sc-special"]["DTSTART"].dt == date(2026, 12, 24)
    assert b"TZID" not in data


def test_a_binge_release_without_a_count_still_says_all_at_once():
    edition = edition_of(premiere("p", release=AllAtOnce()))
    assert "all episodes at once" in events(render(edition))["p"]["DESCRIPTION"]


def test_a_weekly_release_across_new_year_gets_a_vtimezone_for_both_years():
    start = datetime(2026, 12, 20, 21, tzinfo=NEW_YORK)
    weekly = premiere("p", when=Timed(start, "America/New_York"), release=Weekly(episodes=4))
    (zone,) = parse(render(edition_of(weekly))).walk("VTIMEZONE")
    assert zone.to_tz().utcoffset(datetime(2027, 1, 10, 21)) == timedelta(hours=-5)


def test_a_wall_time_that_happens_twice_is_published_in_utc():
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    second = first.replace(fold=1)
    edition = edition_of(
        premiere("first", when=Timed(first, "America/New_York")),
        premiere("second", when=Timed(second, "America/New_York")),
    )
    text = unfolded(render(edition))
    assert "DTSTART:20261101T053000Z\r\n" in text
    assert "DTSTART:20261101T063000Z\r\n" in text
    assert "TZID" not in text


def test_a_wall_time_the_clocks_skip_is_published_at_the_instant_it_names():
    skipped = datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK)
    edition = edition_of(premiere("p", when=Timed(skipped, "America/New_York")))
    assert "DTSTART;TZID=America/New_York:20260308T033000\r\n" in unfolded(render(edition))


def test_a_removed_premiere_whose_show_is_gone_too_is_still_cancelled():
    orphan = replace(premiere("orphan"), show="gone-show")
    event = events(render(replace(edition_of(), removed=(orphan,))))["orphan"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"] == "gone-show — Pilot"
