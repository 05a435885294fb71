"""The last good catalogue's bytes, kept in the data directory.

A worker that starts (or restarts) while ``events.yaml`` is broken has published
nothing yet; the copy lets it serve the last good catalogue instead of nothing. The
copy is written whole under another name, then renamed, so it is never half-written;
workers that keep the same catalogue write the same bytes.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
FILENAME = "last-good.yaml"


class KeptCopy:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILENAME
        self._digest: str | None = None  # what this process last kept

    def keep(self, data: bytes, digest: str) -> None:
        """Keep ``data`` (whose SHA-256 is ``digest``) unless this process already did."""
        if digest == self._digest:
            return
        partial = self.path.with_name(f".{FILENAME}.{os.getpid()}")
        try:
            partial.write_bytes(data)
            os.replace(partial, self.path)
        except OSError as error:
            log.warning("could not keep a copy of the catalogue: %s", error)
            return
        self._digest = digest

    def read(self) -> bytes:
        """The kept bytes; ``OSError`` when there are none."""
        return self.path.read_bytes()
