"""The lean path for polls: answer document requests straight from the snapshot.

Polling is the whole workload, and almost every poll is answered ``304``. Going
through Flask (request context, routing, Werkzeug's response object, ``after_request``)
costs several times what the answer itself does, so this WSGI middleware answers
``GET``/``HEAD`` of an unfiltered document before Flask sees it: with header lists
made once per document and representation (identity or gzip) and a body that already
exists. It gives exactly the status, headers and body the Flask view gives
(``tests/test_fastpath.py`` compares the two for the whole conditional-GET matrix).

Filtered documents (``?show=…``) are answered here too, parsed as Flask parses them
and looked up in the snapshot's variant cache. Everything else falls through to Flask
unchanged: other paths and methods, a query string that is too long or names an
unknown show (Flask's ``414`` and ``400``), ``If-Match`` and ``Range`` (rare and
subtle), and the ``503`` before the first snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from werkzeug.datastructures import Accept
from werkzeug.http import http_date, parse_accept_header
from werkzeug.sansio.http import is_resource_modified
from werkzeug.wrappers import Request

from feeds.publisher import Publisher
from feeds.query import BadQuery, parse_query
from feeds.store import Document, Snapshot
from feeds.views import MAX_QUERY_BYTES, SECURITY_HEADERS

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
Headers = list[tuple[str, str]]
_SECURITY = list(SECURITY_HEADERS.items())
_FALL_THROUGH = ("HTTP_IF_MATCH", "HTTP_RANGE")
_MAX_VARIANTS = 1024
_MAX_ENCODINGS = 256


@dataclass(frozen=True)
class Representation:
    """One document in one content coding, with its answers' headers made once.
    ``Date`` is added per response (it is the only header that changes)."""

    body: bytes
    etag: str  # quoted, as sent
    last_modified: str
    ok_headers: Headers
    not_modified_headers: Headers

    def not_modified(self, environ: dict) -> bool:
        """RFC 9110 §13.2.2: If-None-Match (weak comparison, lists, ``*``) decides when
        present; If-Modified-Since only when it is absent. The exact ETag, what a poller
        sends back, is answered without parsing anything."""
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match == self.etag:
            return True
        if not if_none_match and not environ.get("HTTP_IF_MODIFIED_SINCE"):
            return False
        return not is_resource_modified(
            http_if_modified_since=environ.get("HTTP_IF_MODIFIED_SINCE"),
            http_if_none_match=if_none_match,
            etag=self.etag,
            last_modified=self.last_modified,
        )


def represent(document: Document, gzipped: bool, max_age: int, cors: bool) -> Representation:
    """The headers the Flask view (``views._conditional``) sends, in its order."""
    etag = f'"{document.gzip_etag if gzipped else document.etag}"'
    body = document.gzip_body if gzipped else document.body
    last_modified = http_date(document.last_modified)
    caching = [("ETag", etag)]
    common = [("Vary", "Accept-Encoding"), ("Cache-Control", f"public, max-age={max_age}")]
    if cors:
        common.append(("Access-Control-Allow-Origin", "*"))
    entity = [("Content-Type", document.media_type), ("Content-Length", str(len(body)))]
    if gzipped:
        entity.append(("Content-Encoding", "gzip"))
    ok = [*entity, *caching, ("Last-Modified", last_modified), *common]
    return Representation(body, etag, last_modified, ok, [*caching, *common])


class FastPath:
    """WSGI middleware: wraps ``app.wsgi_app``; see the module docstring."""

    def __init__(self, app: WSGIApp, publisher: Publisher, max_age: int) -> None:
        self.app = app
        self.publisher = publisher
        self.max_age = max_age
        self._table: tuple[Snapshot | None, dict, dict] = (None, {}, {})
        self._gzip: dict[str, bool] = {}
        self._date: tuple[int, str] = (0, "")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        snapshot = self.publisher.state.snapshot
        if (
            snapshot is None
            or environ["REQUEST_METHOD"] not in ("GET", "HEAD")
            or any(environ.get(key) for key in _FALL_THROUGH)
        ):
            return self.app(environ, start_response)
        pair = self._representations(snapshot, environ)
        if pair is None:
            return self.app(environ, start_response)
        chosen = pair[self._accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))]
        if chosen.not_modified(environ):
            start_response("304 NOT MODIFIED", self._finish(chosen.not_modified_headers))
            return []
        start_response("200 OK", self._finish(chosen.ok_headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [chosen.body]

    def _representations(
        self, snapshot: Snapshot, environ: dict
    ) -> tuple[Representation, Representation] | None:
        """The document's two representations, or ``None`` to let Flask answer."""
        table_snapshot, table, variants = self._table
        if table_snapshot is not snapshot:
            table = {path: self._pair(path, doc) for path, doc in snapshot.documents.items()}
            variants = {}
            self._table = (snapshot, table, variants)  # replaced whole, in one assignment
        path = environ.get("PATH_INFO")
        query_string = environ.get("QUERY_STRING")
        if not query_string or path not in table:
            return table.get(path)
        document = self._variant(snapshot, path, environ)
        if document is None:
            return None
        found = variants.get(id(document))
        if found is None or found[0] is not document:
            if len(variants) >= _MAX_VARIANTS:
                variants.clear()
            found = variants[id(document)] = (document, self._pair(path, document))
        return found[1]

    def _pair(self, path: str, document: Document) -> tuple[Representation, Representation]:
        cors = path != "/"
        return (
            represent(document, False, self.max_age, cors),
            represent(document, True, self.max_age, cors),
        )

    @staticmethod
    def _variant(snapshot: Snapshot, path: str, environ: dict) -> Document | None:
        """The filtered document, with the query string read as the Flask view reads
        it; ``None`` where the view answers an error."""
        if len(environ["QUERY_STRING"]) > MAX_QUERY_BYTES:
            return None
        args = Request(environ).args.to_dict(flat=False)
        try:
            return snapshot.document(path, parse_query(args, snapshot.edition.catalog))
        except BadQuery:
            return None

    def _accepts_gzip(self, header: str | None) -> bool:
        """Werkzeug's reading of Accept-Encoding (q-values, ``*``), kept per header
        value: clients send the same few values again and again."""
        found = self._gzip.get(header or "")
        if found is None:
            found = parse_accept_header(header, Accept)["gzip"] > 0
            if len(self._gzip) >= _MAX_ENCODINGS:
                self._gzip.clear()
            self._gzip[header or ""] = found
        return found

    def _finish(self, headers: Headers) -> Headers:
        now = int(time.time())
        second, date = self._date
        if second != now:
            date = http_date(now)
            self._date = (now, date)
        return [*headers, ("Date", date), *_SECURITY]
