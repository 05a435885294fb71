"""``feeds build OUTDIR``: every document (and its ``.gz``) as files for a static host.

The site is written to a temporary folder beside ``OUTDIR`` and swapped into place in
one atomic step (two renames where the system cannot swap), so a crash leaves either
the old site or the new one, never half of either.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

from feeds import paths
from feeds.store import Snapshot

FILE_NAMES = {paths.PAGE: "index.html", paths.API: "api/events.json"}


def file_name(path: str) -> str:
    """Where the document served at ``path`` lives in the exported folder."""
    return FILE_NAMES.get(path, path.lstrip("/"))


def export(snapshot: Snapshot, outdir: Path) -> list[Path]:
    """Write every document of ``snapshot`` to ``outdir``, replacing what was there."""
    outdir = outdir.resolve()
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.build-", dir=outdir.parent))
    try:
        written = [_write(staging, path, doc) for path, doc in sorted(snapshot.documents.items())]
        _swap_in(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [outdir / p.relative_to(staging) for p in written]


def _write(root: Path, path: str, document) -> Path:
    target = root / file_name(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(document.body)
    target.with_name(target.name + ".gz").write_bytes(document.gzip_body)
    for written in (target, target.with_name(target.name + ".gz")):
        with open(written, "rb") as handle:
            os.fsync(handle.fileno())
    return target


def _swap_in(staging: Path, outdir: Path) -> None:
    os.chmod(staging, 0o755)
    if not outdir.exists():
        os.replace(staging, outdir)
        return
    if _exchange(staging, outdir):  # one step: OUTDIR is never missing
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=outdir.parent))
    os.replace(outdir, retired / "site")
    os.replace(staging, outdir)
    shutil.rmtree(retired, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2(RENAME_EXCHANGE)``; ``False``
    where that is unavailable (other systems, old kernels, some file systems), and the
    caller falls back to two renames, with a moment in which OUTDIR does not exist."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    args = (_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return renameat2(*args) == 0


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
