"""The one list of items RSS, Atom and JSON Feed all render.

Four kinds: every news entry, every premiere as an announcement, reminders ("premieres
in 7 days", "premieres today") once their moment has come, and change items from the
edition's history. Ids are ``tag:`` URIs (RFC 4151) made from YAML ids only; dates
come from the data and the edition, never from the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial
from operator import itemgetter
from urllib.parse import quote, urlsplit

from feeds import markup, wording
from feeds.model import (
    CalendarInfo,
    Catalog,
    Change,
    Edition,
    NewsItem,
    Premiere,
    Show,
    Source,
    Status,
    Timed,
)
from feeds.query import Query
from feeds.zones import get_zone

TAG_DATE = "2025"
"""The date in every tag URI. Fixed for ever: changing it would renew every id."""
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)
"""The feed-level ``updated`` of a feed with no items."""


@dataclass(frozen=True)
class FeedItem:
    id: str
    kind: str
    title: str
    url: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    content_text: str
    tags: tuple[str, ...] = ()


def feed_items(edition: Edition, query: Query) -> list[FeedItem]:
    """The newest ``calendar.feed_items`` items the query selects, newest first (by
    publication time, ties by id). RSS, Atom and JSON Feed of one snapshot ask in turn
    for the same edition and query, so the last answer is kept."""
    memo = _LAST[0]
    if memo is not None and memo[0] is edition and memo[1] == query:
        return list(memo[2])
    items = _newest(query.select(edition))
    _LAST[0] = (edition, query, items)
    return list(items)


_LAST: list[tuple[Edition, Query, list[FeedItem]] | None] = [None]
Candidate = tuple[datetime, str, Callable[[], "FeedItem | None"]]


def _newest(edition: Edition) -> list[FeedItem]:
    """Only the items that make the cut are built (sanitised, summarised): each
    candidate's date and id are known without building it, and a feed keeps tens of
    items out of tens of thousands."""
    candidates = _candidates(edition)
    candidates.sort(key=itemgetter(1))
    candidates.sort(key=itemgetter(0), reverse=True)
    limit = max(edition.catalog.calendar.feed_items, 0)
    items: list[FeedItem] = []
    for _published, _id, build in candidates:
        if len(items) >= limit:
            break
        item = build()
        if item is not None:
            items.append(item)
    return items


def _candidates(edition: Edition) -> list[Candidate]:
    catalog = edition.catalog
    calendar = catalog.calendar
    found: list[Candidate] = [
        (n.published, tag_uri(calendar, "news", n.id), partial(_news_item, catalog, n))
        for n in catalog.news
    ]
    for p in catalog.premieres:
        uri = tag_uri(calendar, "premiere", p.id)
        found.append((edition.stamp(p.id).created, uri, partial(_premiere_item, edition, p)))
        for days, moment in _due_reminders(edition, p):
            uri = tag_uri(calendar, "reminder", p.id, str(days))
            found.append((moment, uri, partial(_reminder, edition, p, days, moment)))
    for c in edition.changes:
        uri = tag_uri(calendar, "change", c.premiere_id, str(c.revision))
        found.append((c.seen, uri, partial(_change_item, edition, c)))
    return found


def reminder_moments(catalog: Catalog) -> list[datetime]:
    """Every moment (UTC, sorted, without repeats) at which a reminder falls due."""
    return sorted(
        {
            reminder_moment(catalog.calendar, premiere, days)
            for premiere in catalog.premieres
            if _has_reminders(premiere)
            for days in catalog.calendar.reminder_days
        }
    )


def reminder_moment(calendar: CalendarInfo, premiere: Premiere, days: int) -> datetime:
    """Midnight, in the premiere's zone, ``days`` days before its day (UTC)."""
    when = premiere.when
    if isinstance(when, Timed):
        local = wording.local_start(when)
        day, zone = local.date(), local.tzinfo
    else:
        day, zone = when.day, get_zone(calendar.timezone)
    moment = datetime.combine(day - timedelta(days=days), time(0), tzinfo=zone)
    return moment.astimezone(UTC)


def newest_update(items: Iterable[FeedItem]) -> datetime:
    """The feed's own ``updated``: its newest item's, or a fixed instant when empty."""
    return max((item.updated for item in items), default=EMPTY_FEED_UPDATED)


def site_url(calendar: CalendarInfo) -> str:
    return calendar.base_url.rstrip("/") + "/"


def tag_uri(calendar: CalendarInfo, *parts: str) -> str:
    """``tag:premieres.example,2025:premiere/zs-s2``: authority from the base URL."""
    host = (urlsplit(calendar.base_url).hostname or "localhost").lower()
    return f"tag:{host},{TAG_DATE}:" + "/".join(quote(p, safe="-._~") for p in parts)


