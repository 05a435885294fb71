"""The subscribe page: upcoming premieres, latest news and every subscription link.

A pure renderer like the others: ``render_page(edition, query)`` gives the same bytes
for the same input (no clock, everything sorted). The template is
``feeds/templates/index.html``, autoescaped; this module only prepares plain values,
and the parts repeated per premiere and per show, written as HTML and kept across
builds by ``feeds.page_rows`` and ``feeds.page_links`` (and spliced in where the
template marks their place). The page carries no script: the HTTP layer's
Content-Security-Policy forbids it.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from feeds import wording
from feeds.fragments import spaced
from feeds.model import Catalog, Edition, Premiere
from feeds.page_links import links_html, show_html, subscription, trim_shows
from feeds.page_rows import place, row, trim_rows
from feeds.query import Query
from feeds.zones import get_zone

MEDIA_TYPE = "text/html; charset=utf-8"
RECENT_LIMIT = 10
NEWS_LIMIT = 10
EXCERPT_LENGTH = 240

_ENV = Environment(
    loader=PackageLoader("feeds", "templates"),
    autoescape=select_autoescape(["html"], default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Story:
    title: str
    date: str
    iso: str
    shows: tuple[str, ...]
    excerpt: str


def render_page(edition: Edition, query: Query) -> bytes:
    """The subscribe page for ``query`` (``Query()`` for everything), as UTF-8 HTML."""
    catalog = edition.catalog
    calendar, base = catalog.calendar, catalog.calendar.base_url
    shown = query.select(edition).catalog
    upcoming, recent = _placed(catalog, shown.premieres, edition.moment)
    nav, per_show = _shows(catalog, query)
    view = subscription(calendar, query, _selection_label(catalog, query))
    whole = subscription(calendar, Query(), "Every show")
    _trim(catalog)
    parts = {  # in the order the template places them
        "nav": nav,
        "per_show": per_show,
        "upcoming": _rows(catalog, upcoming),
        "recent": _rows(catalog, recent),
    }
    html = _ENV.get_template("index.html").render(
        calendar=calendar,
        filtered=bool(query.shows),
        news=_stories(shown),
        view=view,
        view_links=Markup(links_html(base, calendar.name, query.canonical(), view.label)),
        view_is_own=_needs_own_row(query),
        whole=whole,
        whole_links=Markup(links_html(base, calendar.name, "", whole.label)),
        refresh=_every(calendar.refresh),
        **{name: Markup(_MARKER.format(name) if part else "") for name, part in parts.items()},
    )
    return _spliced(html, parts)


_MARKER = "<!--{}-->"
"""Where the template places a big part: a comment, which no escaped text can hold."""


def _spliced(html: str, parts: dict[str, list[bytes]]) -> bytes:
    """The page with each big part in place of its marker. The parts (thousands of rows
    and show blocks) go round the template, which would copy them several times over,
    and are joined once, with the rest of the page."""
    pieces = []
    for name, part in parts.items():
        if part:
            head, html = html.split(_MARKER.format(name), 1)
            pieces += [head.encode(), *part]
    pieces.append(html.encode())
    return b"".join(pieces)


def _placed(
    catalog: Catalog, premieres: tuple[Premiere, ...], moment: datetime
) -> tuple[list[Premiere], list[Premiere]]:
    """The premieres still to come (exact dates first, by day and moment; then partial
    ones by period; TBA last), and the latest past ones, newest first."""
    zone = catalog.calendar.timezone
    today = moment.astimezone(get_zone(zone)).date()
    upcoming, past = [], []
    for premiere in premieres:
        spot = place(premiere.when, zone)
        if spot[2] >= today:
            upcoming.append(((*spot, premiere.id), premiere))
        else:
            past.append(((spot[2], premiere.id), premiere))
    upcoming.sort(key=itemgetter(0))
    recent = heapq.nlargest(RECENT_LIMIT, past, key=itemgetter(0))
    return [p for _key, p in upcoming], [p for _key, p in recent]


def _shows(catalog: Catalog, query: Query) -> tuple[list[bytes], list[bytes]]:
    """The page's list of the shows in view, and their blocks of links, by title."""
    in_view = sorted(
        (s for s in catalog.shows if not query.shows or s.slug in query.shows),
        key=lambda s: (s.title.casefold(), s.slug),
    )
    filtered = bool(query.shows)
    opened = filtered and len(in_view) == 1
    shows = [show_html(catalog.calendar, s, filtered, opened) for s in in_view]
    entries, blocks = [entry for entry, _ in shows], [block for _, block in shows]
    return spaced(entries, b"\n"), spaced(blocks, b"\n")


def _rows(catalog: Catalog, premieres: list[Premiere]) -> list[bytes]:
    rows = []
    for premiere in premieres:
        show = catalog.find_show(premiere.show)
        title = show.title if show else premiere.show
        platform = premiere.platform or (show.platform if show else None) or ""
        rows.append(row(premiere, title, platform))
    return spaced(rows, b"\n")


def _trim(catalog: Catalog) -> None:
    """The kept rows and show blocks, bounded by the whole catalogue (not a variant's
    share of it)."""
    trim_rows(keep=2 * len(catalog.premieres) + 1000)
    trim_shows(keep=2 * len(catalog.shows) + 1000)


def _needs_own_row(query: Query) -> bool:
    """Whether the page's own selection differs from "every show" and from one show."""
    if query.is_empty:
        return False
    return query != Query(shows=query.shows) or len(query.shows) > 1


def _selection_label(catalog: Catalog, query: Query) -> str:
    titles = sorted(s.title for s in catalog.shows if s.slug in query.shows)
    return ", ".join(titles) if titles else "This selection"


def _stories(catalog: Catalog) -> list[Story]:
    newest = heapq.nlargest(NEWS_LIMIT, catalog.news, key=lambda n: (n.published, n.id))
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
        for item in newest
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
