from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from catalogs import FIRST_SEEN, sample_edition
from feeds.items import FeedItem, feed_items, reminder_moment, reminder_moments
from feeds.model import (
    AllDay,
    Change,
    ChangeKind,
    Edition,
    PartialDate,
    Premiere,
    Stamp,
    Status,
)
from feeds.query import Query

TAG = "tag:premieres.example,2025:"
WEEK_BEFORE_ZS_S2 = datetime(2026, 1, 15, 23, 0, tzinfo=UTC)  # 16 January, 00:00 Berlin
DAY_OF_SC_S1 = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)  # 4 March, 00:00 New York
DAY_OF_SC_SPECIAL = datetime(2026, 12, 24, 0, 0, tzinfo=UTC)  # offset-only: UTC midnight
SEEN = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)


def items_of(edition: Edition, query: Query | None = None) -> dict[str, FeedItem]:
    return {item.id: item for item in feed_items(edition, query or Query())}


def premiere(edition: Edition, premiere_id: str) -> Premiere:
    return next(p for p in edition.catalog.premieres if p.id == premiere_id)


def with_calendar(edition: Edition, **changes: object) -> Edition:
    catalog = edition.catalog
    calendar = dataclasses.replace(catalog.calendar, **changes)
    return dataclasses.replace(edition, catalog=dataclasses.replace(catalog, calendar=calendar))


def test_every_news_entry_is_an_item_dated_when_it_was_published() -> None:
    item = items_of(sample_edition())[TAG + "news/sc-cast"]
    assert item.kind == "news"
    assert item.published == item.updated == datetime(2025, 9, 2, 9, 30, tzinfo=UTC)


def test_news_links_to_its_first_link() -> None:
    assert items_of(sample_edition())[TAG + "news/zs-s2-date"].url == "https://news.example/date"


def test_news_without_links_or_show_url_links_to_the_site() -> None:
    assert items_of(sample_edition())[TAG + "news/sc-cast"].url == "https://premieres.example/"


def test_news_body_markdown_becomes_html_and_plain_text() -> None:
    item = items_of(sample_edition())[TAG + "news/zs-s2-date"]
    assert item.content_html.startswith("<p>All <strong>12 episodes</strong> arrive")
    assert item.summary == "All 12 episodes arrive on 23 January 2026."
    assert "**" not in item.content_text


def test_premiere_announcement_dates_come_from_its_stamp() -> None:
    edition = sample_edition()
    modified = datetime(2025, 12, 24, 8, 0, tzinfo=UTC)
    edition.stamps["zs-s2"] = Stamp(sequence=2, created=FIRST_SEEN, modified=modified)
    item = items_of(edition)[TAG + "premiere/zs-s2"]
    assert (item.published, item.updated) == (FIRST_SEEN, modified)


def test_premiere_without_history_is_dated_at_the_fixed_epoch() -> None:
    edition = dataclasses.replace(sample_edition(), stamps={})
    item = items_of(edition)[TAG + "premiere/zs-s2"]
    assert item.published == item.updated == edition.epoch


@pytest.mark.parametrize(
    ("premiere_id", "title"),
    [
        (
            "zs-s2",
            "Zombie School Season 2 premieres on 23 January 2026 on Netflix, "
            "all 12 episodes at once",
        ),
        (
            "sc-s1",
            "Space Cops Season 1 premieres on 4 March 2026 at 21:00 (America/New_York) "
            "on Disney+, 2 episodes a week, 8 in all",
        ),
        (
            "sc-special",
            "Rumoured: Space Cops Holiday Special premieres on 24 December 2026 at 18:00 (UTC) "
            "on Disney+",
        ),
        ("zs-s3", "Rumoured: Zombie School Season 3 is expected in 2027 on Netflix"),
        ("sc-s2", "Space Cops Season 2 is expected in Q2 2027 on Disney+"),
        ("zs-movie", "Delayed: Zombie School The Movie is expected in November 2026 on Netflix"),
        ("sc-s3", "Rumoured: Space Cops Season 3 is coming to Disney+, date to be announced"),
        (
            "zs-spinoff",
            "Cancelled: Zombie School Spin-off was to premiere on 1 June 2026 on Netflix",
        ),
    ],
)
def test_announcement_says_the_date_as_precisely_as_it_is_known(
    premiere_id: str, title: str
) -> None:
    assert items_of(sample_edition())[TAG + f"premiere/{premiere_id}"].title == title


