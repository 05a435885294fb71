"""Cold build of one catalogue, stage by stage, in a fresh process (so peak memory is
this build's own). Prints one JSON object: seconds per stage, and peak RSS in MB of
this process and of the child that reads half of a large catalogue (its RSS counts the
pages it shares with this process, copy-on-write, so the two do not add up), and the
peak of both together (``tree_peak_mb``: summed PSS, sampled by ``tree_memory.py``).

    python bench/build_stages.py CATALOG.yaml
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feeds.edition import Timeline, build_edition
from feeds.finishing import Finishing
from feeds.history import SqliteHistory
from feeds.loader import collector_paused, parse_catalog, read_source
from feeds.query import Query
from feeds.renderers import RENDERERS
from feeds.store import FINISHERS, Document, render_order

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def stages(path: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    data = read_source(path, 1 << 30)
    lap("read")
    with collector_paused():
        catalog = parse_catalog(data, path.name).catalog
    lap("load + validate (YAML, schema)")
    with tempfile.TemporaryDirectory() as data:
        history = SqliteHistory(Path(data) / "history.sqlite3")
        history.record(catalog.premieres, NOW)
        revisions = history.revisions()
    moment = Timeline.of(catalog).moment(NOW)
    edition = build_edition(catalog, revisions, moment, timedelta(days=30))
    lap("history + edition")
    with ThreadPoolExecutor(FINISHERS) as pool:  # as Snapshot does: finish while rendering
        finishing = {}
        for name in render_order(RENDERERS, edition):
            finishing[name] = Finishing(RENDERERS[name].render(edition, Query()), pool)
            lap(f"render {name}")
        for name, work in finishing.items():
            Document.finished(work, RENDERERS[name].media_type, moment)
        lap("ETags + gzip (what rendering did not hide)")
    return times


def main() -> None:
    sampler = subprocess.Popen(  # a process: the loader forks only without other threads
        [sys.executable, str(Path(__file__).with_name("tree_memory.py")), str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.perf_counter()
    with collector_paused():  # as the publisher does for a whole rebuild
        times = stages(Path(sys.argv[1]))
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {"stages": times, "total": total, "peak_mb": peak, "child_peak_mb": child}
    print(json.dumps(figures | tree_peak(sampler)))


def tree_peak(sampler: subprocess.Popen) -> dict[str, float]:
    """The peak summed PSS of this process and its children so far, and the CPU time
    the sampler took from the build: closing its input tells it to stop and print them."""
    out, _ = sampler.communicate("")
    peak, cpu = out.split()
    return {"tree_peak_mb": float(peak), "sampler_cpu_s": float(cpu)}


if __name__ == "__main__":
    main()
