"""The real scheduler picks up edits by itself, and stops when asked."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from feeds.scheduler import Scheduler
from service_fixtures import Clock, make_app, make_settings

REFRESH = 0.1


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(REFRESH / 4)
    return False


def test_an_edit_is_served_within_a_couple_of_refresh_intervals(tmp_path):
    settings = make_settings(tmp_path, refresh_seconds=REFRESH)
    app, publisher = make_app(settings)
    scheduler = Scheduler(publisher, settings.refresh_seconds)
    scheduler.start()
    try:
        client = app.test_client()
        before = client.get("/rss.xml").headers["ETag"]
        text = settings.events_file.read_text(encoding="utf-8")
        settings.events_file.write_text(text.replace("Season 2\n", "Season Two\n", 1), "utf-8")
        saved = time.monotonic()
        assert wait_for(lambda: client.get("/rss.xml").headers["ETag"] != before)
        assert time.monotonic() - saved < 10 * REFRESH + 1
    finally:
        scheduler.shutdown()


def test_the_factory_starts_no_scheduler_when_switched_off(tmp_path):
    app, _ = make_app(make_settings(tmp_path, scheduler=False))
    assert "feeds.scheduler" not in app.extensions


def test_the_boundary_job_is_planned_at_the_next_boundary(tmp_path):
    _, publisher = make_app(make_settings(tmp_path), Clock(datetime.now(UTC)))
    scheduler = Scheduler(publisher, 60)
    scheduler.start()
    try:
        assert scheduler.planned_boundary == publisher.state.next_boundary
    finally:
        scheduler.shutdown()
