"""Finishing documents: a gzip any client reads, the same bytes however it was made."""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from catalogs import sample_edition
from feeds import finishing, store
from feeds.finishing import Finishing, etag, gzipped
from feeds.store import Document, Renderer, Snapshot
from service_fixtures import make_app, make_settings

LINES = "".join(f"SUMMARY:Show {n} Season {n % 7}\r\nUID:premiere-{n:05d}\r\n" for n in range(2000))
BODIES = [b"", b"x", LINES.encode(), b"BEGIN:VCALENDAR\r\n" * 5000, os.urandom(3000) + b"ab" * 4000]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of about a kilobyte, so that small bodies have many."""
    monkeypatch.setattr(finishing, "CHUNK", 1000)
    monkeypatch.setattr(finishing, "_WINDOW", 256)
    monkeypatch.setattr(finishing, "_SCAN", 4000)


@pytest.mark.parametrize("body", BODIES, ids=len)
def test_the_gzip_decompresses_to_the_body(body, small_chunks):
    assert gzip.decompress(gzipped(body)) == body
    assert zlib.decompress(gzipped(body), wbits=31) == body


def test_a_large_body_is_cut_into_chunks_at_line_starts(small_chunks):
    body = LINES.encode()
    spans = finishing.spans_of(body)
    assert len(spans) > 20 and spans[0][0] == 0 and spans[-1][1] == len(body)
    assert all(body[start - 1 : start] == b"\n" for start, _ in spans[1:])
    assert all(end == start for (_, end), (start, _) in pairwise(spans))


def test_a_body_of_one_repeated_line_is_still_cut(small_chunks):
    body = b"BEGIN:VCALENDAR\r\n" * 5000
    assert len(finishing.spans_of(body)) > 10


@pytest.mark.parametrize("body", BODIES, ids=len)
def test_finishing_on_threads_gives_the_same_bytes(body, small_chunks):
    with ThreadPoolExecutor(2) as pool:
        assert Finishing(body, pool).result() == (etag(body), gzipped(body))


def test_the_gzip_header_says_nothing_about_the_time_or_machine():
    header = gzipped(b"calendar")[:10]
    assert header == bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])


def test_the_etag_is_the_content_hash():
    assert etag(b"calendar") == hashlib.sha256(b"calendar").hexdigest()[:32]


def test_a_snapshot_document_is_the_one_made_alone(tmp_path):
    _, publisher = make_app(make_settings(tmp_path))
    snapshot = publisher.state.snapshot
    for document in snapshot.documents.values():
        made = Document.make(document.body, document.media_type, datetime(2026, 1, 1, tzinfo=UTC))
        assert (document.etag, document.gzip_body) == (made.etag, made.gzip_body)


def deflated(monkeypatch) -> list[int]:
    sizes: list[int] = []
    deflate = finishing._deflate

    def spy(chunk, last):
        sizes.append(len(chunk))
        return deflate(chunk, last)

    monkeypatch.setattr(finishing, "_deflate", spy)
    return sizes


def test_an_edit_recompresses_only_the_chunk_it_falls_in(small_chunks, monkeypatch):
    before = LINES.encode()
    after = before.replace(b"Show 1000 Season", b"Show 1000 (renamed) Season")
    with ThreadPoolExecutor(2) as pool:
        last_build = Finishing(before, pool)
        last_build.result()
        sizes = deflated(monkeypatch)
        finished = Finishing(after, pool, last_build.chunks()).result()
    assert len(sizes) == 1 and len(finishing.spans_of(after)) > 20
    assert finished == (etag(after), gzipped(after))  # the same as made afresh


def test_a_rebuild_of_unchanged_documents_compresses_nothing(tmp_path, monkeypatch):
    _, publisher = make_app(make_settings(tmp_path))
    before = publisher.state.snapshot.documents
    sizes = deflated(monkeypatch)
    assert publisher.refresh(force=True)
    assert sizes == []
    assert publisher.state.snapshot.documents == before


def test_the_chunks_kept_for_the_next_build_are_views_of_the_gzip(small_chunks):
    body = LINES.encode()
    spans = finishing.spans_of(body)
    with ThreadPoolExecutor(2) as pool:
        finished = Finishing(body, pool)
        _, member = finished.result()
        kept = finished.chunks()
        assert finished.result() == (etag(body), member)  # made once
    packed = [kept.find(body, span, i == len(spans) - 1) for i, span in enumerate(spans)]
    assert len(packed) > 20
    assert all(isinstance(chunk, memoryview) and chunk.obj is member for chunk in packed)
    assert b"".join([member[:10], *packed, member[-8:]]) == member


def sized_renderers(sizes: dict[str, int], guesses: dict[str, int], calls: list[str]):
    """Renderers whose bodies have ``sizes``, guessed at ``guesses`` bytes per premiere,
    that note each path they render in ``calls``."""

    def renderer(path: str) -> Renderer:
        def render(edition, query) -> bytes:
            calls.append(path)
            return b"x" * sizes[path]

        return Renderer(path, render, "text/plain", bytes_per_premiere=guesses[path])

    return {path: renderer(path) for path in sizes}


def test_a_cold_build_renders_the_documents_guessed_biggest_first(monkeypatch):
    monkeypatch.setattr(store, "_last_chunks", {})  # no build before this one
    calls: list[str] = []
    sizes = {"/bounded": 10, "/small": 10, "/big": 10}
    renderers = sized_renderers(sizes, {"/bounded": 0, "/small": 5, "/big": 50}, calls)
    Snapshot(sample_edition(), renderers, "digest", datetime(2026, 1, 1, tzinfo=UTC))
    assert calls == ["/big", "/small", "/bounded"]


def test_a_later_build_renders_the_documents_biggest_first_by_their_last_size(monkeypatch):
    monkeypatch.setattr(store, "_last_chunks", {})
    calls: list[str] = []
    sizes = {"/guessed-small": 5000, "/guessed-big": 10}
    renderers = sized_renderers(sizes, {"/guessed-small": 1, "/guessed-big": 100}, calls)
    for _ in range(2):
        snapshot = Snapshot(sample_edition(), renderers, "digest", datetime(2026, 1, 1, tzinfo=UTC))
    assert calls == ["/guessed-big", "/guessed-small", "/guessed-small", "/guessed-big"]
    assert list(snapshot.documents) == list(renderers)  # listed in the table's order
