"""The loader accepts the documented schema and reports every mistake with its line."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime

import pytest

from catalogs import MINIMAL_HEADER
from feeds.loader import load_catalog, parse_catalog
from feeds.model import TBA, AllAtOnce, AllDay, PartialDate, Status, Timed, Weekly
from feeds.problems import CatalogError

HEADER = MINIMAL_HEADER


def catalogue(body: str = "") -> bytes:
    """The minimal good header (lines 1-8) followed by ``body``."""
    return (HEADER + textwrap.dedent(body)).encode()


def premiere(date_line: str = "date: 2026-01-23", **extra: str) -> str:
    lines = [
        "premieres:",
        "  - id: zs-s2",
        "    show: zombies",
        "    title: Season 2",
        f"    {date_line}",
        "    status: confirmed",
    ]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def only_problem(data: bytes):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert len(caught.value.problems) == 1, caught.value
    return caught.value.problems[0]


def test_the_seed_catalogue_is_valid():
    catalog = load_catalog("events.yaml").catalog
    season_2 = next(p for p in catalog.premieres if p.id == "all-of-us-are-dead-s2")
    assert season_2.when == AllDay(date(2026, 1, 23))
    assert season_2.release == AllAtOnce(12)
    assert season_2.status is Status.CONFIRMED


def test_a_whole_day_becomes_an_all_day_date():
    loaded = parse_catalog(catalogue(premiere()))
    assert loaded.catalog.premieres[0].when == AllDay(date(2026, 1, 23))


def test_a_local_time_with_a_zone_becomes_an_aware_moment():
    data = catalogue(premiere("date: 2026-01-23T17:00", zone="Asia/Seoul"))
    when = parse_catalog(data).catalog.premieres[0].when
    assert isinstance(when, Timed) and when.zone == "Asia/Seoul"
    assert when.start.astimezone(UTC) == datetime(2026, 1, 23, 8, 0, tzinfo=UTC)


def test_a_time_with_an_offset_is_kept_in_utc_without_a_zone():
    when = (
        parse_catalog(catalogue(premiere("date: 2026-01-23T17:00+09:00"))).catalog.premieres[0].when
    )
    assert when == Timed(datetime(2026, 1, 23, 8, 0, tzinfo=UTC), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", PartialDate(2026)),
        ("2026-03", PartialDate(2026, month=3)),
        ("2026-Q1", PartialDate(2026, quarter=1)),
        ("TBA", TBA()),
    ],
)
def test_partial_and_unannounced_dates_keep_their_precision(text, expected):
    data = catalogue(premiere(f"date: {text}"))
    assert parse_catalog(data).catalog.premieres[0].when == expected


def test_a_weekly_release_keeps_its_episodes_per_drop():
    data = catalogue(premiere() + "    release: {pattern: weekly, episodes: 8, per_drop: 2}\n")
    release = parse_catalog(data).catalog.premieres[0].release
    assert release == Weekly(8, 2) and release.drops == 4


@pytest.mark.parametrize("written", ["010", "1:30", "1__0", "!!int abc"])
def test_an_episode_count_yaml_tags_as_an_integer_python_cannot_read_is_refused(written):
    data = catalogue(premiere() + f"    release: {{pattern: weekly, episodes: {written}}}\n")
    problem = only_problem(data)
    assert (problem.line, problem.field) == (15, "episodes")
    value = written.split()[-1]  # the message quotes the value, not its tag
    assert f"expected a whole number from 1 to 10000, got '{value}'" in problem.message


@pytest.mark.parametrize("written", ["null", "~", "Null", "!!null x"])
def test_a_null_title_counts_as_missing(written):
    problem = only_problem(catalogue(premiere().replace("title: Season 2", f"title: {written}")))
    assert (problem.line, problem.field) == (12, "title")
    assert "'title' is required" in problem.message


@pytest.mark.parametrize(
    ("written", "expected"),
    [('"null"', "null"), ("'~'", "~"), ("yes", "yes"), ("1.50", "1.50"), ("0x10", "0x10")],
)
def test_a_title_that_yaml_would_type_stays_the_text_written(written, expected):
    data = catalogue(premiere().replace("title: Season 2", f"title: {written}"))
    assert parse_catalog(data).catalog.premieres[0].title == expected


@pytest.mark.parametrize(("written", "expected"), [("12", 12), ("0x10", 16), ("!!int 7", 7)])
def test_an_episode_count_is_read_as_yaml_reads_an_integer(written, expected):
    data = catalogue(premiere() + f"    release: {{pattern: weekly, episodes: {written}}}\n")
    assert parse_catalog(data).catalog.premieres[0].release.episodes == expected


@pytest.mark.parametrize("written", ['"8"', "'8'", "8.0", "eight"])
def test_an_episode_count_that_is_not_a_plain_integer_is_refused(written):
    problem = only_problem(
        catalogue(premiere() + f"    release: {{pattern: weekly, episodes: {written}}}\n")
    )
    assert problem.field == "episodes"
    assert "expected a whole number" in problem.message


def test_reminder_days_written_in_other_digits_are_refused_on_their_line():
    data = catalogue(premiere()).replace(
        b"calendar:\n", "calendar:\n  reminders: [7, ²]\n".encode()
    )
    problem = only_problem(data)
    assert (problem.line, problem.field) == (2, "reminders")
    assert "expected a number of days from 0 to 365, got '²'" in problem.message


def test_a_quoted_number_with_the_non_specific_tag_stays_text_as_yaml_says():
    problem = only_problem(
        catalogue(premiere() + '    release: {pattern: weekly, episodes: ! "5"}\n')
    )
    assert problem.field == "episodes" and "got '5'" in problem.message


def test_a_misspelt_key_is_reported_with_a_suggestion():
    problem = only_problem(catalogue(premiere(titel="Oops")))
    assert (problem.line, problem.entry) == (15, "premiere 'zs-s2'")
    assert "unknown key 'titel'" in problem.message
    assert "Did you mean 'title'?" in problem.hint


def test_an_unknown_status_is_reported_on_its_line():
    problem = only_problem(catalogue(premiere().replace("confirmed", "confirmd")))
    assert (problem.line, problem.field) == (14, "status")
    assert "unknown status 'confirmd'" in problem.message


def test_an_impossible_date_is_reported_on_its_line():
    problem = only_problem(catalogue(premiere("date: 2026-02-30")))
    assert (problem.line, problem.field) == (13, "date")
    assert "not a real date" in problem.message


def test_a_date_time_without_a_zone_is_refused():
    problem = only_problem(catalogue(premiere("date: 2026-01-23T17:00")))
    assert problem.line == 13
    assert "has no time zone" in problem.message


def test_an_unknown_zone_is_refused():
    problem = only_problem(catalogue(premiere("date: 2026-01-23T17:00", zone="Mars/Base")))
    assert problem.line == 13
    assert "'Mars/Base' is not an IANA time zone" in problem.message


def test_a_premiere_naming_an_unknown_show_is_refused():
    problem = only_problem(catalogue(premiere().replace("show: zombies", "show: vampires")))
    assert (problem.line, problem.field) == (11, "show")
    assert "unknown show 'vampires'" in problem.message
    assert "zombies" in problem.hint


def test_a_news_item_naming_an_unknown_show_is_refused():
    body = """\
    news:
      - id: n1
        published: 2026-01-01T09:00Z
        title: Hello
        shows: [vampires]
    """
    problem = only_problem(catalogue(body))
    assert (problem.line, problem.field) == (13, "shows")
    assert "unknown show 'vampires'" in problem.message


def test_a_duplicate_id_is_refused_naming_the_first_line():
    body = premiere() + premiere().replace("premieres:\n", "")
    problem = only_problem(catalogue(body))
    assert problem.line == 15
    assert "id 'zs-s2' is used twice (first on line 10)" in problem.message


def test_a_duplicate_key_is_refused_not_silently_overwritten():
    problem = only_problem(catalogue(premiere(title="Season 3")))
    assert problem.line == 15
    assert "duplicate key 'title' (first given on line 12)" in problem.message


def test_a_duplicate_show_is_refused():
    problem = only_problem((HEADER + "  zombies:\n    title: Again\n").encode())
    assert problem.line == 9 and "defined twice" in problem.message


def test_a_file_with_three_mistakes_reports_all_three():
    body = premiere("date: 2026-13-01").replace("confirmed", "soon") + "    colour: red\n"
    with pytest.raises(CatalogError) as caught:
        parse_catalog(catalogue(body))
    lines = [(p.line, p.field) for p in caught.value.problems]
    assert lines == [(13, "date"), (14, "status"), (15, None)]
    assert "3 problems" in str(caught.value)


def test_every_message_names_the_file_line_and_column():
    problem = only_problem(catalogue(premiere().replace("confirmed", "confirmd")))
    assert str(problem).startswith("events.yaml:14:13: premiere 'zs-s2' field 'status':")


def test_bytes_that_are_not_utf8_are_refused_with_their_position():
    problem = only_problem(HEADER.encode() + b"# caf\xe9\n")
    assert (problem.line, problem.column) == (9, 6)
    assert "not UTF-8" in problem.message


def test_yaml_syntax_errors_are_reported_with_a_line():
    problem = only_problem(catalogue("premieres: [\n"))
    assert problem.line == 10 and "YAML syntax error" in problem.message


def test_an_empty_file_is_refused():
    assert "empty" in only_problem(b"").message


def test_dangerously_deep_nesting_is_refused_before_parsing():
    problem = only_problem(b"a: " + b"[" * 200_000 + b"]" * 200_000)
    assert "nested too deeply" in problem.message


def test_an_alias_bomb_is_refused_without_expanding_it():
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    data = catalogue(premiere() + "    tags: *a8\n").replace(
        b"calendar:",
        "\n".join(["x-anchors:", *("  " + line for line in bomb), "calendar:"]).encode(),
        1,
    )
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert all(p.field in (None, "tags") for p in caught.value.problems)
    assert len(caught.value.problems) <= 11


def test_control_characters_are_removed_with_a_warning():
    loaded = parse_catalog(catalogue(premiere(description='"bad\\x07 bell"')))
    assert loaded.catalog.premieres[0].description == "bad bell"
    assert loaded.warnings[0].field == "description"


def test_a_line_break_in_a_title_becomes_a_space():
    loaded = parse_catalog(catalogue(premiere().replace("title: Season 2", 'title: "A\\r\\nB"')))
    assert loaded.catalog.premieres[0].title == "A B"


def test_a_javascript_url_is_refused():
    problem = only_problem(catalogue(premiere(url='"javascript:alert(1)"')))
    assert problem.field == "url" and "not an http(s) URL" in problem.message


def test_a_directory_instead_of_a_file_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    assert "not a regular file" in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "events.yaml")
    assert "does not exist" in str(caught.value)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_bytes(catalogue(premiere()))
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, max_bytes=100)
    assert "at most 100 are allowed" in str(caught.value)


def test_the_digest_identifies_the_bytes():
    assert parse_catalog(catalogue()).digest != parse_catalog(catalogue(premiere())).digest


def test_a_url_the_url_parser_rejects_is_a_problem_not_a_crash():
    problem = only_problem(catalogue(premiere(url="http://[not-an-address")))
    assert "is not an http(s) URL" in problem.message
