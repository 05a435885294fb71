"""The one list of items RSS, Atom and JSON Feed all render.

Four kinds: every news entry, every premiere as an announcement, reminders ("premieres
in 7 days", "premieres today") once their moment has come, and change items from the
edition's history. Ids are ``tag:`` URIs (RFC 4151) made from YAML ids only; dates
come from the data and the edition, never from the wall clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
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
)
from feeds.query import Query
from feeds.reminders import Reminders, reminders
from feeds.reminders import reminder_moment as reminder_moment  # re-exported
from feeds.reminders import reminder_moments as reminder_moments  # re-exported
from feeds.reminders import trim as trim_reminders

TAG_DATE = "2025"
"""The date in every tag URI. Fixed for ever: changing it would renew every id."""
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)
"""The feed-level ``updated`` of a feed with no items."""
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")
"""What ``quote(part, safe="-._~")`` leaves as it is."""


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
    trim_reminders(len(edition.catalog.premieres))
    items = _newest(query.select(edition))
    _LAST[0] = (edition, query, items)
    return list(items)


_LAST: list[tuple[Edition, Query, list[FeedItem]] | None] = [None]
Candidate = tuple[datetime, str, Callable[..., "FeedItem | None"], tuple]
"""(published, ``_tag_path``, a builder and its arguments): an item before it is built."""


def _newest(edition: Edition) -> list[FeedItem]:
    """Only the items that make the cut are built (sanitised, summarised): each
    candidate's date and id are known without building it, and a feed keeps tens of
    items out of tens of thousands."""
    candidates = _candidates(edition)
    candidates.sort(key=itemgetter(1))
    candidates.sort(key=itemgetter(0), reverse=True)
    limit = max(edition.catalog.calendar.feed_items, 0)
    items: list[FeedItem] = []
    for _published, _path, build, arguments in candidates:
        if len(items) >= limit:
            break
        item = build(*arguments)
        if item is not None:
            items.append(item)
    return items


def _candidates(edition: Edition) -> list[Candidate]:
    """Every item the edition could show. (Written for speed, as this runs for every
    premiere: paths written out as ``_tag_path`` writes them, names bound locally.)"""
    catalog = edition.catalog
    news, premieres = catalog.news, catalog.premieres
    found: list[Candidate] = [
        (n.published, "news/" + part, _news_item, (catalog, n))
        for n, part in zip(news, _tag_parts([n.id for n in news]), strict=True)
    ]
    stamp, calendar, now, add = edition.stamp, catalog.calendar, edition.moment, found.append
    for p, part in zip(premieres, _tag_parts([p.id for p in premieres]), strict=True):
        created = stamp(p.id).created
        add((created, "premiere/" + part, _premiere_item, (edition, p)))
        for days, moment in _due(reminders(calendar, p), created, now):
            path = _tag_path("reminder", p.id, str(days))
            add((moment, path, _reminder, (edition, p, days, moment)))
    for c in edition.changes:
        path = _tag_path("change", c.premiere_id, str(c.revision))
        found.append((c.seen, path, _change_item, (edition, c)))
    return found


def newest_update(items: Iterable[FeedItem]) -> datetime:
    """The feed's own ``updated``: its newest item's, or a fixed instant when empty."""
    return max((item.updated for item in items), default=EMPTY_FEED_UPDATED)


def site_url(calendar: CalendarInfo) -> str:
    return calendar.base_url.rstrip("/") + "/"


def tag_uri(calendar: CalendarInfo, *parts: str) -> str:
    """``tag:premieres.example,2025:premiere/zs-s2``: authority from the base URL."""
    return _tag_authority(calendar.base_url) + _tag_path(*parts)


@lru_cache(maxsize=64)
def _tag_authority(base_url: str) -> str:
    host = (urlsplit(base_url).hostname or "localhost").lower()
    return f"tag:{host},{TAG_DATE}:"


def _tag_path(*parts: str) -> str:
    """The parts of a tag URI after its authority: every item's tag URI shares that,
    so candidates are ordered by this alone."""
    return "/".join(map(_tag_part, parts))


@lru_cache(maxsize=1 << 16)
def _tag_part(part: str) -> str:
    """Remembered: every build asks for every premiere's. Most need no quoting."""
    return part if _UNRESERVED.fullmatch(part) else quote(part, safe="-._~")


def _tag_parts(parts: list[str]) -> Iterable[str]:
    """``_tag_part`` of each: when none needs quoting, which one look at them all
    tells, none is looked at (or remembered) alone."""
    return parts if _UNRESERVED.fullmatch("".join(parts)) else map(_tag_part, parts)


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
    every = reminders(edition.catalog.calendar, premiere)
    return _due(every, edition.stamp(premiere.id).created, edition.moment)


def _due(every: Reminders, known_since: datetime, now: datetime) -> list[tuple[int, datetime]]:
    """(Most premieres have none: all still to come, or all before we knew of them; the
    latest reminder is the first, the earliest the last.)"""
    if not every or every[-1][1] > now or every[0][1] < known_since:
        return []
    return [(days, moment) for days, moment in every if known_since <= moment <= now]


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


def _source_html(source: Source | None) -> str:
    return markup.link_html("Source", source.name, source.url) if source else ""


def _show(catalog: Catalog, slug: str) -> Show | None:
    return catalog.find_show(slug)
