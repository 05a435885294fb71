"""The date forms ``events.yaml`` accepts, parsed into the model's types.

``2026-01-23`` (a whole day), ``2026-01-23T21:00`` with a zone (a moment),
``2026-01-23T12:00Z`` or ``…+09:00`` (a moment at a UTC offset), ``2026``,
``2026-03`` or ``2026-Q1`` (partial), ``TBA``. Each parser returns the value or raises
``DateError`` with a message that shows the accepted forms.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from feeds.model import TBA, AllDay, PartialDate, Timed, When
from feeds.zones import UnknownZone, get_zone

FIRST_YEAR, LAST_YEAR = 1900, 2200
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(
    r"^(?P<local>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
DATE_FORMS = (
    "Use 2026-01-23 (a day), 2026-01-23T21:00 with 'zone', 2026-01-23T12:00Z or "
    "2026-01-23T21:00+09:00 (a moment), 2026, 2026-03 or 2026-Q1 (not yet exact), or TBA."
)
MOMENT_FORMS = "Use 2026-01-23T21:00 with 'zone', or 2026-01-23T12:00Z / 2026-01-23T21:00+09:00."


class DateError(ValueError):
    """A date the catalogue cannot use; the message says which forms are accepted."""


def parse_when(text: str, zone: str | None) -> When:
    """A premiere's ``date`` (with its optional ``zone``) as one of the model's forms."""
    text = text.strip()
    if text.upper() == "TBA":
        return TBA()
    if partial := _partial(text):
        return partial
    if _DAY.match(text):
        if zone is not None:
            _zone(zone)
        return AllDay(_day(text))
    if not _MOMENT.match(text):
        raise DateError(f"'{text}' is not a date. {DATE_FORMS}")
    start = parse_moment(text, zone)
    return Timed(start, zone if _MOMENT.match(text)["offset"] is None else None)


def parse_moment(text: str, zone: str | None) -> datetime:
    """An aware moment: local time with an IANA ``zone``, or a time with a UTC offset
    (returned in UTC). A time with neither is an error: we never guess a zone."""
    match = _MOMENT.match(text.strip())
    if match is None:
        raise DateError(f"'{text}' is not a date-time. {MOMENT_FORMS}")
    local = _local(match["local"].replace(" ", "T"))
    offset = match["offset"]
    if offset is not None and zone is not None:
        raise DateError(f"'{text}' has a UTC offset and a zone; give one of the two.")
    if offset is not None:
        return datetime.fromisoformat(match["local"] + _iso_offset(offset)).astimezone(UTC)
    if zone is None:
        raise DateError(
            f"'{text}' has no time zone. Add 'zone: Asia/Seoul' (any IANA "
            "zone) or an offset such as +09:00 or Z."
        )
    return _in_zone(local, zone, text)


def _partial(text: str) -> PartialDate | None:
    if match := _YEAR.match(text):
        return PartialDate(_year(match[1]))
    if match := _MONTH.match(text):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise DateError(f"'{text}' has no month {month}. {DATE_FORMS}")
        return PartialDate(_year(match[1]), month=month)
    if match := _QUARTER.match(text):
        return PartialDate(_year(match[1]), quarter=int(match[2]))
    return None


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(f"the year {year} is outside {FIRST_YEAR} to {LAST_YEAR}.")
    return year


def _day(text: str) -> date:
    return _parsed(date.fromisoformat, text, "a real date")


def _local(text: str) -> datetime:
    return _parsed(datetime.fromisoformat, text, "a real date and time")


def _parsed(parse, text: str, what: str):
    """``parse(text)``, with a year we accept; a ``DateError`` naming ``what`` if not."""
    try:
        value = parse(text)
    except ValueError:
        raise DateError(f"'{text}' is not {what}.") from None
    _year(str(value.year))
    return value


def _iso_offset(offset: str) -> str:
    if offset == "Z":
        return "+00:00"
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _zone(name: str):
    try:
        return get_zone(name)
    except UnknownZone:
        raise DateError(
            f"'{name}' is not an IANA time zone (such as Asia/Seoul or America/New_York)."
        ) from None


def _in_zone(local: datetime, zone: str, text: str) -> datetime:
    tz = _zone(zone)
    moment = local.replace(tzinfo=tz)
    round_trip = moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local:
        raise DateError(f"{text} does not exist in {zone}: the clocks skip it that day.")
    return moment
