"""The subscribe page's links: every way to follow one selection.

The page offers them for the whole catalogue, for its own selection and for every show
in view: thousands of blocks for a large catalogue, and the template's work per block
(and ``urllib``'s quoting, a character at a time) cost more than the rest of the page.
So the blocks are written here as HTML, escaped as the template's autoescape escapes,
from the parts of each URL that are the same for every selection (worked out once per
calendar) and the query that differs (quoting and escaping go a character at a time, so
the parts can be done apart). Each show's block, with its entry in the page's list of
shows, is kept across builds (``feeds.fragments``) while the show and the calendar's
name and address are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from feeds import paths
from feeds.fragments import Fragments
from feeds.markup import html_text
from feeds.model import CalendarInfo, Show
from feeds.query import Query, show_query

FEEDS = (
    ("RSS", paths.RSS, "application/rss+xml"),
    ("Atom", paths.ATOM, "application/atom+xml"),
    ("JSON Feed", paths.JSON_FEED, "application/feed+json"),
    ("JSON API", paths.API, "application/json"),
)
GOOGLE = "https://calendar.google.com/calendar/render?cid="
OUTLOOK = "https://outlook.live.com/calendar/0/addfromweb"

_SHOWS: Fragments[tuple[bytes, bytes]] = Fragments()
_QUOTED = {chr(code): quote(chr(code), safe="") for code in range(128)}


class Feed(NamedTuple):
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


def subscription(calendar: CalendarInfo, query: Query, label: str) -> Subscription:
    """The calendar and feed links for ``query``, absolute, from the calendar's base URL."""
    base, canonical = calendar.base_url, query.canonical()
    https = paths.canonical_url(base, paths.CALENDAR, canonical)
    webcal = "webcal:" + https.split(":", 1)[1]
    name = calendar.name if query.is_empty else f"{calendar.name}: {label}"
    return Subscription(
        label=label,
        https=https,
        webcal=webcal,
        google=GOOGLE + quote(webcal, safe=""),
        outlook=f"{OUTLOOK}?url={quote(https, safe='')}&name={quote(name, safe='')}",
        feeds=tuple(
            Feed(text, paths.canonical_url(base, path, canonical), media)
            for text, path, media in FEEDS
        ),
    )


def links_html(base: str, calendar: str, canonical: str, label: str) -> str:
    """The buttons, the calendar's address and the feeds of ``subscription`` for the
    query whose normalised form is ``canonical`` (empty for the whole catalogue, which
    Outlook calls by the ``calendar``'s name alone), from the ``base`` URL."""
    head = _heads(base, calendar)
    tail = f"?{canonical}" if canonical else ""
    shown, quoted = html_text(tail), quote_text(tail)
    name = head.name + (quote_text(f": {label}") if canonical else "")
    feeds = " ·\n".join(
        f'<a href="{url}{shown}" type="{media_type}">{text}</a>'
        for text, url, media_type in head.feeds
    )
    return (
        '<ul class="buttons">\n'
        f'<li><a class="button primary" href="{head.webcal}{shown}">'
        "Subscribe in your calendar app</a></li>\n"
        f'<li><a class="button" href="{head.google}{quoted}" rel="noopener noreferrer">'
        "Add to Google Calendar</a></li>\n"
        f'<li><a class="button" href="{head.outlook}{quoted}&amp;name={name}" '
        'rel="noopener noreferrer">Add to Outlook</a></li>\n'
        "</ul>\n"
        f'<p class="address">Calendar address: <a href="{head.https}{shown}">'
        f"<code>{head.https}{shown}</code></a></p>\n"
        f'<p class="feeds">Feeds:\n{feeds}\n</p>\n'
    )


def show_html(
    calendar: CalendarInfo, show: Show, filtered: bool, opened: bool
) -> tuple[bytes, bytes]:
    """The show's entry in the page's list of shows, and its block of links."""
    inputs = (calendar.base_url, calendar.name, show.slug, show.title, filtered, opened)
    return _SHOWS.get(show.slug, inputs, _show_html)


def trim_shows(keep: int) -> None:
    _SHOWS.trim(keep)


def quote_text(text: str) -> str:
    """``quote(text, safe="")``, without ``urllib``'s work per character for ASCII."""
    if text.isascii():
        return "".join(map(_QUOTED.__getitem__, text))
    return quote(text, safe="")


class _Heads(NamedTuple):
    """What every selection's links start with, escaped (and quoted where the whole
    link is quoted into another): the URLs without their query."""

    https: str
    webcal: str
    google: str
    outlook: str
    name: str
    feeds: tuple[tuple[str, str, str], ...]


@lru_cache(maxsize=64)
def _heads(base: str, calendar: str) -> _Heads:
    https = paths.canonical_url(base, paths.CALENDAR, "")
    webcal = "webcal:" + https.split(":", 1)[1]
    return _Heads(
        https=html_text(https),
        webcal=html_text(webcal),
        google=html_text(GOOGLE + quote(webcal, safe="")),
        outlook=html_text(f"{OUTLOOK}?url={quote(https, safe='')}"),
        name=html_text(quote(calendar, safe="")),
        feeds=tuple(
            (html_text(text), html_text(paths.canonical_url(base, path, "")), html_text(media))
            for text, path, media in FEEDS
        ),
    )


def _show_html(
    base: str, calendar: str, slug: str, title: str, filtered: bool, opened: bool
) -> tuple[bytes, bytes]:
    links = links_html(base, calendar, show_query(slug), title)
    if filtered:
        entry = f"<strong>{html_text(title)}</strong>"
    else:
        entry = f'<a href="?show={html_text(quote(slug.encode(), "/"))}">{html_text(title)}</a>'
    summary = f"<summary>{html_text(title)} only</summary>"
    block = f"<details{' open' if opened else ''}>\n{summary}\n{links}\n</details>"
    return entry.encode(), block.encode()
