"""Any catalogue the loader accepts renders to documents that parse back (icalendar,
feedparser, JSON) to the same events, ids and dates."""

from __future__ import annotations

import json
from datetime import UTC

import feedparser
import icalendar
from hypothesis import HealthCheck, assume, given, settings
from lxml import etree
from rendered import NOW, render_all
from strategies import catalogues

from feeds.api_fields import when_json
from feeds.loader import Loaded, parse_catalog
from feeds.model import AllDay, Timed
from feeds.problems import CatalogError

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def accepted(text: str) -> Loaded:
    try:
        return parse_catalog(text.encode("utf-8"))
    except CatalogError:
        assume(False)  # Hypothesis fails the test if this happens too often
        raise


@EXAMPLES
@given(catalogues())
def test_the_calendar_holds_every_exact_premiere_with_its_uid_and_start(text):
    loaded = accepted(text)
    events = icalendar.Calendar.from_ical(render_all(loaded)["/calendar.ics"]).walk("VEVENT")
    starts = {
        str(e["UID"]).removesuffix("@premieres.example"): e.decoded("DTSTART") for e in events
    }
    exact = {p.id: p.when for p in loaded.catalog.premieres if isinstance(p.when, AllDay | Timed)}
    assert starts.keys() == exact.keys()
    for ident, when in exact.items():
        if isinstance(when, AllDay):
            assert starts[ident] == when.day
        else:
            assert starts[ident].astimezone(UTC) == when.start.astimezone(UTC)


@EXAMPLES
@given(catalogues())
def test_rss_atom_and_json_feed_carry_the_same_items(text):
    documents = render_all(accepted(text))
    items = json.loads(documents["/feed.json"])["items"]
    expected = [(item["id"], item["title"]) for item in items]
    for path in ("/rss.xml", "/atom.xml"):
        parsed = feedparser.parse(documents[path])
        assert not parsed.bozo, parsed.bozo_exception
        assert [e.id for e in parsed.entries] == [i for i, _ in expected], path
        assert xml_items(documents[path]) == expected, path


def xml_items(document: bytes) -> list[tuple[str, str]]:
    """(id, title) of each RSS item or Atom entry, read with lxml: feedparser "repairs"
    text that looks like double-encoded UTF-8 (such as a title containing "Â¡"), so it
    cannot be the judge of whether our text survived."""
    root = etree.fromstring(document)
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        return [
            (e.findtext(f"{atom}id"), e.findtext(f"{atom}title")) for e in root.iter(f"{atom}entry")
        ]
    return [(i.findtext("guid"), i.findtext("title")) for i in root.iter("item")]


@EXAMPLES
@given(catalogues())
def test_the_api_carries_every_premiere_and_published_news_item(text):
    loaded = accepted(text)
    api = json.loads(render_all(loaded)["/api/events"])
    catalog = loaded.catalog
    got = {p["id"]: [p["title"], p["date"], p["status"]] for p in api["premieres"]}
    want = {p.id: (p.title, when_json(p.when), p.status.value) for p in catalog.premieres}
    assert got == json.loads(json.dumps(want))
    published = {n.id for n in catalog.news if n.published <= NOW}
    assert {n["id"] for n in api["news"]} == published


@EXAMPLES
@given(catalogues())
def test_the_page_never_carries_markup_from_the_catalogue(text):
    page = render_all(accepted(text))["/"]
    assert b"<script" not in page.lower() and b"<b>" not in page
