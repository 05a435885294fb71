"""The subscribe page: upcoming premieres, latest news and every subscription link.

A pure renderer like the others: ``render_page(edition, query)`` gives the same bytes
for the same input (no clock, everything sorted). The template is
``feeds/templates/index.html``, autoescaped; this module only prepares plain values.
The page carries no script: the HTTP layer's Content-Security-Policy forbids it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from feeds import paths, wording
from feeds.model import TBA, AllDay, Catalog, Edition, PartialDate, Premiere, Timed
from feeds.query import Query
from feeds.zones import get_zone

MEDIA_TYPE = "text/html; charset=utf-8"
RECENT_LIMIT = 10
NEWS_LIMIT = 10
EXCERPT_LENGTH = 240
FEEDS = (
    ("RSS", paths.RSS, "application/rss+xml"),
    ("Atom", paths.ATOM, "application/atom+xml"),
    ("JSON Feed", paths.JSON_FEED, "application/feed+json"),
    ("JSON API", paths.API, "application/json"),
)

_ENV = Environment(
    loader=PackageLoader("feeds", "templates"),
    autoescape=select_autoescape(["html"], default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Row:
    """One premiere as the page shows it."""

    id: str
    date: str
    time: str
    iso: str | None
    show: str
    title: str
    url: str | None
    platform: str
    status: str
    episodes: str
    tentative: bool


@dataclass(frozen=True)
class Story:
    title: str
    date: str
    iso: str
    shows: tuple[str, ...]
    excerpt: str


@dataclass(frozen=True)
class Feed:
    label: str
    url: str
    media_type: str


@dataclass(frozen=True)
class Subscription:
    """Every way to follow one selection (the whole catalogue, a show, this view)."""

    label: str
    https: str
    webcal: str
    google: str
    outlook: str
    feeds: tuple[Feed, ...]


def render_page(edition: Edition, query: Query) -> bytes:
    """The subscribe page for ``query`` (``Query()`` for everything), as UTF-8 HTML."""
    catalog = edition.catalog
    shown = query.select(edition).catalog
    today = edition.moment.astimezone(get_zone(catalog.calendar.timezone)).date()
    upcoming = [p for p in shown.premieres if _last_day(p, catalog) >= today]
    past = [p for p in shown.premieres if _last_day(p, catalog) < today]
    past.sort(key=lambda p: (_last_day(p, catalog), p.id), reverse=True)
    in_view = sorted(
        (s for s in catalog.shows if not query.shows or s.slug in query.shows),
        key=lambda s: (s.title.casefold(), s.slug),
    )
    html = _ENV.get_template("index.html").render(
        calendar=catalog.calendar,
        filtered=bool(query.shows),
        shows=in_view,
        upcoming=[_row(catalog, p) for p in sorted(upcoming, key=lambda p: _order(p, catalog))],
        recent=[_row(catalog, p) for p in past[:RECENT_LIMIT]],
        news=_stories(shown),
        view=subscription(catalog, query, _selection_label(catalog, query)),
        view_is_own=_needs_own_row(query),
        whole=subscription(catalog, Query(), "Every show"),
        per_show=[
            subscription(catalog, Query(shows=frozenset({s.slug})), s.title) for s in in_view
        ],
        refresh=_every(catalog.calendar.refresh),
    )
    return html.encode("utf-8")


def subscription(catalog: Catalog, query: Query, label: str) -> Subscription:
    """The calendar and feed links for ``query``, absolute, from the calendar's base URL."""
    base = catalog.calendar.base_url
    https = paths.document_url(base, paths.CALENDAR, query)
    webcal = "webcal:" + https.split(":", 1)[1]
    name = catalog.calendar.name if query.is_empty else f"{catalog.calendar.name}: {label}"
    return Subscription(
        label=label,
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        outlook=(
            "https://outlook.live.com/calendar/0/addfromweb"
            f"?url={quote(https, safe='')}&name={quote(name, safe='')}"
        ),
        feeds=tuple(
            Feed(lbl, paths.document_url(base, path, query), media) for lbl, path, media in FEEDS
        ),
    )


def _needs_own_row(query: Query) -> bool:
    """Whether the page's own selection differs from "every show" and from one show."""
    if query.is_empty:
        return False
    return query != Query(shows=query.shows) or len(query.shows) > 1


def _selection_label(catalog: Catalog, query: Query) -> str:
    titles = sorted(s.title for s in catalog.shows if s.slug in query.shows)
    return ", ".join(titles) if titles else "This selection"


