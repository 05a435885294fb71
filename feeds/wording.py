"""Every sentence a feed subscriber reads, in one place.

Dates are written out by hand ("23 January 2026"), never with ``strftime("%B")``,
so the words do not depend on the host's locale. Partial and unannounced dates are
said honestly: "expected in Q2 2027", "date to be announced".
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    Catalog,
    Change,
    ChangeKind,
    PartialDate,
    Premiere,
    Release,
    Status,
    Timed,
    Weekly,
    When,
)
from feeds.query import Query
from feeds.zones import get_zone

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_STATUS_WORDS = {Status.RUMORED: "rumoured"}
_PREFIX = {
    Status.RUMORED: "Rumoured: ",
    Status.DELAYED: "Delayed: ",
    Status.CANCELLED: "Cancelled: ",
}


def day_label(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def local_start(when: Timed) -> datetime:
    """The moment on the wall clock of its zone (UTC when the YAML gave an offset)."""
    return when.start.astimezone(get_zone(when.zone) if when.zone else UTC)


def date_label(when: When) -> str:
    """The date alone: "23 January 2026", "4 March 2026 at 21:00 (America/New_York)",
    "Q2 2027", "November 2026", "2027", "a date to be announced"."""
    if isinstance(when, AllDay):
        return day_label(when.day)
    if isinstance(when, Timed):
        local = local_start(when)
        return f"{day_label(local.date())} at {local:%H:%M} ({when.zone or 'UTC'})"
    if isinstance(when, PartialDate):
        if when.month is not None:
            return f"{MONTHS[when.month - 1]} {when.year}"
        if when.quarter is not None:
            return f"Q{when.quarter} {when.year}"
        return str(when.year)
    return "a date to be announced"


def episodes(release: Release | None) -> str:
    """How the episodes arrive: "all 12 episodes at once", "2 episodes a week, 8 in
    all", or "" when the YAML does not say. Every document words it this way."""
    if isinstance(release, AllAtOnce):
        if release.episodes is None:
            return "all episodes at once"
        if release.episodes == 1:
            return "a single episode"
        return f"all {release.episodes} episodes at once"
    if isinstance(release, Weekly):
        per = "1 episode" if release.per_drop == 1 else f"{release.per_drop} episodes"
        return f"{per} a week, {release.episodes} in all"
    return ""


def release_phrase(release: Release | None) -> str:
    """``episodes`` as a trailing clause: ", all 12 episodes at once", or nothing."""
    text = episodes(release)
    return f", {text}" if text else ""


def premiere_sentence(name: str, premiere: Premiere, platform: str | None) -> str:
    """The plain statement, without a status prefix:
    "All of Us Are Dead Season 2 premieres on 23 January 2026 on Netflix, all 12
    episodes at once"; "… is expected in Q2 2027 on Disney+"; "… is coming to
    Disney+, date to be announced"."""
    when, status = premiere.when, premiere.status
    release = release_phrase(premiere.release)
    where = f" on {platform}" if platform else ""
    if isinstance(when, TBA):
        if status is Status.CANCELLED:
            return f"{name}{where}"
        return f"{name} is coming{f' to {platform}' if platform else ''}, date to be announced"
    exact = isinstance(when, AllDay | Timed)
    if status is Status.RELEASED:
        verb = "premiered"
    elif status is Status.CANCELLED:
        verb = "was to premiere" if exact else "was expected"
    else:
        verb = "premieres" if exact else "is expected"
    preposition = "on" if exact else "in"
    return f"{name} {verb} {preposition} {date_label(when)}{where}{release}"


def announcement_title(name: str, premiere: Premiere, platform: str | None) -> str:
    """The premiere as it stands, a rumour, delay or cancellation said first."""
    return _PREFIX.get(premiere.status, "") + premiere_sentence(name, premiere, platform)


def status_sentence(status: Status) -> str:
    return f"Status: {_STATUS_WORDS.get(status, status.value)}."


def feed_title(catalog: Catalog, query: Query) -> str:
    """The calendar's name, with the show's title when the feed is about one show."""
    name = catalog.calendar.name
    if len(query.shows) == 1:
        (slug,) = query.shows
        show = catalog.find_show(slug)
        if show is not None:
            return f"{name} — {show.title}"
    return name


def reminder_title(name: str, days: int, premiere: Premiere, platform: str | None) -> str:
    """A reminder's title: "… premieres today", "… premieres tomorrow", "… premieres
    in 7 days"; a rumour is still called one."""
    if days == 0:
        relative = "today"
    elif days == 1:
        relative = "tomorrow"
    else:
        relative = f"in {days} days"
    where = f" on {platform}" if platform else ""
    rumour = "Rumoured: " if premiere.status is Status.RUMORED else ""
    return f"{rumour}{name} premieres {relative}{where}"


def change_title(change: Change, name: str, platform: str | None) -> str | None:
    """What a change item says, or ``None`` for a change the feeds do not announce
    (``UPDATED``: details such as the cast; the premiere item's ``updated`` shows it)."""
    before, after = change.before, change.after
    current = after or before
    if current is None or change.kind is ChangeKind.UPDATED:
        return None
    sentence = premiere_sentence(name, current, platform)
    moved = before is not None and after is not None and before.when != after.when
    match change.kind:
        case ChangeKind.NEW:
            return f"New premiere announced: {sentence}"
        case ChangeKind.DATE_CHANGED | ChangeKind.DELAYED if moved:
            label = "Date changed" if change.kind is ChangeKind.DATE_CHANGED else "Delayed"
            return f"{label}: {name} moved from {_moved(before)} to {_moved(after)}"
        case ChangeKind.REMOVED:
            return f"Removed: {name}"
        case ChangeKind.CANCELLED:
            return f"Cancelled: {name}"
    return f"{_CHANGE_LABEL[change.kind]}: {sentence}"


def change_summary(change: Change, name: str, platform: str | None) -> str:
    """What a change item adds to its title (may be empty)."""
    before, after, kind = change.before, change.after, change.kind
    if kind is ChangeKind.REMOVED:
        return f"{name} is no longer listed in this calendar."
    if kind is ChangeKind.CANCELLED and before is not None:
        return f"It had been listed for {date_label(before.when)}."
    if kind in {ChangeKind.DATE_CHANGED, ChangeKind.DELAYED} and after is not None:
        return premiere_sentence(name, after, platform) + "."
    if kind is ChangeKind.DATE_ANNOUNCED and before is not None:
        if isinstance(before.when, TBA):
            return "Until now no date had been given."
        return f"Until now it was expected in {date_label(before.when)}."
    if kind is ChangeKind.NEW and after is not None:
        return status_sentence(after.status)
    return ""


def _moved(premiere: Premiere | None) -> str:
    return date_label(premiere.when) if premiere is not None else "an unknown date"


_CHANGE_LABEL = {
    ChangeKind.DATE_CHANGED: "Date changed",
    ChangeKind.DATE_ANNOUNCED: "Date announced",
    ChangeKind.CONFIRMED: "Confirmed",
    ChangeKind.DELAYED: "Delayed",
    ChangeKind.RELEASED: "Released",
}
