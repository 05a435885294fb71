"""The revision history: what each premiere looked like to subscribers, and since when.

Each premiere has numbered revisions; revision N is what the calendar publishes as
``SEQUENCE:N``. A revision stores the fields that matter to a subscriber (date and
zone, precision, status, title, release pattern, platform), their hash, and when the
change was first seen. Recording is idempotent and transactional: several workers
recording the same catalogue agree on one first-seen time and one sequence because
the first writer wins and everyone else reads what it wrote. Deleting the database
starts history afresh.

``SqliteHistory`` is the embedded engine (SQLite in WAL mode); anything offering
``record`` and ``revisions`` can stand in for it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

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

REMOVED = "removed"


@dataclass(frozen=True)
class Revision:
    premiere_id: str
    number: int
    digest: str
    seen: datetime
    premiere: Premiere | None  # None: removed from the catalogue in this revision


class History(Protocol):
    def record(self, premieres: Iterable[Premiere], now: datetime) -> None: ...

    def revisions(self) -> dict[str, list[Revision]]: ...


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


def _digest(fields: dict[str, object] | None) -> str:
    if fields is None:
        return REMOVED
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS revisions (
    premiere_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    digest TEXT NOT NULL,
    fields TEXT,
    seen TEXT NOT NULL,
    PRIMARY KEY (premiere_id, number)
) WITHOUT ROWID;
"""


class HistoryError(RuntimeError):
    """The history store cannot be read or written (locked, read-only, corrupt, full)."""


class SqliteHistory:
    """Revisions in one SQLite file, written in WAL mode, one transaction per record."""

    def __init__(self, path: str | Path, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._initialise()
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(f"{self.path}: {error}") from None

    def _initialise(self) -> None:
        """WAL mode and the table. Switching to WAL can fail at once with "database is
        locked" (SQLite's busy timeout does not cover it) while another worker starts on
        the same fresh store, so that is retried until ``timeout``."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                with self._connect() as connection:
                    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self) -> _Closing:
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        connection.execute("PRAGMA synchronous=NORMAL")
        return _Closing(connection)

    def record(self, premieres: Iterable[Premiere], now: datetime) -> None:
        """Record a revision for each premiere whose significant fields differ from its
        latest revision, and a removal for each premiere no longer present. A premiere
        whose latest revision already matches (another worker recorded it first) is
        left alone, so its first-seen time and sequence stay the first writer's."""
        current = {p.id: significant(p) for p in premieres}
        seen = now.astimezone(UTC).isoformat(timespec="seconds")
        try:
            with self._connect() as connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(_SCHEMA)  # the store may have been deleted since
                latest = self._latest(connection)
                rows = list(_new_rows(current, latest, seen))
                connection.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", rows)
                connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: {error}") from None

    @staticmethod
    def _latest(connection: sqlite3.Connection) -> dict[str, tuple[int, str]]:
        query = (
            "SELECT premiere_id, number, digest FROM revisions r WHERE number = "
            "(SELECT MAX(number) FROM revisions WHERE premiere_id = r.premiere_id)"
        )
        return {pid: (number, digest) for pid, number, digest in connection.execute(query)}

    def revisions(self) -> dict[str, list[Revision]]:
        """Every premiere's revisions, oldest first."""
        try:
            with self._connect() as connection:
                rows = connection.execute(
                    "SELECT premiere_id, number, digest, fields, seen FROM revisions "
                    "ORDER BY premiere_id, number"
                ).fetchall()
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: {error}") from None
        return _to_revisions(rows)


def _new_rows(current: dict[str, dict], latest: dict[str, tuple[int, str]], seen: str):
    for pid, fields in sorted(current.items()):
        digest = _digest(fields)
        number, last_digest = latest.get(pid, (-1, None))
        if digest != last_digest:
            yield pid, number + 1, digest, json.dumps(fields, sort_keys=True), seen
    for pid, (number, last_digest) in sorted(latest.items()):
        if pid not in current and last_digest != REMOVED:
            yield pid, number + 1, REMOVED, None, seen


def _to_revisions(rows: Iterable[tuple]) -> dict[str, list[Revision]]:
    history: dict[str, list[Revision]] = {}
    for pid, number, digest, fields, seen in rows:
        premiere = _decode_premiere(pid, json.loads(fields)) if fields else None
        revision = Revision(pid, number, digest, datetime.fromisoformat(seen), premiere)
        history.setdefault(pid, []).append(revision)
    return history


class _Closing:
    """A connection used as a context manager that closes it (sqlite3's own context
    manager only ends the transaction)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None and self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self.connection.close()


class MemoryHistory:
    """The same rules in memory: for tests and for ``feeds build`` without a store."""

    def __init__(self) -> None:
        self._rows: list[tuple[str, int, str, str | None, str]] = []

    def record(self, premieres: Iterable[Premiere], now: datetime) -> None:
        current = {p.id: significant(p) for p in premieres}
        latest: dict[str, tuple[int, str]] = {}
        for pid, number, digest, _fields, _seen in self._rows:
            latest[pid] = (number, digest)
        seen = now.astimezone(UTC).isoformat(timespec="seconds")
        self._rows.extend(_new_rows(current, latest, seen))

    def revisions(self) -> dict[str, list[Revision]]:
        return _to_revisions(sorted(self._rows))


def describe(revisions: list[Revision]) -> list[str]:
    """One line per revision: its number, when it was first seen and what changed."""
    lines = []
    previous: dict[str, object] | None = None
    for revision in revisions:
        fields = significant(revision.premiere) if revision.premiere else None
        when = revision.seen.isoformat(timespec="seconds")
        lines.append(f"#{revision.number}  {when}  {_difference(previous, fields)}")
        previous = fields
    return lines


def _difference(before: dict[str, object] | None, after: dict[str, object] | None) -> str:
    if after is None:
        return "removed from the catalogue"
    if before is None:
        return "first seen: " + ", ".join(f"{k} {_show(v)}" for k, v in after.items())
    changed = [k for k in after if after[k] != before.get(k)]
    return "; ".join(f"{k}: {_show(before.get(k))} -> {_show(after[k])}" for k in changed)


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "/".join(str(v) for v in value.values() if v is not None)
    return str(value)