def test_premiere_links_to_its_own_page_then_the_show_page() -> None:
    items = items_of(sample_edition())
    assert items[TAG + "premiere/zs-s2"].url == "https://netflix.example/zombie-school/s2"
    assert items[TAG + "premiere/zs-s3"].url == "https://netflix.example/zombie-school"
    assert items[TAG + "premiere/sc-s3"].url == "https://premieres.example/"


def test_premiere_link_that_is_not_a_web_url_is_not_used() -> None:
    edition = sample_edition()
    hostile = dataclasses.replace(premiere(edition, "sc-s1"), url="javascript:alert(1)")
    catalog = dataclasses.replace(edition.catalog, premieres=(hostile,))
    item = items_of(dataclasses.replace(edition, catalog=catalog))[TAG + "premiere/sc-s1"]
    assert item.url == "https://premieres.example/"


def test_premiere_tags_are_the_show_tags_and_its_own() -> None:
    tags = items_of(sample_edition())[TAG + "premiere/zs-s2"].tags
    assert tags == ("k-drama", "horror", "binge")


def test_reminder_appears_exactly_at_its_moment() -> None:
    item = items_of(sample_edition(WEEK_BEFORE_ZS_S2))[TAG + "reminder/zs-s2/7"]
    assert item.title == "Zombie School Season 2 premieres in 7 days on Netflix"
    assert item.published == item.updated == WEEK_BEFORE_ZS_S2


def test_reminder_is_absent_one_second_before_its_moment() -> None:
    early = sample_edition(WEEK_BEFORE_ZS_S2 - timedelta(seconds=1))
    assert TAG + "reminder/zs-s2/7" not in items_of(early)


def test_reminder_on_the_day_says_today() -> None:
    item = items_of(sample_edition(DAY_OF_SC_S1))[TAG + "reminder/sc-s1/0"]
    assert item.title == "Space Cops Season 1 premieres today on Disney+"
    assert item.published == DAY_OF_SC_S1


def test_reminder_a_day_before_says_tomorrow() -> None:
    edition = with_calendar(sample_edition(DAY_OF_SC_S1), reminder_days=(1,))
    item = items_of(edition)[TAG + "reminder/sc-s1/1"]
    assert item.title == "Space Cops Season 1 premieres tomorrow on Disney+"
    assert item.published == DAY_OF_SC_S1 - timedelta(days=1)


def test_reminder_for_a_moment_given_as_an_offset_falls_at_utc_midnight() -> None:
    assert TAG + "reminder/sc-special/0" in items_of(sample_edition(DAY_OF_SC_SPECIAL))
    earlier = sample_edition(DAY_OF_SC_SPECIAL - timedelta(seconds=1))
    assert TAG + "reminder/sc-special/0" not in items_of(earlier)


def test_rumoured_premiere_reminder_says_it_is_a_rumour() -> None:
    item = items_of(sample_edition(DAY_OF_SC_SPECIAL))[TAG + "reminder/sc-special/0"]
    assert item.title == "Rumoured: Space Cops Holiday Special premieres today on Disney+"


def test_cancelled_and_inexact_premieres_get_no_reminders() -> None:
    ids = items_of(sample_edition(datetime(2030, 1, 1, tzinfo=UTC)))
    reminders = {i.split("/")[1] for i in ids if i.startswith(TAG + "reminder/")}
    assert reminders == {"zs-s2", "sc-s1", "sc-special"}


