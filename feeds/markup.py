"""Markdown to safe HTML, HTML to plain text, and text that XML can carry.

News bodies are Markdown written by hand, with raw HTML allowed; whatever comes out
of the Markdown renderer goes through ``nh3`` before any feed sees it: no script or
style, no event handlers, only http(s) and mailto links, and every link marked
``rel="noopener noreferrer nofollow"``. Plain text (summaries, JSON Feed
``content_text``) is taken from the sanitised HTML, so it never shows markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "code", "del", "em", "i", "img", "li", "ol", "p"}
    | {"pre", "q", "s", "strong", "sub", "sup", "ul", "hr", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "table", "thead", "tbody", "tr", "th", "td"}
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_BLOCKS = frozenset(
    {"p", "blockquote", "pre", "ul", "ol", "li", "table", "tr", "hr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "div"}
)
# Characters XML 1.0 cannot carry (lxml refuses them, feed readers choke on them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def _html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # the same, in C: what markupsafe's escape() (and so the page template) runs
    from markupsafe._speedups import _escape_inner as html_text
except ImportError:  # pragma: no cover - markupsafe without its C part
    html_text = _html_text
"""``html_text(text)``: ``text`` escaped for HTML exactly as the page template's
autoescape (``markupsafe.escape``) escapes it, without making a ``Markup`` of it."""


def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL (fit to be an item's link), else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


def sanitize_html(html: str) -> str:
    """HTML with only harmless tags, attributes and URL schemes left."""
    return nh3.clean(
        xml_safe(html),
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
    ).strip()


def markdown_to_html(text: str) -> str:
    """CommonMark rendered to HTML, then sanitised."""
    return sanitize_html(_markdown().render(text))


def paragraphs_to_html(paragraphs: Sequence[str]) -> str:
    """Plain-text paragraphs as escaped ``<p>`` elements."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs if p)


def link_html(label: str, text: str, url: str | None) -> str:
    """A ``<p>label: <a href=url>text</a></p>`` paragraph (plain text without a URL)."""
    if not url:
        return paragraphs_to_html([f"{label}: {text}"])
    anchor = f'<a href="{escape(url)}">{escape(text, quote=False)}</a>'
    return f"<p>{escape(label, quote=False)}: {anchor}</p>"


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: blocks become paragraphs, list items
    lines starting with "- ", links "text (url)", runs of white space one space."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return reader.text()


def summarize(text: str, limit: int = 400) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[str] = []
        self._current: list[str] = []
        self._link: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._flush()
        if tag == "li":
            self._current.append("- ")
        elif tag == "br":
            self._current.append("\n")
        elif tag == "a" and (href := dict(attrs).get("href")):
            self._link = (href, len(self._current))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            href, start = self._link
            if "".join(self._current[start:]).strip() != href:
                self._current.append(f" ({href})")
            self._link = None
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def _flush(self) -> None:
        lines = "".join(self._current).split("\n")
        block = "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()
        if block:
            self._blocks.append(block)
        self._current = []
        self._link = None

    def text(self) -> str:
        self._flush()
        return "\n\n".join(self._blocks)
