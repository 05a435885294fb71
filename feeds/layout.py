"""Catalogue text cut into its top-level entries, without parsing it.

A catalogue is a few top-level keys (``calendar``, ``shows``, ``premieres``, ``news``)
with one entry after another under each section. When the text is laid out that way,
each entry can be composed on its own, and an entry whose text did not change since the
last read need not be composed or validated again. ``cut`` returns ``None`` for any text
it is not sure about (anchors, aliases, document markers, directives, tabs or odd
indentation at the start of a line, unknown or repeated top-level keys, a section
written on its key's line): such a file is read whole, as before. The loader checks
every cut it uses against what the parser finds (one entry per piece, each starting
where its piece starts), so a cut never changes what a file means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

SECTIONS = ("shows", "premieres", "news")
LIST_SECTIONS = ("premieres", "news")

_KEY_LINE = re.compile(r"(calendar|shows|premieres|news):(?:[ ]*(#.*)?$|[ ](.*))", re.DOTALL)
_TOP_LINE = re.compile(r"\n(?=[^ #\n])")
_NOT_A_NAME = frozenset(["", " ", "\n", ",", "[", "]", "{", "}"])
_TOKEN_BEFORE = frozenset("\n:-?[{,")
# Patterns start with a line break rather than '^': the regular expression engine then
# skips ahead to each line break instead of trying every position (about 20 times
# faster on a large file).


class Piece(NamedTuple):
    """One entry's text; ``line`` (0-based) and ``start`` (an index into the file's
    text) are where it starts. A named tuple: a large file has tens of thousands."""

    text: str
    line: int
    start: int


class Section(NamedTuple):
    """A section's entries, in file order, and its body: ``text[start:end]``, every
    entry line indented by ``indent``."""

    pieces: tuple[Piece, ...]
    start: int
    end: int
    indent: int


@dataclass(frozen=True)
class Layout:
    """The cut of ``text``: the calendar block (as a piece) and the sections the file
    has, in file order."""

    text: str
    calendar: Piece
    sections: dict[str, Section]


def cut(text: str) -> Layout | None:
    """The entries of a catalogue laid out one after another, or ``None`` when the
    text is not plainly laid out that way (it is then read whole)."""
    if uncuttable(text):
        return None
    blocks = _top_level_blocks(text)
    if blocks is None or "calendar" not in blocks:
        return None
    calendar_start, calendar_end = blocks.pop("calendar")
    sections: dict[str, Section] = {}
    for name, (start, end) in blocks.items():
        section = entries(text, start, end, listed=name in LIST_SECTIONS)
        if section is None:
            return None
        sections[name] = section
    calendar = Piece(
        text[calendar_start:calendar_end], text.count("\n", 0, calendar_start), calendar_start
    )
    return Layout(text, calendar, sections)


def uncuttable(text: str) -> bool:
    """Anchors and aliases (an entry's meaning could then depend on another entry),
    tabs, directives, document markers, and line breaks other than '\\n' (YAML counts
    lines where we would not). Conservative on purpose: a '*' or '&' that merely
    starts a word after a colon or dash in running text also counts."""
    if any(mark in text for mark in ("\t", "\r", "\x85", "\u2028", "\u2029", "\n---", "\n...")):
        return True
    if text.startswith(("---", "...", "%")) or "\n%" in text:
        return True
    return any(_starts_a_token(text, mark) for mark in "&*")


def _starts_a_token(text: str, mark: str) -> bool:
    """Whether ``mark`` ever starts a YAML anchor or alias: followed by a name, after
    a line's indentation, a colon, a dash or a flow indicator. ``str.find`` is
    several times faster here than a regular expression that starts with a class."""
    at = text.find(mark)
    while at >= 0:
        if text[at + 1 : at + 2] not in _NOT_A_NAME:
            before = at - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before < 0 or text[before] in _TOKEN_BEFORE:
                return True
        at = text.find(mark, at + 1)
    return False


def _top_level_blocks(text: str) -> dict[str, tuple[int, int]] | None:
    """Each top-level key's span: the whole block for ``calendar``, the body after the
    key's line for sections. Lines that start a list item at column 0 belong to the
    section above them."""
    firsts = [0] if text[:1] not in ("", " ", "#", "\n") else []
    starts: list[tuple[str, int, int]] = []
    for at in firsts + [m.start() + 1 for m in _TOP_LINE.finditer(text)]:
        if text.startswith("-", at) and starts and starts[-1][0] in LIST_SECTIONS:
            continue
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        key = _KEY_LINE.fullmatch(text, at, line_end)
        if key is None or any(name == key.group(1) for name, _, _ in starts):
            return None
        if key.group(1) in SECTIONS and key.group(3) is not None:
            return None  # a section written on its key's line: [..] or {..}
        body = at if key.group(1) == "calendar" else min(line_end + 1, len(text))
        starts.append((key.group(1), at, body))
    blocks = {}
    for index, (name, _, body) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        blocks[name] = (body, end)
    return blocks


def entries(text: str, start: int, end: int, *, listed: bool) -> Section | None:
    """A section's entries: every line indented like its first line starts one. The
    body ``text[start:end]`` follows a line break, so ``start - 1`` is one."""
    first = re.compile(r"\n( *)[^ \n#]").search(text, start - 1, end)
    if first is None:
        return Section((), start, end, 0)
    indent = len(first.group(1))
    if indent == 0 and not listed:
        return None
    if indent and re.compile(rf"\n {{0,{indent - 1}}}[^ \n#]").search(text, start - 1, end):
        return None
    entry_start = re.compile(rf"\n {{{indent}}}[^ \n#]")
    starts = [m.start() + 1 for m in entry_start.finditer(text, start - 1, end)]
    if listed and any(not _starts_item(text, at + indent) for at in starts):
        return None
    texts = [text[at:stop] for at, stop in zip(starts, [*starts[1:], end], strict=True)]
    lines = accumulate(
        (piece.count("\n") for piece in texts[:-1]), initial=text.count("\n", 0, starts[0])
    )
    return Section(tuple(map(Piece, texts, lines, starts)), start, end, indent)


def _starts_item(text: str, at: int) -> bool:
    return text.startswith("-", at) and text[at + 1 : at + 2] in (" ", "\n", "")
