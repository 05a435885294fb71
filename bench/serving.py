"""Serving benchmarks: nginx on the static export versus the service, driven by wrk.

Every process is started here on 127.0.0.1 and stopped by its PID; all load is bounded
by wrk's duration. nginx and wrk come from Debian (installed when missing and run as
root).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import free_port, started  # noqa: E402  (one way to run and stop a server)

NGINX_CONF = """daemon off;
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  types {{ text/calendar ics; application/rss+xml xml; }}
  server {{
    listen 127.0.0.1:{port};
    root {site};
    etag on;
    gzip_static on;
    gzip_vary on;
  }}
}}
"""


def ensure_tools(*tools: str) -> None:
    """Install Debian's nginx and wrk when missing (only as root), else explain."""
    missing = [tool for tool in tools if not _which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"bench: missing {', '.join(missing)}: apt-get install -y {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def _which(tool: str) -> str | None:
    return shutil.which(tool) or next(
        (str(p) for p in (Path("/usr/sbin") / tool, Path("/usr/bin") / tool) if p.exists()), None
    )


@contextmanager
def nginx(site: Path, workers: int = 2) -> Iterator[str]:
    """nginx serving ``site`` (a ``feeds build`` folder) with gzip_static; its base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, tmp=tmp, port=port, site=site))
    base = f"http://127.0.0.1:{port}"
    try:
        with started([_which("nginx") or "nginx", "-c", str(conf)], base + "/rss.xml", tmp / "log"):
            yield base
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def service(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """The service started with ``command`` (already bound to ``port``); its base URL."""
    base = f"http://127.0.0.1:{port}"
    with started(command, base + "/healthz", log, env={**os.environ, **env}):
        yield base


def etag_of(url: str, gzip: bool) -> str:
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers["ETag"]


def wrk(url: str, headers: dict[str, str], seconds: float, connections: int = 32) -> dict:
    """Requests per second and p50/p99 latency (ms) from ``wrk --latency``."""
    command = [_which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50": _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


CASES = {
    "200": ({}, False),
    "304": ({"If-None-Match": None}, False),
    "gzip 200": ({"Accept-Encoding": "gzip"}, True),
}


def measure(base: str, path: str, seconds: float) -> dict[str, dict]:
    """Each case of ``CASES`` against ``base + path``."""
    results = {}
    for case, (headers, gzipped) in CASES.items():
        if "If-None-Match" in headers:
            headers = {"If-None-Match": etag_of(base + path, gzipped)}
        results[case] = wrk(base + path, headers, seconds)
    return results
