"""From catalogue, history and the clock to the ``Edition`` every renderer reads.

Time enters here and only here, rounded down to the last *boundary*: a moment at which
some document changes (midnight in the calendar's zone, a reminder falling due, a news
item's publication time). Two builds between the same boundaries see the same moment
and so produce the same bytes, in any process. ``next_boundary`` tells the scheduler
when to build again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from itertools import pairwise

from feeds.items import reminder_moments
from feeds.model import Catalog, Change, ChangeKind, Edition, Premiere, Stamp, Status
from feeds.reminders import sorted_distinct
from feeds.revision import Revision
from feeds.zones import get_zone


@dataclass(frozen=True)
class Timeline:
    """The catalogue's time boundaries other than midnight, sorted."""

    zone: str
    moments: tuple[datetime, ...]

    @classmethod
    def of(cls, catalog: Catalog) -> Timeline:
        """Of equal moments the reminders' come first, then the news items' in catalogue
        order, and the first is kept."""
        published = [n.published for n in catalog.news]
        moments = sorted_distinct(reminder_moments(catalog) + published)
        return cls(catalog.calendar.timezone, tuple(moments))

    def moment(self, now: datetime) -> datetime:
        """The last boundary at or before ``now``."""
        midnight = _midnight(now, self.zone)
        index = bisect.bisect_right(self.moments, now)
        latest = self.moments[index - 1] if index else midnight
        return max(midnight, latest)

    def next_boundary(self, now: datetime) -> datetime:
        """The first boundary after ``now``."""
        midnight = _midnight(now, self.zone, days_later=1)
        index = bisect.bisect_right(self.moments, now)
        upcoming = self.moments[index] if index < len(self.moments) else midnight
        return min(midnight, upcoming)


def _midnight(now: datetime, zone: str, days_later: int = 0) -> datetime:
    tz = get_zone(zone)
    day = now.astimezone(tz).date() + timedelta(days=days_later)
    return datetime.combine(day, time(), tzinfo=tz)


def build_edition(
    catalog: Catalog,
    revisions: dict[str, list[Revision]],
    moment: datetime,
    retention: timedelta,
) -> Edition:
    """The edition as of ``moment``: stamps and changes from the history, news not yet
    published left out, removed premieres kept (as cancelled) for ``retention``. Only
    premieres revised or first seen since the history began are looked at beyond
    their stamp."""
    stamps, distinct = _stamps(revisions)
    baseline = min((stamp.created for stamp in distinct), default=None)
    eventful = _eventful(stamps, distinct, baseline)
    removed = tuple(
        _as_removed(revisions[pid])
        for pid in _gone(catalog, revisions, eventful)
        if _still_shown(revisions[pid], moment, retention)
    )
    changes = tuple(change for pid in eventful for change in _changes(revisions[pid], baseline))
    news = tuple(n for n in catalog.news if n.published <= moment)
    return Edition(
        catalog=replace(catalog, news=news),
        moment=moment,
        stamps=stamps,
        changes=changes,
        removed=removed,
    )


def _stamps(revisions: dict[str, list[Revision]]) -> tuple[dict[str, Stamp], list[Stamp]]:
    """Each premiere's stamp, and the distinct stamps. Most premieres share a stamp
    (their revisions were recorded together), and a stamp is a value, so equal stamps
    are made once."""
    made: dict[tuple, Stamp] = {}
    stamps = {}
    for pid, revs in revisions.items():
        last = revs[-1]
        key = (last.number, revs[0].seen, last.seen)
        stamp = made.get(key)
        if stamp is None:
            stamp = made[key] = Stamp(*key)
        stamps[pid] = stamp
    return stamps, list(made.values())


def _eventful(
    stamps: dict[str, Stamp], distinct: list[Stamp], baseline: datetime | None
) -> list[str]:
    """The premieres revised, or first seen after the history began (at ``baseline``),
    sorted: the only ones with changes to tell. The few distinct stamps say whether
    there are any, so the edition of a first recording does not walk the premieres."""
    if not any(stamp.sequence or stamp.created != baseline for stamp in distinct):
        return []
    return sorted(pid for pid, s in stamps.items() if s.sequence or s.created != baseline)


def _gone(catalog: Catalog, revisions: dict[str, list[Revision]], eventful: list[str]) -> list[str]:
    """The premieres gone from the catalogue with a removal as their latest revision,
    sorted. Only these may still be shown, and only if known before their removal,
    so with a sequence above 0: they are among the eventful ones."""
    ended = [pid for pid in eventful if revisions[pid][-1].removed]
    if not ended:
        return []
    present = {p.id for p in catalog.premieres}
    return [pid for pid in ended if pid not in present]


def _still_shown(revisions: list[Revision], moment: datetime, retention: timedelta) -> bool:
    last = revisions[-1]
    known = any(not r.removed for r in revisions)
    return last.removed and known and last.seen + retention > moment


def _as_removed(revisions: list[Revision]) -> Premiere:
    last_known = next(r.premiere for r in reversed(revisions) if not r.removed)
    return replace(last_known, status=Status.CANCELLED)


def _changes(revisions: list[Revision], baseline: datetime | None) -> list[Change]:
    """A change per revision after the first; and a NEW one for a premiere first seen
    after the history began (those in the first recording are the starting catalogue,
    not news)."""
    first = revisions[0]
    changes = []
    if not first.removed and baseline is not None and first.seen > baseline:
        changes.append(
            Change(first.premiere_id, 0, ChangeKind.NEW, first.seen, None, first.premiere)
        )
    for before, after in pairwise(revisions):
        kind = classify(before.premiere, after.premiere)
        changes.append(
            Change(
                after.premiere_id, after.number, kind, after.seen, before.premiere, after.premiere
            )
        )
    return changes


def classify(before: Premiere | None, after: Premiere | None) -> ChangeKind:
    """What a subscriber is told about one revision, the most important thing first."""
    if after is None:
        return ChangeKind.REMOVED
    if before is None:
        return ChangeKind.NEW
    if after.status is Status.CANCELLED and before.status is not Status.CANCELLED:
        return ChangeKind.CANCELLED
    if after.when != before.when:
        if after.is_exact and not before.is_exact:
            return ChangeKind.DATE_ANNOUNCED
        if after.status is Status.DELAYED and before.status is not Status.DELAYED:
            return ChangeKind.DELAYED
        return ChangeKind.DATE_CHANGED
    if after.status is not before.status:
        return _STATUS_CHANGES.get(after.status, ChangeKind.UPDATED)
    return ChangeKind.UPDATED


_STATUS_CHANGES = {
    Status.CONFIRMED: ChangeKind.CONFIRMED,
    Status.DELAYED: ChangeKind.DELAYED,
    Status.RELEASED: ChangeKind.RELEASED,
}
