"""The ledger: revisions in memory, hashing only the premieres that moved."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from catalogs import sample_catalog
from feeds import ledger as ledger_module
from feeds.ledger import Ledger
from feeds.model import Premiere, Status, Timed
from feeds.revision import encode

SEEN = "2026-01-01T09:00:00+00:00"


def recorded(ledger: Ledger, items, seen: str = SEEN) -> list:
    rows = ledger.changes(items, seen)
    ledger.add(rows)
    return rows


def counting_calls(monkeypatch, name: str) -> list[str]:
    """The ids of the premieres ``feeds.ledger``'s function ``name`` is called with,
    from now on."""
    called: list[str] = []
    function = getattr(ledger_module, name)

    def spy(premiere):
        called.append(premiere.id)
        return function(premiere)

    monkeypatch.setattr(ledger_module, name, spy)
    return called


def counting_encodes(monkeypatch) -> list[str]:
    return counting_calls(monkeypatch, "encode")


def test_an_unchanged_catalogue_is_not_hashed_again(monkeypatch):
    ledger = Ledger()
    recorded(ledger, sample_catalog().premieres)
    encoded = counting_encodes(monkeypatch)
    assert recorded(ledger, sample_catalog().premieres) == []  # equal objects, new ones
    assert encoded == []


def test_after_one_edit_only_the_edited_premiere_is_hashed(monkeypatch):
    ledger = Ledger()
    recorded(ledger, sample_catalog().premieres)
    edited = [
        replace(p, title="Renamed") if p.id == "zs-s2" else p for p in sample_catalog().premieres
    ]
    encoded = counting_encodes(monkeypatch)
    rows = recorded(ledger, edited, "2026-01-02T09:00:00+00:00")
    assert [(pid, number) for pid, number, *_ in rows] == [("zs-s2", 1)]
    assert encoded == ["zs-s2"]


def test_an_equal_moment_at_another_offset_is_hashed_again():
    """Equal datetimes, different text: the key must not call them the same."""
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    utc = Premiere("p", "s", "T", Timed(start, None), Status.ANNOUNCED)
    offset = replace(utc, when=Timed(start.astimezone(timezone(timedelta(hours=9))), None))
    ledger = Ledger()
    recorded(ledger, [utc])
    assert [row[:2] for row in recorded(ledger, [offset])] == [("p", 1)]


def test_a_revision_from_elsewhere_unsettles_its_premiere():
    """Another writer's revision may differ from what this ledger settled on."""
    ledger = Ledger()
    items = sample_catalog().premieres
    recorded(ledger, items)
    season_2 = next(p for p in items if p.id == "zs-s2")
    other_fields, other_digest = encode(replace(season_2, title="Elsewhere"))
    ledger.add([("zs-s2", 1, other_digest, other_fields, SEEN)])
    rows = recorded(ledger, items, "2026-01-03T09:00:00+00:00")
    assert [(pid, number) for pid, number, *_ in rows] == [("zs-s2", 2)]


def test_lists_handed_out_are_never_changed():
    ledger = Ledger()
    recorded(ledger, sample_catalog().premieres)
    before = dict(ledger.revisions)
    held = list(before["zs-s2"])
    recorded(ledger, [p for p in sample_catalog().premieres if p.id != "zs-s2"])
    assert before["zs-s2"] == held and len(ledger.revisions["zs-s2"]) == 2


def counting_keys(monkeypatch) -> list[str]:
    return counting_calls(monkeypatch, "_key")


def test_a_first_recording_computes_no_keys(monkeypatch):
    keyed = counting_keys(monkeypatch)
    rows = recorded(Ledger(), sample_catalog().premieres)
    assert len(rows) == len(sample_catalog().premieres) and keyed == []


def test_a_settled_premiere_gets_its_key_once_another_object_is_compared(monkeypatch):
    ledger = Ledger()
    recorded(ledger, sample_catalog().premieres)
    keyed = counting_keys(monkeypatch)
    recorded(ledger, sample_catalog().premieres)  # equal objects, new ones: two keys each
    recorded(ledger, sample_catalog().premieres)  # the settled key is kept: one key each
    ids = [p.id for p in sample_catalog().premieres]
    assert sorted(keyed) == sorted(ids * 3)
