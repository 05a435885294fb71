"""Rendered documents, kept whole: a ``Snapshot`` per catalogue change.

A snapshot is built completely before anyone sees it and then replaces the previous
one with a single assignment, so a request sees one catalogue's documents, never a mix.
Each document carries its body, a strong ETag (content hash), a gzip body made once,
its media type and Last-Modified. Filtered variants (query strings) are rendered on
first request and kept in a bounded LRU per snapshot.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from feeds.model import Edition
from feeds.query import Query

Render = Callable[[Edition, Query], bytes]


@dataclass(frozen=True)
class Document:
    body: bytes
    etag: str
    gzip_body: bytes
    media_type: str
    last_modified: datetime

    @property
    def gzip_etag(self) -> str:
        return self.etag + "-gz"

    @classmethod
    def make(cls, body: bytes, media_type: str, last_modified: datetime) -> Document:
        """``etag`` is unquoted: Werkzeug quotes it when it sets the header."""
        etag = hashlib.sha256(body).hexdigest()[:32]
        return cls(body, etag, gzip.compress(body, 6, mtime=0), media_type, last_modified)


@dataclass(frozen=True)
class Renderer:
    """``calendar_options``: the renderer reads the calendar-only query choices."""

    path: str
    render: Render
    media_type: str
    calendar_options: bool = False


class Snapshot:
    """One catalogue's documents. Immutable but for the variant cache, which is
    guarded by a lock and bounded by ``max_variants``."""

    def __init__(
        self,
        edition: Edition,
        renderers: dict[str, Renderer],
        digest: str,
        last_modified: datetime,
        max_variants: int = 256,
    ) -> None:
        self.edition = edition
        self.renderers = renderers
        self.digest = digest
        self.last_modified = last_modified
        self.documents = {
            path: self._render(renderer, Query()) for path, renderer in renderers.items()
        }
        self._variants: OrderedDict[tuple[str, str], Document] = OrderedDict()
        self._max_variants = max_variants
        self._lock = threading.Lock()

    def _render(self, renderer: Renderer, query: Query) -> Document:
        body = renderer.render(self.edition, query)
        return Document.make(body, renderer.media_type, self.last_modified)

    def document(self, path: str, query: Query) -> Document:
        """The document at ``path`` for ``query``, rendered at most once per snapshot
        while it stays among the ``max_variants`` most recently used."""
        renderer = self.renderers[path]
        if not renderer.calendar_options:
            query = query.without_calendar_options()
        if query.is_empty:
            return self.documents[path]
        key = (path, query.canonical())
        with self._lock:
            found = self._variants.get(key)
            if found is not None:
                self._variants.move_to_end(key)
                return found
        document = self._render(renderer, query)
        with self._lock:
            self._variants[key] = document
            while len(self._variants) > self._max_variants:
                self._variants.popitem(last=False)
        return document

    @property
    def variant_count(self) -> int:
        return len(self._variants)
