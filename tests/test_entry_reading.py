"""Reading entry by entry (and reusing unchanged entries) gives exactly what reading the
whole file gives: the same catalogue, warnings and problems, with the same lines."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.entry_reading import EntryMemo
from feeds.layout import cut
from feeds.loader import parse_catalog
from feeds.problems import CatalogError, Problem

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


@cache
def generated(premieres: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(premieres)


def outcome(text: str, memo: EntryMemo | None = None, *, by_entry: bool = True):
    """What the loader says of ``text``: the catalogue and warnings, or the problems."""
    try:
        loaded = parse_catalog(text.encode(), memo=memo, by_entry=by_entry)
    except CatalogError as error:
        return "problems", error.problems
    return "catalogue", loaded.catalog, loaded.warnings


def read_whole(text: str):
    return outcome(text, by_entry=False)


def middle_premiere(text: str) -> str:
    ids = re.findall(r"^  - id: (premiere-\d+)$", text, re.MULTILINE)
    return ids[len(ids) // 2]


def test_a_generated_catalogue_is_cut_into_one_piece_per_entry():
    layout = cut(generated(300))
    assert layout is not None
    assert {name: len(section.pieces) for name, section in layout.sections.items()} == {
        "shows": 75,
        "premieres": 300,
        "news": 150,
    }
    assert all(piece.text.startswith("  - id: ") for piece in layout.sections["premieres"].pieces)


def test_each_piece_knows_the_line_it_starts_on():
    text = generated(300)
    lines = text.split("\n")
    for piece in cut(text).sections["news"].pieces:
        assert lines[piece.line] == piece.text.split("\n")[0]


def test_reading_entry_by_entry_equals_reading_the_whole_file():
    text = generated(300)
    assert outcome(text) == read_whole(text)


def test_a_large_catalogue_read_by_two_processes_equals_the_whole_file():
    text = generated(3000)  # enough batches to share them with a forked child
    assert outcome(text) == read_whole(text)


@pytest.mark.parametrize(
    "change",
    [
        ("  show-000001:\n", "  show-000001: &a\n"),  # an anchor
        ("premieres:\n", "premieres: # the list\n  # opened\n"),  # comments only: still cut
        ("shows:\n", "shows: {}\nextra:\n"),  # a section written inline, an unknown key
        ("\n", "\r\n"),  # Windows line breaks
        ("news:\n", "news:\n\t\n"),  # a tab
        ("calendar:\n", "---\ncalendar:\n"),  # a document marker
    ],
)
def test_unusual_layouts_read_the_same_as_the_whole_file(change):
    old, new = change
    text = generated(100).replace(old, new)
    assert outcome(text) == read_whole(text)


@pytest.mark.parametrize(
    "text",
    [
        "calendar: {name: x}\n",
        "shows:\n  a:\n    title: A\n",
        "calendar:\n  name: x\nshows:\n  a: &x\n    title: A\n  b: *x\n",
        "calendar:\n  name: x\npremieres: [{id: a}]\n",
        "calendar:\n  name: x\ncalendar:\n  name: y\n",
    ],
)
def test_cut_declines_what_it_cannot_cut_plainly(text):
    expected_cut = text == "calendar: {name: x}\n"
    assert (cut(text) is not None) == expected_cut


def test_a_file_saved_with_windows_line_breaks_reads_like_the_same_file_with_unix_ones():
    text = generated(100)
    assert cut(text.replace("\n", "\r\n")) is None  # the cutter never sees CRLF...
    assert outcome(text.replace("\n", "\r\n")) == outcome(text)  # ...the loader turns it to LF


def test_a_quoted_title_spanning_lines_that_look_like_entries_reads_as_the_parser_sees_it():
    text = generated(100)
    target = middle_premiere(text)
    text = re.sub(
        rf"(  - id: {target}\n(?:    .*\n)*?    title: )([^\n]*)",
        r'\1"\2\n  - id: not-an-entry\n  still the title"',
        text,
        count=1,
    )
    assert outcome(text) == read_whole(text)
    assert "not-an-entry" not in {p.id for p in outcome(text)[1].premieres}


def test_an_entry_that_did_not_change_is_not_read_again():
    text = generated(300)
    memo = EntryMemo()
    before = parse_catalog(text.encode(), memo=memo).catalog
    target = middle_premiere(text)
    edited = text.replace(f"  - id: {target}\n", f"  - id: {target}\n    # edited\n")
    after = parse_catalog(edited.encode(), memo=memo).catalog
    assert sum(a is b for a, b in zip(before.premieres, after.premieres, strict=True)) == 299


def test_reading_with_a_memo_equals_reading_afresh_after_an_edit():
    text = generated(300)
    memo = EntryMemo()
    parse_catalog(text.encode(), memo=memo)
    edited = text.replace("title: ", "title: New ", 3).replace("  - id: premiere-000010\n", "")
    assert outcome(edited, memo) == read_whole(edited)


def test_warnings_of_a_kept_entry_move_with_it_when_lines_are_added_above():
    text = re.sub(r"title: ([^\n]*)", r'title: "\1\\u0007"', generated(100), count=1)
    memo = EntryMemo()
    (warning,) = parse_catalog(text.encode(), memo=memo).warnings
    moved = text.replace("shows:\n", "shows:\n  # one\n  # two\n", 1)
    assert parse_catalog(moved.encode(), memo=memo).warnings == (
        Problem(warning.file, warning.line + 2, *_rest(warning)),
    )


def _rest(problem: Problem) -> tuple:
    return problem.column, problem.message, problem.entry, problem.field, problem.hint


def test_the_memo_holds_only_the_entries_of_the_last_read():
    memo = EntryMemo()
    parse_catalog(generated(300).encode(), memo=memo)
    parse_catalog(generated(100).encode(), memo=memo)
    assert len(memo) == 100 + 25 + 50


def test_a_problem_in_one_entry_is_reported_at_its_line_while_others_are_reused():
    text = generated(300)
    memo = EntryMemo()
    parse_catalog(text.encode(), memo=memo)
    broken = text.replace("status: confirmed", "status: confirmd", 1)
    assert outcome(broken, memo) == read_whole(broken)
    assert outcome(broken, memo)[0] == "problems"


def test_a_premiere_naming_a_removed_show_is_reported_though_the_premiere_is_unchanged():
    text = generated(100)
    memo = EntryMemo()
    parse_catalog(text.encode(), memo=memo)
    show = re.search(r"^    show: (show-\d+)$", text, re.MULTILINE).group(1)
    renamed = text.replace(f"  {show}:\n", "  show-renamed:\n")
    kind, problems = outcome(renamed, memo)
    assert kind == "problems"
    assert problems == read_whole(renamed)[1]
    assert f"unknown show '{show}'" in problems[0].message


LINE_EDITS = st.sampled_from(["delete", "duplicate", "indent", "dedent", "dash", "quote"])


def _edit(lines: list[str], kind: str, at: int) -> list[str]:
    line = lines[at]
    replacement = {
        "delete": [],
        "duplicate": [line, line],
        "indent": ["  " + line],
        "dedent": [line[2:]],
        "dash": ["  - " + line.lstrip()],
        "quote": [line + ' "'],
    }[kind]
    return lines[:at] + replacement + lines[at + 1 :]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINE_EDITS, st.integers(min_value=0)), min_size=1, max_size=3))
def test_any_damage_to_lines_reads_the_same_entry_by_entry_as_whole(edits):
    original = generated(40)
    memo = EntryMemo()
    parse_catalog(original.encode(), memo=memo)
    lines = original.split("\n")
    for kind, at in edits:
        lines = _edit(lines, kind, at % len(lines))
    text = "\n".join(lines)
    assert outcome(text, memo) == read_whole(text)
    assert outcome(text) == read_whole(text)
