"""Work shared with a forked child comes back whole, or is done here instead."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime

import pytest

from feeds import parallel
from feeds.parallel import in_two
from feeds.zones import get_zone


def test_the_second_piece_of_work_runs_in_another_process():
    """In a fresh interpreter: threads other tests leave behind (a browser driver's
    event loop) would rightly keep this process from forking."""
    script = (
        "import os\n"
        "from feeds.parallel import in_two\n"
        "mine, theirs = in_two(os.getpid, os.getpid)\n"
        "print(mine == os.getpid(), theirs != os.getpid())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def _in_a_fresh_interpreter(script: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    return done.stdout.split() or [done.stderr]


def test_a_result_the_child_cannot_send_is_worked_out_here_instead():
    script = (
        "import os\n"
        "from feeds.parallel import in_two\n"
        "_, (pid, unsendable) = in_two(int, lambda: (os.getpid(), lambda: None))\n"
        "print(pid == os.getpid())\n"
    )
    assert _in_a_fresh_interpreter(script) == ["True"]


def test_an_error_here_stops_the_child_at_once():
    script = (
        "import os, time\n"
        "from feeds.parallel import in_two\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    in_two(lambda: 1 / 0, lambda: time.sleep(30))\n"
        "except ZeroDivisionError:\n"
        "    print(time.monotonic() - started < 10)\n"
        "try:\n"
        "    os.wait()\n"
        "except ChildProcessError:\n"
        "    print('no-child-left')\n"
    )
    assert _in_a_fresh_interpreter(script) == ["True", "no-child-left"]


def test_when_no_process_can_be_started_both_pieces_run_here(monkeypatch):
    def no_room():
        raise BlockingIOError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_room)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    descriptors = len(os.listdir("/proc/self/fd"))
    assert in_two(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    assert len(os.listdir("/proc/self/fd")) == descriptors


def test_times_in_our_zones_come_back_with_the_same_zone():
    seoul = get_zone("Asia/Seoul")
    _, moment = in_two(lambda: None, lambda: datetime(2026, 1, 23, 17, tzinfo=seoul))
    assert moment == datetime(2026, 1, 23, 17, tzinfo=seoul)
    assert moment.tzinfo is seoul


def test_an_error_in_the_child_is_raised_here_by_doing_the_work_again():
    calls = []

    def second():
        calls.append(os.getpid())
        raise ValueError("bad entry")

    with pytest.raises(ValueError, match="bad entry"):
        in_two(lambda: 1, second)
    assert calls == [os.getpid()]  # the child's call is not seen here; ours is


def test_with_another_thread_running_both_pieces_run_here():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert in_two(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        thread.join()
