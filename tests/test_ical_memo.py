"""What the calendar keeps across builds (``feeds.ical_memo``) never shows: after any
edit, a build from warm tables gives the bytes of a build from empty ones, and of the
reference renderer, for every query."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from catalogs import sample_edition
from feeds import ical_memo
from feeds.ical import render_calendar, render_calendar_with_library
from feeds.model import AllDay, Edition, Stamp, Status, Timed
from feeds.query import Query
from feeds.zones import get_zone
from generated import generated_edition

QUERIES = [
    Query(),
    Query(alarm=timedelta(hours=1)),
    Query(all_day=True),
    Query(past_days=0, future_days=400),
    Query(shows=frozenset({"show-000001"})),
    Query(statuses=frozenset({Status.CONFIRMED}), alarm=timedelta(days=1)),
]


def premieres_edited(edition: Edition, index: int, **fields) -> Edition:
    premieres = list(edition.catalog.premieres)
    premieres[index] = replace(premieres[index], **fields)
    return replace(edition, catalog=replace(edition.catalog, premieres=tuple(premieres)))


def show_edited(edition: Edition, **fields) -> Edition:
    shows = list(edition.catalog.shows)
    shows[1] = replace(shows[1], **fields)
    return replace(edition, catalog=replace(edition.catalog, shows=tuple(shows)))


def stamps_copied(edition: Edition, bump: str | None = None) -> Edition:
    """Equal stamps as new objects (as each build makes them), one of them moved on."""
    stamps = {key: Stamp(s.sequence, s.created, s.modified) for key, s in edition.stamps.items()}
    if bump is not None:
        old = stamps[bump]
        stamps[bump] = Stamp(old.sequence + 1, old.created, old.modified + timedelta(hours=1))
    return replace(edition, stamps=stamps)


def calendar_edited(edition: Edition, **fields) -> Edition:
    calendar = replace(edition.catalog.calendar, **fields)
    return replace(edition, catalog=replace(edition.catalog, calendar=calendar))


def edits(edition: Edition) -> dict[str, Edition]:
    first = edition.catalog.premieres[0]
    timed = next(i for i, p in enumerate(edition.catalog.premieres) if isinstance(p.when, Timed))
    timed_when = edition.catalog.premieres[timed].when
    return {
        "title": premieres_edited(edition, 0, title="A new title"),
        "date": premieres_edited(edition, 3, when=AllDay(date(2026, 2, 14))),
        "zone": premieres_edited(edition, timed, when=replace(timed_when, zone="Asia/Tokyo")),
        "status": premieres_edited(edition, 5, status=Status.CANCELLED),
        "show": show_edited(edition, title="Renamed", tags=("new-tag",)),
        "stamps": stamps_copied(edition, bump=first.id),
        "removed": replace(
            edition,
            catalog=replace(edition.catalog, premieres=edition.catalog.premieres[1:]),
            removed=(*edition.removed, first),
        ),
        "domain": calendar_edited(edition, base_url="https://elsewhere.example"),
        "calendar zone": calendar_edited(edition, timezone="America/New_York"),
        "moment": replace(edition, moment=edition.moment + timedelta(days=40)),
        "past days": calendar_edited(edition, past_days=30),
    }


def cold(edition: Edition, query: Query) -> bytes:
    ical_memo.clear()
    return render_calendar(edition, query)


@pytest.mark.parametrize("name", list(edits(generated_edition(600))))
def test_a_warm_build_after_an_edit_equals_a_cold_one_and_the_reference(name):
    edition = generated_edition(600)
    for query in QUERIES:
        render_calendar(edition, query)
    edited = edits(edition)[name]
    for query in QUERIES:
        warm = render_calendar(edited, query)
        assert warm == render_calendar_with_library(edited, query), query
        assert warm == cold(edited, query), query
        assert render_calendar(edition, query) == cold(edition, query), query


def test_an_edit_shows_in_the_next_build():
    edition = generated_edition(600)
    before = render_calendar(edition, Query())
    after = render_calendar(edits(edition)["title"], Query())
    assert before != after
    assert b"A new title" in after and b"A new title" not in before


def test_stamps_are_written_in_utc_whatever_their_zone():
    edition = sample_edition()
    utc = render_calendar(edition, Query())
    berlin = get_zone("Europe/Berlin")
    stamps = {
        key: Stamp(s.sequence, s.created.astimezone(berlin), s.modified.astimezone(berlin))
        for key, s in edition.stamps.items()
    }
    assert stamps == edition.stamps
    zoned = replace(edition, stamps=stamps)
    assert render_calendar(zoned, Query()) == render_calendar_with_library(zoned, Query()) == utc
    naive = {
        key: Stamp(s.sequence, s.created.astimezone(UTC).replace(tzinfo=None), s.modified)
        for key, s in stamps.items()
    }
    plain = replace(edition, stamps=naive)
    assert render_calendar(plain, Query()) == render_calendar_with_library(plain, Query()) == utc


def test_equal_moments_in_two_zones_give_the_same_event():
    edition = sample_edition()
    index, premiere = next(
        (i, p) for i, p in enumerate(edition.catalog.premieres) if isinstance(p.when, Timed)
    )
    moved = replace(premiere.when, start=premiere.when.start.astimezone(UTC))
    assert moved == premiere.when
    render_calendar(edition, Query())
    edited = premieres_edited(edition, index, when=moved)
    assert render_calendar(edited, Query()) == render_calendar_with_library(edited, Query())


def test_many_variants_stay_bounded():
    edition = generated_edition(600)
    size = len(edition.catalog.premieres) + len(edition.removed)
    for minutes in range(1, 12):
        render_calendar(edition, Query(alarm=timedelta(minutes=minutes)))
    assert ical_memo._TABLES.size() <= 4 * size + 1000
    alarm = Query(alarm=timedelta(minutes=11))
    assert render_calendar(edition, alarm) == render_calendar_with_library(edition, alarm)


def test_builds_in_several_threads_agree_with_the_reference():
    edition = generated_edition(600)
    variants = [edition, *edits(edition).values()]
    expected = {
        (i, q): render_calendar_with_library(e, q)
        for i, e in enumerate(variants)
        for q in QUERIES[:3]
    }
    ical_memo.clear()
    failures = []

    def build(offset: int) -> None:
        for step in range(len(expected)):
            key = list(expected)[(step + offset) % len(expected)]
            if render_calendar(variants[key[0]], key[1]) != expected[key]:
                failures.append(key)

    threads = [threading.Thread(target=build, args=(n * 7,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


def test_events_at_one_moment_in_many_zones_come_by_id_with_each_zone_once():
    edition = generated_edition(600)
    moment = datetime(2026, 5, 1, 18, 30, 15, 500, tzinfo=UTC)
    premieres = [
        replace(p, when=Timed(moment.astimezone(get_zone(zone)), zone))
        for p, zone in zip(
            edition.catalog.premieres[:40],
            ["Asia/Tokyo", "America/New_York", "Europe/Berlin", "Asia/Seoul"] * 10,
            strict=True,
        )
    ]
    edited = replace(
        edition,
        catalog=replace(edition.catalog, premieres=(*premieres, *edition.catalog.premieres[40:])),
    )
    body = cold(edited, Query())
    assert body == render_calendar_with_library(edited, Query())
    assert body.count(b"BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n") == 1