def _row(catalog: Catalog, premiere: Premiere) -> Row:
    found = catalog.find_show(premiere.show)
    show = found.title if found else premiere.show
    return Row(
        id=premiere.id,
        date=_date_text(premiere),
        time=_time_text(premiere),
        iso=_iso(premiere),
        show=show,
        title=premiere.title,
        url=premiere.url,
        platform=catalog.platform_of(premiere) or "",
        status=premiere.status.value.capitalize(),
        episodes=episodes_text(premiere),
        tentative=not premiere.is_exact,
    )


def _date_text(premiere: Premiere) -> str:
    when = premiere.when
    if isinstance(when, TBA):
        return "TBA"
    if isinstance(when, Timed):
        return wording.day_label(wording.local_start(when).date())
    return wording.date_label(when)


def _time_text(premiere: Premiere) -> str:
    """ "21:00 (America/New_York)" for a timed premiere, else ""."""
    when = premiere.when
    if not isinstance(when, Timed):
        return ""
    return f"{wording.local_start(when):%H:%M} ({when.zone or 'UTC'})"


def _iso(premiere: Premiere) -> str | None:
    """The ``<time datetime>`` value: a day, a moment, a month or a year."""
    when = premiere.when
    if isinstance(when, AllDay):
        return when.day.isoformat()
    if isinstance(when, Timed):
        return wording.local_start(when).isoformat(timespec="minutes")
    if isinstance(when, PartialDate) and when.quarter is None:
        return f"{when.year}-{when.month:02d}" if when.month else f"{when.year:04d}"
    return None


def episodes_text(premiere: Premiere) -> str:
    """ "all 12 episodes at once", "2 episodes a week, 8 in all", or "" when not said."""
    return wording.episodes(premiere.release)


def _first_day(premiere: Premiere, catalog: Catalog) -> date:
    when = premiere.when
    if isinstance(when, AllDay):
        return when.day
    if isinstance(when, Timed):
        return when.start.astimezone(get_zone(catalog.calendar.timezone)).date()
    if isinstance(when, PartialDate):
        month = when.month or (3 * when.quarter - 2 if when.quarter else 1)
        return date(when.year, month, 1)
    return date.max


def _last_day(premiere: Premiere, catalog: Catalog) -> date:
    """The last day the premiere could fall on (``date.max`` when unannounced)."""
    when = premiere.when
    if not isinstance(when, PartialDate):
        return _first_day(premiere, catalog)
    last_month = when.month or (3 * when.quarter if when.quarter else 12)
    following = date(when.year + last_month // 12, last_month % 12 + 1, 1)
    return following - timedelta(days=1)


def _order(premiere: Premiere, catalog: Catalog) -> tuple:
    """Exact dates first, by day and moment; then partial ones by period; TBA last."""
    instant = premiere.when.start.timestamp() if isinstance(premiere.when, Timed) else 0.0
    return (
        not premiere.is_exact,
        _first_day(premiere, catalog),
        _last_day(premiere, catalog),
        instant,
        premiere.id,
    )


def _stories(catalog: Catalog) -> list[Story]:
    newest = sorted(catalog.news, key=lambda n: (n.published, n.id), reverse=True)
    zone = get_zone(catalog.calendar.timezone)
    titles = {s.slug: s.title for s in catalog.shows}
    return [
        Story(
            title=item.title,
            date=wording.day_label(item.published.astimezone(zone).date()),
            iso=item.published.isoformat(),
            shows=tuple(titles.get(slug, slug) for slug in item.shows),
            excerpt=plain_excerpt(item.body),
        )
        for item in newest[:NEWS_LIMIT]
    ]


_MARKDOWN = (
    (re.compile(r"<[^>]*>"), ""),  # raw HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.M), ""),  # blocks
    (re.compile(r"(\*\*|\*|~~|`+)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis, code
    (re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),  # _emphasis_
    (re.compile(r"\s+"), " "),
)


def plain_excerpt(markdown: str, limit: int = EXCERPT_LENGTH) -> str:
    """Markdown as one line of plain text, cut at a word near ``limit``. Not a
    sanitiser: the template escapes whatever is left."""
    text = markdown
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _every(interval: timedelta) -> str:
    """ "every 6 hours", "every hour", "every 30 minutes", "every day"."""
    minutes = int(interval.total_seconds() // 60)
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {int(interval.total_seconds())} seconds"
