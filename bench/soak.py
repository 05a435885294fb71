"""Soak: the Procfile's server on loopback, pollers using conditional GETs, and a writer
replacing events.yaml with good and bad versions, for a bounded time.

    .venv/bin/python bench/soak.py --seconds 120 --pollers 8

Every 200 body is checked: it must parse (iCalendar, XML, JSON, HTML) and its ETag must
be the content hash the service computes (``feeds.store.Document.make``: the first 32
hex digits of the body's SHA-256; the gzip variant is that plus ``-gz`` and must gunzip
to such a body), which a torn or mixed body cannot satisfy. After each write the
writer checks that /healthz reports it (a good file published, a bad one refused while
the last good one is served). Prints the figures; exits 1 on any 5xx, torn body,
connection error or /healthz that never caught up.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import icalendar
from lxml import etree

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

from feeds.loader import parse_catalog  # noqa: E402
from feeds.problems import CatalogError  # noqa: E402
from live_server import running_service  # noqa: E402

PATHS = (
    "/calendar.ics",
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/api/events",
    "/",
    "/calendar.ics?show=all-of-us-are-dead",
    "/rss.xml?status=confirmed",
)
MAX_POLLERS = 32
MAX_SECONDS = 3600
HEALTH_DEADLINE = 5.0


@dataclass
class Figures:
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writes: Counter = field(default_factory=Counter)
    health_lagging: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float | None, problem: str | None = None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if seconds is not None:
                self.latencies.append(seconds)
            if problem:
                self.torn.append(problem)


def check_body(path: str, body: bytes, etag: str, encoding: str | None) -> str | None:
    """Why the body is not a whole published document, or ``None`` when it is."""
    tag = etag.strip('"')
    if encoding == "gzip":
        if not tag.endswith("-gz"):
            return f"{path}: gzip body with ETag {etag}"
        body, tag = gzip.decompress(body), tag.removesuffix("-gz")
    if hashlib.sha256(body).hexdigest()[:32] != tag:
        return f"{path}: body does not hash to its ETag {etag}"
    try:
        _parse(path.split("?")[0], body)
    except Exception as error:  # any parser's complaint is a torn body
        return f"{path}: does not parse: {error!r}"[:300]
    return None


def _parse(path: str, body: bytes) -> None:
    if path == "/calendar.ics":
        if not icalendar.Calendar.from_ical(body).walk("VEVENT"):
            raise ValueError("no events")
    elif path.endswith(".xml"):
        etree.fromstring(body)
    elif path in ("/feed.json", "/api/events"):
        json.loads(body)
    elif not body.rstrip().endswith(b"</html>"):
        raise ValueError("the page does not end with </html>")


def poll(base: tuple[str, int], deadline: float, figures: Figures, seed: int) -> None:
    chance = random.Random(seed)
    etags: dict[tuple[str, bool], str] = {}
    connection = http.client.HTTPConnection(*base, timeout=30)
    while time.monotonic() < deadline:
        path, gzipped = chance.choice(PATHS), chance.random() < 0.5
        headers = {"Accept-Encoding": "gzip" if gzipped else "identity"}
        if (path, gzipped) in etags and chance.random() < 0.8:
            headers["If-None-Match"] = etags[path, gzipped]
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            with figures.lock:
                figures.errors.append(f"{path}: {error!r}")
            connection.close()
            connection = http.client.HTTPConnection(*base, timeout=30)
            continue
        elapsed = time.perf_counter() - started
        problem = None
        if response.status == 200:
            etag = response.getheader("ETag", "")
            problem = check_body(path, body, etag, response.getheader("Content-Encoding"))
            etags[path, gzipped] = etag
        figures.record(response.status, elapsed, problem)
    connection.close()


def versions(seed_text: str, chance: random.Random) -> tuple[str, bool]:
    """A new version of the catalogue and whether the loader accepts it."""
    day = f"2026-{chance.randint(1, 12):02d}-{chance.randint(1, 28):02d}"
    text = seed_text.replace("2026-01-23", day, 1)
    text = text.replace("Season 2\n", f"Season 2 (take {chance.randint(1, 9)})\n", 1)
    roll = chance.random()
    if roll < 0.15:
        text = text.replace("status: confirmed", "status: confirmd", 1)
    elif roll < 0.25:
        text = text[: chance.randint(0, len(text))]
    elif roll < 0.3:
        text = text.replace("calendar:", "calendar: [", 1)
    try:
        parse_catalog(text.encode())
    except CatalogError:
        return text, False
    return text, True


def write(events: Path, text: str, chance: random.Random) -> None:
    """Most edits are saved atomically; some in place, as a plain editor would."""
    if chance.random() < 0.7:
        staged = events.with_name(events.name + ".tmp")
        staged.write_text(text, encoding="utf-8")
        os.replace(staged, events)
    else:
        with open(events, "w", encoding="utf-8") as handle:
            half = len(text) // 2
            handle.write(text[:half])
            handle.flush()
            time.sleep(0.005)
            handle.write(text[half:])


def health(base: tuple[str, int]) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(*base, timeout=10)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def writer(base, events: Path, deadline: float, figures: Figures, seed: int) -> None:
    chance = random.Random(seed)
    seed_text = events.read_text(encoding="utf-8")
    good_digest = hashlib.sha256(events.read_bytes()).hexdigest()
    while time.monotonic() < deadline - HEALTH_DEADLINE:
        text, valid = versions(seed_text, chance)
        if text.encode() == events.read_bytes():
            continue
        write(events, text, chance)
        figures.writes["valid" if valid else "invalid"] += 1
        if valid:
            good_digest = hashlib.sha256(text.encode()).hexdigest()
        want = ("ok" if valid else "degraded", good_digest)
        if not _caught_up(base, want, figures):
            figures.health_lagging.append(f"wanted {want}")
        time.sleep(chance.uniform(0.0, 0.2))


def _caught_up(base, want: tuple[str, str], figures: Figures) -> bool:
    """Both workers eventually report the write; any 5xx from /healthz counts."""
    give_up = time.monotonic() + HEALTH_DEADLINE
    agreeing = 0
    while time.monotonic() < give_up:
        status, body = health(base)
        figures.record(status, None)  # counted, but not a poll's latency
        agreeing = agreeing + 1 if (body["status"], body["source_sha256"]) == want else 0
        if agreeing >= 4:  # several answers in a row: every worker has it
            return True
        time.sleep(0.05)
    return False


def report(figures: Figures, seconds: float, pollers: int) -> int:
    requests = sum(figures.statuses.values())
    server_errors = sum(n for status, n in figures.statuses.items() if status >= 500)
    latencies = sorted(figures.latencies) or [0.0]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"soak: {seconds:g} s, {pollers} pollers")
    print(f"requests: {requests}")
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(figures.statuses.items())))
    print(f"5xx: {server_errors}")
    print(f"torn bodies: {len(figures.torn)}")
    print(f"connection errors: {len(figures.errors)}")
    print(f"writes: {figures.writes['valid']} valid, {figures.writes['invalid']} invalid")
    print(f"healthz lagging: {len(figures.health_lagging)}")
    print(f"latency p50: {statistics.median(latencies) * 1000:.1f} ms, p99: {p99 * 1000:.1f} ms")
    for problem in (figures.torn + figures.errors + figures.health_lagging)[:10]:
        print(f"  {problem}")
    failed = server_errors or figures.torn or figures.errors or figures.health_lagging
    return 1 if failed else 0


def soak(seconds: float, pollers: int, seed: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    try:
        events = work / "events.yaml"
        shutil.copy(PROJECT / "events.yaml", events)
        with running_service(work, events, FEEDS_REFRESH_SECONDS="0.1") as url:
            base = ("127.0.0.1", int(url.rsplit(":", 1)[1]))
            figures = Figures()
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(target=poll, args=(base, deadline, figures, seed + n))
                for n in range(pollers)
            ]
            threads.append(
                threading.Thread(target=writer, args=(base, events, deadline, figures, seed))
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        return report(figures, seconds, pollers)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60)")
    parser.add_argument("--pollers", type=int, default=8, help="concurrent pollers (default 8)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if not (1 <= args.pollers <= MAX_POLLERS and 1 <= args.seconds <= MAX_SECONDS):
        parser.error(f"--pollers 1..{MAX_POLLERS}, --seconds 1..{MAX_SECONDS}")
    return soak(args.seconds, args.pollers, args.seed)


if __name__ == "__main__":
    sys.exit(main())
