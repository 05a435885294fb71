"""YAML text in, every published document out: the whole pipeline without HTTP.

For tests that start from what an editor types (``events.yaml``) and look at what
subscribers receive, with an in-memory history and a fixed clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from catalogs import MINIMAL_HEADER
from feeds.edition import Timeline, build_edition
from feeds.history import MemoryHistory
from feeds.loader import Loaded, parse_catalog
from feeds.query import Query
from feeds.renderers import RENDERERS

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
HEADER = MINIMAL_HEADER


def render_all(loaded: Loaded, now: datetime = NOW) -> dict[str, bytes]:
    """Every document of the catalogue, by path, as the service would publish it."""
    catalog = loaded.catalog
    history = MemoryHistory()
    history.record(catalog.premieres, now)
    moment = Timeline.of(catalog).moment(now)
    edition = build_edition(catalog, history.revisions(), moment, timedelta(days=30))
    return {path: renderer.render(edition, Query()) for path, renderer in RENDERERS.items()}


def render_yaml(text: str) -> dict[str, bytes]:
    return render_all(parse_catalog(text.encode("utf-8")))
