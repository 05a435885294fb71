"""The fast calendar (VEVENTs written directly, cached per event) gives exactly the
bytes of the reference path (every VEVENT through icalendar)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogs import sample_edition
from feeds.ical import render_calendar, render_calendar_with_library
from feeds.ical_lines import _fold, _text
from feeds.query import Query
from generated import generated_edition

QUERIES = [
    Query(),
    Query(alarm=timedelta(hours=1, minutes=30)),
    Query(alarm=timedelta(days=1)),
    Query(all_day=True),
    Query(past_days=0, future_days=400),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.canonical() or "default")
def test_the_sample_calendar_is_byte_identical(query):
    edition = sample_edition()
    assert render_calendar(edition, query) == render_calendar_with_library(edition, query)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.canonical() or "default")
def test_a_generated_large_calendar_is_byte_identical(query):
    edition = generated_edition(600)
    fast = render_calendar(edition, query)
    assert fast == render_calendar_with_library(edition, query)
    assert render_calendar(edition, query) == fast  # from the per-event cache


@pytest.mark.parametrize(
    "text",
    [
        "x" * 73 + "\\,tail" * 30,
        "y" * 72 + "^^" + "z" * 200,
        "DESCRIPTION:" + "é" * 100,
        "SUMMARY:" + "é" * 40,
        "SUMMARY:Zombie School — " + "Season 2 " * 20,
        "a" * 74,
        "a" * 75,
    ],
)
def test_folding_matches_icalendar(text):
    from icalendar.parser.string import _foldline

    assert _fold(text) == _foldline(text)


@pytest.mark.parametrize("text", ["plain", "a;b,c", "back\\slash", "line\r\nbreak\rx\ny", "\\N"])
def test_escaping_matches_icalendar(text):
    from icalendar.parser.string import _escape_char

    assert _text(text) == _escape_char(text)


TEXTY = st.text(st.sampled_from(["a", "é", "—", "\\", "N", "n", ";", ",", "\r", "\n", "^", " "]))


@given(TEXTY)
def test_escaping_matches_icalendar_for_any_text(text):
    from icalendar.parser.string import _escape_char

    assert _text(text) == _escape_char(text)


@given(TEXTY.filter(lambda text: "\n" not in text and "\r" not in text), st.integers(0, 80))
def test_folding_matches_icalendar_for_any_line(text, padding):
    from icalendar.parser.string import _foldline

    line = "x" * padding + text * 3
    assert _fold(line) == _foldline(line)
