"""The catalogue as frozen values: what the YAML says, normalised, and nothing else.

This module imports nothing from the package and does no I/O. The loader builds these
values; renderers read them. Dates are normalised here once so that no renderer has
to interpret YAML: an exact day is a ``date``, an exact moment an aware ``datetime``,
a partial date a ``PartialDate``, an unannounced one ``TBA``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property


class Status(StrEnum):
    """How certain a premiere is, from rumour to release (or cancellation)."""

    RUMORED = "rumored"
    ANNOUNCED = "announced"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Source:
    """Where a fact comes from."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class AllDay:
    """An exact calendar day with no time: published as ``VALUE=DATE``."""

    day: date


@dataclass(frozen=True)
class Timed:
    """An exact moment. ``zone`` is an IANA name, or ``None`` when the YAML gave a UTC
    offset (such moments are published in UTC)."""

    start: datetime
    zone: str | None


@dataclass(frozen=True)
class PartialDate:
    """A year, a year and month, or a year and quarter: never placed on a day."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @property
    def label(self) -> str:
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)


@dataclass(frozen=True)
class TBA:
    """No date announced."""

    label: str = "TBA"


When = AllDay | Timed | PartialDate | TBA


@dataclass(frozen=True)
class AllAtOnce:
    """Every episode drops at once (a binge release); the count may be unknown."""

    episodes: int | None = None


@dataclass(frozen=True)
class Weekly:
    """``per_drop`` episodes a week until ``episodes`` have dropped."""

    episodes: int
    per_drop: int = 1

    @property
    def drops(self) -> int:
        return -(-self.episodes // self.per_drop)


Release = AllAtOnce | Weekly


@dataclass(frozen=True)
class Show:
    slug: str
    title: str
    original_title: str | None = None
    platform: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    description: str | None = None
    based_on: str | None = None
    creators: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Premiere:
    id: str
    show: str
    title: str
    when: When
    status: Status
    release: Release | None = None
    platform: str | None = None
    url: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    image: str | None = None
    source: Source | None = None

    @property
    def is_exact(self) -> bool:
        return isinstance(self.when, AllDay | Timed)


@dataclass(frozen=True)
class NewsItem:
    id: str
    published: datetime
    title: str
    body: str = ""
    links: tuple[Link, ...] = ()
    shows: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class CalendarInfo:
    """Calendar-wide settings from the YAML's ``calendar:`` block.

    ``reminder_days``: the feeds announce "premieres in N days" at midnight (in the
    premiere's zone) N days before, for each N. ``feed_items``: the newest items a
    feed keeps. ``past_days``: how long the calendar keeps past premieres by default.
    ``refresh``: the refresh hint calendar clients are given.
    """

    name: str
    description: str
    timezone: str
    base_url: str
    refresh: timedelta = timedelta(hours=6)
    language: str = "en"
    author: str | None = None
    image: str | None = None
    color: str | None = None
    reminder_days: tuple[int, ...] = (7, 0)
    feed_items: int = 50
    past_days: int = 730


@dataclass(frozen=True)
class Catalog:
    calendar: CalendarInfo
    shows: tuple[Show, ...]
    premieres: tuple[Premiere, ...]
    news: tuple[NewsItem, ...]

    def show(self, slug: str) -> Show:
        found = self.find_show(slug)
        if found is None:
            raise KeyError(slug)
        return found

    def find_show(self, slug: str) -> Show | None:
        """The show with key ``slug`` (the first, should there be two), or ``None``."""
        return self._shows_by_slug.get(slug)

    @cached_property
    def _shows_by_slug(self) -> dict[str, Show]:
        """Made on first use: renderers look a show up for every premiere, and a scan
        per lookup is quadratic in a large catalogue."""
        return {show.slug: show for show in reversed(self.shows)}

    def platform_of(self, premiere: Premiere) -> str | None:
        """The premiere's own platform, else its show's (``None`` if neither says)."""
        if premiere.platform:
            return premiere.platform
        show = self.find_show(premiere.show)
        return show.platform if show else None


class ChangeKind(StrEnum):
    """What happened to a premiere between two revisions, as a subscriber sees it."""

    NEW = "new"
    DATE_CHANGED = "date-changed"
    DATE_ANNOUNCED = "date-announced"
    CONFIRMED = "confirmed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"
    RELEASED = "released"
    REMOVED = "removed"
    UPDATED = "updated"


@dataclass(frozen=True)
class Stamp:
    """A premiere's revision state: what the calendar's SEQUENCE, LAST-MODIFIED and
    DTSTAMP and the feeds' dates come from. Never the wall clock at render time."""

    sequence: int
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class Change:
    """One significant change to a premiere, first seen at ``seen``. ``before`` is the
    premiere as it was (``None`` for a new one); ``after`` as it became (``None`` when
    it was removed from the YAML)."""

    premiere_id: str
    revision: int
    kind: ChangeKind
    seen: datetime
    before: Premiere | None
    after: Premiere | None


@dataclass(frozen=True)
class Edition:
    """Everything a renderer needs: the catalogue, its history and the moment.

    ``moment`` is the build's as-of time, rounded down to the last boundary where the
    output changes (a reminder falling due, midnight in the calendar's zone), so two
    builds between the same boundaries are byte-identical. ``removed`` holds premieres
    gone from the YAML but still within retention: calendars show them CANCELLED.
    """

    catalog: Catalog
    moment: datetime
    stamps: dict[str, Stamp] = field(default_factory=dict, hash=False)
    changes: tuple[Change, ...] = ()
    removed: tuple[Premiere, ...] = ()

    def stamp(self, premiere_id: str) -> Stamp:
        found = self.stamps.get(premiere_id)
        if found is not None:
            return found
        return Stamp(sequence=0, created=self.epoch, modified=self.epoch)

    @property
    def epoch(self) -> datetime:
        """The stamp of a premiere with no recorded history: a fixed instant, so that
        output without a history store is still deterministic."""
        return datetime(2000, 1, 1, tzinfo=UTC)
