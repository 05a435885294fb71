"""Hostile text in events.yaml: handled as text everywhere, or refused with a clear message,
and never a change to what the service serves until a good file appears."""

from __future__ import annotations

import html.parser
import json
import os
import time

import feedparser
import icalendar
import pytest
from lxml import etree
from rendered import HEADER, render_all, render_yaml

from feeds.loader import load_catalog, parse_catalog
from feeds.problems import CatalogError
from service_fixtures import make_app, make_settings

INJECTION = (
    "x\\r\\nATTENDEE:mailto:evil@example.com\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nUID:evil"
)
MARKUP = "</title><script>alert(1)</script> ]]> & <b>bold</b>"
FEEDS = ("/rss.xml", "/atom.xml")


def premiere_yaml(**fields: str) -> str:
    values = {"title": "Season 2", "date": "2026-01-23", "status": "confirmed", **fields}
    lines = ["premieres:", "  - id: zs-s2", "    show: zombies"]
    lines += [f"    {key}: {value}" for key, value in values.items()]
    return HEADER + "\n".join(lines) + "\n"


def news_yaml(title: str, body: str = "Body.", **fields: str) -> str:
    lines = ["news:", "  - id: n1", "    published: 2026-01-01T09:00:00Z"]
    lines += [f"    title: {title}", f"    body: {body}"]
    lines += [f"    {key}: {value}" for key, value in fields.items()]
    return HEADER + "\n".join(lines) + "\n"


