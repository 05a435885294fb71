"""Building the edition: stamps from history, change kinds, time boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from catalogs import sample_catalog
from feeds.edition import Timeline, build_edition, classify
from feeds.history import MemoryHistory
from feeds.model import TBA, AllDay, Change, ChangeKind, Edition, PartialDate, Stamp, Status
from feeds.reminders import reminder_moments

T1 = datetime(2026, 1, 1, 9, tzinfo=UTC)
T2 = datetime(2026, 1, 2, 9, tzinfo=UTC)
RETENTION = timedelta(days=30)
SEASON_2 = next(p for p in sample_catalog().premieres if p.id == "zs-s2")


def edition_after(edit, moment=T2):
    history = MemoryHistory()
    catalog = sample_catalog()
    history.record(catalog.premieres, T1)
    edited = edit(catalog)
    history.record(edited.premieres, T2)
    return build_edition(edited, history.revisions(), moment, RETENTION)


def with_premiere(catalog, premiere):
    others = [p for p in catalog.premieres if p.id != premiere.id]
    return replace(catalog, premieres=(*others, premiere))


def test_stamps_carry_the_sequence_and_first_seen_times():
    edition = edition_after(
        lambda c: with_premiere(c, replace(SEASON_2, when=AllDay(date(2026, 2, 6))))
    )
    assert edition.stamp("zs-s2").sequence == 1
    assert edition.stamp("zs-s2").created == T1
    assert edition.stamp("zs-s2").modified == T2
    assert edition.stamp("sc-s1").sequence == 0


def test_a_moved_date_is_one_date_changed_change():
    edition = edition_after(
        lambda c: with_premiere(c, replace(SEASON_2, when=AllDay(date(2026, 2, 6))))
    )
    [change] = edition.changes
    assert (change.premiere_id, change.revision, change.kind, change.seen) == (
        "zs-s2",
        1,
        ChangeKind.DATE_CHANGED,
        T2,
    )
    assert change.before.when == AllDay(date(2026, 1, 23))


def test_a_removed_premiere_stays_as_cancelled_during_retention():
    edition = edition_after(lambda c: replace(c, premieres=c.premieres[1:]))
    [removed] = edition.removed
    assert removed.id == "zs-s2" and removed.status is Status.CANCELLED
    assert edition.stamp("zs-s2").sequence == 1
    assert edition.changes[0].kind is ChangeKind.REMOVED


def test_a_removed_premiere_disappears_after_retention():
    edition = edition_after(lambda c: replace(c, premieres=c.premieres[1:]), moment=T2 + RETENTION)
    assert edition.removed == ()


def test_news_published_after_the_moment_is_held_back():
    edition = edition_after(lambda c: c, moment=datetime(2025, 8, 15, tzinfo=UTC))
    assert [n.id for n in edition.catalog.news] == ["zs-s2-date"]


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (dict(), None, ChangeKind.REMOVED),
        (
            dict(when=AllDay(date(2026, 1, 23))),
            dict(when=AllDay(date(2026, 2, 6))),
            ChangeKind.DATE_CHANGED,
        ),
        (
            dict(when=PartialDate(2026)),
            dict(when=AllDay(date(2026, 2, 6))),
            ChangeKind.DATE_ANNOUNCED,
        ),
        (dict(when=TBA()), dict(when=PartialDate(2026)), ChangeKind.DATE_CHANGED),
        (dict(status=Status.ANNOUNCED), dict(status=Status.CONFIRMED), ChangeKind.CONFIRMED),
        (dict(status=Status.CONFIRMED), dict(status=Status.CANCELLED), ChangeKind.CANCELLED),
        (dict(status=Status.CONFIRMED), dict(status=Status.RELEASED), ChangeKind.RELEASED),
        (
            dict(status=Status.CONFIRMED),
            dict(status=Status.DELAYED, when=AllDay(date(2026, 3, 1))),
            ChangeKind.DELAYED,
        ),
        (dict(title="Season 2"), dict(title="Season Two"), ChangeKind.UPDATED),
    ],
)
def test_each_kind_of_change_is_classified(before, after, kind):
    old = replace(SEASON_2, **before)
    new = None if after is None else replace(old, **after)
    assert classify(old, new) is kind


def test_the_moment_is_midnight_in_the_calendar_zone_between_other_boundaries():
    timeline = Timeline("Europe/Berlin", ())
    now = datetime(2026, 1, 10, 15, 30, tzinfo=UTC)
    assert timeline.moment(now) == datetime(2026, 1, 9, 23, 0, tzinfo=UTC)
    assert timeline.next_boundary(now) == datetime(2026, 1, 10, 23, 0, tzinfo=UTC)


def test_the_moment_is_the_latest_boundary_passed():
    due = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    timeline = Timeline("UTC", (due, datetime(2026, 1, 10, 18, 0, tzinfo=UTC)))
    assert timeline.moment(datetime(2026, 1, 10, 15, 0, tzinfo=UTC)) == due
    assert timeline.next_boundary(due) == datetime(2026, 1, 10, 18, 0, tzinfo=UTC)


def test_two_clocks_between_the_same_boundaries_see_the_same_moment():
    timeline = Timeline.of(sample_catalog())
    early = datetime(2026, 1, 10, 0, 0, 1, tzinfo=UTC)
    late = datetime(2026, 1, 10, 22, 59, 59, tzinfo=UTC)
    assert timeline.moment(early) == timeline.moment(late)


def test_the_timeline_keeps_of_equal_boundaries_the_one_a_set_of_them_would():
    """Reminders first, then news in catalogue order: equal moments at other offsets
    print differently, so which one is kept shows in the edition's moment."""
    catalog = sample_catalog()
    due = Timeline.of(replace(catalog, news=())).moments[0]
    plus_one = timezone(timedelta(hours=1))
    published = [due.astimezone(plus_one), T1.astimezone(plus_one), T1, T2, T1]
    news = tuple(replace(catalog.news[0], id=f"n{n}", published=p) for n, p in enumerate(published))
    moments = Timeline.of(replace(catalog, news=news)).moments
    as_set = set(reminder_moments(catalog)) | set(published)
    assert [(m, m.utcoffset()) for m in moments] == [(m, m.utcoffset()) for m in sorted(as_set)]
    offsets = {m: m.utcoffset() for m in moments}
    assert offsets[due] == timedelta(0) and offsets[T1] == timedelta(hours=1)


