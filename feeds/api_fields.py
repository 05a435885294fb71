"""What ``/api/events`` holds, entry by entry, as dictionaries: the public contract
(see the README), written out by ``feeds.api.render_api_with_json`` with one
``json.dumps``, the reference ``feeds.api_text`` is checked against."""

from __future__ import annotations

from datetime import datetime

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


def time_text(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def show_fields(show: Show) -> dict[str, object]:
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


def premiere_fields(edition: Edition, premiere: Premiere) -> dict[str, object]:
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
        "first_seen": time_text(stamp.created),
        "last_modified": time_text(stamp.modified),
    }


def when_json(when: When) -> dict[str, object]:
    """A date in every precision, with a ``precision`` that says which fields are set."""
    if isinstance(when, AllDay):
        return {"precision": "day", "date": when.day.isoformat()}
    if isinstance(when, Timed):
        return {
            "precision": "moment",
            "start": time_text(when.start),
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


def change_fields(change: Change) -> dict[str, object]:
    return {
        "premiere": change.premiere_id,
        "revision": change.revision,
        "kind": change.kind.value,
        "seen": time_text(change.seen),
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


def news_fields(item: NewsItem) -> dict[str, object]:
    return {
        "id": item.id,
        "published": time_text(item.published),
        "title": item.title,
        "body_markdown": item.body,
        "links": [{"title": link.title, "url": link.url} for link in item.links],
        "shows": list(item.shows),
        "tags": list(item.tags),
        "source": _source(item.source),
    }
