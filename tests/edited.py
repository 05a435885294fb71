"""One-change edits of an edition, and the filtered queries to look at them through, for
tests that compare a build reusing kept pieces (``feeds.fragments``) with one that
writes everything from scratch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from feeds.fragments import forget_all
from feeds.model import AllDay, Edition, NewsItem, Premiere, Stamp, Status, Timed
from feeds.query import Query
from feeds.zones import get_zone

Edit = Callable[[Edition], Edition]


def fresh(render: Callable[[Edition, Query], bytes], edition: Edition, query: Query) -> bytes:
    """``render`` with no piece kept from earlier builds."""
    from feeds import items

    forget_all()
    items._LAST[0] = None
    return render(edition, query)


def queries(edition: Edition) -> list[Query]:
    """The whole catalogue, and one filter of each kind."""
    catalog = edition.catalog
    show = catalog.shows[0]
    tag = next(t for s in catalog.shows for t in s.tags).casefold()
    platform = next(s.platform for s in catalog.shows if s.platform).casefold()
    return [
        Query(),
        Query(shows=frozenset({show.slug})),
        Query(tags=frozenset({tag})),
        Query(platforms=frozenset({platform})),
        Query(statuses=frozenset({Status.CONFIRMED, Status.CANCELLED})),
    ]


def _premieres(edition: Edition, change: Callable[[Premiere], Premiere | None]) -> Edition:
    """``change`` applied to the first premiere with an exact day (``None`` drops it)."""
    premieres = list(edition.catalog.premieres)
    index = next(i for i, p in enumerate(premieres) if isinstance(p.when, AllDay))
    changed = change(premieres[index])
    premieres[index : index + 1] = [] if changed is None else [changed]
    return replace(edition, catalog=replace(edition.catalog, premieres=tuple(premieres)))


def retitled(edition: Edition) -> Edition:
    return _premieres(edition, lambda p: replace(p, title=p.title + " & <more>"))


def moved(edition: Edition) -> Edition:
    return _premieres(edition, lambda p: replace(p, when=AllDay(p.when.day + timedelta(days=3))))


def timed(edition: Edition) -> Edition:
    """A day becomes a moment in Seoul."""
    seoul = get_zone("Asia/Seoul")

    def change(p: Premiere) -> Premiere:
        start = datetime.combine(p.when.day, time(21, 0), tzinfo=seoul)
        return replace(p, when=Timed(start, "Asia/Seoul"))

    return _premieres(edition, change)


def rezoned(edition: Edition) -> Edition:
    """The same instant, now given in Tokyo's zone (equal ``Timed`` starts, not equal
    zones)."""
    premieres = list(edition.catalog.premieres)
    index = next(i for i, p in enumerate(premieres) if isinstance(p.when, Timed))
    when = premieres[index].when
    tokyo = get_zone("Asia/Tokyo")
    premieres[index] = replace(
        premieres[index], when=Timed(when.start.astimezone(tokyo), "Asia/Tokyo")
    )
    return replace(edition, catalog=replace(edition.catalog, premieres=tuple(premieres)))


def cancelled(edition: Edition) -> Edition:
    return _premieres(edition, lambda p: replace(p, status=Status.CANCELLED))


def dropped(edition: Edition) -> Edition:
    return _premieres(edition, lambda p: None)


def added(edition: Edition) -> Edition:
    first = edition.catalog.premieres[0]
    new = replace(first, id="a-new-one", title="A New One", when=AllDay(date(2026, 2, 2)))
    catalog = replace(edition.catalog, premieres=(*edition.catalog.premieres, new))
    return replace(edition, catalog=catalog)


def restamped(edition: Edition) -> Edition:
    first = edition.catalog.premieres[0]
    old = edition.stamp(first.id)
    stamps = dict(edition.stamps)
    stamps[first.id] = Stamp(old.sequence + 1, old.created, old.modified + timedelta(hours=1))
    return replace(edition, stamps=stamps)


def show_changed(edition: Edition) -> Edition:
    """The first show retitled, moved to another platform and retagged."""
    show = edition.catalog.shows[0]
    changed = replace(show, title="Renamed <Show>", platform="Elsewhere TV", tags=("new-tag",))
    shows = (changed, *edition.catalog.shows[1:])
    return replace(edition, catalog=replace(edition.catalog, shows=shows))


def news_rezoned(edition: Edition) -> Edition:
    """Each news item published at the same instant, given in UTC or else in Seoul."""

    def change(item: NewsItem) -> NewsItem:
        zone = get_zone("Asia/Seoul") if item.published.utcoffset() == timedelta(0) else UTC
        return replace(item, published=item.published.astimezone(zone))

    news = tuple(change(item) for item in edition.catalog.news)
    return replace(edition, catalog=replace(edition.catalog, news=news))


def renamed(edition: Edition) -> Edition:
    calendar = replace(
        edition.catalog.calendar, name="Renamed & Co", base_url="https://other.example/feeds"
    )
    return replace(edition, catalog=replace(edition.catalog, calendar=calendar))


def later(edition: Edition) -> Edition:
    """Eight days on: reminders fall due, premieres pass."""
    return replace(edition, moment=edition.moment + timedelta(days=8))


EDITS: list[Edit] = [
    retitled,
    moved,
    timed,
    rezoned,
    cancelled,
    dropped,
    added,
    restamped,
    show_changed,
    news_rezoned,
    renamed,
    later,
]
