"""One premiere placed in the calendar, and the VEVENT that publishes it.

``feeds.ical`` decides which premieres go in and where they start; this module writes
each one out. Every value comes from the edition (the premiere, its show and its
stamp), never from the clock, so the same edition gives the same event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Alarm, Event

from feeds.model import Catalog, Edition, Premiere, Show, Status, Weekly
from feeds.wording import episodes

TIMED_DURATION = timedelta(hours=1)
_ONE_DAY = timedelta(days=1)

_STATUS = {
    Status.RUMORED: "TENTATIVE",
    Status.ANNOUNCED: "TENTATIVE",
    Status.DELAYED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.RELEASED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class Entry:
    """A premiere placed in the calendar: ``start`` is a ``date`` (all-day) or an
    aware ``datetime`` in its own zone or in UTC. ``removed``: gone from the YAML but
    still within retention."""

    premiere: Premiere
    start: date | datetime
    removed: bool = False

    @property
    def last_start(self) -> date | datetime:
        """The start of the last weekly drop (the start itself for anything else)."""
        release = self.premiere.release
        drops = release.drops if isinstance(release, Weekly) else 1
        return self.start + timedelta(weeks=drops - 1)

    @property
    def cancelled(self) -> bool:
        return self.removed or self.premiere.status is Status.CANCELLED


def end_of(start: date | datetime) -> date | datetime:
    """The exclusive DTEND: the next day for all-day events."""
    return start + (TIMED_DURATION if isinstance(start, datetime) else _ONE_DAY)


def event(edition: Edition, entry: Entry, domain: str, alarm: timedelta | None) -> Event:
    """The VEVENT for ``entry``; ``domain`` is the site's host, the UID's right half."""
    premiere = entry.premiere
    stamp = edition.stamp(premiere.id)
    vevent = Event()
    vevent.add("uid", f"{premiere.id}@{domain}")
    vevent.add("dtstamp", stamp.modified)
    vevent.add("created", stamp.created)
    vevent.add("last-modified", stamp.modified)
    vevent.add("sequence", stamp.sequence)
    vevent.add("dtstart", entry.start)
    vevent.add("dtend", end_of(entry.start))
    if isinstance(premiere.release, Weekly):
        vevent.add("rrule", {"freq": "weekly", "count": premiere.release.drops})
    vevent.add("status", "CANCELLED" if entry.removed else _STATUS[premiere.status])
    vevent.add("transp", "TRANSPARENT")
    show = find_show(edition.catalog, premiere.show)
    summary = f"{show_title(show, premiere.show)} — {premiere.title}"
    vevent.add("summary", summary)
    vevent.add("description", description(show, premiere, entry.removed))
    _add_links(vevent, show, premiere)
    if alarm is not None and not entry.cancelled:
        vevent.add_component(_alarm(alarm, summary))
    return vevent


def _add_links(vevent: Event, show: Show | None, premiere: Premiere) -> None:
    tags = dict.fromkeys((*(show.tags if show else ()), *premiere.tags))
    if tags:
        vevent.add("categories", list(tags))
    url = premiere.url or (show.url if show else None)
    if url:
        vevent.add("url", url)
    image = premiere.image or (show.image if show else None)
    if image:
        vevent.add("image", image, parameters={"VALUE": "URI"})


def description(show: Show | None, premiere: Premiere, removed: bool) -> str:
    """The DESCRIPTION: the facts (platform, release, status, cast), then the premiere's
    or its show's description and source."""
    facts = []
    platform = premiere.platform or (show.platform if show else None)
    if platform:
        facts.append(f"Platform: {platform}")
    if premiere.release is not None:
        facts.append(f"Release: {episodes(premiere.release)}")
    facts.append(f"Status: {'removed from the list' if removed else premiere.status}")
    if premiere.cast:
        facts.append(f"Cast: {', '.join(premiere.cast)}")
    paragraphs = ["\n".join(facts)]
    text = premiere.description or (show.description if show else None)
    if text:
        paragraphs.append(text)
    source = premiere.source or (show.source if show else None)
    if source:
        paragraphs.append(" ".join(filter(None, ("Source:", source.name, source.url))))
    return "\n\n".join(paragraphs)


def _alarm(before: timedelta, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", summary)
    return alarm


def find_show(catalog: Catalog, slug: str) -> Show | None:
    """The show, or ``None`` for a removed premiere whose show has gone too."""
    try:
        return catalog.show(slug)
    except KeyError:
        return None


def show_title(show: Show | None, slug: str) -> str:
    return show.title if show else slug
