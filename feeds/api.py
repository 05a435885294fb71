"""``/api/events``: the catalogue as JSON, for services that would rather not parse
feeds. Field names are part of the public contract (see the README)."""

from __future__ import annotations

import json
from datetime import datetime

from feeds import paths
from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    Change,
    Edition,
    NewsItem,
    PartialDate,
    Premiere,
    Release,
    Show,
    Source,
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


def render_api(edition: Edition, query: Query) -> bytes:
    selected = query.select(edition)
    catalog = selected.catalog
    shows = [s for s in catalog.shows if not query.shows or s.slug in query.shows]
    document = {
        "version": 1,
        "title": catalog.calendar.name,
        "description": catalog.calendar.description,
        "timezone": catalog.calendar.timezone,
        "as_of": _time(selected.moment),
        "documents": {
            name: paths.document_url(catalog.calendar.base_url, path, query)
            for name, path in DOCUMENTS.items()
        },
        "shows": [_show(show) for show in shows],
        "premieres": [_premiere(selected, p) for p in _ordered(catalog.premieres)],
        "removed": [_premiere(selected, p) for p in selected.removed],
        "changes": [_change(c) for c in sorted(selected.changes, key=_change_order)],
        "news": [_news(n) for n in sorted(catalog.news, key=lambda n: (n.published, n.id))],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False).encode()


def _ordered(premieres: tuple[Premiere, ...]) -> list[Premiere]:
    return sorted(premieres, key=lambda p: (_sort_key(p.when), p.id))


def _sort_key(when: When) -> str:
    if isinstance(when, AllDay):
        return when.day.isoformat()
    if isinstance(when, Timed):
        return when.start.date().isoformat()
    if isinstance(when, PartialDate):
        return f"{when.year}-{when.month or (when.quarter or 4) * 3:02d}-99"
    return "9999"


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _show(show: Show) -> dict[str, object]:
    return {
        "slug": show.slug,
        "title": show.title,
        "original_title": show.original_title,
        "platform": show.platform,
        "url": show.url,
        "tags": list(show.tags),
        "image": show.image,
        "description": show.description,
        "based_on": show.based_on,
        "creators": list(show.creators),
        "source": _source(show.source),
    }


def _premiere(edition: Edition, premiere: Premiere) -> dict[str, object]:
    stamp = edition.stamp(premiere.id)
    return {
        "id": premiere.id,
        "show": premiere.show,
        "title": premiere.title,
        "date": when_json(premiere.when),
        "status": premiere.status.value,
        "release": _release(premiere.release),
        "platform": edition.catalog.platform_of(premiere),
        "url": premiere.url,
        "description": premiere.description,
        "tags": list(premiere.tags),
        "cast": list(premiere.cast),
        "image": premiere.image,
        "source": _source(premiere.source),
        "sequence": stamp.sequence,
        "first_seen": _time(stamp.created),
        "last_modified": _time(stamp.modified),
    }


def when_json(when: When) -> dict[str, object]:
    """A date in every precision, with a ``precision`` that says which fields are set."""
    if isinstance(when, AllDay):
        return {"precision": "day", "date": when.day.isoformat()}
    if isinstance(when, Timed):
        return {
            "precision": "moment",
            "start": _time(when.start),
            "zone": when.zone,
            "date": when.start.date().isoformat(),
        }
    if isinstance(when, PartialDate):
        precision = "month" if when.month else "quarter" if when.quarter else "year"
        return {
            "precision": precision,
            "year": when.year,
            "month": when.month,
            "quarter": when.quarter,
            "label": when.label,
        }
    assert isinstance(when, TBA)
    return {"precision": "tba", "label": when.label}


def _release(release: Release | None) -> dict[str, object] | None:
    if release is None:
        return None
    if isinstance(release, AllAtOnce):
        return {"pattern": "all-at-once", "episodes": release.episodes}
    return {
        "pattern": "weekly",
        "episodes": release.episodes,
        "per_drop": release.per_drop,
        "drops": release.drops,
    }


def _source(source: Source | None) -> dict[str, object] | None:
    return {"name": source.name, "url": source.url} if source else None


def _change_order(change: Change) -> tuple[datetime, str, int]:
    return (change.seen, change.premiere_id, change.revision)


def _change(change: Change) -> dict[str, object]:
    return {
        "premiere": change.premiere_id,
        "revision": change.revision,
        "kind": change.kind.value,
        "seen": _time(change.seen),
        "before": _brief(change.before),
        "after": _brief(change.after),
    }


def _brief(premiere: Premiere | None) -> dict[str, object] | None:
    if premiere is None:
        return None
    return {
        "title": premiere.title,
        "date": when_json(premiere.when),
        "status": premiere.status.value,
    }


def _news(item: NewsItem) -> dict[str, object]:
    return {
        "id": item.id,
        "published": _time(item.published),
        "title": item.title,
        "body_markdown": item.body,
        "links": [{"title": link.title, "url": link.url} for link in item.links],
        "shows": list(item.shows),
        "tags": list(item.tags),
        "source": _source(item.source),
    }
