"""Subscriber choices from the query string: parsed, validated, normalised, applied.

Every document accepts ``show``, ``tag``, ``platform`` and ``status``; the calendar
also reads ``past_days``, ``future_days``, ``alarm`` and ``all_day``. Values repeat or
are comma-separated (``show=a&show=b`` is ``show=a,b``); different keys narrow
together. Parameters we do not know are ignored (and left out of the normalised form,
so cache busters do not fragment the variant cache); a malformed or unknown value is a
``BadQuery`` whose message says what to send instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import quote_plus

from feeds.model import Catalog, Edition, NewsItem, Premiere, Status

MAX_VALUES = 50
MAX_VALUE_LENGTH = 100
MAX_ALARM = timedelta(days=28)
MAX_DAYS = 36_500

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d{1,2})W|(?:(?P<days>\d{1,3})D)?"
    r"(?:T(?:(?P<hours>\d{1,3})H)?(?:(?P<minutes>\d{1,5})M)?(?:(?P<seconds>\d{1,6})S)?)?)$"
)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class BadQuery(ValueError):
    """A query parameter a subscriber sent cannot be honoured; the message says why."""


@dataclass(frozen=True)
class Query:
    shows: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    past_days: int | None = None
    future_days: int | None = None
    alarm: timedelta | None = None
    all_day: bool = False

    @property
    def is_empty(self) -> bool:
        return self == Query()

    def without_calendar_options(self) -> Query:
        """The query as a feed or page sees it: the calendar-only choices (windows,
        alarm, all-day) make no difference there, so they must not split variants."""
        return Query(
            shows=self.shows, tags=self.tags, platforms=self.platforms, statuses=self.statuses
        )

    def canonical(self) -> str:
        """The normalised query string: sorted keys and values, defaults left out."""
        pairs: list[tuple[str, str]] = []
        if self.alarm is not None:
            pairs.append(("alarm", format_duration(self.alarm)))
        if self.all_day:
            pairs.append(("all_day", "1"))
        if self.future_days is not None:
            pairs.append(("future_days", str(self.future_days)))
        if self.past_days is not None:
            pairs.append(("past_days", str(self.past_days)))
        for key, values in (
            ("platform", self.platforms),
            ("show", self.shows),
            ("status", {s.value for s in self.statuses}),
            ("tag", self.tags),
        ):
            if values:
                pairs.append((key, ",".join(sorted(values))))
        # What urlencode(pairs, safe=",") gives (the keys need no quoting), for less:
        # the page asks for a query string per show.
        return "&".join(f"{key}={quote_plus(value, safe=',')}" for key, value in pairs)

    def select(self, edition: Edition) -> Edition:
        """The edition narrowed to what this query asks for (shows, tags, platforms,
        statuses). Windows, alarms and all-day are the calendar renderer's business."""
        if not (self.shows or self.tags or self.platforms or self.statuses):
            return edition
        catalog = edition.catalog
        premieres = tuple(p for p in catalog.premieres if self.wants_premiere(catalog, p))
        news = tuple(n for n in catalog.news if self.wants_news(catalog, n))
        kept = {p.id for p in premieres}
        removed = tuple(p for p in edition.removed if self.wants_premiere(catalog, p))
        kept |= {p.id for p in removed}
        return replace(
            edition,
            catalog=replace(catalog, premieres=premieres, news=news),
            changes=tuple(c for c in edition.changes if c.premiere_id in kept),
            removed=removed,
        )

    def wants_premiere(self, catalog: Catalog, premiere: Premiere) -> bool:
        if self.shows and premiere.show not in self.shows:
            return False
        if self.statuses and premiere.status not in self.statuses:
            return False
        show = catalog.find_show(premiere.show)
        if self.tags:
            tags = {t.casefold() for t in premiere.tags}
            if show is not None:
                tags |= {t.casefold() for t in show.tags}
            if not tags & self.tags:
                return False
        if self.platforms:
            platform = premiere.platform or (show.platform if show else None)
            if platform is None or platform.casefold() not in self.platforms:
                return False
        return True

    def wants_news(self, catalog: Catalog, item: NewsItem) -> bool:
        if self.statuses:
            return False
        if self.shows and not self.shows & set(item.shows):
            return False
        shows = [s for s in (catalog.find_show(slug) for slug in item.shows) if s]
        if self.tags:
            tags = {t.casefold() for t in item.tags}
            for show in shows:
                tags |= {t.casefold() for t in show.tags}
            if not tags & self.tags:
                return False
        if self.platforms:
            platforms = {s.platform.casefold() for s in shows if s.platform}
            if not platforms & self.platforms:
                return False
        return True


def show_query(slug: str) -> str:
    """``Query(shows=frozenset({slug})).canonical()``, for the page's thousands of shows."""
    return "show=" + quote_plus(slug, safe=",")


