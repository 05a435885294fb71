"""``events.yaml`` in, a validated ``Catalog`` out: the only module that reads the file.

Every problem in the file is reported at once, as one ``CatalogError`` whose problems
each name the file, line, column, entry and field and say how to fix it. Nothing else
ever escapes: not a YAML traceback, not a ``KeyError``.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from feeds.model import Catalog, Show
from feeds.problems import CatalogError, Problem
from feeds.schema import (
    CALENDAR_KEYS,
    peek_id,
    read_calendar,
    read_news,
    read_premiere,
    read_show,
)
from feeds.yamlread import Fields, Report, compose, kind_of

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
TOP_KEYS = {"calendar", "shows", "premieres", "news"}


@dataclass(frozen=True)
class Loaded:
    """A catalogue that passed validation, what was tidied on the way (``warnings``),
    and the SHA-256 of the bytes it came from."""

    catalog: Catalog
    warnings: tuple[Problem, ...]
    digest: str


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing anything that is not a regular, readable file of at most
    ``max_bytes`` (a FIFO would block us, a directory or device is a mistake)."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _file_problem(name, "the file does not exist.", "Check FEEDS_EVENTS_FILE.") from None
    except OSError as error:
        raise _file_problem(name, f"cannot be opened: {error.strerror}.") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _file_problem(name, "is not a regular file.", "Point FEEDS_EVENTS_FILE at a file.")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise _file_problem(
                name,
                f"is {info.st_size:,} bytes; at most {max_bytes:,} are "
                "allowed (setting FEEDS_MAX_BYTES).",
            )
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise _file_problem(name, f"cannot be read: {error.strerror}.") from None
    if len(data) > max_bytes:
        raise _file_problem(name, f"grew past {max_bytes:,} bytes while being read.")
    return data


def _file_problem(name: str, message: str, hint: str | None = None) -> CatalogError:
    return CatalogError([Problem(name, None, None, message, hint=hint)])


def load_catalog(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Read and validate the catalogue at ``path``."""
    return parse_catalog(read_source(path, max_bytes), Path(path).name)


def parse_catalog(data: bytes, filename: str = "events.yaml") -> Loaded:
    """Validate catalogue bytes; ``filename`` is only used in messages."""
    with collector_paused():
        root = compose(data, filename)
        report = Report(filename)
        catalog = _read_document(report, root)
    report.raise_if_any()
    assert catalog is not None
    return Loaded(catalog, tuple(report.warnings), hashlib.sha256(data).hexdigest())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building many small objects triggers the cyclic collector again and again for
    nothing (none of them form cycles); pausing it roughly halves the load time, and
    saves about a second more over a whole 10,000-premiere build (the publisher pauses
    it for the whole rebuild). Re-entrant: only the outermost pause turns it back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_document(report: Report, root: yaml.Node | None) -> Catalog | None:
    if root is None:
        report.problems.append(
            Problem(
                report.filename,
                1,
                1,
                "the file is empty.",
                hint="Start from the example in the README.",
            )
        )
        return None
    if not isinstance(root, yaml.MappingNode):
        report.problem(
            root, f"expected the keys calendar, shows, premieres and news; got {kind_of(root)}."
        )
        return None
    top = Fields(report, root, "", TOP_KEYS)
    calendar_fields = top.mapping("calendar", CALENDAR_KEYS, required=True)
    calendar = read_calendar(calendar_fields) if calendar_fields else None
    shows = _read_shows(report, top)
    known = set(shows) | _show_keys(top)
    premieres = _read_list(report, top, "premieres", read_premiere, known)
    news = _read_list(report, top, "news", read_news, known)
    if calendar is None or report.problems:
        return None
    return Catalog(calendar, tuple(shows.values()), tuple(premieres), tuple(news))


def _read_shows(report: Report, top: Fields) -> dict[str, Show]:
    node = top.get("shows")
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        report.problem(node, f"'shows' must map show keys to shows; got {kind_of(node)}.")
        return {}
    shows: dict[str, Show] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = getattr(key_node, "value", "")
        if isinstance(key, str) and key in seen:
            report.problem(
                key_node,
                f"show '{key}' is defined twice (first on line {seen[key]}).",
                hint="Keep one of the two.",
            )
            continue
        seen[key] = key_node.start_mark.line + 1
        show = read_show(report, key_node, value_node)
        if show is not None:
            shows[show.slug] = show
    return shows


def _show_keys(top: Fields) -> set[str]:
    """Every key under ``shows:``, valid or not, so that a premiere naming a show with a
    mistake in it is not also reported as naming an unknown show."""
    node = top.get("shows")
    if not isinstance(node, yaml.MappingNode):
        return set()
    return {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _read_list(report: Report, top: Fields, key: str, reader, known_shows: set[str]) -> list:
    node = top.get(key)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        report.problem(
            node,
            f"'{key}' must be a list of entries (each starting with '- '); got {kind_of(node)}.",
        )
        return []
    entries = []
    first_line: dict[str, int] = {}
    for index, entry_node in enumerate(node.value):
        entry = reader(report, entry_node, index, known_shows)
        ident = peek_id(entry_node)
        if ident is not None and ident in first_line:
            report.problem(
                entry_node,
                f"id '{ident}' is used twice (first on line {first_line[ident]}).",
                entry=f"{key.rstrip('s')} '{ident}'",
                key="id",
                hint="Every entry needs its own id; ids never change.",
            )
            continue
        if ident is not None:
            first_line[ident] = entry_node.start_mark.line + 1
        if entry is not None:
            entries.append(entry)
    return entries
