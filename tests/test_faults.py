"""Faults on a live server's files: the last good documents stay served, /healthz says
what is wrong, the service heals by itself once the cause is gone, and no file it wrote
is ever half-written, even when the process is killed with SIGKILL."""

from __future__ import annotations

import errno
import gzip
import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import icalendar
import pytest
from lxml import etree

from feeds import export as export_module
from feeds.app import create_app
from feeds.cli import main as feeds_main
from feeds.export import file_name
from feeds.history import HistoryError, SqliteHistory
from feeds.publisher import Publisher
from feeds.renderers import RENDERERS
from service_fixtures import Clock, make_app, make_settings

PROJECT = Path(__file__).resolve().parent.parent
S2 = "all-of-us-are-dead-s2"
PATHS = ("/", "/calendar.ics", "/rss.xml", "/api/events")


class Service:
    """An app on its own files, with a history that gives up on a lock quickly."""

    def __init__(self, tmp_path: Path) -> None:
        self.settings = make_settings(tmp_path)
        self.store = self.settings.data_dir / "history.sqlite3"
        self.history = SqliteHistory(self.store, timeout=0.2)
        self.publisher = Publisher(self.settings, RENDERERS, self.history, clock=Clock())
        self.app = create_app(self.settings, publisher=self.publisher)
        self.client = self.app.test_client()
        self.good = self.settings.events_file.read_text(encoding="utf-8")

    def bodies(self) -> dict[str, bytes]:
        return {path: self.client.get(path).data for path in PATHS}

    def health(self) -> dict:
        return self.client.get("/healthz").get_json()

    def edit(self) -> None:
        """A good edit: Season 2 moves by two weeks."""
        self.write(self.good.replace("2026-01-23", "2026-02-06"))

    def write(self, text: str) -> None:
        self.settings.events_file.write_text(text, encoding="utf-8")


@pytest.fixture
def service(tmp_path):
    return Service(tmp_path)


# The catalogue file


def test_an_atomically_replaced_file_is_published(service, tmp_path):
    before = service.bodies()
    staged = tmp_path / "events.yaml.tmp"
    staged.write_text(service.good.replace("2026-01-23", "2026-02-06"), encoding="utf-8")
    os.replace(staged, service.settings.events_file)
    assert service.publisher.refresh() is True
    assert service.bodies()["/calendar.ics"] != before["/calendar.ics"]


def test_a_file_truncated_mid_write_keeps_the_last_good_documents(service):
    before = service.bodies()
    cut = service.good.index("status: confirmed") + len("status: conf")
    service.write(service.good[:cut])
    service.publisher.refresh()
    assert service.bodies() == before
    assert service.health()["status"] == "degraded"
    service.write(service.good)
    service.publisher.refresh()
    assert service.health()["status"] == "ok"


def test_a_deleted_then_restored_file_is_published_again(service):
    before = service.bodies()
    service.settings.events_file.unlink()
    service.publisher.refresh()
    assert service.bodies() == before
    service.edit()
    assert service.publisher.refresh() is True
    assert service.health()["status"] == "ok"


def test_an_unreadable_file_keeps_serving_and_heals_when_readable(service, monkeypatch):
    # Root reads any file whatever its mode, so the kernel's refusal is injected.
    events = str(service.settings.events_file)
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path) == events:
            raise PermissionError(errno.EACCES, "Permission denied", events)
        return real_open(path, *args, **kwargs)

    before = service.bodies()
    monkeypatch.setattr(os, "open", refusing_open)
    os.chmod(events, 0)
    service.publisher.refresh()
    assert service.bodies() == before
    assert "Permission denied" in service.health()["error"]["message"]
    monkeypatch.setattr(os, "open", real_open)
    os.chmod(events, 0o644)
    service.publisher.refresh()
    assert service.health()["status"] == "ok"


# The state store


HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_store_locked_by_another_process_degrades_then_heals_by_itself(service):
    before = service.bodies()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(service.store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline() == b"locked\n"
        service.edit()
        service.publisher.refresh()
        assert service.bodies() == before
        assert "locked" in service.health()["error"]["message"]
    finally:
        holder.communicate(b"", timeout=10)
    assert service.publisher.refresh() is True  # no edit needed: the lock is gone
    assert service.health()["status"] == "ok"
    assert service.bodies()["/calendar.ics"] != before["/calendar.ics"]


def test_a_corrupt_store_keeps_serving_and_heals_once_deleted(service):
    before = service.bodies()
    service.store.write_bytes(b"this is not a database" * 100)
    service.edit()
    service.publisher.refresh()
    assert service.bodies() == before
    assert "not a database" in service.health()["error"]["message"]
    service.store.unlink()
    assert service.publisher.refresh() is True
    assert service.health()["status"] == "ok"


def _immutable(*paths: Path, on: bool) -> None:
    for path in paths:
        if path.exists():
            subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True)


