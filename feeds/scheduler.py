"""Background work: pick up edits and time boundaries without a request asking.

Two jobs on an APScheduler ``BackgroundScheduler``: an interval job that checks the
catalogue (a ``stat`` when nothing changed) and a date job at the next time boundary
(a reminder falling due, midnight), moved after every build. Both coalesce and never
overlap. Several processes each running their own scheduler is harmless: builds are
pure and the history store makes them agree, so every worker serves the same bytes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from feeds.publisher import Publisher

log = logging.getLogger(__name__)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


class Scheduler:
    def __init__(self, publisher: Publisher, refresh_seconds: float) -> None:
        self.publisher = publisher
        self.refresh_seconds = refresh_seconds
        self._scheduler = BackgroundScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
        self._planned: datetime | None = None

    def start(self) -> None:
        self._scheduler.add_job(
            self._check, "interval", seconds=self.refresh_seconds, id="check-catalogue"
        )
        self._plan_boundary()
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @property
    def planned_boundary(self):
        """When the time-boundary job will next run (``None`` if none is planned)."""
        job = self._scheduler.get_job("time-boundary")
        return job.next_run_time if job else None

    def _check(self) -> None:
        if self.publisher.refresh():
            self._plan_boundary()

    def _at_boundary(self) -> None:
        self.publisher.refresh()
        self._plan_boundary()

    def _plan_boundary(self) -> None:
        """Plan the date job at the state's next boundary, once per boundary: a job that
        found nothing due does not plan itself again at the same moment."""
        when = self.publisher.state.next_boundary
        if when is None or when == self._planned:
            return
        self._planned = when
        self._scheduler.add_job(
            self._at_boundary, "date", run_date=when, id="time-boundary", replace_existing=True
        )
