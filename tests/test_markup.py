from __future__ import annotations

from html.parser import HTMLParser

from feeds.markup import (
    LINK_REL,
    html_to_text,
    markdown_to_html,
    paragraphs_to_html,
    sanitize_html,
    summarize,
    xml_safe,
)

HOSTILE = (
    'Hi <script>alert("s")</script>'
    '<a href="javascript:alert(1)" onclick="steal()">click</a> '
    "<img src=x onerror=alert(2)><style>body{}</style>"
    "[md](javascript:alert(3))"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_markdown_emphasis_becomes_html() -> None:
    assert markdown_to_html("All **12 episodes**.") == "<p>All <strong>12 episodes</strong>.</p>"


def test_script_and_style_are_removed_with_their_content() -> None:
    html = markdown_to_html(HOSTILE)
    assert "<script" not in html
    assert "alert(&quot;s&quot;)" not in html and 'alert("s")' not in html
    assert "body{}" not in html


def test_event_handler_attributes_are_removed() -> None:
    attributes = [name for _, attrs in tags_of(markdown_to_html(HOSTILE)) for name in attrs]
    assert not [name for name in attributes if name.startswith("on")]


def test_javascript_urls_never_become_links() -> None:
    urls = [
        value or ""
        for _, attrs in tags_of(markdown_to_html(HOSTILE))
        for name, value in attrs.items()
        if name in {"href", "src"}
    ]
    assert not [url for url in urls if url.strip().lower().startswith("javascript:")]


def test_links_are_marked_noopener_noreferrer_nofollow() -> None:
    html = markdown_to_html("[site](https://example.org/a?b=1&c=2)")
    assert tags_of(html) == [
        ("p", {}),
        ("a", {"href": "https://example.org/a?b=1&c=2", "rel": LINK_REL}),
    ]


def test_raw_html_that_is_harmless_is_kept() -> None:
    assert sanitize_html("<p>a <em>b</em></p>") == "<p>a <em>b</em></p>"


def test_plain_text_keeps_paragraphs_and_list_items_without_markup() -> None:
    text = html_to_text(markdown_to_html("One **bold** line.\n\n- first\n- second\n\nA &amp; B"))
    assert text == "One bold line.\n\n- first\n\n- second\n\nA & B"


def test_plain_text_shows_where_links_go() -> None:
    text = html_to_text(
        markdown_to_html("See [the date](https://news.example/d) or <https://x.example/>.")
    )
    assert text == "See the date (https://news.example/d) or https://x.example/."


def test_plain_text_of_hostile_html_has_no_script_text() -> None:
    assert 'alert("s")' not in html_to_text(markdown_to_html(HOSTILE))


def test_paragraphs_are_escaped() -> None:
    assert paragraphs_to_html(["a < b & c", ""]) == "<p>a &lt; b &amp; c</p>"


def test_control_characters_xml_cannot_carry_are_dropped() -> None:
    assert xml_safe("a\x00b\x0bc\td\ne") == "abc\td\ne"


def test_summary_is_one_line_cut_at_a_word_boundary() -> None:
    assert summarize("one two\nthree four five", limit=15) == "one two three…"


def test_short_summary_is_left_whole() -> None:
    assert summarize("  short\n text ") == "short text"