def only_problem(text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert len(caught.value.problems) == 1, caught.value
    return caught.value.problems[0]


def calendar_events(documents: dict[str, bytes]) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(documents["/calendar.ics"])
    return list(calendar.walk("VEVENT"))


# iCalendar property injection


def test_a_crlf_attendee_in_a_title_adds_no_property_to_the_calendar():
    documents = render_yaml(premiere_yaml(title=f'"{INJECTION}"'))
    (event,) = calendar_events(documents)
    assert "ATTENDEE" not in event
    assert b"\r\nATTENDEE" not in documents["/calendar.ics"]
    assert "ATTENDEE:mailto:evil@example.com" in str(event["SUMMARY"])


def test_a_crlf_attendee_in_a_description_adds_no_property_or_event():
    documents = render_yaml(premiere_yaml(description=f'"{INJECTION}"'))
    (event,) = calendar_events(documents)
    assert "ATTENDEE" not in event
    assert str(event["UID"]) == "zs-s2@premieres.example"
    assert "\nATTENDEE:mailto:evil@example.com\nEND:VEVENT" in str(event["DESCRIPTION"])


# Markup injection in RSS, Atom and the page


@pytest.mark.parametrize("path", FEEDS)
def test_markup_in_a_news_title_stays_text_in_the_feed(path):
    documents = render_yaml(news_yaml(json.dumps(MARKUP)))
    root = etree.fromstring(documents[path])
    assert not root.xpath("//*[local-name()='script' or local-name()='b']")
    assert feedparser.parse(documents[path]).entries[0].title == MARKUP


@pytest.mark.parametrize("path", FEEDS)
def test_cdata_terminators_in_descriptions_keep_the_feed_well_formed(path):
    documents = render_yaml(premiere_yaml(description='"a ]]> b <![CDATA[ c"'))
    etree.fromstring(documents[path])  # strict: raises on any markup leak
    content = feedparser.parse(documents[path]).entries[0].content[0].value
    assert "a ]]&gt; b &lt;![CDATA[ c" in content


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def page_elements(page: bytes) -> _Elements:
    parser = _Elements()
    parser.feed(page.decode("utf-8"))
    return parser


def test_markup_in_titles_adds_no_element_to_the_page():
    text = premiere_yaml(title=json.dumps(MARKUP)) + news_yaml(json.dumps(MARKUP))[len(HEADER) :]
    page = render_yaml(text)["/"]
    elements = page_elements(page)
    assert "script" not in elements.tags and "b" not in elements.tags
    assert b"&lt;/title&gt;&lt;script&gt;" in page


# URLs


@pytest.mark.parametrize(
    "text",
    [
        premiere_yaml(url='"javascript:alert(1)"'),
        premiere_yaml(image='"JaVaScRiPt:alert(1)"'),
        premiere_yaml(source='{name: x, url: "javascript:alert(1)"}'),
        news_yaml("Hi", links='[{title: x, url: "javascript:alert(1)"}]'),
        HEADER.replace("https://premieres.example", '"javascript://premieres.example"'),
    ],
    ids=["premiere-url", "image", "source-url", "news-link", "base-url"],
)
def test_a_javascript_url_in_any_url_field_is_refused(text):
    problem = only_problem(text)
    assert "not an http(s) URL" in problem.message and problem.field in {"url", "image", "base_url"}


def test_a_javascript_link_in_a_news_body_is_never_a_link():
    body = '"[x](javascript:alert(1)) <a href=\\"javascript:alert(2)\\">y</a>"'
    documents = render_yaml(news_yaml("Hi", body))
    for path in ("/rss.xml", "/atom.xml", "/feed.json", "/"):  # the API carries the Markdown
        assert b'href="javascript' not in documents[path].lower().replace(b"\\", b""), path
    assert not [v for k, v in page_elements(documents["/"]).attributes if "javascript" in (v or "")]


# Characters


def test_control_characters_in_a_title_are_removed_everywhere():
    loaded = parse_catalog(premiere_yaml(title='"Sea\\x1bson\\x7f 2\\x9b\\x00"').encode())
    assert loaded.catalog.premieres[0].title == "Season 2"
    assert [w.field for w in loaded.warnings] == ["title"]
    for path in FEEDS:
        etree.fromstring(render_all(loaded)[path])


def test_a_lone_surrogate_is_refused_with_its_line():
    problem = only_problem(premiere_yaml(title='"Season \\ud800"'))
    assert problem.line == 12 and "invalid Unicode" in problem.message


def test_right_to_left_marks_and_emoji_survive_in_every_document():
    title = "\u202bموسم\u200f 2 \U0001f9df\u200d\u2642\ufe0f"
    documents = render_yaml(premiere_yaml(title=json.dumps(title, ensure_ascii=False)))
    (event,) = calendar_events(documents)
    assert str(event["SUMMARY"]).endswith(title)
    assert title in feedparser.parse(documents["/atom.xml"]).entries[0].title
    assert json.loads(documents["/api/events"])["premieres"][0]["title"] == title
    assert title.encode() in documents["/"]


# Size and shape


def test_a_10_mb_description_is_refused_quickly_naming_the_limit():
    started = time.monotonic()
    problem = only_problem(premiere_yaml(description='"' + "x" * 10_000_000 + '"'))
    assert problem.field == "description" and "at most 20,000" in problem.message
    assert time.monotonic() - started < 5


def test_100_000_premieres_load():
    rows = "".join(
        f"  - {{id: p{i}, show: zombies, title: E{i}, date: 2026-01-23, status: confirmed}}\n"
        for i in range(100_000)
    )
    loaded = parse_catalog((HEADER + "premieres:\n" + rows).encode())
    assert len(loaded.catalog.premieres) == 100_000


def test_deep_block_nesting_is_refused_before_parsing():
    deep = "".join(" " * depth + "- \n" for depth in range(0, 1000, 2))
    assert "nested too deeply" in only_problem(HEADER + "news:\n" + deep).message


def test_a_fifo_instead_of_a_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "events.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError) as caught:
        load_catalog(fifo)
    assert "not a regular file" in str(caught.value)


# The service keeps serving


def _bomb() -> bytes:
    lines = ["x-anchors:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return ("\n".join(lines) + "\n" + premiere_yaml(tags="*a8")).encode()


HOSTILE_FILES = {
    "not-utf8": premiere_yaml(title="Caf\xe9").encode("latin-1"),
    "deep-nesting": b"calendar: " + b"[" * 100_000,
    "alias-bomb": _bomb(),
    "duplicate-key": (premiere_yaml() + "    title: Again\n").encode(),
    "huge-description": premiere_yaml(description="x" * 30_000).encode(),
    "lone-surrogate": premiere_yaml(title='"\\udfff"').encode(),
    "empty": b"",
    "directory": None,
    "fifo": None,
}


def _put(path, name: str) -> None:
    path.unlink()
    if name == "directory":
        path.mkdir()
    elif name == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(HOSTILE_FILES[name])


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_file_changes_nothing_served_until_a_good_one_appears(tmp_path, name):
    settings = make_settings(tmp_path)
    good = settings.events_file.read_bytes()
    app, publisher = make_app(settings)
    client = app.test_client()
    before = {path: client.get(path).data for path in ("/", "/calendar.ics", "/rss.xml")}
    _put(settings.events_file, name)
    publisher.refresh()
    assert {path: client.get(path).data for path in before} == before
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded" and health["error"]["message"]
    if settings.events_file.is_dir():
        settings.events_file.rmdir()
    else:
        settings.events_file.unlink()
    settings.events_file.write_bytes(good)
    publisher.refresh()
    assert client.get("/healthz").get_json()["status"] == "ok"
