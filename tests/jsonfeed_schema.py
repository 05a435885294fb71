"""A checker for JSON Feed 1.1, written from the specification
(https://www.jsonfeed.org/version/1.1/), so the tests need no schema library.

``problems(document)`` lists every way a parsed document breaks the specification:
required members, member types, author objects with at least one member, items with
an ``id`` and ``content_html`` or ``content_text``, RFC 3339 dates, attachments with
``url`` and ``mime_type``, hubs with ``type`` and ``url``, and extension names
(``_`` then a letter, no ``.``). Unknown keys that are not extensions are reported
too: a typo in a key name is the most likely mistake a producer makes.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

VERSION = "https://jsonfeed.org/version/1.1"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
EXTENSION = re.compile(r"^_[A-Za-z][^.]*$")

TOP_STRINGS = {"title", "description", "user_comment", "language"}
TOP_URLS = {"home_page_url", "feed_url", "next_url", "icon", "favicon"}
TOP_KEYS = TOP_STRINGS | TOP_URLS | {"version", "authors", "author", "expired", "hubs", "items"}
ITEM_STRINGS = {"title", "content_html", "content_text", "summary", "language"}
ITEM_URLS = {"url", "external_url", "image", "banner_image"}
ITEM_DATES = {"date_published", "date_modified"}
ITEM_KEYS = ITEM_STRINGS | ITEM_URLS | ITEM_DATES | {"id", "authors", "author", "tags"}
ITEM_KEYS |= {"attachments"}
AUTHOR_KEYS = {"name", "url", "avatar"}
ATTACHMENT_KEYS = {"url", "mime_type", "title", "size_in_bytes", "duration_in_seconds"}


def problems(document: Any) -> list[str]:
    """Every violation of JSON Feed 1.1 in ``document`` (empty when valid)."""
    if not isinstance(document, dict):
        return ["the document is not a JSON object"]
    found = _keys(document, TOP_KEYS, "feed")
    if document.get("version") != VERSION:
        found.append(f"version must be {VERSION!r}")
    if not isinstance(document.get("title"), str):
        found.append("title is required and must be a string")
    found += _strings(document, TOP_STRINGS, "feed") + _urls(document, TOP_URLS, "feed")
    found += _authors(document, "feed")
    if "expired" in document and not isinstance(document["expired"], bool):
        found.append("expired must be a boolean")
    found += _hubs(document.get("hubs", []))
    if document.get("feed_url") and document.get("next_url") == document["feed_url"]:
        found.append("next_url must differ from feed_url")
    items = document.get("items")
    if not isinstance(items, list):
        return [*found, "items is required and must be an array"]
    for index, item in enumerate(items):
        found += _item(item, f"items[{index}]")
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if len(ids) != len(set(map(str, ids))):
        found.append("item ids must be unique")
    return found


def _item(item: Any, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where} is not an object"]
    found = _keys(item, ITEM_KEYS, where)
    if not isinstance(item.get("id"), str) or not item["id"]:
        found.append(f"{where}.id is required and must be a non-empty string")
    if "content_html" not in item and "content_text" not in item:
        found.append(f"{where} needs content_html or content_text")
    found += _strings(item, ITEM_STRINGS, where) + _urls(item, ITEM_URLS, where)
    for key in ITEM_DATES & item.keys():
        if not isinstance(item[key], str) or not RFC3339.match(item[key]):
            found.append(f"{where}.{key} is not an RFC 3339 date: {item[key]!r}")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        found.append(f"{where}.tags must be an array of strings")
    found += _authors(item, where)
    for n, attachment in enumerate(item.get("attachments", [])):
        found += _attachment(attachment, f"{where}.attachments[{n}]")
    return found


def _keys(obj: dict[str, Any], known: set[str], where: str) -> list[str]:
    return [
        f"{where} has an unknown key {key!r} (extensions start with '_' and a letter)"
        for key in obj
        if key not in known and not EXTENSION.match(key)
    ]


def _strings(obj: dict[str, Any], keys: set[str], where: str) -> list[str]:
    return [f"{where}.{k} must be a string" for k in keys & obj.keys() if not _is_str(obj[k])]


def _urls(obj: dict[str, Any], keys: set[str], where: str) -> list[str]:
    return [f"{where}.{k} must be an absolute URL" for k in keys & obj.keys() if not _url(obj[k])]


def _authors(obj: dict[str, Any], where: str) -> list[str]:
    authors = obj.get("authors", [])
    if not isinstance(authors, list):
        return [f"{where}.authors must be an array"]
    found = []
    for n, author in enumerate(authors):
        if not isinstance(author, dict) or not AUTHOR_KEYS & author.keys():
            found.append(f"{where}.authors[{n}] needs at least one of name, url, avatar")
            continue
        found += _keys(author, AUTHOR_KEYS, f"{where}.authors[{n}]")
        found += _strings(author, {"name"}, f"{where}.authors[{n}]")
        found += _urls(author, {"url", "avatar"}, f"{where}.authors[{n}]")
    return found


def _hubs(hubs: Any) -> list[str]:
    if not isinstance(hubs, list):
        return ["hubs must be an array"]
    return [
        f"hubs[{n}] needs string type and url"
        for n, hub in enumerate(hubs)
        if not (isinstance(hub, dict) and _is_str(hub.get("type")) and _url(hub.get("url")))
    ]


def _attachment(attachment: Any, where: str) -> list[str]:
    if not isinstance(attachment, dict):
        return [f"{where} is not an object"]
    found = _keys(attachment, ATTACHMENT_KEYS, where)
    if not _url(attachment.get("url")) or not _is_str(attachment.get("mime_type")):
        found.append(f"{where} needs url and mime_type")
    for key in {"size_in_bytes", "duration_in_seconds"} & attachment.keys():
        if isinstance(attachment[key], bool) or not isinstance(attachment[key], int | float):
            found.append(f"{where}.{key} must be a number")
    return found


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme == "mailto")
