"""The WSGI entry point: ``granian --interface wsgi service:app`` (see the Procfile).

Wiring only; see feeds/app.py."""

import sys

from feeds.app import create_app
from feeds.history import HistoryError
from feeds.settings import SettingError

try:
    app = create_app()
except (SettingError, HistoryError) as error:
    sys.exit(f"premiere feeds cannot start: {error}")
