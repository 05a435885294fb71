"""Rebuild after editing one premiere, and a scheduler tick when nothing changed, through
the real ``Publisher`` (SQLite history, the service's settings). Prints one JSON object.

    python bench/rebuild.py CATALOG.yaml
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from feeds.app import open_history
from feeds.publisher import Publisher
from feeds.renderers import RENDERERS
from feeds.settings import Settings

TICKS = 5000


def edit_one(path: Path, round_: int) -> None:
    """Retitle the premiere in the middle of the file (a significant change)."""
    text = path.read_text(encoding="utf-8")
    ids = re.findall(r"^  - id: (premiere-\d+)$", text, re.M)
    target = ids[len(ids) // 2]
    head, tail = text.split(f"  - id: {target}\n", 1)
    tail = re.sub(r"title: ([^\n]*)", rf"title: \1 (edit {round_})", tail, count=1)
    path.write_text(f"{head}  - id: {target}\n{tail}", encoding="utf-8")


def measure(catalog: Path, rounds: int = 3) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-rebuild-"))
    try:
        events = work / "events.yaml"
        shutil.copy(catalog, events)
        settings = Settings(
            events_file=events, data_dir=work / "data", scheduler=False, settle_seconds=0
        )
        publisher = Publisher(settings, RENDERERS, open_history(settings))
        started = time.perf_counter()
        publisher.refresh(force=True)
        cold = time.perf_counter() - started
        rebuilds = []
        for round_ in range(rounds):
            edit_one(events, round_)
            started = time.perf_counter()
            assert publisher.refresh()
            rebuilds.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(TICKS):
            assert not publisher.refresh()
        tick = (time.perf_counter() - started) / TICKS
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"cold_publish": cold, "rebuild": statistics.median(rebuilds), "tick": tick}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
