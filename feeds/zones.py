"""IANA time zones from the bundled ``tzdata`` package, never the host's database.

Documents must be byte-identical on every machine, and VTIMEZONE blocks and reminder
moments depend on the zone rules; the host's ``/usr/share/zoneinfo`` differs from
machine to machine, the pinned ``tzdata`` wheel does not.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import tzdata


class UnknownZone(ValueError):
    """The name is not an IANA time zone known to the bundled database."""


@cache
def get_zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (``Asia/Seoul``), read from the ``tzdata`` package."""
    if name not in zone_names():
        raise UnknownZone(name)
    parts = name.split("/")
    resource = resources.files("tzdata").joinpath("zoneinfo", *parts)
    try:
        with resource.open("rb") as handle:
            return ZoneInfo.from_file(handle, key=name)
    except (OSError, ValueError) as error:
        raise UnknownZone(name) from error


@cache
def zone_names() -> frozenset[str]:
    """Every zone name the bundled database knows."""
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip())


def database_version() -> str:
    return tzdata.IANA_VERSION
