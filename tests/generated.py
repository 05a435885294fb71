"""A large catalogue from bench/generate.py, with history: edits (SEQUENCE 1) and
removals (CANCELLED), for tests that compare a fast path with the straightforward one."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from feeds.edition import Timeline, build_edition
from feeds.history import MemoryHistory
from feeds.loader import parse_catalog
from feeds.model import Edition

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@cache
def generated_edition(premieres: int) -> Edition:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    catalog = parse_catalog(module.generate(premieres).encode()).catalog
    history = MemoryHistory()
    history.record(catalog.premieres, NOW - timedelta(days=3))
    kept = [  # every seventh edited (SEQUENCE 1), every seventh removed (CANCELLED)
        replace(p, title=p.title + " (new cut)") if i % 7 == 0 else p
        for i, p in enumerate(catalog.premieres)
        if i % 7 != 6
    ]
    catalog = replace(catalog, premieres=tuple(kept))
    history.record(catalog.premieres, NOW)
    moment = Timeline.of(catalog).moment(NOW)
    edition = build_edition(catalog, history.revisions(), moment, timedelta(days=30))
    assert edition.removed and any(s.sequence for s in edition.stamps.values())
    return edition
