"""Rendered documents, kept whole: a ``Snapshot`` per catalogue change.

A snapshot is built completely before anyone sees it and then replaces the previous
one with a single assignment, so a request sees one catalogue's documents, never a mix.
Each document carries its body, a strong ETag (content hash), a gzip body made once,
its media type and Last-Modified; a snapshot's documents are hashed and compressed
(``feeds.finishing``) on two threads while the next one renders, and the compressed
chunks of the last build whose bytes did not change are reused. Filtered variants
(query strings) are rendered on first request and kept in a bounded LRU per snapshot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from feeds.finishing import Chunks, Finishing, etag, gzipped
from feeds.model import Edition
from feeds.query import Query

Render = Callable[[Edition, Query], bytes]
FINISHERS = 2  # threads finishing a snapshot's documents while the next one renders
# path -> the last build's compressed chunks of its unfiltered document, kept to be
# reused; they hold the body the snapshot holds anyway. They only spare work: a chunk
# is reused only when its bytes are equal.
_last_chunks: dict[str, Chunks] = {}


def _last_size(path: str) -> int:
    found = _last_chunks.get(path)
    return len(found.body) if found else 0


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
        return cls(body, etag(body), gzipped(body), media_type, last_modified)

    @classmethod
    def finished(cls, finishing: Finishing, media_type: str, last_modified: datetime) -> Document:
        """The document whose ETag and gzip ``finishing`` is making (same as ``make``)."""
        body_etag, gzip_body = finishing.result()
        return cls(finishing.body, body_etag, gzip_body, media_type, last_modified)


@dataclass(frozen=True)
class Renderer:
    """``calendar_options``: the renderer reads the calendar-only query choices.
    ``bytes_per_premiere``: about how much the document grows with each premiere (0 if
    its size is bounded), to guess its size at a cold build (``render_order``)."""

    path: str
    render: Render
    media_type: str
    calendar_options: bool = False
    bytes_per_premiere: int = 0


def render_order(renderers: dict[str, Renderer], edition: Edition) -> list[str]:
    """The paths of ``renderers``, the biggest body first: a body is hashed and
    compressed while the next ones render, so the biggest, rendered first, leave little
    finishing to wait for at the end. The size is the last build's; a cold build has
    none and guesses it from the number of premieres."""
    premieres = len(edition.catalog.premieres)

    def size(path: str) -> int:
        return _last_size(path) or renderers[path].bytes_per_premiere * premieres

    return sorted(renderers, key=lambda path: -size(path))


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
        self.documents = self._render_all()
        self._variants: OrderedDict[tuple[str, str], Document] = OrderedDict()
        self._max_variants = max_variants
        self._lock = threading.Lock()

    def _render_all(self) -> dict[str, Document]:
        """Every unfiltered document: each body is rendered here while the ones before
        it are hashed and compressed on the pool, reusing the last build's compressed
        chunks, the biggest first (``render_order``)."""
        order = render_order(self.renderers, self.edition)
        with ThreadPoolExecutor(FINISHERS, thread_name_prefix="finishing") as pool:
            finishing = {}
            for path in order:
                body = self.renderers[path].render(self.edition, Query())
                finishing[path] = Finishing(body, pool, _last_chunks.get(path))
            documents = {
                path: Document.finished(finishing[path], renderer.media_type, self.last_modified)
                for path, renderer in self.renderers.items()
            }
        _last_chunks.update((path, work.chunks()) for path, work in finishing.items())
        return documents

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
