"""Settings -> publisher -> app -> client, each test with its own files and clock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from feeds.app import create_app, open_history
from feeds.publisher import Publisher
from feeds.renderers import RENDERERS
from feeds.settings import Settings

SEED = Path(__file__).resolve().parent.parent / "events.yaml"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_settings(tmp_path: Path, **overrides) -> Settings:
    events = tmp_path / "events.yaml"
    if not events.exists():
        shutil.copy(SEED, events)
    values = dict(
        events_file=events,
        data_dir=tmp_path / "data",
        scheduler=False,
        settle_seconds=0,
        base_url="https://premieres.example",
    )
    values.update(overrides)
    return Settings(**values)


def make_app(settings: Settings, clock: Clock | None = None):
    publisher = Publisher(settings, RENDERERS, open_history(settings), clock=clock or Clock())
    app = create_app(settings, publisher=publisher)
    return app, publisher
