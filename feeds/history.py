"""The revision history: what each premiere looked like to subscribers, and since when.

Each premiere has numbered revisions (``feeds.revision``); revision N is what the
calendar publishes as ``SEQUENCE:N``. Recording is idempotent and transactional:
several workers recording the same catalogue agree on one first-seen time and one
sequence because the first writer wins and everyone else reads what it wrote.
Deleting the database starts history afresh.

``SqliteHistory`` is the embedded engine (SQLite in WAL mode). It keeps a mirror of
the store in memory (a ``feeds.ledger.Ledger``, which is all ``MemoryHistory`` is) and
catches up with other writers through a journal: every stored revision gets a rising
generation number (a trigger writes it, whoever inserts), and the store a random token,
new whenever the file is new. So a rebuild reads only the revisions written since its
last look, hashes only the premieres whose significant fields changed, and writes only
their new revisions. Anything offering ``record`` and ``revisions`` can stand in for it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Protocol

from feeds.ledger import Ledger, Row
from feeds.model import Premiere
from feeds.revision import Revision, significant

__all__ = ["History", "HistoryError", "MemoryHistory", "Revision", "SqliteHistory", "describe"]


class History(Protocol):
    def record(self, premieres: Iterable[Premiere], now: datetime) -> None: ...

    def revisions(self) -> dict[str, list[Revision]]: ...


_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS revisions (
        premiere_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        digest TEXT NOT NULL,
        fields TEXT,
        seen TEXT NOT NULL,
        PRIMARY KEY (premiere_id, number)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS journal (
        generation INTEGER PRIMARY KEY,
        premiere_id TEXT NOT NULL,
        number INTEGER NOT NULL
    )""",
    """CREATE TRIGGER IF NOT EXISTS journal_revisions AFTER INSERT ON revisions BEGIN
        INSERT INTO journal (premiere_id, number) VALUES (new.premiere_id, new.number);
    END""",
    "CREATE TABLE IF NOT EXISTS store (id INTEGER PRIMARY KEY CHECK (id = 0), token TEXT)",
    "INSERT OR IGNORE INTO store VALUES (0, lower(hex(randomblob(16))))",
)
_INSERT = "INSERT INTO revisions VALUES (?, ?, ?, ?, ?)"
_BATCH = 100  # rows per statement of _INSERT_BATCH
_INSERT_BATCH = "INSERT INTO revisions VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * _BATCH)
_ALL = (
    "SELECT premiere_id, number, digest, fields, seen FROM revisions ORDER BY premiere_id, number"
)
_SINCE = (
    "SELECT j.generation, r.premiere_id, r.number, r.digest, r.fields, r.seen "
    "FROM journal j JOIN revisions r ON r.premiere_id = j.premiere_id AND r.number = j.number "
    "WHERE j.generation > ? ORDER BY j.generation"
)
_LAST_GENERATION = "SELECT COALESCE(MAX(generation), 0) FROM journal"


class HistoryError(RuntimeError):
    """The history store cannot be read or written (locked, read-only, corrupt, full)."""


class SqliteHistory:
    """Revisions in one SQLite file, written in WAL mode, one transaction per record."""

    def __init__(self, path: str | Path, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._ledger = Ledger()
        self._token: str | None = None  # the store the mirror holds; None: none yet
        self._generation = 0  # the journal's last generation the mirror holds
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._initialise()
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(f"{self.path}: {error}") from None

    def _initialise(self) -> None:
        """WAL mode and the tables. Switching to WAL can fail at once with "database is
        locked" (SQLite's busy timeout does not cover it) while another worker starts on
        the same fresh store, so that is retried until ``timeout``."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                with self._connect() as connection:
                    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        connection.execute("PRAGMA journal_mode=WAL")
                    if not _has_schema(connection):  # a complete store may be read-only
                        connection.execute("BEGIN IMMEDIATE")
                        _create_schema(connection)
                        connection.execute("COMMIT")
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
        seen = _timestamp(now)
        with self._guarded():
            with self._connect() as connection:
                connection.execute("BEGIN IMMEDIATE")
                _create_schema(connection)  # the store may have been deleted since
                self._catch_up(connection)
                rows = self._ledger.changes(premieres, seen)
                _insert(connection, rows)
                generation = connection.execute(_LAST_GENERATION).fetchone()[0]
                connection.execute("COMMIT")
            self._ledger.add(rows)
            self._generation = generation

    def revisions(self) -> dict[str, list[Revision]]:
        """Every premiere's revisions, oldest first."""
        with self._guarded():
            with self._connect() as connection:
                connection.execute("BEGIN")
                self._catch_up(connection)
                connection.execute("COMMIT")
            return dict(self._ledger.revisions)

    def _catch_up(self, connection: sqlite3.Connection) -> None:
        """Bring the mirror up to date: the revisions written since it last looked, or
        the whole store when it is another store than the one the mirror holds."""
        token = connection.execute("SELECT token FROM store").fetchone()
        if token is None or token[0] != self._token:
            self._ledger.clear()
            self._generation = connection.execute(_LAST_GENERATION).fetchone()[0]
            self._ledger.add(connection.execute(_ALL))
            self._token = token[0] if token else None
            return
        rows = connection.execute(_SINCE, (self._generation,)).fetchall()
        self._ledger.add(row[1:] for row in rows)
        self._generation = rows[-1][0] if rows else self._generation

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """One call at a time; a ``sqlite3.Error`` becomes a ``HistoryError`` naming the
        store. After any failure the mirror may not match the store, so the next call
        reads the store whole."""
        with self._lock:
            try:
                yield
            except BaseException as error:
                self._token = None
                if isinstance(error, sqlite3.Error):
                    raise HistoryError(f"{self.path}: {error}") from None
                raise


def _has_schema(connection: sqlite3.Connection) -> bool:
    names = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    if not {"revisions", "journal", "journal_revisions", "store"} <= names:
        return False
    return connection.execute("SELECT COUNT(*) FROM store").fetchone()[0] == 1


def _create_schema(connection: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        connection.execute(statement)


def _insert(connection: sqlite3.Connection, rows: list[Row]) -> None:
    """Insert ``rows`` in order, a hundred to a statement where there are that many: a
    first recording inserts a row per premiere, and SQLite does a fifth less work
    running one statement per hundred rows than one per row (the journal's trigger
    still fires for each row, in the same order)."""
    batched = len(rows) - len(rows) % _BATCH
    values = list(chain.from_iterable(rows[:batched]))
    width = 5 * _BATCH
    connection.executemany(
        _INSERT_BATCH, (values[start : start + width] for start in range(0, len(values), width))
    )
    connection.executemany(_INSERT, rows[batched:])


def _timestamp(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="seconds")


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
        self._ledger = Ledger()

    def record(self, premieres: Iterable[Premiere], now: datetime) -> None:
        self._ledger.add(self._ledger.changes(premieres, _timestamp(now)))

    def revisions(self) -> dict[str, list[Revision]]:
        return dict(self._ledger.revisions)


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