def test_reminder_moments_are_every_due_time_sorted() -> None:
    assert reminder_moments(sample_edition().catalog) == [
        WEEK_BEFORE_ZS_S2,
        datetime(2026, 1, 22, 23, 0, tzinfo=UTC),
        DAY_OF_SC_S1 - timedelta(days=7),
        DAY_OF_SC_S1,
        DAY_OF_SC_SPECIAL - timedelta(days=7),
        DAY_OF_SC_SPECIAL,
    ]


def test_reminder_moment_is_midnight_in_the_calendar_zone_for_all_day_premieres() -> None:
    edition = with_calendar(sample_edition(), timezone="Asia/Seoul")
    moment = reminder_moment(edition.catalog.calendar, premiere(edition, "zs-s2"), 0)
    assert moment == datetime(2026, 1, 22, 15, 0, tzinfo=UTC)


def zs_s2(**changes: object) -> Premiere:
    return dataclasses.replace(premiere(sample_edition(), "zs-s2"), **changes)


SENTENCE = "Zombie School Season 2 premieres on 23 January 2026 on Netflix, all 12 episodes at once"
CHANGES = [
    (ChangeKind.NEW, None, zs_s2(), f"New premiere announced: {SENTENCE}"),
    (
        ChangeKind.DATE_CHANGED,
        zs_s2(),
        zs_s2(when=AllDay(date(2026, 2, 6))),
        "Date changed: Zombie School Season 2 moved from 23 January 2026 to 6 February 2026",
    ),
    (
        ChangeKind.DATE_ANNOUNCED,
        zs_s2(when=PartialDate(2026, month=1)),
        zs_s2(),
        f"Date announced: {SENTENCE}",
    ),
    (ChangeKind.CONFIRMED, zs_s2(status=Status.ANNOUNCED), zs_s2(), f"Confirmed: {SENTENCE}"),
    (
        ChangeKind.DELAYED,
        zs_s2(),
        zs_s2(when=PartialDate(2026, month=11), status=Status.DELAYED),
        "Delayed: Zombie School Season 2 moved from 23 January 2026 to November 2026",
    ),
    (
        ChangeKind.CANCELLED,
        zs_s2(),
        zs_s2(status=Status.CANCELLED),
        "Cancelled: Zombie School Season 2",
    ),
    (
        ChangeKind.RELEASED,
        zs_s2(),
        zs_s2(status=Status.RELEASED),
        "Released: Zombie School Season 2 premiered on 23 January 2026 on Netflix, "
        "all 12 episodes at once",
    ),
    (ChangeKind.REMOVED, zs_s2(), None, "Removed: Zombie School Season 2"),
]


def change_items(*changes: Change) -> list[FeedItem]:
    edition = dataclasses.replace(sample_edition(), changes=changes)
    return [item for item in feed_items(edition, Query()) if item.kind == "change"]


@pytest.mark.parametrize(
    ("kind", "before", "after", "title"), CHANGES, ids=[c[0].value for c in CHANGES]
)
def test_each_change_kind_is_one_item_with_its_own_wording(
    kind: ChangeKind, before: Premiere | None, after: Premiere | None, title: str
) -> None:
    items = change_items(Change("zs-s2", 3, kind, SEEN, before, after))
    assert [(item.id, item.title) for item in items] == [(TAG + "change/zs-s2/3", title)]


def test_change_item_is_published_when_the_change_was_seen() -> None:
    (item,) = change_items(Change("zs-s2", 3, ChangeKind.NEW, SEEN, None, zs_s2()))
    assert item.published == item.updated == SEEN


def test_change_id_depends_on_premiere_and_revision_only() -> None:
    first = change_items(Change("zs-s2", 4, ChangeKind.CONFIRMED, SEEN, zs_s2(), zs_s2()))
    later = SEEN + timedelta(days=3)
    moved = zs_s2(title="Season Two")
    second = change_items(Change("zs-s2", 4, ChangeKind.CONFIRMED, later, moved, moved))
    assert first[0].id == second[0].id == TAG + "change/zs-s2/4"