def parse_query(args: Mapping[str, Sequence[str]], catalog: Catalog) -> Query:
    """Parse request arguments (a mapping of name to every value sent, like Werkzeug's
    ``MultiDict.to_dict(flat=False)``) against the catalogue they will filter."""
    shows = _words(args, "show")
    known_shows = {s.slug for s in catalog.shows}
    _require_known("show", shows, known_shows)
    tags = {t.casefold() for t in _words(args, "tag")}
    _require_known("tag", tags, _known_tags(catalog))
    platforms = {p.casefold() for p in _words(args, "platform")}
    _require_known("platform", platforms, _known_platforms(catalog))
    return Query(
        shows=frozenset(shows),
        tags=frozenset(tags),
        platforms=frozenset(platforms),
        statuses=frozenset(_statuses(_words(args, "status"))),
        past_days=_days(args, "past_days"),
        future_days=_days(args, "future_days"),
        alarm=_alarm(args),
        all_day=_flag(args, "all_day"),
    )


def _words(args: Mapping[str, Sequence[str]], key: str) -> set[str]:
    raw = args.get(key, ())
    words = [w.strip() for value in raw for w in value.split(",")]
    words = [w for w in words if w]
    if len(words) > MAX_VALUES:
        raise BadQuery(f"{key}: at most {MAX_VALUES} values are accepted, got {len(words)}.")
    for word in words:
        if len(word) > MAX_VALUE_LENGTH or not word.isprintable():
            raise BadQuery(f"{key}: {_show_value(word)} is not a valid value.")
    return set(words)


def _require_known(key: str, asked: Iterable[str], known: set[str]) -> None:
    unknown = sorted(set(asked) - known)
    if unknown:
        choices = ", ".join(sorted(known)) or "none"
        raise BadQuery(f"{key}: unknown value {_show_value(unknown[0])}. Known values: {choices}.")


def _known_tags(catalog: Catalog) -> set[str]:
    tags = {t.casefold() for s in catalog.shows for t in s.tags}
    tags |= {t.casefold() for p in catalog.premieres for t in p.tags}
    return tags | {t.casefold() for n in catalog.news for t in n.tags}


def _known_platforms(catalog: Catalog) -> set[str]:
    platforms = {s.platform.casefold() for s in catalog.shows if s.platform}
    return platforms | {p.platform.casefold() for p in catalog.premieres if p.platform}


def _statuses(words: set[str]) -> set[Status]:
    known = {s.value: s for s in Status}
    for word in words:
        if word.casefold() not in known:
            raise BadQuery(
                f"status: unknown value {_show_value(word)}. Known values: {', '.join(known)}."
            )
    return {known[w.casefold()] for w in words}


def _single(args: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = [v for v in args.get(key, ()) if v != ""]
    if len(set(values)) > 1:
        raise BadQuery(f"{key}: give one value, got {len(values)}.")
    return values[0] if values else None


def _days(args: Mapping[str, Sequence[str]], key: str) -> int | None:
    value = _single(args, key)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or int(value) > MAX_DAYS:
        raise BadQuery(
            f"{key}: expected a whole number of days from 0 to {MAX_DAYS}, "
            f"got {_show_value(value)}."
        )
    return int(value)


def _flag(args: Mapping[str, Sequence[str]], key: str) -> bool:
    value = _single(args, key)
    if value is None:
        return False
    if value.casefold() in _TRUE:
        return True
    if value.casefold() in _FALSE:
        return False
    raise BadQuery(f"{key}: expected 1 or 0, got {_show_value(value)}.")


def _alarm(args: Mapping[str, Sequence[str]]) -> timedelta | None:
    value = _single(args, "alarm")
    if value is None:
        return None
    duration = parse_duration(value)
    if duration is None or duration > MAX_ALARM:
        raise BadQuery(
            f"alarm: expected an ISO 8601 duration of at most four weeks before the "
            f"premiere, such as PT30M, PT1H or P1D; got {_show_value(value)}."
        )
    return duration


def parse_duration(text: str) -> timedelta | None:
    """A non-negative ISO 8601 duration (``P1W``, ``P1DT2H``, ``PT30M``) or ``None``."""
    match = _DURATION.match(text.strip().upper())
    if match is None or text.strip().upper() in {"P", "PT"} or text.strip().upper().endswith("T"):
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    return timedelta(**parts)


def format_duration(duration: timedelta) -> str:
    """The ISO 8601 / RFC 5545 form of a non-negative duration: ``P1D``, ``PT1H30M``."""
    seconds = int(duration.total_seconds())
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    text = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return text if text != "P" else "PT0S"


def _show_value(value: str) -> str:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return repr(shown)