def test_a_read_only_store_keeps_serving_and_heals_when_writable(service):
    # chmod means nothing to root; the immutable attribute does.
    files = (service.store.parent, service.store)
    try:
        _immutable(*files, on=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("chattr +i is not available here")
    before = service.bodies()
    try:
        service.edit()
        service.publisher.refresh()
        assert service.bodies() == before
        assert "history.sqlite3" in service.health()["error"]["message"]
    finally:
        _immutable(*files, on=False)
    assert service.publisher.refresh() is True
    assert service.health()["status"] == "ok"


def test_a_full_data_directory_keeps_serving_and_heals_when_space_returns(service, monkeypatch):
    # SQLite's own "database or disk is full", made by capping the store's size.
    connect = SqliteHistory._connect

    def capped(self):
        closing = connect(self)
        pages = closing.connection.execute("PRAGMA page_count").fetchone()[0]
        closing.connection.execute(f"PRAGMA max_page_count={pages}")
        return closing

    before = service.bodies()
    monkeypatch.setattr(SqliteHistory, "_connect", capped)
    service.write(service.good.replace("premieres:\n", "premieres:\n" + _many(400), 1))
    service.publisher.refresh()
    assert service.bodies() == before
    assert "full" in service.health()["error"]["message"]
    monkeypatch.setattr(SqliteHistory, "_connect", connect)
    assert service.publisher.refresh() is True
    assert service.health()["status"] == "ok"


def _many(count: int) -> str:
    return "".join(
        f"  - {{id: extra-{n}, show: all-of-us-are-dead, title: Extra {n}, date: 2027-01-01, "
        "status: rumored}\n"
        for n in range(count)
    )


def _open_concurrently(path: str) -> str:
    try:
        SqliteHistory(path)
    except HistoryError as error:
        return str(error)
    return "ok"


def test_workers_starting_together_on_a_fresh_store_all_open_it(tmp_path):
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        for attempt in range(10):
            store = str(tmp_path / f"h{attempt}.sqlite3")
            assert pool.map(_open_concurrently, [store] * 4) == ["ok"] * 4


# The static export


def test_a_full_disk_during_an_export_keeps_the_old_site_and_says_so(tmp_path, monkeypatch, capsys):
    settings = make_settings(tmp_path)
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(settings.events_file))
    monkeypatch.setenv("FEEDS_DATA_DIR", str(settings.data_dir))
    site = tmp_path / "site"
    assert feeds_main(["build", str(site)]) == 0
    old = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    written = []
    write_bytes = Path.write_bytes

    def filling(self, data):
        written.append(self)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", filling)
    assert feeds_main(["build", str(site)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []


def test_an_export_never_leaves_the_site_missing_between_steps(tmp_path, monkeypatch):
    settings = make_settings(tmp_path)
    _app, publisher = make_app(settings)
    site = tmp_path / "site"
    export_module.export(publisher.state.snapshot, site)

    def crash(*args):
        raise SystemExit("killed")

    monkeypatch.setattr(export_module.os, "replace", crash)  # only a two-rename swap needs it
    export_module.export(publisher.state.snapshot, site)
    assert_complete_site(site)


# SIGKILL in the middle of a rebuild, a state write and an export

WORKER = textwrap.dedent(
    """
    import itertools, os, sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from feeds.app import open_history
    from feeds.export import export
    from feeds.publisher import Publisher
    from feeds.renderers import RENDERERS
    from feeds.settings import Settings

    events, data, site = map(Path, sys.argv[1:4])
    good = events.read_text(encoding="utf-8")
    versions = [good, good.replace("2026-01-23", "2026-02-06")]
    settings = Settings(events_file=events, data_dir=data, scheduler=False,
                        base_url="https://premieres.example")
    start = datetime(2026, 1, 10, tzinfo=UTC) + timedelta(days=int(sys.argv[4]))
    for n in itertools.count():
        staged = events.with_suffix(".tmp")
        staged.write_text(versions[n % 2], encoding="utf-8")
        os.replace(staged, events)
        clock = lambda: start + timedelta(minutes=n)
        publisher = Publisher(settings, RENDERERS, open_history(settings), clock=clock)
        publisher.refresh(force=True)
        export(publisher.state.snapshot, site)
        if n == 0:
            print("ready", flush=True)
    """
)


def assert_complete_site(site: Path) -> None:
    """Every document and its .gz, each whole, all from one catalogue version."""
    expected = {file_name(path) for path in RENDERERS}
    expected |= {name + ".gz" for name in expected}
    found = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    assert found == expected
    for name in expected - {n for n in expected if n.endswith(".gz")}:
        body = (site / name).read_bytes()
        assert gzip.decompress((site / (name + ".gz")).read_bytes()) == body, name
    api = json.loads((site / "api/events.json").read_bytes())
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    etree.fromstring((site / "rss.xml").read_bytes())
    etree.fromstring((site / "atom.xml").read_bytes())
    json.loads((site / "feed.json").read_bytes())
    day = next(p["date"]["date"] for p in api["premieres"] if p["id"] == S2)
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(S2 + "@"))
    assert event.decoded("DTSTART").isoformat() == day


def assert_consistent_store(store: Path) -> None:
    connection = sqlite3.connect(store)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = connection.execute(
            "SELECT premiere_id, group_concat(number) FROM "
            "(SELECT * FROM revisions ORDER BY premiere_id, number) GROUP BY premiere_id"
        ).fetchall()
    finally:
        connection.close()
    for premiere_id, numbers in rows:
        assert [int(n) for n in numbers.split(",")] == list(range(numbers.count(",") + 1)), (
            premiere_id
        )


def test_sigkill_at_random_moments_never_leaves_a_half_written_file(tmp_path):
    settings = make_settings(tmp_path)
    site = tmp_path / "site"
    chance = random.Random(8)
    for round_ in range(6):
        paths = (settings.events_file, settings.data_dir, site)
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, *map(str, paths), str(round_)],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
        )
        try:
            assert worker.stdout.readline() == b"ready\n"
            time.sleep(chance.uniform(0.0, 0.4))
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            worker.stdout.close()
        assert_complete_site(site)
        assert_consistent_store(settings.data_dir / "history.sqlite3")
    shutil.copy(PROJECT / "events.yaml", settings.events_file)
    app, _ = make_app(settings)
    assert all(app.test_client().get(path).status_code == 200 for path in PATHS)
