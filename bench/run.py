"""The benchmark: build, rebuild and serving figures, serving as ratios against nginx.

    .venv/bin/python bench/run.py            # full run; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --quick    # under two minutes; bench/work/RESULTS-quick.md

Synthetic catalogues (bench/generate.py) of 1,000, 10,000 and (full run) 100,000
premieres. Everything runs on 127.0.0.1, each process is stopped by its PID, all load
is bounded by wrk's duration. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import live  # noqa: E402
import peer  # noqa: E402
import report  # noqa: E402
import serving  # noqa: E402

WORK = HERE / "work"
PATHS = ["/calendar.ics", "/rss.xml"]


def child(script: str, *args: str) -> dict:
    """Run a bench script in a fresh interpreter; its last output line is JSON."""
    out = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB",
        "system": f"{platform.platform()}, Python {platform.python_version()}",
    }


def catalogue(size: int) -> Path:
    path = WORK / f"catalogue-{size}.yaml"
    if not path.exists():
        generate.write(size, path)
    return path


def static_site(events: Path, work: Path) -> Path:
    """``feeds build`` of ``events``, as a static host would serve it."""
    site = work / "site"
    env = {**os.environ, "FEEDS_EVENTS_FILE": str(events), "FEEDS_DATA_DIR": str(work / "d")}
    feeds = Path(sys.executable).parent / "feeds"
    subprocess.run([str(feeds), "build", str(site)], check=True, env=env, capture_output=True)
    return site


def serve_and_measure(events: Path, seconds: float, rounds: int) -> tuple[dict, dict]:
    """Interleaved rounds of nginx and the service on the same catalogue; the median
    of each figure; then edit-to-served on the running service."""
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    work.chmod(0o755)  # nginx's workers run as www-data
    try:
        mine = work / "events.yaml"
        shutil.copy(events, mine)
        site = static_site(mine, work)
        port = serving.free_port()
        env = {"PORT": str(port), "FEEDS_EVENTS_FILE": str(mine), "FEEDS_DATA_DIR": str(work)}
        command = live.procfile_command(port)
        with serving.nginx(site) as nginx, serving.service(command, env, port, work / "log") as app:
            runs = {"nginx": [], "service": []}
            for _ in range(rounds):
                for name, base in (("nginx", nginx), ("service", app)):
                    runs[name].append({p: serving.measure(base, p, seconds) for p in PATHS})
            latency = live.edit_to_served(app, mine)
        return {name: _median(found) for name, found in runs.items()}, latency
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _median(runs: list[dict]) -> dict:
    first = runs[0]
    return {
        path: {
            case: {k: statistics.median(r[path][case][k] for r in runs) for k in figures}
            for case, figures in cases.items()
        }
        for path, cases in first.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and shorter: < 2 min")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    seconds, rounds = (2, 1) if args.quick else (5, 3)
    serving.ensure_tools("nginx", "wrk")
    WORK.mkdir(exist_ok=True)
    results: dict = {"machine": machine(), "quick": args.quick}
    results["builds"] = {size: child("build_stages.py", str(catalogue(size))) for size in sizes}
    results["rebuild"] = child("rebuild.py", str(catalogue(10_000)))
    results["serving"], results["edit_to_served"] = serve_and_measure(
        catalogue(1_000), seconds, rounds
    )
    results["peer"] = peer.compare(catalogue(1_000 if args.quick else 10_000), WORK)
    text = report.render(results, command="bench/run.py" + (" --quick" if args.quick else ""))
    print(text)
    target = WORK / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md"
    target.write_text(text)
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"written to {target}")


if __name__ == "__main__":
    main()
