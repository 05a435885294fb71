"""Every premiere's revisions in memory, and which premieres of a catalogue need a new one.

``Ledger`` is what ``MemoryHistory`` is, and what ``SqliteHistory`` mirrors its store
into. It remembers, per premiere, the object it last found matching its latest
revision and, once a rebuild has needed it, that object's key (its significant fields
as plain values), so that a rebuild costs an identity check per unchanged premiere (the
loader keeps unchanged entries' objects), or a tuple comparison, rather than an encoding
and a hash: after one edit, one premiere is hashed. A first recording computes no keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from feeds.model import Premiere, Timed
from feeds.revision import REMOVED, Revision, encode

# A stored revision: premiere id, number, digest, fields (JSON, None when removed), seen.
Row = tuple[str, int, str, str | None, str]

_moment = lru_cache(maxsize=256)(datetime.fromisoformat)  # rows share a few first-seen times


def _key(premiere: Premiere) -> tuple:
    """Equal keys mean equal significant fields, so equal digests. Made of plain values
    (a date form's or release's attributes as a dict), so that comparing two keys runs
    no Python code. A moment's UTC offset is in the key: equal datetimes (one instant)
    can print differently."""
    when, release = premiere.when, premiere.release
    return (
        premiere.show,
        premiere.title,
        premiere.status,
        premiere.platform,
        type(when),
        getattr(when, "__dict__", when),
        type(release),
        getattr(release, "__dict__", release),
        when.start.utcoffset() if type(when) is Timed else None,
    )


def _settled_key(premiere: Premiere, key: tuple | None) -> tuple:
    """A settled premiere's key, computed on first use: a first recording settles every
    premiere, and a rebuild compares keys only for the objects the loader made anew."""
    return _key(premiere) if key is None else key


class Ledger:
    """Every premiere's revisions, oldest first, and the rule for adding to them."""

    def __init__(self) -> None:
        self.revisions: dict[str, list[Revision]] = {}
        # id -> the premiere last found to match its latest revision, and its key
        # (None until a rebuild has compared another object with it)
        self._settled: dict[str, tuple[Premiere, tuple | None]] = {}
        # id -> the digest and premiere of a new revision not yet added
        self._proposed: dict[str, tuple[str, Premiere]] = {}

    def changes(self, premieres: Iterable[Premiere], seen: str) -> list[Row]:
        """A new revision for each premiere whose significant fields differ from its
        latest revision, and a removal for each premiere no longer present."""
        current = {p.id: p for p in premieres}
        rows = self._revisions(self._moved(current.values()), seen)
        rows.extend(self._removals(current.keys(), seen))
        return rows

    def _moved(self, premieres: Iterable[Premiere]) -> list[Premiere]:
        """The premieres that may differ from their latest revision: all but the very
        objects last settled (a reload keeps unchanged entries) and those whose key is
        equal to the settled one's. Only these are hashed."""
        settled = self._settled
        if not settled:  # nothing settled yet, as in a first recording
            return list(premieres)
        moved = []
        for premiere in premieres:
            found = settled.get(premiere.id)
            if found is None:
                moved.append(premiere)
            elif found[0] is not premiere:
                key = _key(premiere)
                if key == _settled_key(*found):
                    settled[premiere.id] = (premiere, key)
                else:
                    moved.append(premiere)
        return moved

    def _revisions(self, premieres: list[Premiere], seen: str) -> list[Row]:
        """A new revision for each premiere whose digest differs from its latest
        revision's, proposed until it is added; the others are settled. One loop for
        all of them: a first recording has a row to make for every premiere."""
        revisions, settled, proposed = self.revisions, self._settled, self._proposed
        rows = []
        for premiere in premieres:
            pid = premiere.id
            fields, digest = encode(premiere)
            held = revisions.get(pid)
            if held is None:
                rows.append((pid, 0, digest, fields, seen))
            elif held[-1].digest != digest:
                rows.append((pid, held[-1].number + 1, digest, fields, seen))
            else:
                settled[pid] = (premiere, None)
                continue
            proposed[pid] = (digest, premiere)
        return rows

    def _removals(self, present: Iterable[str], seen: str) -> Iterator[Row]:
        if not self.revisions:  # a first recording: nothing to remove
            return
        for pid in sorted(self.revisions.keys() - present):
            last = self.revisions[pid][-1]
            if last.digest != REMOVED:
                yield pid, last.number + 1, REMOVED, None, seen

    def add(self, rows: Iterable[Row]) -> None:
        """Add stored rows, in order; a revision already held is skipped. A premiere's
        list is replaced, never changed, so a dict handed out earlier stays as it was.

        A new latest revision settles its premiere if its fields were proposed for
        exactly this digest (by this process); else the premiere must be hashed
        again. Rows recorded together share their ``seen`` string, and so its
        parsed moment."""
        revisions, proposals, settled = self.revisions, self._proposed, self._settled
        last_seen, moment = None, None
        for pid, number, digest, fields, seen in rows:
            held = revisions.get(pid)
            if held is None or held[-1].number < number:
                if seen is not last_seen:
                    last_seen, moment = seen, _moment(seen)
                revision = Revision(pid, number, digest, moment, fields)
                revisions[pid] = [revision] if held is None else [*held, revision]
                proposed = proposals.pop(pid, None)
                if proposed is not None and proposed[0] == digest:
                    settled[pid] = (proposed[1], None)
                else:
                    settled.pop(pid, None)

    def clear(self) -> None:
        self.revisions, self._settled, self._proposed = {}, {}, {}
