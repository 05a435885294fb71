"""JSON Feed 1.1: golden file (``UPDATE_GOLDEN=1`` rewrites ``tests/golden/feed.json``),
the specification's rules, identity and safety."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jsonfeed_schema import problems

from catalogs import golden_edition
from feeds.items import feed_items
from feeds.jsonfeed import MEDIA_TYPE, render_json_feed
from feeds.model import Edition, NewsItem
from feeds.query import Query

GOLDEN = Path(__file__).parent / "golden" / "feed.json"
MOMENT = datetime(2026, 1, 23, tzinfo=UTC)


def document(edition: Edition | None = None, query: Query | None = None) -> dict[str, Any]:
    return json.loads(render_json_feed(edition or golden_edition(), query or Query()))


def test_json_feed_matches_golden_file() -> None:
    body = render_json_feed(golden_edition(), Query())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(body)
    assert body == GOLDEN.read_bytes(), "feed.json differs; UPDATE_GOLDEN=1 rewrites it"


def test_json_feed_follows_the_1_1_specification() -> None:
    assert problems(document()) == []


def test_filtered_json_feed_follows_the_1_1_specification() -> None:
    query = Query(shows=frozenset({"space-cops"}), tags=frozenset({"sci-fi"}))
    assert problems(document(query=query)) == []


def test_the_checker_notices_a_broken_feed() -> None:
    broken = document()
    del broken["items"][0]["id"]
    broken["items"][1]["date_published"] = "yesterday"
    broken["itmes"] = []
    assert len(problems(broken)) == 3


def test_media_type_is_the_json_feed_one() -> None:
    assert MEDIA_TYPE == "application/feed+json"


def test_body_is_utf8_with_the_version_first_and_a_final_newline() -> None:
    body = render_json_feed(golden_edition(), Query(shows=frozenset({"space-cops"})))
    assert body.startswith(b'{\n  "version": "https://jsonfeed.org/version/1.1",')
    assert body.endswith(b"}\n")
    assert "Premiere Feeds — Space Cops".encode() in body


def test_feed_url_is_the_document_url_with_the_normalised_query() -> None:
    query = Query(platforms=frozenset({"netflix", "disney+"}))
    feed = document(query=query)
    assert feed["feed_url"] == "https://premieres.example/feed.json?platform=disney%2B,netflix"
    assert feed["home_page_url"] == "https://premieres.example/"


def test_feed_names_its_authors_and_language() -> None:
    feed = document()
    assert feed["authors"] == [{"name": "Premiere Feeds"}]
    assert feed["language"] == "en"


def test_items_carry_the_shared_ids_dates_and_tags() -> None:
    items = feed_items(golden_edition(), Query())
    rendered = document()["items"]
    assert [i["id"] for i in rendered] == [item.id for item in items]
    assert rendered[0]["date_published"] == items[0].published.isoformat()
    assert rendered[0]["tags"] == list(items[0].tags)


def test_hostile_news_body_is_sanitised_in_html_and_text() -> None:
    news = NewsItem(
        id="odd",
        published=MOMENT,
        title="Odd",
        body='Hi <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">c</a>',
    )
    edition = golden_edition()
    catalog = dataclasses.replace(edition.catalog, news=(news,))
    items = document(dataclasses.replace(edition, catalog=catalog))["items"]
    item = next(i for i in items if i["id"].endswith(":news/odd"))
    for danger in ("<script", "alert(", "onclick", "javascript:"):
        assert danger not in item["content_html"]
        assert danger not in item["content_text"]


def test_two_renders_are_byte_identical() -> None:
    query = Query(tags=frozenset({"k-drama", "sci-fi", "horror"}))
    assert render_json_feed(golden_edition(), query) == render_json_feed(golden_edition(), query)
