"""The application factory: the one place where the pieces are wired together."""

from __future__ import annotations

import atexit
import logging

from flask import Flask

from feeds import views
from feeds.fastpath import FastPath
from feeds.history import SqliteHistory
from feeds.publisher import Publisher
from feeds.renderers import RENDERERS
from feeds.scheduler import Scheduler
from feeds.settings import Settings

HISTORY_FILE = "history.sqlite3"


def open_history(settings: Settings) -> SqliteHistory:
    """The revision store in ``settings.data_dir`` (created if missing)."""
    return SqliteHistory(settings.data_dir / HISTORY_FILE)


def create_app(settings: Settings | None = None, publisher: Publisher | None = None) -> Flask:
    """The Flask app for ``settings`` (default: from the environment). The catalogue is
    built once before the app is returned; the scheduler starts only when
    ``settings.scheduler`` is on."""
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if publisher is None:
        publisher = Publisher(settings, RENDERERS, open_history(settings))
    publisher.refresh(force=True)
    app = Flask(__name__)
    app.config.update(DEBUG=settings.debug, FEEDS_MAX_AGE=settings.max_age)
    app.extensions["feeds.publisher"] = publisher
    views.install(app)
    app.wsgi_app = FastPath(app.wsgi_app, publisher, settings.max_age)  # type: ignore[method-assign]
    if settings.scheduler:
        scheduler = Scheduler(publisher, settings.refresh_seconds)
        scheduler.start()
        app.extensions["feeds.scheduler"] = scheduler
        atexit.register(scheduler.shutdown)
    return app