def test_detail_updates_are_not_announced_as_items() -> None:
    updated = Change("zs-s2", 5, ChangeKind.UPDATED, SEEN, zs_s2(), zs_s2(cast=("Someone",)))
    assert change_items(updated) == []


def test_items_are_newest_first_with_ties_broken_by_id() -> None:
    items = feed_items(sample_edition(WEEK_BEFORE_ZS_S2), Query())
    assert items == sorted(items, key=lambda i: (-i.published.timestamp(), i.id))
    assert items[0].id == TAG + "reminder/zs-s2/7"


def test_feed_keeps_only_the_newest_items() -> None:
    edition = with_calendar(sample_edition(WEEK_BEFORE_ZS_S2), feed_items=2)
    ids = [item.id for item in feed_items(edition, Query())]
    assert ids == [TAG + "reminder/zs-s2/7", TAG + "news/sc-cast"]


def test_show_filter_keeps_only_that_show() -> None:
    ids = items_of(sample_edition(), Query(shows=frozenset({"space-cops"})))
    assert {i.split(":")[-1].split("/")[1] for i in ids} == {
        "sc-cast",
        "sc-s1",
        "sc-special",
        "sc-s2",
        "sc-s3",
    }


def test_tag_filter_keeps_only_tagged_items() -> None:
    items = feed_items(sample_edition(), Query(tags=frozenset({"horror"})))
    assert items and all("horror" in item.tags for item in items)
    assert len(items) < len(feed_items(sample_edition(), Query()))


def test_platform_filter_keeps_only_that_platform() -> None:
    items = feed_items(sample_edition(), Query(platforms=frozenset({"disney+"})))
    assert items and all("/sc-" in item.id for item in items)


def test_items_are_frozen() -> None:
    item = feed_items(sample_edition(), Query())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.title = "changed"  # type: ignore[misc]


def test_reminders_due_before_the_premiere_was_first_seen_are_not_published():
    edition = sample_edition(datetime(2026, 1, 23, 12, tzinfo=UTC))
    late = Stamp(0, datetime(2026, 1, 20, tzinfo=UTC), datetime(2026, 1, 20, tzinfo=UTC))
    edition = dataclasses.replace(edition, stamps={**edition.stamps, "zs-s2": late})
    ids = [item.id for item in feed_items(edition, Query())]
    assert any(i.endswith("reminder/zs-s2/0") for i in ids)
    assert not any(i.endswith("reminder/zs-s2/7") for i in ids)


def test_an_id_that_needs_quoting_is_quoted_in_its_tag_uri_and_placed_by_it() -> None:
    """The YAML's ids never need quoting, but a tag URI must stay one whatever the id."""
    edition = sample_edition()
    catalog = edition.catalog
    renamed = {"zs-s2": "zs s2/é", "sc-s1": "sc-s1"}
    premieres = tuple(dataclasses.replace(p, id=renamed.get(p.id, p.id)) for p in catalog.premieres)
    news = tuple(dataclasses.replace(n, id=n.id + "?") for n in catalog.news)
    stamps = {renamed.get(key, key): stamp for key, stamp in edition.stamps.items()}
    edited = dataclasses.replace(
        edition, catalog=dataclasses.replace(catalog, premieres=premieres, news=news), stamps=stamps
    )
    ids = [item.id for item in feed_items(edited, Query())]
    assert TAG + "premiere/zs%20s2%2F%C3%A9" in ids and TAG + "premiere/sc-s1" in ids
    assert TAG + "news/sc-cast%3F" in ids
    items = feed_items(edited, Query())
    assert items == sorted(items, key=lambda i: (-i.published.timestamp(), i.id))
