"""The cut of an edited catalogue, from the cut of the text before the edit.

An edit changes one stretch of the file. Everything before it keeps its pieces as
they were; everything after it keeps its text and only moves (by as many characters
and lines as the edit added or removed); only the entries the stretch touches are cut
again. Cutting a large file afresh costs tens of milliseconds; this costs what the
edit touches. When the edit is not inside one section's entries (the calendar block,
a section's key line, a new section), the file is cut afresh.
"""

from __future__ import annotations

import bisect

from feeds.layout import LIST_SECTIONS, Layout, Piece, Section, cut, entries, uncuttable

_BLOCK = 1 << 16


def recut(old: Layout, text: str) -> Layout | None:
    """The cut of ``text``, which is ``old.text`` edited (``None`` when it cannot
    be cut plainly, as for ``cut``)."""
    if text == old.text:
        return old
    prefix = common_prefix(old.text, text)
    suffix = common_suffix(old.text, text, min(len(old.text), len(text)) - prefix)
    changed = _section_changed(old, prefix, len(old.text) - suffix)
    if changed is None:
        return cut(text)
    return _patched(old, text, changed, prefix, len(old.text) - suffix) or cut(text)


def common_prefix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start (compared a block at
    a time, then halving: a few copies of the text at most)."""
    limit, at = min(len(a), len(b)), 0
    while at + _BLOCK <= limit and a[at : at + _BLOCK] == b[at : at + _BLOCK]:
        at += _BLOCK
    low, high = at, min(at + _BLOCK, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: str, b: str, limit: int) -> int:
    """How many characters ``a`` and ``b`` share at their end, at most ``limit``."""
    a_end, b_end, at = len(a), len(b), 0
    while (
        at + _BLOCK <= limit
        and a[a_end - at - _BLOCK : a_end - at] == b[b_end - at - _BLOCK : b_end - at]
    ):
        at += _BLOCK
    low, high = at, min(at + _BLOCK, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[a_end - middle : a_end - low] == b[b_end - middle : b_end - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _section_changed(old: Layout, prefix: int, old_stop: int) -> str | None:
    """The section whose entries hold the whole edited stretch, if one does. The
    stretch must leave the line break before the next top-level key alone."""
    for name, section in old.sections.items():
        before_next_key = old_stop < section.end or section.end == len(old.text)
        if section.pieces and section.start <= prefix - 1 and before_next_key:
            return name
    return None


def _patched(old: Layout, text: str, name: str, prefix: int, old_stop: int) -> Layout | None:
    section = old.sections[name]
    starts = [piece.start for piece in section.pieces]
    first = max(bisect.bisect_right(starts, prefix - 1) - 1, 0)
    last = bisect.bisect_right(starts, old_stop) - 1
    region_start = section.pieces[first].start
    old_end = starts[last + 1] if last + 1 < len(starts) else section.end
    moved = len(text) - len(old.text)
    new_end = old_end + moved
    if uncuttable("\n" + text[region_start:new_end]):
        return None
    middle = entries(text, region_start, new_end, listed=name in LIST_SECTIONS)
    if (
        middle is None
        or not middle.pieces
        or middle.indent != section.indent
        or middle.pieces[0].start != region_start
    ):
        return None  # the edit changed where entries start: cut afresh
    lines = text.count("\n", region_start, new_end) - old.text.count("\n", region_start, old_end)
    pieces = (
        section.pieces[:first]
        + middle.pieces
        + tuple(_moved(piece, lines, moved) for piece in section.pieces[last + 1 :])
    )
    sections = {
        other: _moved_section(found, lines, moved) if found.start > section.start else found
        for other, found in old.sections.items()
    }
    sections[name] = Section(pieces, section.start, section.end + moved, section.indent)
    calendar = old.calendar
    if calendar.start > section.start:
        calendar = _moved(calendar, lines, moved)
    return Layout(text, calendar, sections)


def _moved(piece: Piece, lines: int, characters: int) -> Piece:
    return Piece(piece.text, piece.line + lines, piece.start + characters)


def _moved_section(section: Section, lines: int, characters: int) -> Section:
    pieces = tuple(_moved(piece, lines, characters) for piece in section.pieces)
    return Section(pieces, section.start + characters, section.end + characters, section.indent)