def test_a_premiere_added_after_the_history_began_is_announced_as_new():
    added = replace(SEASON_2, id="zs-s4", title="Season 4")
    edition = edition_after(lambda c: with_premiere(c, added))
    [change] = edition.changes
    assert (change.premiere_id, change.revision, change.kind) == ("zs-s4", 0, ChangeKind.NEW)
    assert change.before is None and change.seen == T2


def test_the_starting_catalogue_is_not_announced_as_new():
    edition = edition_after(lambda c: c)
    assert edition.changes == ()


def straightforward_edition(catalog, revisions, moment, retention):
    """The edition as first written, every premiere looked at in full: the reference."""
    present = {p.id for p in catalog.premieres}
    baseline = min((revs[0].seen for revs in revisions.values()), default=None)
    removed = []
    for pid, revs in sorted(revisions.items()):
        known = [r.premiere for r in revs if r.premiere is not None]
        last = revs[-1]
        shown = last.premiere is None and known and last.seen + retention > moment
        if pid not in present and shown:
            removed.append(replace(known[-1], status=Status.CANCELLED))
    changes = []
    for pid in sorted(revisions):
        revs = revisions[pid]
        if revs[0].premiere is not None and revs[0].seen > baseline:
            changes.append(Change(pid, 0, ChangeKind.NEW, revs[0].seen, None, revs[0].premiere))
        for before, after in pairwise(revs):
            kind = classify(before.premiere, after.premiere)
            changes.append(
                Change(pid, after.number, kind, after.seen, before.premiere, after.premiere)
            )
    stamps = {pid: Stamp(r[-1].number, r[0].seen, r[-1].seen) for pid, r in revisions.items()}
    news = tuple(n for n in catalog.news if n.published <= moment)
    return Edition(replace(catalog, news=news), moment, stamps, tuple(changes), tuple(removed))


def test_the_edition_is_the_straightforward_one_after_edits_removals_and_returns():
    catalog = sample_catalog()
    first, *others = catalog.premieres
    versions = [
        catalog.premieres,
        (replace(first, title="Renamed"), *others[1:]),  # an edit and a removal
        (replace(first, title="Renamed"), *others, replace(first, id="zs-new")),  # a return
        (first, *others[2:]),  # an edit back, another removal
    ]
    history = MemoryHistory()
    for day, premieres in enumerate(versions):
        history.record(premieres, T1 + timedelta(days=day))
    latest = replace(catalog, premieres=versions[-1])
    for moment, removed in ((T1 + timedelta(days=3), 3), (T1 + timedelta(days=40), 0)):
        expected = straightforward_edition(latest, history.revisions(), moment, RETENTION)
        assert len(expected.removed) == removed and len(expected.changes) == 8
        assert build_edition(latest, history.revisions(), moment, RETENTION) == expected


def test_the_edition_of_a_first_recording_is_the_straightforward_one():
    catalog = sample_catalog()
    history = MemoryHistory()
    history.record(catalog.premieres, T1)
    expected = straightforward_edition(catalog, history.revisions(), T2, RETENTION)
    assert expected.changes == () and expected.removed == ()
    assert build_edition(catalog, history.revisions(), T2, RETENTION) == expected


def test_a_removed_premiere_back_in_the_catalogue_is_not_shown_as_removed():
    """The history has recorded its removal, but not yet the catalogue it is back in."""
    catalog = sample_catalog()
    history = MemoryHistory()
    history.record(catalog.premieres, T1)
    history.record(catalog.premieres[1:], T2)
    expected = straightforward_edition(catalog, history.revisions(), T2, RETENTION)
    [removal] = expected.changes
    assert expected.removed == () and removal.kind is ChangeKind.REMOVED
    assert build_edition(catalog, history.revisions(), T2, RETENTION) == expected
