"""RSS 2.0 and Atom (RFC 4287) from the shared item list, through ``feedgen``.

Every feedgen default that reads the clock is overridden: the feed's ``updated`` /
``lastBuildDate`` is its newest item's ``updated``, each entry's ``updated`` is its
own. Entries are added with ``order="append"`` (feedgen prepends by default), and the
site link is added after the self link, because feedgen makes the last ``link()`` the
RSS ``<channel><link>``.
"""

from __future__ import annotations

import threading

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from feeds import wording
from feeds.items import (
    FeedItem,
    feed_items,
    newest_update,
    site_url,
    tag_uri,
)
from feeds.markup import xml_safe
from feeds.model import Edition
from feeds.paths import ATOM, RSS, document_url
from feeds.query import Query

RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
GENERATOR = "premiere-feeds"
RSS_DOCS = "https://www.rssboard.org/rss-specification"


# feedgen formats RSS dates by switching the process-wide locale to C and back; filtered
# variants render on request threads, so two RSS renders must not interleave.
_LOCALE_LOCK = threading.Lock()


def render_rss(edition: Edition, query: Query) -> bytes:
    """The RSS 2.0 document for ``query``: pure, byte-stable."""
    feed = _feed(edition, query, RSS, "application/rss+xml")
    with _LOCALE_LOCK:
        return feed.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def render_atom(edition: Edition, query: Query) -> bytes:
    """The Atom document for ``query``: pure, byte-stable."""
    feed = _feed(edition, query, ATOM, "application/atom+xml")
    return feed.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _feed(edition: Edition, query: Query, path: str, media_type: str) -> FeedGenerator:
    items = feed_items(edition, query)
    calendar = edition.catalog.calendar
    title = xml_safe(wording.feed_title(edition.catalog, query))
    canonical = query.canonical()
    feed = FeedGenerator()
    feed.id(tag_uri(calendar, "feed") + (f"?{canonical}" if canonical else ""))
    feed.title(title)
    feed.description(xml_safe(calendar.description) or title)
    feed.language(calendar.language)
    feed.link(href=document_url(calendar.base_url, path, query), rel="self", type=media_type)
    feed.link(href=site_url(calendar), rel="alternate", type="text/html")  # RSS <link>
    feed.author(name=xml_safe(calendar.author or calendar.name))
    feed.generator(GENERATOR)
    feed.docs(RSS_DOCS)
    feed.ttl(max(int(calendar.refresh.total_seconds()) // 60, 1))
    if categories := _categories(items):
        feed.category([{"term": term} for term in categories])
    if calendar.image:
        feed.image(url=calendar.image, title=title, link=site_url(calendar))
        feed.icon(calendar.image)
    feed.updated(newest_update(items))
    for item in items:
        _fill(feed.add_entry(order="append"), item)
    return feed


def _fill(entry: FeedEntry, item: FeedItem) -> None:
    entry.id(item.id)  # also the RSS guid, isPermaLink="false"
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate")
    entry.published(item.published)
    entry.updated(item.updated)
    if item.content_html:
        entry.content(item.content_html, type="html")
    entry.summary(item.summary)
    if item.tags:
        entry.category([{"term": tag} for tag in item.tags])


def _categories(items: list[FeedItem]) -> list[str]:
    """Every item tag once, in a stable order."""
    tags = {tag for item in items for tag in item.tags}
    return sorted(tags, key=lambda tag: (tag.casefold(), tag))
