"""Finishing a rendered body: its ETag (a content hash) and its gzip, made once.

The gzip is one member whose deflate stream is made of independent chunks, each
compressed on its own and ended on a byte boundary (a sync flush), as ``pigz
--independent`` does. Deflate looks back only 32 KiB, so this costs next to nothing in
size, and it buys two things. The chunks of a large body, its CRC and its hash can be
worked out at the same time on several cores (zlib and hashlib let go of the GIL on
large buffers). And a chunk whose bytes the last build of the same document already
compressed is not compressed again: chunks end at newlines chosen by the text after
them (``spans_of``), so an edit changes the chunk it falls in and seldom another, and
after a one-premiere edit most chunks are the last build's.

The bytes depend on the body alone: never on the last build, nor on how many threads
made them (the header says mtime 0 and an unknown OS: the same on every machine).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from concurrent.futures import Executor, Future
from itertools import accumulate, pairwise

LEVEL = 6
CHUNK = 1 << 20
_HEADER = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])  # deflate, no name, mtime 0
_WINDOW = 1 << 14  # bytes split into lines at a time when looking for a chunk's end
_SCAN = 4 * CHUNK  # past this without a marked line, a chunk ends at the next line
Packed = bytes | memoryview
"""A compressed chunk: made here, or a view of the last build's gzip member."""


def etag(body: bytes) -> str:
    """Unquoted: Werkzeug quotes it when it sets the header."""
    return hashlib.sha256(body).hexdigest()[:32]


def gzipped(body: bytes) -> bytes:
    """The gzip of ``body``, made here."""
    spans = spans_of(body)
    last = len(spans) - 1
    chunks = [_deflate(memoryview(body)[a:b], i == last) for i, (a, b) in enumerate(spans)]
    return _member(body, zlib.crc32(body), chunks)


class Chunks:
    """A finished body's compressed chunks, found by their bytes. The chunks are views
    of the body's gzip member, which its document holds anyway."""

    def __init__(self, body: bytes, spans: list[tuple[int, int]], compressed: list[Packed]):
        self.body = body
        last = len(spans) - 1
        self._found = {
            _key(body, span, i == last): (span, packed)
            for i, (span, packed) in enumerate(zip(spans, compressed, strict=True))
        }

    def find(self, body: bytes, span: tuple[int, int], last: bool) -> Packed | None:
        """The compressed chunk of ``body[span]``, if this body had one with those bytes."""
        found = self._found.get(_key(body, span, last))
        if found is None:
            return None
        (start, end), packed = found  # as long as the span: the length is in the key
        return packed if body.startswith(memoryview(self.body)[start:end], span[0]) else None


class Finishing:
    """The ETag and gzip of one body, being made on ``pool`` while the caller goes on
    (rendering the next document, say), reusing the chunks of ``previous``."""

    def __init__(self, body: bytes, pool: Executor, previous: Chunks | None = None) -> None:
        self.body = body
        self._spans = spans_of(body)
        self._etag = pool.submit(etag, body)
        self._crc: Future[int] = pool.submit(zlib.crc32, body)
        last = len(self._spans) - 1
        self._chunks = [
            pool.submit(_compress, body, span, i == last, previous)
            for i, span in enumerate(self._spans)
        ]
        self._member: bytes | None = None
        self._sizes: list[int] = []

    def result(self) -> tuple[str, bytes]:
        """The ETag and the gzip: the same as ``etag(body)`` and ``gzipped(body)``. Once
        the gzip is made, the chunks it was joined from are let go."""
        if self._member is None:
            chunks = [chunk.result() for chunk in self._chunks]
            self._sizes = [len(chunk) for chunk in chunks]
            self._member = _member(self.body, self._crc.result(), chunks)
            self._chunks = []
        return self._etag.result(), self._member

    def chunks(self) -> Chunks:
        """This body's chunks, for the next build of the same document."""
        _, member = self.result()
        ends = list(accumulate(self._sizes, initial=len(_HEADER)))
        view = memoryview(member)
        return Chunks(self.body, self._spans, [view[a:b] for a, b in pairwise(ends)])


def spans_of(body: bytes) -> list[tuple[int, int]]:
    """Where each chunk of ``body`` starts and ends (an empty body has one chunk). The
    N-th chunk ends where the first marked line from N * ``CHUNK`` on starts. A line is
    marked by its own bytes, so an end does not move when an edit before it shifts the
    text, unless a marked line comes within the shift of N * ``CHUNK``."""
    ends = [0]
    while (end := _marked_newline(body, max(len(ends) * CHUNK, ends[-1] + 1))) is not None:
        ends.append(end)
    ends.append(len(body))
    return list(pairwise(ends))


def _marked_newline(body: bytes, at: int) -> int | None:
    """Where the first marked line from ``at`` starts: a whole line (after a newline)
    whose CRC is 0 in 256. Past ``_SCAN`` bytes without one, the next line; ``None``
    when the rest of the body is the last chunk."""
    limit = at + _SCAN
    while at + _WINDOW < len(body):
        lines = body[at : at + _WINDOW].split(b"\n")
        start = at + len(lines[0]) + 1  # the line after the first newline
        for line in lines[1:-1]:  # the last one may go on past the window
            if zlib.crc32(line) & 255 == 0 or start >= limit:
                return start
            start += len(line) + 1
        at = start - 1 if len(lines) > 2 else at + _WINDOW
    return None


def _key(body: bytes, span: tuple[int, int], last: bool) -> tuple:
    start, end = span
    return end - start, body[start : start + 64], body[max(start, end - 64) : end], last


def _compress(body: bytes, span: tuple[int, int], last: bool, previous: Chunks | None) -> Packed:
    found = previous.find(body, span, last) if previous is not None else None
    return found if found is not None else _deflate(memoryview(body)[span[0] : span[1]], last)


def _deflate(chunk: memoryview, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    flush = zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    return compressor.compress(chunk) + compressor.flush(flush)


def _member(body: bytes, crc: int, chunks: list[Packed]) -> bytes:
    trailer = struct.pack("<II", crc, len(body) & 0xFFFFFFFF)
    return b"".join([_HEADER, *chunks, trailer])
