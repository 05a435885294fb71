"""``/api/events`` entries written as JSON text directly, each kept across builds.

``json.dumps`` with ``indent`` runs the pure-Python encoder: about 30 µs a premiere,
most of a large catalogue's API build. This module writes each entry (premiere, show,
news item, change) as ``json.dumps(document, ensure_ascii=False, indent=1)`` writes it
where it stands in the document (an element of a top-level list: members three spaces
in), strings through ``json``'s own C encoder; ``feeds.api`` keeps each entry across
builds. ``feeds.api_fields``'s dictionaries stay the reference:
``tests/test_api_text.py`` checks that both give the same bytes, on the sample
catalogue and a generated large one, before and after edits.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from json.encoder import encode_basestring

from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    Change,
    NewsItem,
    PartialDate,
    Premiere,
    Release,
    Show,
    Source,
    Stamp,
    Status,
    Timed,
    Weekly,
    When,
)

_NL = tuple("\n" + " " * depth for depth in range(8))
_SEP = tuple("," + newline for newline in _NL)
_STATUS = {status: encode_basestring(status.value) for status in Status}


def premiere_entry(premiere: Premiere, stamped: str, platform: str | None) -> bytes:
    """The premiere's entry; ``stamped`` is its stamp's members (``stamp_text``)."""
    p = premiere
    return (
        "{\n"
        f'   "id": {encode_basestring(p.id)},\n'
        f'   "show": {encode_basestring(p.show)},\n'
        f'   "title": {encode_basestring(p.title)},\n'
        f'   "date": {when_text(p.when, 4)},\n'
        f'   "status": {_STATUS[p.status]},\n'
        f'   "release": {release_text(p.release, 4)},\n'
        f'   "platform": {text(platform)},\n'
        f'   "url": {text(p.url)},\n'
        f'   "description": {text(p.description)},\n'
        f'   "tags": {strings(p.tags, 4)},\n'
        f'   "cast": {strings(p.cast, 4)},\n'
        f'   "image": {text(p.image)},\n'
        f'   "source": {source_text(p.source, 4)},\n'
        f"{stamped}"
    ).encode()


def stamp_text(stamp: Stamp) -> str:
    """The last members of a premiere's entry, from its stamp: made once per stamp,
    which most premieres share."""
    return (
        f'   "sequence": {stamp.sequence},\n'
        f'   "first_seen": {moment(stamp.created)},\n'
        f'   "last_modified": {moment(stamp.modified)}\n'
        "  }"
    )


def show_entry(show: Show) -> bytes:
    return (
        "{\n"
        f'   "slug": {encode_basestring(show.slug)},\n'
        f'   "title": {encode_basestring(show.title)},\n'
        f'   "original_title": {text(show.original_title)},\n'
        f'   "platform": {text(show.platform)},\n'
        f'   "url": {text(show.url)},\n'
        f'   "tags": {strings(show.tags, 4)},\n'
        f'   "image": {text(show.image)},\n'
        f'   "description": {text(show.description)},\n'
        f'   "based_on": {text(show.based_on)},\n'
        f'   "creators": {strings(show.creators, 4)},\n'
        f'   "source": {source_text(show.source, 4)}\n'
        "  }"
    ).encode()


def news_entry(item: NewsItem, _zone: object = None) -> bytes:
    """``_zone`` is the publication time's zone, which the text shows (as an offset)
    but equality of times ignores: it is there to be part of the cache's inputs."""
    links = [
        f'{{\n     "title": {encode_basestring(link.title)},\n     "url": {text(link.url)}\n    }}'
        for link in item.links
    ]
    return (
        "{\n"
        f'   "id": {encode_basestring(item.id)},\n'
        f'   "published": {moment(item.published)},\n'
        f'   "title": {encode_basestring(item.title)},\n'
        f'   "body_markdown": {encode_basestring(item.body)},\n'
        f'   "links": {elements(links, 4)},\n'
        f'   "shows": {strings(item.shows, 4)},\n'
        f'   "tags": {strings(item.tags, 4)},\n'
        f'   "source": {source_text(item.source, 4)}\n'
        "  }"
    ).encode()


