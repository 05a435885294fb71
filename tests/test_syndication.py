"""RSS and Atom: golden files, independent parsing, identity, dates and safety.

Golden files: ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_syndication.py
tests/test_jsonfeed.py`` rewrites ``tests/golden/feed.rss.xml``, ``feed.atom.xml`` and
``feed.json``; review the diff before keeping it.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from catalogs import SEOUL, golden_edition, sample_edition
from feeds.items import feed_items
from feeds.model import Edition, NewsItem
from feeds.query import Query
from feeds.syndication import render_atom, render_rss

Renderer = Callable[[Edition, Query], bytes]
GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parent.parent
MOMENT = datetime(2026, 1, 23, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
RENDERERS = pytest.mark.parametrize("render", [render_rss, render_atom], ids=["rss", "atom"])
HOSTILE_BODY = (
    'Hi <script>alert("s")</script>'
    '<a href="javascript:alert(1)" onclick="steal()">click</a>'
    "<img src=x onerror=alert(2)>"
)
MARKUP_TITLE = "Evil </title><script>alert(1)</script> ]]> & <b>bold</b>"


def with_news(edition: Edition, **fields: object) -> Edition:
    news = NewsItem(id="odd", published=datetime(2026, 1, 20, tzinfo=SEOUL), title="Odd")
    news = dataclasses.replace(news, **fields)
    catalog = dataclasses.replace(edition.catalog, news=(*edition.catalog.news, news))
    return dataclasses.replace(edition, catalog=catalog)


def with_calendar(edition: Edition, **fields: object) -> Edition:
    calendar = dataclasses.replace(edition.catalog.calendar, **fields)
    catalog = dataclasses.replace(edition.catalog, calendar=calendar)
    return dataclasses.replace(edition, catalog=catalog)


def check_golden(name: str, body: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(body)
    assert body == path.read_bytes(), f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


def parse(body: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_rss_matches_golden_file() -> None:
    check_golden("feed.rss.xml", render_rss(golden_edition(), Query()))


def test_atom_matches_golden_file() -> None:
    check_golden("feed.atom.xml", render_atom(golden_edition(), Query()))


@RENDERERS
def test_feedparser_reads_every_entry_with_id_title_link_and_date(render: Renderer) -> None:
    parsed = parse(render(golden_edition(), Query()))
    assert len(parsed.entries) == len(feed_items(golden_edition(), Query()))
    for entry in parsed.entries:
        assert entry.get("id") and entry.get("title") and entry.get("link")
        assert entry.get("published_parsed") or entry.get("updated_parsed")


@RENDERERS
def test_entry_ids_are_unique_tag_uris(render: Renderer) -> None:
    ids = [entry.id for entry in parse(render(golden_edition(), Query())).entries]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("tag:premieres.example,2025:") for i in ids)


def test_rss_guid_is_not_a_permalink() -> None:
    root = etree.fromstring(render_rss(golden_edition(), Query()))
    assert {g.get("isPermaLink") for g in root.iter("guid")} == {"false"}


def test_feed_updated_is_the_newest_item_update_not_build_time() -> None:
    newest = max(item.updated for item in feed_items(golden_edition(), Query()))
    rss = etree.fromstring(render_rss(golden_edition(), Query()))
    atom = etree.fromstring(render_atom(golden_edition(), Query()))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 22 Jan 2026 23:00:00 +0000"
    assert atom.findtext(f"{ATOM}updated") == newest.isoformat()


def test_empty_feed_is_dated_at_a_fixed_instant() -> None:
    edition = with_calendar(golden_edition(), feed_items=0)
    atom = etree.fromstring(render_atom(edition, Query()))
    assert atom.findtext(f"{ATOM}updated") == "2000-01-01T00:00:00+00:00"


def test_atom_entry_updated_is_its_own_last_change() -> None:
    edition = golden_edition()
    edition.stamps["sc-s1"] = dataclasses.replace(
        edition.stamps["sc-s1"], modified=datetime(2025, 11, 5, 7, 30, tzinfo=UTC)
    )
    entries = etree.fromstring(render_atom(edition, Query())).iter(f"{ATOM}entry")
    entry = next(e for e in entries if e.findtext(f"{ATOM}id").endswith("premiere/sc-s1"))
    assert entry.findtext(f"{ATOM}updated") == "2025-11-05T07:30:00+00:00"
    assert entry.findtext(f"{ATOM}published") == "2025-08-01T09:00:00+00:00"


@RENDERERS
def test_no_feedgen_default_leaks_into_the_document(render: Renderer) -> None:
    body = render(golden_edition(), Query())
    assert b"python-feedgen" not in body and b"lkiesow" not in body


def test_rss_self_link_is_the_document_url_with_the_normalised_query() -> None:
    query = Query(tags=frozenset({"k-drama", "horror"}), shows=frozenset({"zombie-school"}))
    channel = etree.fromstring(render_rss(golden_edition(), query)).find("channel")
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == (
        "https://premieres.example/rss.xml?show=zombie-school&tag=horror,k-drama"
    )


def test_atom_self_link_is_the_document_url_with_the_normalised_query() -> None:
    query = Query(platforms=frozenset({"netflix"}))
    root = etree.fromstring(render_atom(golden_edition(), query))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://premieres.example/atom.xml?platform=netflix",
        "alternate": "https://premieres.example/",
    }


def test_self_link_without_a_query_has_no_question_mark() -> None:
    channel = etree.fromstring(render_rss(golden_edition(), Query())).find("channel")
    assert channel.find(f"{ATOM}link").get("href") == "https://premieres.example/rss.xml"


def test_rss_channel_link_is_the_site_not_the_self_link() -> None:
    channel = etree.fromstring(render_rss(golden_edition(), Query())).find("channel")
    assert channel.findtext("link") == "https://premieres.example/"


@RENDERERS
def test_feed_title_names_the_show_when_one_is_selected(render: Renderer) -> None:
    parsed = parse(render(golden_edition(), Query(shows=frozenset({"space-cops"}))))
    assert parsed.feed.title == "Premiere Feeds — Space Cops"


@RENDERERS
def test_show_filter_narrows_the_entries(render: Renderer) -> None:
    parsed = parse(render(golden_edition(), Query(shows=frozenset({"space-cops"}))))
    assert parsed.entries and all("/sc-" in entry.id for entry in parsed.entries)


def hostile_html(render: Renderer) -> str:
    edition = with_news(golden_edition(), body=HOSTILE_BODY)
    root = etree.fromstring(render(edition, Query()))
    if root.tag == "rss":
        item = next(i for i in root.iter("item") if i.findtext("guid").endswith("news/odd"))
        return item.findtext(CONTENT)
    entry = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("odd"))
    return entry.findtext(f"{ATOM}content")


@RENDERERS
def test_hostile_news_body_loses_script_handlers_and_javascript_links(render: Renderer) -> None:
    html = hostile_html(render)
    assert "<a " in html and "click" in html
    for danger in ("<script", "alert(", "onclick", "onerror", "javascript:"):
        assert danger not in html


@RENDERERS
def test_markup_in_titles_stays_text(render: Renderer) -> None:
    edition = with_calendar(with_news(golden_edition(), title=MARKUP_TITLE), name=MARKUP_TITLE)
    root = etree.fromstring(render(edition, Query()))
    assert not list(root.iter("script", "b", f"{ATOM}script"))
    titles = [t.text for t in root.iter("title", f"{ATOM}title")]
    assert titles[0] == MARKUP_TITLE
    assert MARKUP_TITLE in titles[1:]


@RENDERERS
def test_control_characters_in_text_do_not_break_the_document(render: Renderer) -> None:
    edition = with_news(golden_edition(), title="Bell\x07 and null\x00", body="a\x1bb")
    titles = [entry.title for entry in parse(render(edition, Query())).entries]
    assert "Bell and null" in titles


def test_calendar_image_becomes_rss_image_and_atom_logo_and_icon() -> None:
    edition = with_calendar(golden_edition(), image="https://premieres.example/logo.png")
    rss = etree.fromstring(render_rss(edition, Query())).find("channel")
    atom = etree.fromstring(render_atom(edition, Query()))
    assert rss.findtext("image/url") == "https://premieres.example/logo.png"
    assert rss.findtext("image/link") == "https://premieres.example/"
    assert atom.findtext(f"{ATOM}logo") == atom.findtext(f"{ATOM}icon")
    assert atom.findtext(f"{ATOM}logo") == "https://premieres.example/logo.png"


@RENDERERS
def test_two_renders_are_byte_identical(render: Renderer) -> None:
    query = Query(tags=frozenset({"k-drama", "sci-fi", "horror"}))
    assert render(golden_edition(), query) == render(golden_edition(), query)


SCRIPT = """
import sys
from datetime import UTC, datetime
from catalogs import golden_edition, sample_edition
from feeds.jsonfeed import render_json_feed
from feeds.query import Query
from feeds.syndication import render_atom, render_rss
edition = sample_edition(datetime(2026, 1, 23, tzinfo=UTC))
shows = frozenset({"zombie-school", "space-cops"})
query = Query(shows=shows, tags=frozenset({"k-drama", "sci-fi"}))
for render in (render_rss, render_atom, render_json_feed):
    sys.stdout.buffer.write(render(edition, query))
"""


def render_elsewhere(hash_seed: str) -> bytes:
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    env = {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, check=True
    )
    return done.stdout


def test_render_in_other_processes_gives_identical_bytes() -> None:
    from feeds.jsonfeed import render_json_feed

    edition = sample_edition(MOMENT)
    query = Query(
        shows=frozenset({"zombie-school", "space-cops"}), tags=frozenset({"k-drama", "sci-fi"})
    )
    here = b"".join(r(edition, query) for r in (render_rss, render_atom, render_json_feed))
    assert render_elsewhere("1") == here
    assert render_elsewhere("2") == here
