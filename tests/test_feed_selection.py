"""Feeds build only the items they keep; the result is what building every item,
sorting and cutting gives (the straightforward path, written out here)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from catalogs import sample_edition
from feeds import items
from feeds.query import Query
from feeds.renderers import RENDERERS
from generated import generated_edition


def every_item_sorted_and_cut(edition, query):
    edition = query.select(edition)
    catalog = edition.catalog
    built = [items._news_item(catalog, n) for n in catalog.news]
    for premiere in catalog.premieres:
        built.append(items._premiere_item(edition, premiere))
        built += [items._reminder(edition, premiere, *due) for due in
                  items._due_reminders(edition, premiere)]  # fmt: skip
    built += [i for i in (items._change_item(edition, c) for c in edition.changes) if i]
    built.sort(key=lambda item: item.id)
    built.sort(key=lambda item: item.published, reverse=True)
    return built[: catalog.calendar.feed_items]


@pytest.mark.parametrize("feed_items", [50, 3, 0, 5000])
def test_the_newest_items_are_those_of_the_straightforward_path(feed_items):
    edition = generated_edition(400)
    calendar = replace(edition.catalog.calendar, feed_items=feed_items)
    edition = replace(edition, catalog=replace(edition.catalog, calendar=calendar))
    for query in (Query(), Query(statuses=frozenset(p.status for p in edition.removed[:1]))):
        assert items.feed_items(edition, query) == every_item_sorted_and_cut(edition, query)


def test_the_sample_feeds_are_unchanged_by_the_shared_item_list():
    edition = sample_edition()
    assert items.feed_items(edition, Query()) == every_item_sorted_and_cut(edition, Query())
    first = {path: RENDERERS[path].render(edition, Query()) for path in ("/rss.xml", "/feed.json")}
    items._LAST[0] = None  # forget the shared list: each feed builds its own
    for path, body in first.items():
        assert RENDERERS[path].render(edition, Query()) == body