def change_entry(change: Change) -> bytes:
    return (
        "{\n"
        f'   "premiere": {encode_basestring(change.premiere_id)},\n'
        f'   "revision": {change.revision},\n'
        f'   "kind": {encode_basestring(change.kind.value)},\n'
        f'   "seen": {moment(change.seen)},\n'
        f'   "before": {_brief(change.before, 4)},\n'
        f'   "after": {_brief(change.after, 4)}\n'
        "  }"
    ).encode()


def _brief(premiere: Premiere | None, depth: int) -> str:
    if premiere is None:
        return "null"
    return members(
        depth,
        '"title": ' + encode_basestring(premiere.title),
        '"date": ' + when_text(premiere.when, depth + 1),
        '"status": ' + _STATUS[premiere.status],
    )


def when_text(when: When, depth: int) -> str:
    """The date as an object whose members stand ``depth`` spaces in. Days are
    remembered by the day (many premieres share one, and a ``date`` hashes quicker
    than an ``AllDay``); moments are nearly all different, so they are written each
    time; the rest is remembered as a whole."""
    kind = when.__class__
    if kind is AllDay:
        return _day_text(when.day, depth)
    if kind is Timed:
        start = when.start.isoformat(timespec="seconds")
        return members(
            depth,
            '"precision": "moment"',
            f'"start": "{start}"',
            '"zone": ' + text(when.zone),
            f'"date": "{start[:10]}"',  # the start's own date: its first ten characters
        )
    return _vague_text(when, depth)


@lru_cache(maxsize=16_384)
def _day_text(day: date, depth: int) -> str:
    return members(depth, '"precision": "day"', f'"date": "{day.isoformat()}"')


@lru_cache(maxsize=1024)
def _vague_text(when: PartialDate | TBA, depth: int) -> str:
    if isinstance(when, PartialDate):
        precision = "month" if when.month else "quarter" if when.quarter else "year"
        return members(
            depth,
            f'"precision": "{precision}"',
            f'"year": {when.year}',
            '"month": ' + number(when.month),
            '"quarter": ' + number(when.quarter),
            '"label": ' + encode_basestring(when.label),
        )
    assert isinstance(when, TBA)
    return members(depth, '"precision": "tba"', '"label": ' + encode_basestring(when.label))


def release_text(release: Release | None, depth: int) -> str:
    """Remembered by its fields (which hash quicker than the release does)."""
    if release is None:
        return "null"
    per_drop = release.per_drop if isinstance(release, Weekly) else None
    return _release_text(release.__class__, release.episodes, per_drop, depth)


@lru_cache(maxsize=1024)
def _release_text(kind: type, episodes: int | None, per_drop: int | None, depth: int) -> str:
    if kind is AllAtOnce:
        return members(depth, '"pattern": "all-at-once"', '"episodes": ' + number(episodes))
    assert episodes is not None and per_drop is not None
    return members(
        depth,
        '"pattern": "weekly"',
        f'"episodes": {episodes}',
        f'"per_drop": {per_drop}',
        f'"drops": {Weekly(episodes, per_drop).drops}',
    )


@lru_cache(maxsize=4096)
def _source(source: Source, depth: int) -> str:
    return members(depth, '"name": ' + encode_basestring(source.name), '"url": ' + text(source.url))


def source_text(value: Source | None, depth: int) -> str:
    return "null" if value is None else _source(value, depth)


def members(depth: int, *pairs: str) -> str:
    """An object whose ``"key": value`` members stand ``depth`` spaces in."""
    return "{" + _NL[depth] + _SEP[depth].join(pairs) + _NL[depth - 1] + "}"


def elements(values: list[str], depth: int) -> str:
    """A list of values already written, standing ``depth`` spaces in."""
    if not values:
        return "[]"
    return "[" + _NL[depth] + _SEP[depth].join(values) + _NL[depth - 1] + "]"


def strings(values: tuple[str, ...], depth: int) -> str:
    if not values:
        return "[]"
    return (
        "[" + _NL[depth] + _SEP[depth].join(map(encode_basestring, values)) + _NL[depth - 1] + "]"
    )


def text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def number(value: int | None) -> str:
    return "null" if value is None else str(value)


def moment(value: datetime) -> str:
    """What ``feeds.api`` writes for a time. Not remembered: the times written for
    every entry (a stamp's) are written once per stamp, and the rest are nearly all
    different."""
    return f'"{value.isoformat(timespec="seconds")}"'
