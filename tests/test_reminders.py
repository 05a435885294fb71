"""Reminder moments kept per premiere (``feeds.reminders``) are what placing each day in
its zone gives, and feeds built with them after an edit are the feeds from scratch."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from edited import EDITS, fresh, queries

from feeds import wording
from feeds.fragments import forget_all
from feeds.jsonfeed import render_json_feed
from feeds.model import AllDay, CalendarInfo, Premiere, Status, Timed
from feeds.reminders import reminder_moments, reminders
from feeds.syndication import render_atom, render_rss
from feeds.zones import get_zone
from generated import generated_edition

RENDERERS = [render_rss, render_atom, render_json_feed]


def straightforward_moments(catalog) -> list[datetime]:
    moments = set()
    for premiere in catalog.premieres:
        when = premiere.when
        if premiere.status.value == "cancelled" or not isinstance(when, AllDay | Timed):
            continue
        for days in catalog.calendar.reminder_days:
            if isinstance(when, Timed):
                local = wording.local_start(when)
                day, zone = local.date(), local.tzinfo
            else:
                day, zone = when.day, get_zone(catalog.calendar.timezone)
            midnight = datetime.combine(day - timedelta(days=days), time(0), tzinfo=zone)
            moments.add(midnight.astimezone(UTC))
    return sorted(moments)


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_kept_reminder_moments_after_an_edit_are_placed_afresh(edit):
    edition = generated_edition(300)
    reminder_moments(edition.catalog)
    catalog = edit(edition).catalog
    assert reminder_moments(catalog) == straightforward_moments(catalog)
    forget_all()
    assert reminder_moments(catalog) == straightforward_moments(catalog)


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
@pytest.mark.parametrize("render", RENDERERS, ids=lambda render: render.__name__)
def test_feeds_after_an_edit_are_the_feeds_from_scratch(edit, render):
    edition = generated_edition(300)
    for query in queries(edition):
        render(edition, query)
    edited = edit(edition)
    warm = [render(edited, query) for query in queries(edition)]
    assert warm == [fresh(render, edited, query) for query in queries(edition)]


def test_premieres_on_one_day_share_one_tuple_of_reminders():
    """A large catalogue keeps one tuple of reminders per day, not one per premiere."""
    edition = generated_edition(600)
    calendar = edition.catalog.calendar
    by_day: dict[object, list] = {}
    for premiere in edition.catalog.premieres:
        if isinstance(premiere.when, AllDay) and premiere.status is not Status.CANCELLED:
            by_day.setdefault(premiere.when.day, []).append(reminders(calendar, premiere))
    shared = [kept for kept in by_day.values() if len(kept) > 1]
    assert shared and all(kept[0] and all(r is kept[0] for r in kept) for kept in shared)


def test_reminders_come_fewest_days_first_once_each_in_any_order_given():
    calendar = CalendarInfo("C", "", "Europe/Berlin", "https://c.example", reminder_days=(7, 0, 7))
    premiere = Premiere("p", "s", "T", AllDay(date(2026, 3, 10)), Status.CONFIRMED)
    assert reminders(calendar, premiere) == (
        (0, datetime(2026, 3, 9, 23, 0, tzinfo=UTC)),
        (7, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)),
    )
