"""Two pieces of pure work at once: one here, one in a forked child.

Reading a large catalogue the first time is pure Python over the YAML parser's nodes,
so threads cannot share it out; a forked child can, and it starts in milliseconds with
everything already imported. The child sends its result back pickled through a pipe.
Forking is used only where it is safe and cheap: a platform with ``fork``, and a
process with no other Python threads (a child of a threaded process could inherit a
lock another thread held). Anything that goes wrong in the child (an exception, a
crash, a result that does not pickle) costs only time: the work is then done here,
where any exception is raised as usual.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from feeds.zones import get_zone

A = TypeVar("A")
B = TypeVar("B")


def in_two(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, with ``second`` run in a child process at the same
    time when that is possible."""
    if not can_fork():
        return first(), second()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its result is checked by the parent
        os.close(read_end)
        _run_child(second, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            mine = first()
        finally:
            payload = pipe.read()
            _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return mine, second()
    return mine, pickle.loads(payload)


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _run_child(work: Callable[[], object], write_end: int) -> None:  # pragma: no cover
    status = 1
    try:
        payload = _dumps(work())
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        os._exit(status)


def _dumps(value: object) -> bytes:
    """Pickled, with time zones sent by name: ours are read from the ``tzdata`` wheel,
    which ``ZoneInfo`` cannot pickle, and the parent has the same zones by name."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {ZoneInfo: _zone_by_name}
    pickler.dump(value)
    return buffer.getvalue()


def _zone_by_name(zone: ZoneInfo) -> tuple[Callable[[str], ZoneInfo], tuple[str]]:
    return get_zone, (str(zone.key),)
