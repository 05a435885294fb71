"""A peer: yaml2ics (YAML to iCalendar through ics.py) on the same premieres.

yaml2ics lives in a throwaway virtualenv under ``bench/work`` (git-ignored), never in
the project's dependencies. Both sides are timed as whole processes, YAML in and
iCalendar out: yaml2ics on its own format (converted from our catalogue: the exact
premieres, all-day or one hour long, weekly releases as a weekly repeat) and
``python bench/peer.py ours CATALOG`` for us (load, validate, history, calendar).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
VENV = HERE / "work" / "y2venv"


def ensure_yaml2ics() -> Path | None:
    """The yaml2ics command, installed into ``bench/work/y2venv`` from PyPI if needed."""
    command = VENV / "bin" / "yaml2ics"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        result = subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "yaml2ics"], capture_output=True
        )
        if result.returncode != 0:
            print("bench: could not install yaml2ics; skipping the peer", file=sys.stderr)
            return None
    return command


def convert(catalog_path: Path, out: Path) -> int:
    """Our premieres in yaml2ics's format; returns how many events it holds."""
    from feeds.loader import load_catalog
    from feeds.model import AllDay, Timed, Weekly

    catalog = load_catalog(catalog_path, 1 << 30).catalog
    events = []
    for p in catalog.premieres:
        event = {"summary": f"{p.show} — {p.title}", "uid": f"{p.id}@premieres.example"}
        if isinstance(p.when, AllDay):
            event["begin"] = p.when.day
        elif isinstance(p.when, Timed):
            if p.when.zone:  # a wall time in its zone, as yaml2ics expects
                event["begin"] = p.when.start.replace(tzinfo=None)
                event["timezone"] = p.when.zone
            else:
                event["begin"] = p.when.start
            event["duration"] = {"hours": 1}
        else:
            continue
        event["description"] = p.description or ""
        if isinstance(p.release, Weekly):
            until = event["begin"] + timedelta(weeks=p.release.drops - 1)
            event["repeat"] = {"interval": {"weeks": 1}, "until": until}
        events.append(event)
    document = {"name": catalog.calendar.name, "events": events}
    out.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True))
    return len(events)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def ours(catalog_path: Path) -> None:
    from datetime import UTC, datetime

    from feeds.edition import Timeline, build_edition
    from feeds.history import MemoryHistory
    from feeds.ical import render_calendar
    from feeds.loader import load_catalog
    from feeds.query import Query

    catalog = load_catalog(catalog_path, 1 << 30).catalog
    history = MemoryHistory()
    now = datetime(2026, 1, 10, tzinfo=UTC)
    history.record(catalog.premieres, now)
    moment = Timeline.of(catalog).moment(now)
    edition = build_edition(catalog, history.revisions(), moment, timedelta(days=30))
    sys.stdout.buffer.write(render_calendar(edition, Query()))


def compare(catalog_path: Path, work: Path) -> dict | None:
    command = ensure_yaml2ics()
    if command is None:
        return None
    converted = work / f"yaml2ics-{catalog_path.stem}.yaml"
    events = convert(catalog_path, converted)
    theirs = timed([str(command), str(converted)])
    mine = timed([sys.executable, str(Path(__file__)), "ours", str(catalog_path)])
    return {"events": events, "yaml2ics": theirs, "ours": mine}


if __name__ == "__main__":
    if sys.argv[1] == "ours":
        ours(Path(sys.argv[2]))
