"""Keeps the published state: checks the catalogue, rebuilds, and swaps in the result.

All published state is one immutable ``State``, replaced by a single assignment. A
check costs a ``stat`` when nothing changed; the file is read and hashed only when its
signature moves, and rebuilt only when its content did or a time boundary passed. A
catalogue that fails to load, or a history store that fails, never replaces the last
good snapshot: the error is kept in the state (and logged once) until the cause is
fixed, and the service heals by itself on the next check.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feeds import kept
from feeds.edition import Timeline, build_edition
from feeds.entry_reading import EntryMemo
from feeds.history import History, HistoryError
from feeds.loader import Loaded, collector_paused, parse_catalog, read_source
from feeds.problems import CatalogError, Problem
from feeds.settings import Settings
from feeds.store import Renderer, Snapshot

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class State:
    snapshot: Snapshot | None = None
    loaded: Loaded | None = None
    built_at: datetime | None = None
    next_boundary: datetime | None = None
    problems: tuple[Problem, ...] = ()
    failed_at: datetime | None = None

    @property
    def digest(self) -> str | None:
        return self.loaded.digest if self.loaded else None

    @property
    def status(self) -> str:
        if self.snapshot is None:
            return "unavailable"
        return "degraded" if self.problems else "ok"


class Publisher:
    def __init__(
        self,
        settings: Settings,
        renderers: dict[str, Renderer],
        history: History,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.renderers = renderers
        self.history = history
        self.clock = clock
        self.state = State()
        self._signature: tuple[int, ...] | None = None
        self._memo = EntryMemo()  # each entry's reading, so an edit re-reads one entry
        self._kept = kept.KeptCopy(settings.data_dir)
        self._lock = threading.Lock()

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild if the catalogue's content changed or a time boundary passed; return
        whether a new snapshot was published. Cheap when nothing changed."""
        now = self.clock()
        signature = _signature(self.settings.events_file)
        due = self.state.next_boundary is not None and now >= self.state.next_boundary
        if not (force or due or signature != self._signature):
            return False
        if not (force or due) and self._still_being_written(signature):
            return False
        with self._lock, collector_paused():
            self._signature = signature
            return self._rebuild(now, force or due)

    def _still_being_written(self, signature: tuple[int, ...] | None) -> bool:
        """The file changed within the last ``settle_seconds``: an editor may still be
        writing it, so leave it for the next check rather than publish half a save."""
        if signature is None:
            return False
        age = (time.time_ns() - signature[0]) / 1e9
        return 0 <= age < self.settings.settle_seconds

    def _rebuild(self, now: datetime, due: bool) -> bool:
        try:
            found = self._load(due)
            if found is None:
                return False
            loaded, data = found
            snapshot, next_boundary = self._build(loaded, now)
        except CatalogError as error:
            self._fail(error.problems, now)
            if self.state.snapshot is None:
                return self._start_from_kept_copy(now)
            return due and self._rebuild_last_good(now)
        except HistoryError as error:
            self._fail((Problem(str(self.settings.data_dir), None, None, str(error)),), now)
            self._signature = None  # the file did not change: retry on the next check
            return False
        self.state = State(snapshot, loaded, now, next_boundary)
        log.info("published catalogue %s as of %s", loaded.digest[:12], snapshot.edition.moment)
        self._kept.keep(data, loaded.digest)
        return True

    def _load(self, due: bool) -> tuple[Loaded, bytes] | None:
        """The catalogue on disk and its bytes, or ``None`` when it is the one already
        published."""
        data = read_source(self.settings.events_file, self.settings.max_bytes)
        digest = hashlib.sha256(data).hexdigest()
        if digest == self.state.digest and not due and not self.state.problems:
            return None
        if digest == self.state.digest and self.state.loaded is not None:
            return self.state.loaded, data
        name = Path(self.settings.events_file).name
        return parse_catalog(data, name, self._memo, digest=digest), data

    def _start_from_kept_copy(self, now: datetime) -> bool:
        """Nothing published yet and the file is broken: publish the last good copy
        (the problem stays reported until the file is fixed)."""
        try:
            loaded = parse_catalog(self._kept.read(), kept.FILENAME)
            snapshot, next_boundary = self._build(loaded, now)
        except (OSError, CatalogError, HistoryError):
            return False
        self.state = replace(
            self.state, snapshot=snapshot, loaded=loaded, built_at=now, next_boundary=next_boundary
        )
        log.warning(
            "serving the last good catalogue %s until the file is fixed", loaded.digest[:12]
        )
        return True

    def _rebuild_last_good(self, now: datetime) -> bool:
        """A time boundary passed while the file is broken: move the last good catalogue
        on in time (reminders still fall due) and keep reporting the problem."""
        if self.state.loaded is None:
            return False
        try:
            snapshot, next_boundary = self._build(self.state.loaded, now)
        except HistoryError:
            return False
        self.state = replace(
            self.state, snapshot=snapshot, built_at=now, next_boundary=next_boundary
        )
        return True

    def _build(self, loaded: Loaded, now: datetime) -> tuple[Snapshot, datetime]:
        catalog = loaded.catalog
        if self.settings.base_url:
            catalog = replace(
                catalog, calendar=replace(catalog.calendar, base_url=self.settings.base_url)
            )
        self.history.record(catalog.premieres, now)
        revisions = self.history.revisions()
        timeline = Timeline.of(catalog)
        moment = timeline.moment(now)
        retention = timedelta(days=self.settings.retention_days)
        edition = build_edition(catalog, revisions, moment, retention)
        last_modified = max([moment, *(r[-1].seen for r in revisions.values())])
        snapshot = Snapshot(
            edition, self.renderers, loaded.digest, last_modified, self.settings.variants
        )
        return snapshot, timeline.next_boundary(now)

    def _fail(self, problems: tuple[Problem, ...], now: datetime) -> None:
        if problems != self.state.problems:
            kept = "keeping the last good documents" if self.state.snapshot else "nothing to serve"
            log.error(
                "catalogue not published (%s):\n%s", kept, "\n".join(f"  {p}" for p in problems)
            )
        failed_at = self.state.failed_at if problems == self.state.problems else now
        self.state = replace(self.state, problems=problems, failed_at=failed_at)


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes when the file is edited or replaced, for the price of one stat."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode)
