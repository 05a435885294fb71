"""The service as it runs in production: the Procfile's command, on loopback.

The Procfile binds 0.0.0.0; tests bind 127.0.0.1 on a free port instead, and stop the
server by its process id.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile_command(port: int) -> list[str]:
    """The Procfile's ``web:`` command with ``$PORT`` filled in and the bind address
    narrowed to loopback."""
    line = next(
        line for line in (PROJECT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    command = line.removeprefix("web:").strip().replace("$PORT", str(port))
    command = command.replace("--host 0.0.0.0", "--host 127.0.0.1")
    words = shlex.split(command)
    assert words[0] == "granian" and "127.0.0.1" in words
    return [sys.executable, "-m", "granian", *words[1:]]


@contextmanager
def running_service(tmp_path: Path, events: Path, **env: str) -> Iterator[str]:
    """Start the service on a free loopback port and yield its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "PORT": str(port),
        "FEEDS_EVENTS_FILE": str(events),
        "FEEDS_DATA_DIR": str(tmp_path / "data"),
        "FEEDS_BASE_URL": base_url,
        **env,
    }
    command = procfile_command(port)
    with started(command, base_url + "/healthz", tmp_path / "server.log", env=environment):
        yield base_url


@contextmanager
def started(
    command: list[str], ready_url: str, log: Path, *, env: dict | None = None, timeout: float = 60
) -> Iterator[int]:
    """Run ``command`` (from the project folder) in its own process group, wait until
    ``ready_url`` answers, yield its process id, and stop it and its workers by that id."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        _wait_until_up(ready_url, process, log, timeout)
        yield process.pid
    finally:
        _stop(process.pid, process)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def _stop(pid: int, process: subprocess.Popen) -> None:
    """Stop the server and its workers: they share the process group the server leads,
    whose id is the server's process id."""
    os.killpg(pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    process.wait()
