"""The README documents what the code offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds.schema import CALENDAR_KEYS, NEWS_KEYS, PREMIERE_KEYS, RELEASE_KEYS, SHOW_KEYS
from feeds.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [setting.name for setting in SETTINGS])
def test_every_setting_is_documented_in_the_readme(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize(
    "key", sorted(CALENDAR_KEYS | SHOW_KEYS | PREMIERE_KEYS | RELEASE_KEYS | NEWS_KEYS)
)
def test_every_catalogue_key_has_an_example_in_the_readme(key):
    assert f" {key}:" in README


def test_the_readme_shows_the_test_command_ci_runs():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in README
