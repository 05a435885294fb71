"""Revisions: digests that never change, whichever way the fields are encoded."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogs import sample_catalog
from feeds import revision
from feeds.model import TBA, AllAtOnce, AllDay, PartialDate, Premiere, Status, Timed, Weekly
from feeds.revision import encode, significant
from feeds.zones import get_zone

# What stores written since the first release hold: changing one means every premiere
# gets a new revision (SEQUENCE) when the service is upgraded.
STORED_DIGESTS = {
    "zs-s2": "b4a5f3814d83b48068734b27712c8ac73503f949f9f0134cd58ee42e56af0741",
    "sc-s1": "ea96f12910e11a7110ed409f25b69e62ffd27b5d9396bfe10976910e91e1403a",
    "sc-special": "0fe158e2a60d65d5b88fc530571005ce95ec705177a4d976c695a84e4a57e1e5",
    "zs-s3": "a832397f0dbfc9d41e3f63339dea4b3da62201fd4ebe8fb998d5a4ef099d3507",
    "sc-s3": "03701c4db84ae2a72e69458382e2bd401ffa375186cd7c6d4ada15399d81387c",
}


def reference(premiere: Premiere) -> tuple[str, str]:
    """The encoding stores have always used: compact, key-sorted ``json.dumps``."""
    text = json.dumps(significant(premiere), sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def test_digests_are_the_ones_stores_already_hold():
    found = {p.id: encode(p)[1] for p in sample_catalog().premieres if p.id in STORED_DIGESTS}
    assert found == STORED_DIGESTS


texts = st.text(max_size=12)
counts = st.none() | st.integers(0, 10_000)
moments = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
whens = st.one_of(
    st.builds(AllDay, st.dates(date(1900, 1, 1), date(2200, 12, 31))),
    st.builds(Timed, moments, st.none()),
    st.builds(
        lambda moment, zone: Timed(moment.astimezone(get_zone(zone)), zone),
        moments,
        st.sampled_from(["Asia/Seoul", "America/New_York", "Asia/Kolkata", "UTC"]),
    ),
    st.builds(PartialDate, st.integers(1900, 2200), st.none() | st.integers(1, 12), st.none()),
    st.builds(PartialDate, st.integers(1900, 2200), st.none(), st.integers(1, 4)),
    st.just(TBA()),
)
releases = st.none() | st.builds(AllAtOnce, counts) | st.builds(Weekly, st.integers(1, 99))
premieres = st.builds(
    Premiere,
    id=texts,
    show=texts,
    title=texts,
    when=whens,
    status=st.sampled_from(Status),
    release=releases,
    platform=st.none() | texts,
)


@given(premieres)
def test_the_direct_encoding_is_the_json_one(premiere):
    assert encode(premiere) == reference(premiere)


@given(premieres)
def test_a_revision_decodes_to_what_it_encoded(premiere):
    fields, digest = encode(premiere)
    decoded = revision.Revision(premiere.id, 0, digest, datetime.now(UTC), fields).premiere
    assert encode(decoded) == (fields, digest)


def test_a_revision_is_a_frozen_value():
    seen = datetime(2026, 1, 1, 9, tzinfo=UTC)
    made = revision.Revision("p", 1, "d", seen, None)
    named = revision.Revision(premiere_id="p", number=1, digest="d", seen=seen, fields=None)
    assert made == named and hash(made) == hash(named)
    assert (
        repr(made) == f"Revision(premiere_id='p', number=1, digest='d', seen={seen!r}, fields=None)"
    )
    assert dataclasses.replace(made, number=2).number == 2 and made.removed
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.number = 3
