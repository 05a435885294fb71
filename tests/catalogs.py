"""Small, readable catalogues built directly from the model, for renderer tests.

One of every kind of premiere date and release, so each renderer test can pick the
entry it is about by id.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    CalendarInfo,
    Catalog,
    Change,
    ChangeKind,
    Edition,
    Link,
    NewsItem,
    PartialDate,
    Premiere,
    Show,
    Source,
    Stamp,
    Status,
    Timed,
    Weekly,
)
from feeds.zones import get_zone

SEOUL = get_zone("Asia/Seoul")
NEW_YORK = get_zone("America/New_York")
SOURCE = Source(name="Example News", url="https://news.example/article")
FIRST_SEEN = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)


def sample_calendar() -> CalendarInfo:
    return CalendarInfo(
        name="Premiere Feeds",
        description="Premiere dates and news.",
        timezone="Europe/Berlin",
        base_url="https://premieres.example",
        refresh=timedelta(hours=6),
    )


def sample_catalog() -> Catalog:
    shows = (
        Show(
            slug="zombie-school",
            title="Zombie School",
            original_title="Jombi Hakgyo",
            platform="Netflix",
            url="https://netflix.example/zombie-school",
            tags=("k-drama", "horror"),
            description="Students survive an outbreak.",
            based_on="a webtoon",
            creators=("A. Director",),
        ),
        Show(slug="space-cops", title="Space Cops", platform="Disney+", tags=("sci-fi",)),
    )
    premieres = (
        Premiere(
            id="zs-s2",
            show="zombie-school",
            title="Season 2",
            when=AllDay(date(2026, 1, 23)),
            status=Status.CONFIRMED,
            release=AllAtOnce(12),
            url="https://netflix.example/zombie-school/s2",
            description="The halfbies return.",
            tags=("binge",),
            cast=("Park Ji-hu as Nam On-jo", "Lee Min-jae"),
            source=SOURCE,
        ),
        Premiere(
            id="sc-s1",
            show="space-cops",
            title="Season 1",
            when=Timed(datetime(2026, 3, 4, 21, 0, tzinfo=NEW_YORK), "America/New_York"),
            status=Status.ANNOUNCED,
            release=Weekly(episodes=8, per_drop=2),
        ),
        Premiere(
            id="sc-special",
            show="space-cops",
            title="Holiday Special",
            when=Timed(datetime(2026, 12, 24, 18, 0, tzinfo=UTC), None),
            status=Status.RUMORED,
        ),
        Premiere(
            id="zs-s3",
            show="zombie-school",
            title="Season 3",
            when=PartialDate(2027),
            status=Status.RUMORED,
        ),
        Premiere(
            id="sc-s2",
            show="space-cops",
            title="Season 2",
            when=PartialDate(2027, quarter=2),
            status=Status.ANNOUNCED,
        ),
        Premiere(
            id="zs-movie",
            show="zombie-school",
            title="The Movie",
            when=PartialDate(2026, month=11),
            status=Status.DELAYED,
        ),
        Premiere(
            id="sc-s3",
            show="space-cops",
            title="Season 3",
            when=TBA(),
            status=Status.RUMORED,
        ),
        Premiere(
            id="zs-spinoff",
            show="zombie-school",
            title="Spin-off",
            when=AllDay(date(2026, 6, 1)),
            status=Status.CANCELLED,
        ),
    )
    news = (
        NewsItem(
            id="zs-s2-date",
            published=datetime(2025, 8, 1, 9, 0, tzinfo=UTC),
            title="Zombie School Season 2 gets a date",
            body="All **12 episodes** arrive on 23 January 2026.",
            links=(Link("Announcement", "https://news.example/date"),),
            shows=("zombie-school",),
            tags=("k-drama",),
            source=SOURCE,
        ),
        NewsItem(
            id="sc-cast",
            published=datetime(2025, 9, 2, 18, 30, tzinfo=SEOUL),
            title="Space Cops casts its crew",
            body="Casting news.",
            shows=("space-cops",),
        ),
    )
    return Catalog(calendar=sample_calendar(), shows=shows, premieres=premieres, news=news)


def sample_edition(moment: datetime | None = None) -> Edition:
    """The sample catalogue as of ``moment`` with every premiere first seen at
    ``FIRST_SEEN`` (sequence 0)."""
    catalog = sample_catalog()
    stamps = {p.id: Stamp(0, FIRST_SEEN, FIRST_SEEN) for p in catalog.premieres}
    return Edition(
        catalog=catalog,
        moment=moment or datetime(2026, 1, 10, tzinfo=UTC),
        stamps=stamps,
    )


GOLDEN_MOMENT = datetime(2026, 1, 23, tzinfo=UTC)


def golden_edition() -> Edition:
    """The edition the RSS, Atom and JSON Feed golden files show: the sample catalogue
    on the day Zombie School Season 2 premieres, with a confirmation in its history."""
    edition = sample_edition(GOLDEN_MOMENT)
    after = next(p for p in edition.catalog.premieres if p.id == "zs-s2")
    before = replace(after, status=Status.ANNOUNCED)
    seen = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    change = Change("zs-s2", 1, ChangeKind.CONFIRMED, seen, before, after)
    return replace(edition, changes=(change,))


MINIMAL_HEADER = """\
calendar:
  name: Test Premieres
  timezone: Europe/Berlin
  base_url: https://premieres.example
shows:
  zombies:
    title: Zombie School
    platform: Netflix
"""
