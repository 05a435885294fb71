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

from feeds.entries import EntryRead, Placed, assemble, read_entry
from feeds.layout import SECTIONS, Layout, Piece, cut
from feeds.model import Catalog
from feeds.parallel import in_two
from feeds.problems import CatalogError, Problem
from feeds.recut import recut
from feeds.schema import CALENDAR_KEYS, read_calendar
from feeds.yamlread import Fields, Report, compose_text, decode, kind_of

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
TOP_KEYS = {"calendar", "shows", "premieres", "news"}
BATCH = 256  # entries composed as one document when they are not in the memo
PARALLEL_BATCHES = 8  # from this many batches, a second process composes half


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
) -> Loaded:
    """Validate catalogue bytes; ``filename`` is only used in messages. The file is
    read entry by entry when it is laid out plainly (``feeds.layout``); with a
    ``memo`` kept from the last read of the same file, entries whose text did not
    change are not composed or validated again. ``by_entry=False`` reads the file
    whole: the straightforward path, which gives the same result."""
    with collector_paused():
        text = decode(data, filename)
        cut_read = _read_cut(text, filename, memo) if by_entry else None
        report, catalog = cut_read or _read_whole(text, filename)
    report.raise_if_any()
    assert catalog is not None
    return Loaded(catalog, tuple(report.warnings), hashlib.sha256(data).hexdigest())


class EntryMemo:
    """What reading each entry gave, by section and text, from the last read of a
    file; replaced whole by each read, so it holds one file's entries at most."""

    def __init__(self) -> None:
        self._reads: dict[tuple[str, str], tuple[EntryRead, int]] = {}
        self._layout: Layout | None = None

    def cut(self, text: str) -> Layout | None:
        """The cut of ``text``: re-cut around the edit from the last text's cut."""
        return cut(text) if self._layout is None else recut(self._layout, text)

    def __len__(self) -> int:
        return len(self._reads)

    def get(self, section: str, piece: Piece) -> Placed | None:
        """The entry's reading, and how far it moved since: lines in a reading are the
        file's lines when it was read."""
        found = self._reads.get((section, piece.text))
        if found is None:
            return None
        read, line = found
        return read, piece.line - line

    def keep(self, layout: Layout, reads: dict[tuple[str, str], tuple[EntryRead, int]]) -> None:
        self._layout = layout
        self._reads = reads


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


class _Mismatch(Exception):
    """The parser did not find one entry per piece of the cut: read the file whole."""


def _read_cut(
    text: str, filename: str, memo: EntryMemo | None
) -> tuple[Report, Catalog | None] | None:
    """Read entry by entry (``feeds.layout``), reusing ``memo``; ``None`` when the file
    is not laid out plainly or anything fails to compose, so that the whole file is
    read and its errors reported exactly as the parser sees them."""
    layout = cut(text) if memo is None else memo.cut(text)
    if layout is None:
        return None
    try:
        root = compose_text(layout.calendar.text, filename)
        sections = _read_sections(layout, filename, memo)
    except (CatalogError, _Mismatch):
        return None
    report = Report(filename, line_offset=layout.calendar.line)
    top = Fields(report, root, "", TOP_KEYS)
    calendar_fields = top.mapping("calendar", CALENDAR_KEYS, required=True)
    calendar = read_calendar(calendar_fields) if calendar_fields else None
    catalog = assemble(report, calendar, sections)
    if memo is not None:
        memo.keep(layout, _memorable(layout, sections))
    return report, catalog


def _read_sections(
    layout: Layout, filename: str, memo: EntryMemo | None
) -> dict[str, list[Placed]]:
    """Every entry's reading: from ``memo`` when its text is unchanged, else composed
    in batches, shared with a second process when there are many."""
    placed: dict[str, list[Placed | None]] = {
        name: [memo.get(name, piece) if memo is not None else None for piece in pieces]
        for name, (pieces, *_) in layout.sections.items()
    }
    batches = [
        (name, missing[at : at + BATCH])
        for name, found in placed.items()
        for missing in [[index for index, read in enumerate(found) if read is None]]
        for at in range(0, len(missing), BATCH)
    ]
    for (name, indexes), fresh in zip(
        batches, _compose_batches(layout, batches, filename), strict=True
    ):
        for index, read in zip(indexes, fresh, strict=True):
            placed[name][index] = (read, 0)
    return placed  # type: ignore[return-value]


def _compose_batches(
    layout: Layout, batches: list[tuple[str, list[int]]], filename: str
) -> list[list[EntryRead]]:
    def compose(part: list[tuple[str, list[int]]]) -> list[list[EntryRead]]:
        return [
            _compose_batch(
                name, [layout.sections[name].pieces[i] for i in indexes], indexes, filename
            )
            for name, indexes in part
        ]

    if len(batches) < PARALLEL_BATCHES:
        return compose(batches)
    half = _halfway(layout, batches)
    mine, theirs = in_two(lambda: compose(batches[:half]), lambda: compose(batches[half:]))
    return mine + theirs


def _halfway(layout: Layout, batches: list[tuple[str, list[int]]]) -> int:
    """Where to split the batches so that both halves hold about as much text."""
    sizes = [
        sum(len(layout.sections[name].pieces[i].text) for i in indexes) for name, indexes in batches
    ]
    total, running = sum(sizes), 0
    for index, size in enumerate(sizes):
        running += size
        if running * 2 >= total:
            return index + 1
    return len(batches)


def _compose_batch(
    section: str, pieces: list[Piece], indexes: list[int], filename: str
) -> list[EntryRead]:
    """Compose several entries as one document (much cheaper than one by one), and
    check that the parser found exactly one entry starting in each piece. Lines in
    the readings are the file's."""
    starts = []
    lines = 0
    for piece in pieces:
        starts.append(lines)
        lines += piece.text.count("\n")
    starts.append(lines + 1)
    root = compose_text("".join(piece.text for piece in pieces), filename)
    items = _items(section, root)
    if items is None or len(items) != len(pieces):
        raise _Mismatch
    reads = []
    for number, item in enumerate(items):
        start = starts[number]
        line = (item[0] if section == "shows" else item).start_mark.line
        if not start <= line < starts[number + 1] or (section == "shows" and line != start):
            raise _Mismatch
        offset = pieces[number].line - start
        reads.append(read_entry(section, item, indexes[number], filename, offset))
    return reads


def _items(section: str, root: yaml.Node | None) -> list | None:
    kind = yaml.MappingNode if section == "shows" else yaml.SequenceNode
    return root.value if isinstance(root, kind) else None


def _memorable(
    layout: Layout, sections: dict[str, list[Placed]]
) -> dict[tuple[str, str], tuple[EntryRead, int]]:
    """Readings worth keeping, with the line each was read at: those without problems
    (a problem's message may name the entry by its position, or another line, which
    other edits change)."""
    return {
        (name, piece.text): (read, piece.line - shift)
        for name, (pieces, *_) in layout.sections.items()
        for piece, (read, shift) in zip(pieces, sections[name], strict=True)
        if not read.problems
    }


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