def _news_item(catalog: Catalog, news: NewsItem) -> FeedItem:
    shows = [s for s in (_show(catalog, slug) for slug in news.shows) if s]
    body = markup.markdown_to_html(news.body)
    links = "".join(markup.link_html("Link", link.title, link.url) for link in news.links)
    body_text = markup.html_to_text(body)
    urls = [*(link.url for link in news.links), *(s.url for s in shows)]
    url = next(filter(None, map(markup.web_url, urls)), site_url(catalog.calendar))
    tags = [*news.tags, *(t for s in shows for t in s.tags)]
    return _item(
        id=tag_uri(catalog.calendar, "news", news.id),
        kind="news",
        title=news.title,
        url=url,
        published=news.published,
        updated=news.published,
        summary=markup.summarize(body_text or news.title),
        content_html=body + links + _source_html(news.source),
        tags=tags,
    )


def _premiere_item(edition: Edition, premiere: Premiere) -> FeedItem:
    about, stamp = _subject(edition.catalog, premiere), edition.stamp(premiere.id)
    title = wording.announcement_title(about.name, premiere, about.platform)
    paragraphs = [f"{title}.", wording.status_sentence(premiere.status), about.description]
    if premiere.cast:
        paragraphs.append("Cast: " + ", ".join(premiere.cast) + ".")
    extra = _source_html(premiere.source)
    dates = (stamp.created, stamp.modified)
    return _subject_item(edition, about, ("premiere", premiere.id), title, dates, paragraphs, extra)


def _due_reminders(edition: Edition, premiere: Premiere) -> list[tuple[int, datetime]]:
    """Reminders that have fallen due, except those due before the premiere was first
    seen: a "premieres in 7 days" dated before we knew of it would be back-dated news."""
    if not _has_reminders(premiere):
        return []
    known_since = edition.stamp(premiere.id).created
    due = []
    for days in sorted(set(edition.catalog.calendar.reminder_days)):
        moment = reminder_moment(edition.catalog.calendar, premiere, days)
        if known_since <= moment <= edition.moment:
            due.append((days, moment))
    return due


def _reminder(edition: Edition, premiere: Premiere, days: int, moment: datetime) -> FeedItem:
    about = _subject(edition.catalog, premiere)
    sentence = wording.premiere_sentence(about.name, premiere, about.platform) + "."
    title = wording.reminder_title(about.name, days, premiere, about.platform)
    parts = ("reminder", premiere.id, str(days))
    return _subject_item(edition, about, parts, title, (moment,), [sentence])


def _change_item(edition: Edition, change: Change) -> FeedItem | None:
    premiere = change.after or change.before
    if premiere is None:
        return None
    about = _subject(edition.catalog, premiere)
    title = wording.change_title(change, about.name, about.platform)
    if title is None:
        return None
    paragraphs = [f"{title}.", wording.change_summary(change, about.name, about.platform)]
    parts = ("change", change.premiere_id, str(change.revision))
    return _subject_item(edition, about, parts, title, (change.seen,), paragraphs)


@dataclass(frozen=True)
class _Subject:
    """What every item about one premiere shares."""

    name: str
    platform: str | None
    url: str
    tags: tuple[str, ...]
    description: str


def _subject(catalog: Catalog, premiere: Premiere) -> _Subject:
    show = _show(catalog, premiere.show)
    urls = (premiere.url, show.url if show else None)
    return _Subject(
        name=f"{show.title} {premiere.title}" if show else premiere.title,
        platform=premiere.platform or (show.platform if show else None),
        url=next(filter(None, map(markup.web_url, urls)), site_url(catalog.calendar)),
        tags=(*(show.tags if show else ()), *premiere.tags),
        description=premiere.description or (show.description if show else None) or "",
    )


def _subject_item(
    edition: Edition,
    about: _Subject,
    id_parts: tuple[str, ...],
    title: str,
    dates: tuple[datetime, ...],
    paragraphs: list[str],
    extra_html: str = "",
) -> FeedItem:
    """An item about a premiere: ``dates`` is (published, updated) or (both,)."""
    return _item(
        id=tag_uri(edition.catalog.calendar, *id_parts),
        kind=id_parts[0],
        title=title,
        url=about.url,
        published=dates[0],
        updated=dates[-1],
        summary=markup.summarize(" ".join(p for p in paragraphs if p)),
        content_html=markup.paragraphs_to_html(paragraphs) + extra_html,
        tags=about.tags,
    )


def _item(*, content_html: str, tags: Iterable[str], **fields: object) -> FeedItem:
    """A ``FeedItem`` with sanitised HTML, XML-safe text, UTC dates, unique tags."""
    html = markup.sanitize_html(content_html)
    clean = {
        key: _utc(value) if isinstance(value, datetime) else markup.xml_safe(value)
        for key, value in fields.items()
        if isinstance(value, datetime | str)
    }
    unique = tuple(dict.fromkeys(markup.xml_safe(t) for t in tags if t))
    text = markup.html_to_text(html) or clean["title"]
    return FeedItem(**clean, content_html=html, content_text=text, tags=unique)


def _utc(moment: datetime) -> datetime:
    """UTC; a naive value (the model never holds one) is taken as UTC, not host time."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _has_reminders(premiere: Premiere) -> bool:
    return premiere.is_exact and premiere.status is not Status.CANCELLED


def _source_html(source: Source | None) -> str:
    return markup.link_html("Source", source.name, source.url) if source else ""


def _show(catalog: Catalog, slug: str) -> Show | None:
    return catalog.find_show(slug)
