"""``/api/events``: the catalogue as JSON, for services that would rather not parse
feeds. Field names are part of the public contract (see the README).

``feeds.api_fields`` says what each entry holds, and ``render_api_with_json`` writes
the whole document with one ``json.dumps``: the reference. ``render_api`` gives the same bytes
from entries written by ``feeds.api_text``, each kept across builds while what goes
into it is unchanged, so a rebuild after an edit writes only the entries that changed.
"""

from __future__ import annotations

import json
from datetime import datetime
from operator import itemgetter

from feeds import paths
from feeds.api_fields import change_fields, news_fields, premiere_fields, show_fields, time_text
from feeds.api_text import change_entry, news_entry, premiere_entry, show_entry, stamp_text
from feeds.fragments import Fragments, spaced
from feeds.model import (
    AllDay,
    Change,
    Edition,
    NewsItem,
    PartialDate,
    Premiere,
    Show,
    Timed,
    When,
)
from feeds.query import Query

MEDIA_TYPE = "application/json"
DOCUMENTS = {
    "calendar": paths.CALENDAR,
    "rss": paths.RSS,
    "atom": paths.ATOM,
    "json_feed": paths.JSON_FEED,
    "api": paths.API,
}


_PREMIERES: Fragments[bytes] = Fragments()
_SHOWS: Fragments[bytes] = Fragments()
_NEWS: Fragments[bytes] = Fragments()
_CHANGES: Fragments[bytes] = Fragments()
_LISTS = ("shows", "premieres", "removed", "changes", "news")


def render_api(edition: Edition, query: Query) -> bytes:
    """The API document for ``query``: ``render_api_with_json``'s bytes, from kept entries."""
    selected = query.select(edition)
    catalog, changes = selected.catalog, _changes(selected)
    lists = {
        "shows": [_SHOWS.get(s.slug, (s,), show_entry) for s in _shows(selected, query)],
        "premieres": _premiere_entries(selected, catalog.premieres, ordered=True),
        "removed": _premiere_entries(selected, selected.removed, ordered=False),
        "changes": [_CHANGES.get((c.premiere_id, c.revision), (c,), change_entry) for c in changes],
        "news": [_NEWS.get(n.id, (n, n.published.tzinfo), news_entry) for n in _news_of(selected)],
    }
    _trim(edition)
    head = json.dumps(_head(selected, query), ensure_ascii=False, indent=1)
    pieces = [head.removesuffix("\n}").encode()]
    for name in _LISTS:
        pieces.append(f',\n "{name}": '.encode())
        pieces += _array(lists[name])
    pieces.append(b"\n}")
    return b"".join(pieces)


def _array(entries: list[bytes]) -> list[bytes]:
    """A top-level list, its entries two spaces in, as ``json.dumps(indent=1)`` has it."""
    if not entries:
        return [b"[]"]
    return [b"[\n  ", *spaced(entries, b",\n  "), b"\n ]"]


def render_api_with_json(edition: Edition, query: Query) -> bytes:
    """The reference: the whole document as dictionaries, through one ``json.dumps``."""
    selected = query.select(edition)
    document = _head(selected, query) | {
        "shows": [show_fields(show) for show in _shows(selected, query)],
        "premieres": [premiere_fields(selected, p) for p in _ordered(selected.catalog.premieres)],
        "removed": [premiere_fields(selected, p) for p in selected.removed],
        "changes": [change_fields(c) for c in _changes(selected)],
        "news": [news_fields(n) for n in _news_of(selected)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode()


def _premiere_entries(
    edition: Edition, premieres: tuple[Premiere, ...], *, ordered: bool
) -> list[bytes]:
    """Each premiere's entry, in ``_ordered``'s order if ``ordered``. (Written for
    speed, as this runs for every premiere: each stamp's text is made once, as most
    premieres share a stamp.)"""
    stamps: dict[int, tuple] = {}
    platform_of = edition.catalog.platform_of
    parts = []
    for p in premieres:
        stamp = edition.stamp(p.id)
        stamped = stamps.get(id(stamp))
        if stamped is None:  # the stamp is kept with its text, so its id stays its own
            stamped = stamps[id(stamp)] = (stamp, stamp_text(stamp))
        inputs = (p, stamped[1], platform_of(p))
        parts.append(_PREMIERES.get(p.id, inputs, _premiere_part))
    if ordered:
        parts.sort(key=itemgetter(0))
    return [entry for _order, entry in parts]


def _premiere_part(premiere: Premiere, stamped: str, platform: str | None) -> tuple[str, bytes]:
    """The premiere's place and its entry. The place is ``_ordered``'s key as one string
    (sorted faster than pairs, in the same order: ``"\\0"`` sorts before any character)."""
    order = f"{_sort_key(premiere.when)}\0{premiere.id}"
    return order, premiere_entry(premiere, stamped, platform)


def _trim(edition: Edition) -> None:
    """Bounded by the whole catalogue (not a filtered variant's share of it)."""
    catalog = edition.catalog
    _PREMIERES.trim(keep=2 * (len(catalog.premieres) + len(edition.removed)) + 1000)
    _SHOWS.trim(keep=2 * len(catalog.shows) + 1000)
    _NEWS.trim(keep=2 * len(catalog.news) + 1000)
    _CHANGES.trim(keep=2 * len(edition.changes) + 1000)


def _head(selected: Edition, query: Query) -> dict[str, object]:
    calendar = selected.catalog.calendar
    return {
        "version": 1,
        "title": calendar.name,
        "description": calendar.description,
        "timezone": calendar.timezone,
        "as_of": time_text(selected.moment),
        "documents": {
            name: paths.document_url(calendar.base_url, path, query)
            for name, path in DOCUMENTS.items()
        },
    }


def _shows(selected: Edition, query: Query) -> list[Show]:
    return [s for s in selected.catalog.shows if not query.shows or s.slug in query.shows]


def _changes(selected: Edition) -> list[Change]:
    return sorted(selected.changes, key=_change_order)


def _news_of(selected: Edition) -> list[NewsItem]:
    return sorted(selected.catalog.news, key=lambda n: (n.published, n.id))


def _ordered(premieres: tuple[Premiere, ...]) -> list[Premiere]:
    return sorted(premieres, key=lambda p: (_sort_key(p.when), p.id))


def _sort_key(when: When) -> str:
    kind = when.__class__  # days first: most premieres have one
    if kind is AllDay:
        return when.day.isoformat()
    if kind is Timed:
        return when.start.date().isoformat()
    if kind is PartialDate:
        return f"{when.year}-{when.month or (when.quarter or 4) * 3:02d}-99"
    return "9999"


def _change_order(change: Change) -> tuple[datetime, str, int]:
    return (change.seen, change.premiere_id, change.revision)
