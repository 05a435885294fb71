"""IANA time zones from the bundled ``tzdata`` package, never the host's database.

Documents must be byte-identical on every machine, and VTIMEZONE blocks and reminder
moments depend on the zone rules; the host's ``/usr/share/zoneinfo`` differs from
machine to machine, the pinned ``tzdata`` wheel does not.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from io import BytesIO
from zoneinfo import ZoneInfo

import tzdata


class UnknownZone(ValueError):
    """The name is not an IANA time zone known to the bundled database."""


@cache
def get_zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (``Asia/Seoul``), read from the ``tzdata`` package."""
    data = zone_file(name)
    try:
        return ZoneInfo.from_file(BytesIO(data), key=name)
    except ValueError as error:
        raise UnknownZone(name) from error


def zone_file(name: str) -> bytes:
    """The zone's TZif data as the ``tzdata`` package ships it."""
    if name not in zone_names():
        raise UnknownZone(name)
    resource = resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    try:
        return resource.read_bytes()
    except OSError as error:
        raise UnknownZone(name) from error


@cache
def zone_names() -> frozenset[str]:
    """Every zone name the bundled database knows."""
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip())


def database_version() -> str:
    return tzdata.IANA_VERSION
