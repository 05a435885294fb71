"""Revisions: what a premiere looked like to subscribers, and since when.

A revision stores the fields that matter to a subscriber (date and zone, precision,
status, title, release pattern, platform) as JSON, their hash (what stores compare),
and when the change was first seen; the ``Premiere`` it describes is decoded from that
JSON on first use, so holding every premiere's revisions costs no decoding.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from json.encoder import encode_basestring_ascii as _string

from feeds.model import (
    TBA,
    AllAtOnce,
    AllDay,
    PartialDate,
    Premiere,
    Release,
    Status,
    Timed,
    Weekly,
    When,
)
from feeds.zones import get_zone

REMOVED = "removed"  # the digest of a removal


@dataclass(frozen=True, init=False)
class Revision:
    premiere_id: str
    number: int
    digest: str
    seen: datetime
    fields: str | None  # the significant fields as JSON; None: removed in this revision

    def __init__(
        self, premiere_id: str, number: int, digest: str, seen: datetime, fields: str | None
    ) -> None:
        """Fills the instance's ``__dict__`` in one call: a frozen dataclass's own
        ``__init__`` calls ``object.__setattr__`` once per field, which takes twice as
        long, and a first recording makes a revision for every premiere."""
        vars(self).update(
            premiere_id=premiere_id, number=number, digest=digest, seen=seen, fields=fields
        )

    @property
    def removed(self) -> bool:
        return self.fields is None

    @cached_property
    def premiere(self) -> Premiere | None:
        """The premiere as this revision saw it (its significant fields only), or
        ``None`` when it was removed from the catalogue in this revision."""
        if self.fields is None:
            return None
        return _decode_premiere(self.premiere_id, json.loads(self.fields))


def significant(premiere: Premiere) -> dict[str, object]:
    """The fields whose change a subscriber is told about, as plain JSON values."""
    return {
        "show": premiere.show,
        "title": premiere.title,
        "when": _encode_when(premiere.when),
        "status": premiere.status.value,
        "release": _encode_release(premiere.release),
        "platform": premiere.platform,
    }


def encode(premiere: Premiere) -> tuple[str, str]:
    """The significant fields as stored, and their digest: exactly the compact,
    key-sorted ``json.dumps`` of ``significant(premiere)`` and its SHA-256 (stores
    compare digests, so they must never change), written directly because this runs
    for every premiere of a catalogue the first time it is recorded."""
    text = (
        f'{{"platform":{_text(premiere.platform)},"release":{_release_json(premiere.release)},'
        f'"show":{_string(premiere.show)},"status":{_STATUS_JSON[premiere.status]},'
        f'"title":{_string(premiere.title)},"when":{_when_json(premiere.when)}}}'
    )
    return text, hashlib.sha256(text.encode()).hexdigest()


_STATUS_JSON = {status: _string(status.value) for status in Status}


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _number(value: int | None) -> str:
    if value is None:
        return "null"
    return str(value) if type(value) is int else json.dumps(value)


def _when_json(when: When) -> str:
    """ISO dates and times are plain ASCII letters, digits and signs: JSON strings as
    they are, between quotes."""
    if isinstance(when, AllDay):
        return f'{{"day":"{when.day.isoformat()}"}}'
    if isinstance(when, Timed):
        return f'{{"start":"{when.start.isoformat()}","zone":{_text(when.zone)}}}'
    if isinstance(when, PartialDate):
        return (
            f'{{"month":{_number(when.month)},"quarter":{_number(when.quarter)},'
            f'"year":{_number(when.year)}}}'
        )
    return '{"tba":true}'


def _release_json(release: Release | None) -> str:
    if isinstance(release, Weekly):
        episodes, per_drop = _number(release.episodes), _number(release.per_drop)
        return f'{{"episodes":{episodes},"pattern":"weekly","per_drop":{per_drop}}}'
    if isinstance(release, AllAtOnce):
        return f'{{"episodes":{_number(release.episodes)},"pattern":"all-at-once"}}'
    return "null"


def _encode_when(when: When) -> dict[str, object]:
    if isinstance(when, AllDay):
        return {"day": when.day.isoformat()}
    if isinstance(when, Timed):
        return {"start": when.start.isoformat(), "zone": when.zone}
    if isinstance(when, PartialDate):
        return {"year": when.year, "month": when.month, "quarter": when.quarter}
    return {"tba": True}


def _decode_when(data: dict) -> When:
    if "day" in data:
        return AllDay(date.fromisoformat(data["day"]))
    if "start" in data:
        start = datetime.fromisoformat(data["start"])
        zone = data["zone"]
        return Timed(start.astimezone(get_zone(zone)) if zone else start.astimezone(UTC), zone)
    if "year" in data:
        return PartialDate(data["year"], data["month"], data["quarter"])
    return TBA()


def _encode_release(release: Release | None) -> dict[str, object] | None:
    if isinstance(release, Weekly):
        return {"pattern": "weekly", "episodes": release.episodes, "per_drop": release.per_drop}
    if isinstance(release, AllAtOnce):
        return {"pattern": "all-at-once", "episodes": release.episodes}
    return None


def _decode_release(data: dict | None) -> Release | None:
    if data is None:
        return None
    if data["pattern"] == "weekly":
        return Weekly(data["episodes"], data["per_drop"])
    return AllAtOnce(data["episodes"])


def _decode_premiere(premiere_id: str, data: dict) -> Premiere:
    return Premiere(
        id=premiere_id,
        show=data["show"],
        title=data["title"],
        when=_decode_when(data["when"]),
        status=Status(data["status"]),
        release=_decode_release(data["release"]),
        platform=data["platform"],
    )
