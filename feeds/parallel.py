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
import signal
import threading
from collections.abc import Callable
from typing import BinaryIO, TypeVar
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
    try:
        pid = os.fork()
    except OSError:  # no room for another process: do it all here
        os.close(read_end)
        os.close(write_end)
        return first(), second()
    if pid == 0:  # pragma: no cover - the child; its result is checked by the parent
        os.close(read_end)
        _run_child(second, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            mine = first()
            theirs = _received(pipe)
        except BaseException:  # an error here, or a signal that ends this process
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
    _, status = os.waitpid(pid, 0)  # the pipe is closed: a child still writing stops
    if status != 0 or theirs is _NOTHING:
        return mine, second()
    return mine, theirs  # type: ignore[return-value]


_NOTHING = object()


def _received(pipe: BinaryIO) -> object:
    """What the child sent, unpickled as it arrives (never held whole as bytes);
    ``_NOTHING`` when it sent nothing whole."""
    try:
        return pickle.load(pipe)
    except Exception:
        return _NOTHING


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _run_child(work: Callable[[], object], write_end: int) -> None:  # pragma: no cover
    status = 1
    try:
        buffer = io.BytesIO()  # pickled while the parent still works, then sent
        _pickler(buffer).dump(work())
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(buffer.getbuffer())
        status = 0
    finally:
        os._exit(status)


def _pickler(file: BinaryIO) -> pickle.Pickler:
    """A pickler that sends time zones by name: ours are read from the ``tzdata``
    wheel, which ``ZoneInfo`` cannot pickle, and the parent has the same zones."""
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {ZoneInfo: _zone_by_name}
    return pickler


def _zone_by_name(zone: ZoneInfo) -> tuple[Callable[[str], ZoneInfo], tuple[str]]:
    return get_zone, (str(zone.key),)
