"""One entry read on its own, and the checks that need every entry.

What reading an entry gives depends on the entry's text alone, so the loader can keep
it and reuse it while that text stays the same. What depends on other entries (a show
defined twice, an id used twice, a premiere naming a show that does not exist) is
checked by ``assemble`` once every entry is read. Lines in an ``EntryRead`` count from
wherever its entry was composed; ``assemble`` is given how far to move them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import yaml

from feeds.model import CalendarInfo, Catalog, NewsItem, Premiere, Show
from feeds.problems import Problem
from feeds.schema import entry_label, peek_id, read_news, read_premiere, read_show
from feeds.yamlread import Reference, Report

_LIST_READERS = {"premieres": (read_premiere, "premiere"), "news": (read_news, "news")}


class EntryRead(NamedTuple):
    """``ident``: the show key or the ``id`` as written, valid or not; ``line`` and
    ``column``: where the entry starts. (A named tuple: one is made per entry.)"""

    value: Show | Premiere | NewsItem | None
    ident: str | None
    line: int | None
    column: int | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    references: tuple[Reference, ...]


Placed = tuple[EntryRead, int]
"""An entry's reading and the number of lines to add to its lines."""


def read_entry(section: str, item, index: int, filename: str, line_offset: int) -> EntryRead:
    """Read one entry: a list item's node, or a (key, value) pair of nodes for a show."""
    report = Report(filename, line_offset=line_offset)
    if section == "shows":
        key_node, value_node = item
        value = read_show(report, key_node, value_node)
        ident = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        start = key_node
    else:
        reader, kind = _LIST_READERS[section]
        ident = peek_id(item)
        value = reader(report, item, entry_label(kind, ident, index))
        start = item
    line, column = report.position(start)
    return EntryRead(
        value,
        ident,
        line,
        column,
        tuple(report.problems),
        tuple(report.warnings),
        tuple(report.references),
    )


def assemble(
    report: Report, calendar: CalendarInfo | None, sections: dict[str, list[Placed]]
) -> Catalog | None:
    """The catalogue from every entry's reading, after the checks across entries;
    ``None`` (with the problems in ``report``) when anything is wrong."""
    shows, known = _shows(report, sections.get("shows", []))
    premieres = _listed(report, "premieres", sections.get("premieres", []), known)
    news = _listed(report, "news", sections.get("news", []), known)
    if calendar is None or report.problems:
        return None
    return Catalog(calendar, tuple(shows.values()), tuple(premieres), tuple(news))


def _collect(report: Report, read: EntryRead, shift: int) -> None:
    if read.problems:
        report.problems.extend(_moved(p, shift) for p in read.problems)
    if read.warnings:
        report.warnings.extend(_moved(p, shift) for p in read.warnings)


def _moved(problem: Problem, shift: int) -> Problem:
    if not shift or problem.line is None:
        return problem
    return replace(problem, line=problem.line + shift)


def _shows(report: Report, placed: list[Placed]) -> tuple[dict[str, Show], set[str]]:
    """The shows read, by slug, and every show key written (valid or not): names the
    other sections may refer to without an unknown-show problem of their own."""
    shows: dict[str, Show] = {}
    seen: dict[str, int] = {}
    for read, shift in placed:
        line = _line(read, shift)
        if read.ident is not None and read.ident in seen:
            report.problems.append(
                Problem(
                    report.filename,
                    line,
                    read.column,
                    f"show '{read.ident}' is defined twice (first on line {seen[read.ident]}).",
                    hint="Keep one of the two.",
                )
            )
            continue  # the first definition stands; the second is not read further
        _collect(report, read, shift)
        if read.ident is not None:
            seen[read.ident] = line
        if isinstance(read.value, Show):
            shows[read.value.slug] = read.value
    return shows, set(seen)


def _listed(report: Report, section: str, placed: list[Placed], known: set[str]) -> list:
    """A list section's entries, in one pass: each entry's own problems and warnings,
    then ids used twice, then shows that do not exist."""
    entries = []
    first_line: dict[str, int] = {}
    for read, shift in placed:
        if read.problems or read.warnings:
            _collect(report, read, shift)
        ident = read.ident
        if ident is not None and ident in first_line:
            report.problems.append(
                Problem(
                    report.filename,
                    _line(read, shift),
                    read.column,
                    f"id '{ident}' is used twice (first on line {first_line[ident]}).",
                    f"{section.rstrip('s')} '{ident}'",
                    "id",
                    "Every entry needs its own id; ids never change.",
                )
            )
        elif ident is not None:
            first_line[ident] = _line(read, shift)
        for ref in read.references:
            if not ref.named or ref.name not in known:
                report.problems.append(_unknown_show(report, ref, shift, known))
        if read.value is not None:
            entries.append(read.value)
    return entries


def _unknown_show(report: Report, ref: Reference, shift: int, known: set[str]) -> Problem:
    names = ", ".join(sorted(known)) or "none yet"
    return Problem(
        report.filename,
        None if ref.line is None else ref.line + shift,
        ref.column,
        f"unknown show {ref.name!r}.",
        ref.entry,
        ref.key,
        f"Add it under 'shows:' or use one of: {names}.",
    )


def _line(read: EntryRead, shift: int):
    return None if read.line is None else read.line + shift
