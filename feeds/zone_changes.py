"""Where in a span of time a zone can change offset, DST flag or abbreviation, read
from its TZif data.

``feeds.vtimezone`` finds a zone's transitions by asking ``zoneinfo`` the state at the
start and end of each day, and bisecting the days whose two answers differ. Asking for
every day of every year costs two conversions a day; the zone's own data says which
days can differ: those holding a transition the TZif file lists, and, after the last of
those, the days the yearly rule in its footer (a POSIX TZ string such as
``CET-1CEST,M3.5.0,M10.5.0/3``) names. So only those days are asked about, and the
answer is still ``zoneinfo``'s own. The rule's days are taken with a day's margin either
side (the rule gives local time, the days run in UTC), and the first and last day of
the span are always included (``zoneinfo`` reads a rule by the UTC year). A footer rule
in a form other than ``Mm.w.d`` (none in the current database) means every day.
"""

from __future__ import annotations

import calendar
import struct
from collections.abc import Sequence
from datetime import date
from functools import cache

from feeds.zones import zone_file

DAY = 86_400
_EPOCH = date(1970, 1, 1).toordinal()
_HEADER = struct.Struct(">4sc15x6l")

Rule = tuple[int, int, int, int]
"""A footer rule ``Mm.w.d/time``: month, week (5 = last), weekday (0 = Sunday), and
the local time of day in seconds (negative, or past 24 hours, in some zones)."""


def days_to_check(zone_name: str, start: int, end: int) -> Sequence[int]:
    """The starts of the days ``start + k * DAY`` before ``end`` in which the zone's
    state may change (within ``(day start, day end]``), in order."""
    listed, rules = _zone_data(zone_name)
    if rules is None:
        return range(start, end, DAY)
    last = (end - start - 1) // DAY
    days = {0, last}
    days.update((moment - start - 1) // DAY for moment in listed if start < moment <= end)
    first_year = date.fromordinal(_EPOCH + start // DAY).year
    for year in range(first_year - 1, first_year + (end - start) // (365 * DAY) + 2):
        for rule in rules:
            guess = _rule_moment(rule, year)
            days.update((guess + shift - start - 1) // DAY for shift in (-DAY, 0, DAY))
    return [start + k * DAY for k in sorted(days) if 0 <= k <= last]


@cache
def _zone_data(zone_name: str) -> tuple[tuple[int, ...], tuple[Rule, ...] | None]:
    """The listed transition times, and the footer's rules (``None``: unreadable)."""
    listed, footer = _read_tzif(zone_file(zone_name))
    _, _, rest = footer.partition(",")
    if not rest:
        return listed, ()
    rules = [_rule(text) for text in rest.split(",")]
    return listed, None if None in rules else tuple(rules)


def _read_tzif(data: bytes) -> tuple[tuple[int, ...], str]:
    """The transition times (seconds since the epoch) and the footer of a TZif file,
    from its 64-bit part when it has one."""
    magic, version, *counts = _HEADER.unpack_from(data)
    if magic != b"TZif":
        raise ValueError("not TZif data")
    if version == b"\x00":
        return struct.unpack_from(f">{counts[3]}l", data, _HEADER.size), ""
    offset = _HEADER.size + _block_size(counts, 4)
    _, _, *counts = _HEADER.unpack_from(data, offset)
    offset += _HEADER.size
    times = struct.unpack_from(f">{counts[3]}q", data, offset)
    footer = data[offset + _block_size(counts, 8) :].strip(b"\n").decode("ascii")
    return times, footer


def _block_size(counts: list[int], width: int) -> int:
    is_ut, is_std, leaps, times, types, chars = counts
    return times * (width + 1) + types * 6 + chars + leaps * (width + 4) + is_std + is_ut


def _rule(text: str) -> Rule | None:
    if not text.startswith("M"):
        return None
    day, _, clock = text[1:].partition("/")
    month, week, weekday = (int(part) for part in day.split("."))
    return month, week, weekday, _seconds(clock) if clock else 7200


def _seconds(clock: str) -> int:
    sign = -1 if clock.startswith("-") else 1
    hours, minutes, seconds = ([int(part) for part in clock.lstrip("+-").split(":")] + [0, 0])[:3]
    return sign * (hours * 3600 + minutes * 60 + seconds)


def _rule_moment(rule: Rule, year: int) -> int:
    """The rule's day and time in ``year``, read as if it were UTC."""
    month, week, weekday, seconds = rule
    first, length = calendar.monthrange(year, month)
    day = (weekday - first - 1) % 7 + 1 + (week - 1) * 7
    if day > length:
        day -= 7
    return (date(year, month, day).toordinal() - _EPOCH) * DAY + seconds
