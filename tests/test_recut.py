"""Re-cutting an edited catalogue from its previous cut equals cutting it afresh."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_entry_reading import generated, middle_premiere

from feeds.layout import cut
from feeds.recut import common_prefix, common_suffix, recut


def test_retitling_one_premiere_recuts_like_a_fresh_cut():
    text = generated(300)
    target = middle_premiere(text)
    edited = text.replace(f"  - id: {target}\n", f"  - id: {target}\n    # edited\n")
    assert recut(cut(text), edited) == cut(edited)


def test_pieces_outside_the_edit_are_kept_or_moved_not_cut_again():
    text = generated(300)
    edited = text.replace("  - id: premiere-000150\n", "  - id: premiere-000150\n    # x\n")
    before = cut(text)
    old, kept = (
        before.sections["premieres"].pieces,
        recut(before, edited).sections["premieres"].pieces,
    )
    assert kept[0] is old[0]  # before the edit: the very same piece
    assert kept[-1].text is old[-1].text and kept[-1].line == old[-1].line + 1


def test_an_edit_to_the_calendar_block_cuts_afresh():
    text = generated(100)
    edited = text.replace("name: Benchmark Premieres", "name: Renamed")
    assert recut(cut(text), edited) == cut(edited)


def test_adding_an_anchor_makes_the_edited_file_uncuttable():
    text = generated(100)
    edited = text.replace("    show: show-000001\n", "    show: &s show-000001\n", 1)
    assert recut(cut(text), edited) is None


def test_common_prefix_and_suffix_count_shared_characters():
    a, b = "x" * 70_000 + "abc" + "y" * 70_000, "x" * 70_000 + "aXc" + "y" * 70_000
    assert common_prefix(a, b) == 70_001
    assert common_suffix(a, b, len(a) - 70_001) == 70_001
    assert common_prefix("abc", "abc") == 3
    assert common_suffix("abc", "zbc", 3) == 2


EDIT_TEXT = st.text(alphabet="  \n-:#abc01[]&'\"", max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 40), EDIT_TEXT), max_size=3))
def test_any_edit_recuts_like_a_fresh_cut(edits):
    original = generated(30)
    text = original
    for at, length, inserted in edits:
        at %= len(text) + 1
        text = text[:at] + inserted + text[at + length :]
    assert recut(cut(original), text) == cut(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0), st.sampled_from(["", "\n", "  - id: x\n", "    # c\n", "  "]))
def test_edits_at_line_starts_recut_like_a_fresh_cut(line, inserted):
    original = generated(30)
    starts = [0] + [m.end() for m in re.finditer("\n", original)]
    at = starts[line % len(starts)]
    text = original[:at] + inserted + original[at:]
    assert recut(cut(original), text) == cut(text)
