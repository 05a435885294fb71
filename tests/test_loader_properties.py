"""Whatever the file holds, the loader answers with a catalogue or a CatalogError."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.loader import parse_catalog
from feeds.problems import CatalogError

SEED = Path(__file__).resolve().parent.parent / "events.yaml"
KEYS = [
    "calendar",
    "shows",
    "premieres",
    "news",
    "id",
    "show",
    "title",
    "date",
    "zone",
    "status",
    "release",
    "pattern",
    "episodes",
    "per_drop",
    "published",
    "tags",
    "name",
    "timezone",
    "base_url",
    "url",
    "source",
    "links",
    "refresh",
    "reminders",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2026-01-23",
            "2026-Q5",
            "TBA",
            "2026-01-23T17:00",
            "Asia/Seoul",
            "weekly",
            "all-at-once",
            "confirmed",
            "https://x.example",
            "P1D",
        ]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)


def answers_cleanly(data: bytes) -> None:
    try:
        parse_catalog(data)
    except CatalogError as error:
        assert error.problems
        assert all(str(problem) for problem in error.problems)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_the_domain_error(data):
    answers_cleanly(data)


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_arbitrary_text_only_ever_raises_the_domain_error(text):
    answers_cleanly(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_yaml_structures_only_ever_raise_the_domain_error(document):
    answers_cleanly(yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaging_one_line_of_the_seed_only_ever_raises_the_domain_error(data):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    lines[index] = data.draw(st.text(max_size=40))
    answers_cleanly("\n".join(lines).encode("utf-8", "surrogatepass"))
