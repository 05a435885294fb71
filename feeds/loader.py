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

from feeds.entries import assemble, read_entry
from feeds.entry_reading import EntryMemo, read_by_entry
from feeds.fields import Fields
from feeds.layout import SECTIONS
from feeds.model import Catalog
from feeds.problems import CatalogError, Problem
from feeds.schema import CALENDAR_KEYS, TOP_KEYS, read_calendar
from feeds.yamlread import Report, compose_text, decode, kind_of

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


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


def parse_catalog(
    data: bytes,
    filename: str = "events.yaml",
    memo: EntryMemo | None = None,
    *,
    by_entry: bool = True,
    digest: str | None = None,
) -> Loaded:
    """Validate catalogue bytes; ``filename`` is only used in messages. The file is
    read entry by entry when it is laid out plainly (``feeds.layout``); with a
    ``memo`` kept from the last read of the same file, entries whose text did not
    change are not composed or validated again. ``by_entry=False`` reads the file
    whole: the straightforward path, which gives the same result. ``digest``: the
    SHA-256 of ``data`` when the caller has it already."""
    with collector_paused():
        text = decode(data, filename)
        cut_read = read_by_entry(text, filename, memo) if by_entry else None
        report, catalog = cut_read or _read_whole(text, filename)
    report.raise_if_any()
    assert catalog is not None
    return Loaded(catalog, tuple(report.warnings), digest or hashlib.sha256(data).hexdigest())


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


def _read_whole(text: str, filename: str) -> tuple[Report, Catalog | None]:
    report = Report(filename)
    root = compose_text(text, filename)
    if root is None:
        report.problems.append(
            Problem(
                filename, 1, 1, "the file is empty.", hint="Start from the example in the README."
            )
        )
        return report, None
    if not isinstance(root, yaml.MappingNode):
        report.problem(
            root, f"expected the keys calendar, shows, premieres and news; got {kind_of(root)}."
        )
        return report, None
    top = Fields(report, root, "", TOP_KEYS)
    calendar_fields = top.mapping("calendar", CALENDAR_KEYS, required=True)
    calendar = read_calendar(calendar_fields) if calendar_fields else None
    sections = {
        name: [
            (read_entry(name, item, index, filename, 0), 0)
            for index, item in enumerate(_section_items(report, top, name))
        ]
        for name in SECTIONS
    }
    return report, assemble(report, calendar, sections)


def _section_items(report: Report, top: Fields, name: str) -> list:
    node = top.get(name)
    if node is None:
        return []
    if name == "shows" and not isinstance(node, yaml.MappingNode):
        report.problem(node, f"'shows' must map show keys to shows; got {kind_of(node)}.")
        return []
    if name != "shows" and not isinstance(node, yaml.SequenceNode):
        report.problem(
            node,
            f"'{name}' must be a list of entries (each starting with '- '); got {kind_of(node)}.",
        )
        return []
    return node.value
