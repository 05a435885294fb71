"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from the shared item list.

Keys are written in a fixed order, with fixed separators and indentation, as UTF-8
with a final newline: the same edition and query always give the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from feeds import wording
from feeds.items import FeedItem, feed_items, site_url
from feeds.model import Edition
from feeds.paths import JSON_FEED, document_url
from feeds.query import Query

MEDIA_TYPE = "application/feed+json"
VERSION = "https://jsonfeed.org/version/1.1"


def render_json_feed(edition: Edition, query: Query) -> bytes:
    """The JSON Feed document for ``query``: pure, byte-stable."""
    calendar = edition.catalog.calendar
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": wording.feed_title(edition.catalog, query),
        "home_page_url": site_url(calendar),
        "feed_url": document_url(calendar.base_url, JSON_FEED, query),
        "description": calendar.description,
    }
    if calendar.image:
        feed["icon"] = calendar.image
    feed["authors"] = [{"name": calendar.author or calendar.name}]
    feed["language"] = calendar.language
    feed["items"] = [_item(item) for item in feed_items(edition, query)]
    text = json.dumps(feed, ensure_ascii=False, indent=2, separators=(",", ": "))
    return (text + "\n").encode("utf-8")


def _item(item: FeedItem) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "content_text": item.content_text,
        "summary": item.summary,
        "date_published": _date(item.published),
        "date_modified": _date(item.updated),
    }
    if item.tags:
        fields["tags"] = list(item.tags)
    return fields


def _date(moment: datetime) -> str:
    """RFC 3339, as the items hold it (UTC)."""
    return moment.isoformat()
