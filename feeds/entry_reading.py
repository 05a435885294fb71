"""Reading a catalogue entry by entry, and keeping each entry's reading for the next.

The file is cut into its entries (``feeds.layout``; around the last edit, with
``feeds.recut``), and only the entries whose text is not in the memo are composed and
validated: in batches, shared with a forked child when there are many
(``feeds.parallel``). Every batch is checked against the parser (one entry starting
in each piece); when a file is not laid out plainly or anything fails to compose, the
caller reads the whole file instead, which reports errors exactly as the parser sees
them. Both ways give the same catalogue, warnings and problems.
"""

from __future__ import annotations

import yaml

from feeds.entries import EntryRead, Placed, assemble, read_entry
from feeds.fields import Fields
from feeds.layout import Layout, Piece, cut
from feeds.model import Catalog
from feeds.parallel import in_two
from feeds.problems import CatalogError
from feeds.recut import recut
from feeds.schema import CALENDAR_KEYS, TOP_KEYS, read_calendar
from feeds.yamlread import Report, compose_text

BATCH = 256  # entries composed as one document when they are not in the memo
PARALLEL_BATCHES = 8  # from this many batches, a second process composes half
CHILD_PICKLING = 0.12  # pickling readings costs about this share of reading them
_OWN_SHARE = (1 + CHILD_PICKLING) / (2 + CHILD_PICKLING)


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


class _Mismatch(Exception):
    """The parser did not find one entry per piece of the cut: read the file whole."""


def read_by_entry(
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
    """Where to split the batches so that both processes finish together: the child
    also pickles what it read, so it takes a little less text than this process."""
    sizes = [
        sum(len(layout.sections[name].pieces[i].text) for i in indexes) for name, indexes in batches
    ]
    total, running = sum(sizes), 0
    for index, size in enumerate(sizes):
        running += size
        if running >= total * _OWN_SHARE:
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
