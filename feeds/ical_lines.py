"""VEVENTs written as bytes directly.

Serialising through ``icalendar`` costs about half a millisecond per event (building
typed property objects, then sorting, escaping and folding them a character at a
time): seconds for a large catalogue. This module writes the same bytes for the few
property types our events use (``feeds.ical_memo`` keeps them across builds, so a
rebuild after an edit writes only the events that changed).
``feeds.ical_event.event`` stays the reference: ``tests/test_ical_lines.py``
checks the two agree byte for byte, on the sample catalogue and a generated large one.

Property order is icalendar's canonical order for VEVENT (SUMMARY, DTSTART, DTEND,
DTSTAMP, UID, SEQUENCE, RRULE first, then the rest alphabetically); TEXT is escaped
with icalendar's own function; lines are folded as icalendar folds them (74 octets,
never splitting a backslash escape).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import vDuration
from icalendar.parser.string import _escape_char, _foldline

from feeds.ical_event import _STATUS, description, end_of
from feeds.model import Premiere, Show, Stamp, Status, Weekly

_FOLD = 74
_STAMP = "%04d%02d%02dT%02d%02d%02d"  # the wall time (isoformat asks the zone for an offset)
_ZERO = timedelta(0)


def write_event(
    premiere: Premiere,
    start: date | datetime,
    removed: bool,
    stamped: StampLines,
    show: Show | None,
    domain: str,
    alarm: timedelta | None,
) -> bytes:
    """The VEVENT for ``Entry(premiere, start, removed)`` as ``feeds.ical_event.event``
    writes it, given its stamp's lines (``stamp_lines``). The SUMMARY line is encoded
    apart: its em dash is not ASCII, and a string is stored as wide as its widest
    character, so joined with it the rest would be twice the size and slower to encode
    (an alarm repeats the summary, so events with one gain nothing)."""
    summary = _text(f"{show.title if show else premiere.show} — {premiere.title}")
    dtstamp, sequence, created, modified = stamped
    lines = [
        _start_end(start),
        dtstamp,
        _fold(f"UID:{_text(f'{premiere.id}@{domain}')}"),
        sequence,
    ]
    if isinstance(premiere.release, Weekly):
        lines.append(f"RRULE:FREQ=WEEKLY;COUNT={premiere.release.drops}")
    categories = _categories(show.tags if show else (), premiere.tags)
    if categories:
        lines.append(categories)
    lines.append(created)
    lines.append(_fold("DESCRIPTION:" + _text(description(show, premiere, removed))))
    image = premiere.image or (show.image if show else None)
    if image:
        lines.append(_fold("IMAGE;VALUE=URI:" + image))
    lines.append(modified)
    lines.append(_STATUS_LINES["CANCELLED" if removed else _STATUS[premiere.status]])
    url = premiere.url or (show.url if show else None)
    if url:
        lines.append(_fold("URL:" + url))
    if alarm is not None and not removed and premiere.status is not Status.CANCELLED:
        lines.append(_alarm(alarm, summary))
    lines.append("END:VEVENT\r\n")
    head = f"BEGIN:VEVENT\r\n{_fold('SUMMARY:' + summary)}\r\n"
    return head.encode("utf-8") + "\r\n".join(lines).encode("utf-8")


_STATUS_LINES = {status: f"STATUS:{status}\r\nTRANSP:TRANSPARENT" for status in _STATUS.values()}
_STATUS_LINES["CANCELLED"] = "STATUS:CANCELLED\r\nTRANSP:TRANSPARENT"
StampLines = tuple[str, str, str, str]
"""DTSTAMP, SEQUENCE, CREATED and LAST-MODIFIED, as ``stamp_lines`` writes them."""


def stamp_lines(stamp: Stamp) -> StampLines:
    """The lines a stamp gives, in UTC as RFC 5545 asks (and icalendar writes them:
    a moment without a zone is taken to be UTC). What is kept across builds is compared
    by these lines, not by the stamp."""
    modified, created = _utc(stamp.modified), _utc(stamp.created)
    return (
        _dated("DTSTAMP", modified),
        f"SEQUENCE:{stamp.sequence}",
        _dated("CREATED", created),
        _dated("LAST-MODIFIED", modified),
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@lru_cache(maxsize=4096)
def _categories(show_tags: tuple[str, ...], tags: tuple[str, ...]) -> str | None:
    """The CATEGORIES line: the show's tags, then the premiere's, once each."""
    merged = dict.fromkeys((*show_tags, *tags))
    return _fold("CATEGORIES:" + ",".join(_text(tag) for tag in merged)) if merged else None


def _alarm(before: timedelta, summary: str) -> str:
    """The VALARM; ``summary`` is escaped already."""
    description = _fold("DESCRIPTION:" + summary)
    return f"BEGIN:VALARM\r\nACTION:DISPLAY\r\n{description}\r\n{_trigger(before)}\r\nEND:VALARM"


@lru_cache(maxsize=256)
def _trigger(before: timedelta) -> str:
    return _fold("TRIGGER:" + vDuration(-before).to_ical().decode("ascii"))


def _start_end(start: date | datetime) -> str:
    """DTSTART and DTEND. Days are remembered, as many premieres share one; moments
    are nearly all different (and equal instants in two zones, though equal
    datetimes, are written differently), so they are written each time."""
    return _day_start_end(start) if start.__class__ is date else _write_start_end(start)


@lru_cache(maxsize=16_384)
def _day_start_end(day: date) -> str:
    return _write_start_end(day)


def _write_start_end(start: date | datetime) -> str:
    return _fold("DTSTART" + _value(start)) + "\r\n" + _fold("DTEND" + _value(end_of(start)))


@lru_cache(maxsize=4096)
def _dated(name: str, value: datetime) -> str:
    """A DATE-TIME property line for a moment in UTC."""
    return _fold(name + _value(value))


def _value(value: date | datetime) -> str:
    """Parameters and value of a DATE or DATE-TIME, from the ``;`` or ``:``."""
    if not isinstance(value, datetime):
        return ";VALUE=DATE:" + value.isoformat().replace("-", "")
    stamp = _STAMP % (value.year, value.month, value.day, value.hour, value.minute, value.second)
    key = getattr(value.tzinfo, "key", None)
    if key is None or key == "UTC":
        if value.utcoffset() != _ZERO:
            raise ValueError(f"not a UTC or IANA-zoned moment: {value!r}")
        return f":{stamp}Z"
    return f";TZID={key}:{stamp}"


def _text(value: str) -> str:
    """TEXT escaped as icalendar escapes it. Most text has nothing to escape; without
    a backslash or a carriage return, only three of its seven replacements can apply
    (looking for each character is quicker than a regular expression for any of them)."""
    if "\\" in value or "\r" in value:
        return _escape_char(value)
    return value.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """icalendar's folding, without its character-by-character loop for ASCII."""
    if len(line) <= _FOLD and (line.isascii() or len(line.encode("utf-8")) <= _FOLD):
        return line
    if not line.isascii():
        return _foldline(line)
    chunks, start = [], 0
    while len(line) - start > _FOLD:
        chunk = line[start : start + _FOLD]
        if chunk[-1] in "\\^":
            chunk = chunk[:-1]
        chunks.append(chunk)
        start += len(chunk)
    chunks.append(line[start:])
    return "\r\n ".join(chunks)
