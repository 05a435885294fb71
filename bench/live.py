"""The service as the Procfile runs it, on loopback, and edit-to-served latency."""

from __future__ import annotations

import shlex
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from rebuild import edit_one
from serving import ROOT


def procfile_command(port: int) -> list[str]:
    """The Procfile's ``web:`` command on 127.0.0.1:``port``, run by this Python."""
    line = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    command = line.removeprefix("web:").strip().replace("$PORT", str(port))
    words = shlex.split(command.replace("--host 0.0.0.0", "--host 127.0.0.1"))
    return [sys.executable, "-m", words[0], *words[1:]]


def current_etag(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.headers["ETag"]


def edit_to_served(base: str, events: Path, rounds: int = 5, timeout: float = 60) -> dict:
    """Save an edit, then poll ``/calendar.ics`` every 10 ms until the new ETag is what
    every poll gets (20 in a row, whichever worker answers), timed from the save to the
    first of those polls. Median and worst over ``rounds`` edits."""
    url = base + "/calendar.ics"
    latencies = []
    for round_ in range(rounds):
        before = current_etag(url)
        time.sleep(0.5)  # let the edits fall at different points of the check interval
        edit_one(events, 100 + round_)
        saved = time.monotonic()
        latencies.append(_served_after(url, before, saved, timeout))
    return {"median": statistics.median(latencies), "max": max(latencies)}


def _served_after(url: str, before: str, saved: float, timeout: float, run: int = 20) -> float:
    agreed, first = 0, 0.0
    while agreed < run:
        if time.monotonic() - saved > timeout:
            raise RuntimeError("the edit was not served")
        polled = time.monotonic()
        if current_etag(url) == before:
            agreed = 0
        else:
            first = first if agreed else polled
            agreed += 1
        time.sleep(0.01)
    return first - saved
