"""The revision store: first writer wins, sequences only rise, removals are recorded."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from catalogs import sample_catalog
from feeds import history as history_module
from feeds.history import HistoryError, MemoryHistory, SqliteHistory
from feeds.model import AllDay, Status
from feeds.revision import encode, significant

T1 = datetime(2026, 1, 1, 9, tzinfo=UTC)
T2 = datetime(2026, 1, 2, 9, tzinfo=UTC)
T3 = datetime(2026, 1, 3, 9, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "memory"])
def history(request, tmp_path):
    return SqliteHistory(tmp_path / "h.db") if request.param == "sqlite" else MemoryHistory()


def premieres():
    return list(sample_catalog().premieres)


def moved(items, premiere_id="zs-s2", day=date(2026, 2, 6)):
    return [replace(p, when=AllDay(day)) if p.id == premiere_id else p for p in items]


def test_the_first_record_gives_every_premiere_revision_0(history):
    history.record(premieres(), T1)
    revisions = history.revisions()
    assert {pid: [r.number for r in revs] for pid, revs in revisions.items()} == {
        p.id: [0] for p in premieres()
    }
    assert revisions["zs-s2"][0].seen == T1


def test_recording_the_same_catalogue_again_changes_nothing(history):
    history.record(premieres(), T1)
    history.record(premieres(), T2)
    assert all(len(revs) == 1 and revs[0].seen == T1 for revs in history.revisions().values())


def test_a_moved_date_adds_a_revision_first_seen_at_that_time(history):
    history.record(premieres(), T1)
    history.record(moved(premieres()), T2)
    revs = history.revisions()["zs-s2"]
    assert [(r.number, r.seen) for r in revs] == [(0, T1), (1, T2)]
    assert revs[1].premiere.when == AllDay(date(2026, 2, 6))


def test_a_description_edit_is_not_a_revision(history):
    history.record(premieres(), T1)
    edited = [replace(p, description="Typo fixed.") for p in premieres()]
    history.record(edited, T2)
    assert len(history.revisions()["zs-s2"]) == 1


def test_a_removed_premiere_gets_a_removal_revision_once(history):
    history.record(premieres(), T1)
    remaining = [p for p in premieres() if p.id != "zs-s2"]
    history.record(remaining, T2)
    history.record(remaining, T3)
    revs = history.revisions()["zs-s2"]
    assert [(r.number, r.premiere is None) for r in revs] == [(0, False), (1, True)]


def test_a_premiere_that_comes_back_continues_its_sequence(history):
    history.record(premieres(), T1)
    history.record([p for p in premieres() if p.id != "zs-s2"], T2)
    history.record(premieres(), T3)
    assert [r.number for r in history.revisions()["zs-s2"]] == [0, 1, 2]


def test_a_reopened_store_keeps_its_sequences(tmp_path):
    SqliteHistory(tmp_path / "h.db").record(premieres(), T1)
    SqliteHistory(tmp_path / "h.db").record(moved(premieres()), T2)
    revs = SqliteHistory(tmp_path / "h.db").revisions()["zs-s2"]
    assert [r.number for r in revs] == [0, 1]


def _record_in_another_process(path: str, seen: datetime) -> None:
    SqliteHistory(path).record(moved(premieres()), seen)


def test_two_processes_recording_the_same_change_agree_on_the_first_writer(tmp_path):
    path = str(tmp_path / "h.db")
    SqliteHistory(path).record(premieres(), T1)
    context = multiprocessing.get_context("spawn")
    first = context.Process(target=_record_in_another_process, args=(path, T2))
    first.start()
    first.join()
    second = context.Process(target=_record_in_another_process, args=(path, T3))
    second.start()
    second.join()
    revs = SqliteHistory(path).revisions()["zs-s2"]
    assert [(r.number, r.seen) for r in revs] == [(0, T1), (1, T2)]


def test_a_store_locked_by_another_writer_raises_a_history_error(tmp_path):
    store = SqliteHistory(tmp_path / "h.db", timeout=0.1)
    blocker = sqlite3.connect(tmp_path / "h.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked"):
            store.record(premieres(), T1)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_corrupt_store_raises_a_history_error(tmp_path):
    (tmp_path / "h.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError):
        SqliteHistory(tmp_path / "h.db").record(premieres(), T1)


def test_a_status_change_is_a_revision(history):
    history.record(premieres(), T1)
    confirmed = [replace(p, status=Status.CONFIRMED) if p.id == "sc-s1" else p for p in premieres()]
    history.record(confirmed, T2)
    assert history.revisions()["sc-s1"][1].premiere.status is Status.CONFIRMED


# The mirror: each SqliteHistory keeps the store in memory and catches up through the
# journal, so these check that what it hands out is what the file holds.


def rows_in(path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
    finally:
        connection.close()


def numbers_and_times(history, premiere_id="zs-s2"):
    return [(r.number, r.seen) for r in history.revisions()[premiere_id]]


def test_two_histories_on_one_file_each_see_the_others_writes(tmp_path):
    first, second = SqliteHistory(tmp_path / "h.db"), SqliteHistory(tmp_path / "h.db")
    first.record(premieres(), T1)
    assert second.revisions() == first.revisions()
    second.record(moved(premieres()), T2)
    assert numbers_and_times(first) == [(0, T1), (1, T2)]
    first.record(moved(premieres()), T3)  # the same edit, seen later: the first writer's stays
    assert numbers_and_times(first) == numbers_and_times(second) == [(0, T1), (1, T2)]
    assert rows_in(tmp_path / "h.db") == len(premieres()) + 1


def test_a_rebuild_writes_only_the_changed_premieres(tmp_path):
    history = SqliteHistory(tmp_path / "h.db")
    history.record(premieres(), T1)
    assert rows_in(tmp_path / "h.db") == len(premieres())
    history.record(moved(premieres()), T2)
    history.record(moved(premieres()), T3)
    assert rows_in(tmp_path / "h.db") == len(premieres()) + 1


def test_a_store_deleted_under_a_running_history_starts_afresh(tmp_path):
    history = SqliteHistory(tmp_path / "h.db")
    history.record(premieres(), T1)
    history.record(moved(premieres()), T2)
    for name in ("h.db", "h.db-wal", "h.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    history.record(moved(premieres()), T3)
    assert {
        pid: [(r.number, r.seen) for r in revs] for pid, revs in history.revisions().items()
    } == {p.id: [(0, T3)] for p in premieres()}


def test_a_revision_written_by_other_code_is_seen(tmp_path):
    """An older version still running on the same store inserts rows its own way."""
    history = SqliteHistory(tmp_path / "h.db")
    history.record(premieres(), T1)
    history.revisions()
    fields, digest = encode(next(p for p in moved(premieres()) if p.id == "zs-s2"))
    connection = sqlite3.connect(tmp_path / "h.db")
    with connection:
        row = ("zs-s2", 1, digest, fields, T2.isoformat())
        connection.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", row)
    connection.close()
    assert numbers_and_times(history) == [(0, T1), (1, T2)]
    history.record(moved(premieres()), T3)
    assert rows_in(tmp_path / "h.db") == len(premieres()) + 1


def test_a_store_written_before_the_journal_keeps_its_revisions(tmp_path):
    connection = sqlite3.connect(tmp_path / "h.db")
    with connection:
        connection.execute(
            "CREATE TABLE revisions (premiere_id TEXT NOT NULL, number INTEGER NOT NULL, "
            "digest TEXT NOT NULL, fields TEXT, seen TEXT NOT NULL, "
            "PRIMARY KEY (premiere_id, number)) WITHOUT ROWID"
        )
        for premiere in premieres():  # fields as that version wrote them, digest as ever
            fields = json.dumps(significant(premiere), sort_keys=True)
            digest = encode(premiere)[1]
            row = (premiere.id, 0, digest, fields, T1.isoformat())
            connection.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?)", row)
    connection.close()
    history = SqliteHistory(tmp_path / "h.db")
    history.record(premieres(), T2)
    assert rows_in(tmp_path / "h.db") == len(premieres())
    season_2 = next(p for p in premieres() if p.id == "zs-s2")
    assert history.revisions()["zs-s2"][0].premiere.when == season_2.when


def test_a_write_that_fails_halfway_leaves_no_trace_in_the_mirror(tmp_path, monkeypatch):
    history = SqliteHistory(tmp_path / "h.db")
    history.record(premieres(), T1)
    monkeypatch.setattr(history_module, "_INSERT", "INSERT INTO nowhere VALUES (?, ?, ?, ?, ?)")
    with pytest.raises(HistoryError, match="nowhere"):
        history.record(moved(premieres()), T2)
    assert numbers_and_times(history) == [(0, T1)]
    monkeypatch.undo()
    history.record(moved(premieres()), T3)
    assert numbers_and_times(history) == [(0, T1), (1, T3)]


def test_a_store_another_writer_holds_can_be_opened_and_read(tmp_path):
    """``feeds history`` while a worker writes: opening a complete store writes nothing."""
    SqliteHistory(tmp_path / "h.db").record(premieres(), T1)
    blocker = sqlite3.connect(tmp_path / "h.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        history = SqliteHistory(tmp_path / "h.db", timeout=0.1)
        assert numbers_and_times(history) == [(0, T1)]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def contents(path) -> dict[str, list]:
    """Everything a store holds but its random token; the schema in any order."""
    connection = sqlite3.connect(path)
    try:
        return {
            "schema": sorted(
                connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            ),
            "revisions": connection.execute("SELECT * FROM revisions ORDER BY 1, 2").fetchall(),
            "journal": connection.execute("SELECT * FROM journal ORDER BY generation").fetchall(),
        }
    finally:
        connection.close()


def test_the_journal_numbers_writes_in_the_order_they_were_made(tmp_path):
    items = premieres()  # not in id order: the journal follows the catalogue's order
    history = SqliteHistory(tmp_path / "h.db")
    history.record(items, T1)
    history.record(moved(items), T2)
    journal = contents(tmp_path / "h.db")["journal"]
    assert [pid for _, pid, _ in journal[: len(items)]] == [p.id for p in items]
    assert journal[-1] == (len(items) + 1, "zs-s2", 1)


def test_a_catalogue_of_several_hundred_is_stored_as_one_row_at_a_time_would_be(tmp_path):
    first = premieres()[0]
    items = [replace(first, id=f"p{n:03d}", title=f"Part {n}") for n in reversed(range(250))]
    history = SqliteHistory(tmp_path / "h.db")
    history.record(items, T1)
    stored = contents(tmp_path / "h.db")
    assert stored["journal"] == [(n, p.id, 0) for n, p in enumerate(items, start=1)]
    expected = [(p.id, 0, encode(p)[1], encode(p)[0], T1.isoformat()) for p in items]
    assert stored["revisions"] == sorted(expected)
    assert [r.number for revs in history.revisions().values() for r in revs] == [0] * 250
