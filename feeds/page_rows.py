"""The subscribe page's premiere rows: where each premiere goes, and its ``<tr>``.

A large catalogue has thousands of rows, and the template's per-row work (attribute
lookups, escaping, tests) cost more than the rest of the page. Each row is written
here, escaped as the template's autoescape escapes (``markup.html_text``), and kept
across builds (``feeds.fragments``) while the premiere, its show's title and its
platform are unchanged; ``feeds.page`` puts the rows where the template's
``premiere_table`` marks them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from feeds import wording
from feeds.fragments import Fragments
from feeds.markup import html_text
from feeds.model import TBA, AllDay, PartialDate, Premiere, Status, Timed, When
from feeds.zones import get_zone

Place = tuple[bool, date, date, float]
"""(not exact, first day, last day, instant): the page's order, and where it splits."""

_ROWS: Fragments[bytes] = Fragments()


def row(premiere: Premiere, show: str, platform: str) -> bytes:
    """The premiere's ``<tr>``, from the cache when nothing that goes into it changed."""
    return _ROWS.get(premiere.id, (premiere, show, platform), _row_html)


def trim_rows(keep: int) -> None:
    _ROWS.trim(keep)


def place(when: When, zone: str) -> Place:
    """Exact dates first, by day and moment; then partial ones by period; TBA last.
    Days are in the calendar's ``zone``; ``date.max`` for a premiere with no date."""
    kind = when.__class__
    if kind is AllDay:  # most premieres: quicker than looking it up
        return (False, when.day, when.day, 0.0)
    if kind is Timed:
        return _moment_place(when, zone)
    return _vague_place(when)


@lru_cache(maxsize=1 << 17)
def _moment_place(when: Timed, zone: str) -> Place:
    """Remembered for rebuilds (looking one up takes a third of working it out), with
    room for the moments of a large catalogue: nearly every one is different."""
    day = when.start.astimezone(get_zone(zone)).date()
    return (False, day, day, when.start.timestamp())


@lru_cache(maxsize=4096)
def _vague_place(when: PartialDate | TBA) -> Place:
    """A partial date from its first to its last day; TBA after every date."""
    if isinstance(when, TBA):
        return (True, date.max, date.max, 0.0)
    month = when.month or (3 * when.quarter - 2 if when.quarter else 1)
    first = date(when.year, month, 1)
    return (True, first, _last_day(when, first), 0.0)


def _last_day(when: PartialDate, first: date) -> date:
    """The last day the premiere could fall on."""
    last_month = when.month or (3 * when.quarter if when.quarter else 12)
    following = date(when.year + last_month // 12, last_month % 12 + 1, 1)
    return following - timedelta(days=1)


def _row_html(premiere: Premiere, show: str, platform: str) -> bytes:
    status, status_class = _STATUS[premiere.status]
    url = premiere.url
    if url and url.startswith(("https://", "http://")):
        title = f'<a class="title" href="{html_text(url)}" rel="noopener noreferrer">'
        title += f"{html_text(premiere.title)}</a>"
    else:
        title = f'<span class="title">{html_text(premiere.title)}</span>'
    episodes = wording.episodes(premiere.release) or "—"
    return (
        f'<tr id="premiere-{html_text(premiere.id)}" class="status-{status_class}">\n'
        f'<td data-label="Date">{_date_cell(premiere.when)}</td>\n'
        f'<td data-label="Show">{html_text(show)}</td>\n'
        f'<td data-label="Premiere">{title}</td>\n'
        f'<td data-label="Platform">{html_text(platform or "—")}</td>\n'
        f'<td data-label="Status"><span class="status">{status}</span></td>\n'
        f'<td data-label="Episodes">{html_text(episodes)}</td>\n'
        "</tr>"
    ).encode()


_STATUS = {
    status: (html_text(status.value.capitalize()), html_text(status.value)) for status in Status
}
"""The status as the page says it, and as its row's class."""


def _date_cell(when: When) -> str:
    """The Date cell's content: a ``<time>`` with a day, a moment (and its wall time),
    a month or a year. Days and the vaguer dates are remembered, as many premieres
    share one; moments are nearly all different."""
    kind = when.__class__
    if kind is AllDay:
        return _day_cell(when.day)
    if kind is Timed:
        local = wording.local_start(when)
        clock = f"{local.hour:02d}:{local.minute:02d} ({when.zone or 'UTC'})"
        iso = local.isoformat(timespec="minutes")
        return _time(iso, wording.day_label(local.date()), clock=clock)
    return _vague_cell(when)


@lru_cache(maxsize=16_384)
def _day_cell(day: date) -> str:
    return _time(day.isoformat(), wording.day_label(day))


@lru_cache(maxsize=4096)
def _vague_cell(when: PartialDate | TBA) -> str:
    if isinstance(when, PartialDate) and when.quarter is None:
        iso = f"{when.year}-{when.month:02d}" if when.month else f"{when.year:04d}"
        return _time(iso, wording.date_label(when), tentative=True)
    text = "TBA" if isinstance(when, TBA) else wording.date_label(when)
    return f'<span class="tentative">{html_text(text)}</span>'


def _time(iso: str, text: str, clock: str = "", tentative: bool = False) -> str:
    attributes = f'datetime="{html_text(iso)}"' + (' class="tentative"' if tentative else "")
    extra = f' <span class="time">{html_text(clock)}</span>' if clock else ""
    return f"<time {attributes}>{html_text(text)}{extra}</time>"
