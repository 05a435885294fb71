"""The fast ``/api/events`` (entries written directly, kept per entry) gives exactly the
bytes of the reference path (the whole document through one ``json.dumps``), from
scratch and with entries kept from a build before an edit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from edited import EDITS, fresh, queries

from catalogs import golden_edition, sample_edition
from feeds.api import render_api, render_api_with_json
from feeds.api_fields import _release, when_json
from feeds.api_text import release_text, when_text
from feeds.model import TBA, AllAtOnce, AllDay, PartialDate, Timed, Weekly
from feeds.query import Query
from feeds.zones import get_zone
from generated import generated_edition


@pytest.mark.parametrize("query", queries(sample_edition()), ids=lambda q: q.canonical() or "all")
def test_the_sample_api_is_byte_identical(query):
    for edition in (sample_edition(), golden_edition()):
        assert fresh(render_api, edition, query) == render_api_with_json(edition, query)
        assert render_api(edition, query) == render_api_with_json(edition, query)


def test_a_generated_large_api_is_byte_identical():
    edition = generated_edition(600)
    assert edition.removed and edition.changes
    for query in queries(edition):
        fast = fresh(render_api, edition, query)
        assert fast == render_api_with_json(edition, query)
        assert render_api(edition, query) == fast  # from the kept entries


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_entries_kept_from_before_an_edit_are_never_stale(edit):
    edition = generated_edition(300)
    for query in queries(edition):
        render_api(edition, query)  # keep every entry
    edited = edit(edition)
    warm = [render_api(edited, query) for query in queries(edition)]
    assert warm == [render_api_with_json(edited, query) for query in queries(edition)]
    assert warm == [fresh(render_api, edited, query) for query in queries(edition)]


def test_the_sample_edits_are_never_stale():
    edition = sample_edition()
    render_api(edition, Query())
    for edit in EDITS:
        assert render_api(edit(edition), Query()) == render_api_with_json(edit(edition), Query())


WHENS = [
    AllDay(date(2026, 1, 2)),
    Timed(datetime(2026, 3, 4, 21, 0, tzinfo=get_zone("America/New_York")), "America/New_York"),
    Timed(datetime(987, 6, 5, 4, 3, 2, 1, tzinfo=UTC), None),
    PartialDate(2027, quarter=2),
    PartialDate(2027, month=11),
    TBA(),
]


@pytest.mark.parametrize("when", WHENS, ids=repr)
@pytest.mark.parametrize("depth", [2, 4, 5])
def test_a_date_is_written_as_json_dumps_writes_it(when, depth):
    """At any depth: ``json.dumps``'s lines, each moved right to stand ``depth`` in."""
    expected = json.dumps({"x": when_json(when)}, ensure_ascii=False, indent=1)
    expected = expected.replace("\n ", "\n" + " " * (depth - 1))
    assert expected == "{\n" + " " * (depth - 1) + '"x": ' + when_text(when, depth) + "\n}"


@pytest.mark.parametrize(
    "release", [None, AllAtOnce(), AllAtOnce(1), AllAtOnce(12), Weekly(10), Weekly(10, 3)]
)
def test_a_release_is_written_as_json_dumps_writes_it(release):
    expected = json.dumps({"x": _release(release)}, ensure_ascii=False, indent=1)
    assert expected == '{\n "x": ' + release_text(release, 2) + "\n}"
