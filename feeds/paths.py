"""Where each document is served (part of the public contract: other tools depend on
these paths) and the URL a subscriber uses for it."""

from __future__ import annotations

from feeds.query import Query

PAGE = "/"
CALENDAR = "/calendar.ics"
RSS = "/rss.xml"
ATOM = "/atom.xml"
JSON_FEED = "/feed.json"
API = "/api/events"
EVERY_DOCUMENT = (PAGE, CALENDAR, RSS, ATOM, JSON_FEED, API)


def document_url(base_url: str, path: str, query: Query) -> str:
    """The absolute URL of the document at ``path`` with the normalised query string:
    what self links, SOURCE and subscribe links all say."""
    return canonical_url(base_url, path, query.canonical())


def canonical_url(base_url: str, path: str, canonical: str) -> str:
    """``document_url`` for a query already in its normalised form (``Query.canonical``),
    for a caller that needs several documents' URLs for one query."""
    url = base_url.rstrip("/") + path
    return f"{url}?{canonical}" if canonical else url
