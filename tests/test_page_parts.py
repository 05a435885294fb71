"""The subscribe page's rows and show blocks, kept across builds (``feeds.page_rows``,
``feeds.page_links``), never make a page other than one written from scratch: after
any edit, for the whole catalogue and every kind of filter, in any order of requests.
The links written in parts are what the template wrote from a ``Subscription``."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import pytest
from edited import EDITS, fresh, queries
from jinja2 import Environment
from markupsafe import escape

from catalogs import sample_edition
from feeds.markup import _html_text, html_text
from feeds.model import Status
from feeds.page import render_page
from feeds.page_links import links_html, quote_text, show_html, subscription
from feeds.query import Query, show_query
from generated import generated_edition


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_pieces_kept_from_before_an_edit_are_never_stale(edit):
    edition = generated_edition(300)
    for query in queries(edition):
        render_page(edition, query)  # keep every row and show block
    edited = edit(edition)
    warm = [render_page(edited, query) for query in queries(edition)]
    assert warm == [fresh(render_page, edited, query) for query in queries(edition)]


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_the_sample_page_after_an_edit_is_the_page_from_scratch(edit):
    edition = sample_edition()
    for query in queries(edition):
        render_page(edition, query)
    edited = edit(edition)
    for query in queries(edited):
        assert render_page(edited, query) == fresh(render_page, edited, query)


def test_a_filtered_page_between_two_whole_pages_changes_neither():
    edition = generated_edition(300)
    whole = fresh(render_page, edition, Query())
    one_show = Query(shows=frozenset({edition.catalog.shows[0].slug}))
    filtered = render_page(edition, one_show)
    assert render_page(edition, Query()) == whole
    assert render_page(edition, one_show) == filtered == fresh(render_page, edition, one_show)


@pytest.mark.parametrize(
    "text", ["plain", "<b>&amp;</b>", 'it\'s "quoted"', "a & b < c > d", "é — ü", ""]
)
def test_html_text_escapes_as_the_template_does(text):
    assert html_text(text) == _html_text(text) == str(escape(text))


SUBSCRIBE_LINKS = """\
{% macro subscribe_links(sub) %}
<ul class="buttons">
<li><a class="button primary" href="{{ sub.webcal }}">Subscribe in your calendar app</a></li>
<li><a class="button" href="{{ sub.google }}" rel="noopener noreferrer">Add to Google Calendar</a></li>
<li><a class="button" href="{{ sub.outlook }}" rel="noopener noreferrer">Add to Outlook</a></li>
</ul>
<p class="address">Calendar address: <a href="{{ sub.https }}"><code>{{ sub.https }}</code></a></p>
<p class="feeds">Feeds:
{% for feed in sub.feeds %}
<a href="{{ feed.url }}" type="{{ feed.media_type }}">{{ feed.label }}</a>{% if not loop.last %} ·{% endif %}

{% endfor %}
</p>
{% endmacro %}
{{ subscribe_links(sub) }}"""  # noqa: E501
"""The links as the template wrote them from a ``Subscription`` (the reference)."""


@pytest.mark.parametrize(
    ("base", "name"),
    [
        ("https://premieres.example", "Premiere Feeds"),
        ("https://premieres.example/sub/path/", "Séries & <Films> 'n' \"more\""),
        ("http://127.0.0.1:8000", "a:b/c?d=e#f"),
    ],
)
@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(shows=frozenset({"zombie-school"})),
        Query(shows=frozenset({"a b", "c&d"}), tags=frozenset({"k-drama"})),
        Query(platforms=frozenset({"disney+"}), statuses=frozenset({Status.CONFIRMED})),
    ],
    ids=lambda q: q.canonical() or "all",
)
def test_links_are_what_the_template_wrote_from_a_subscription(base, name, query):
    calendar = replace(sample_edition().catalog.calendar, base_url=base, name=name)
    label = "Zombie School & <Friends> é"
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    reference = environment.from_string(SUBSCRIBE_LINKS).render(
        sub=subscription(calendar, query, label)
    )
    assert links_html(base, name, query.canonical(), label) == reference


@pytest.mark.parametrize("title", ["Zombie School", "Séries — <b>é</b> & ü"])
@pytest.mark.parametrize("opened", [False, True])
def test_a_show_block_holds_the_links_for_that_show(title, opened):
    calendar = sample_edition().catalog.calendar
    show = replace(sample_edition().catalog.shows[0], title=title)
    links = links_html(calendar.base_url, calendar.name, show_query(show.slug), title)
    summary = f"<summary>{html_text(title)} only</summary>"
    _, block = show_html(calendar, show, filtered=opened, opened=opened)
    assert block.decode() == f"<details{' open' if opened else ''}>\n{summary}\n{links}\n</details>"


@pytest.mark.parametrize("text", ["", "plain-slug_1.0~", "?show=a b&c", "é — ü/ñ", "\x00\x7f%+"])
def test_quote_text_is_urllib_quote(text):
    assert quote_text(text) == quote(text, safe="")


@pytest.mark.parametrize("slug", ["zombie-school", "a b", "x,y", "é/ü?&=", "100%"])
def test_a_show_query_is_the_query_for_that_show(slug):
    assert show_query(slug) == Query(shows=frozenset({slug})).canonical()
