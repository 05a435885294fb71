"""Per-item pieces of a document, written once and kept across builds.

A rebuild after an edit sees the same premieres, shows and news items as the build
before (equal, and usually the very same objects), so the page rows, the API entries
and the reminder moments of all but the edited ones can be reused, as the calendar
reuses its events. One slot per item (its id) holds the inputs the piece was written
from and the piece. A slot is reused only while its inputs are equal to the ones asked
for (compared as a tuple, identity first), so a stale piece is never served; keying by
id rather than by the inputs spares hashing every premiere on every build, and a
changed item overwrites its own slot.

The inputs must be everything the piece depends on; where equal values are written
differently (equal datetimes in two zones) the zone is part of the inputs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

Piece = TypeVar("Piece")
_EVERY: list[Fragments[Any]] = []


class Fragments(Generic[Piece]):
    """One renderer's pieces. Safe to share between the build and request threads
    rendering variants: a slot is replaced by one assignment, and both writers of a
    slot write what its inputs give."""

    def __init__(self) -> None:
        self._slots: dict[Hashable, tuple[tuple[Any, ...], Piece]] = {}
        self._lock = threading.Lock()
        _EVERY.append(self)

    def get(self, slot: Hashable, inputs: tuple[Any, ...], write: Callable[..., Piece]) -> Piece:
        """``write(*inputs)``, from the slot when it was written from equal inputs."""
        found = self._slots.get(slot)
        if found is not None and found[0] == inputs:
            return found[1]
        piece = write(*inputs)
        self._slots[slot] = (inputs, piece)
        return piece

    def trim(self, keep: int) -> None:
        """Forget every piece when there are more than ``keep`` slots: items gone from
        the catalogue are not asked for again, and the next build refills what it uses."""
        if len(self._slots) > keep:
            with self._lock:
                self._slots.clear()

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()

    def __len__(self) -> int:
        return len(self._slots)


def spaced(pieces: list[bytes], separator: bytes) -> list[bytes]:
    """``pieces`` with ``separator`` between each two: what ``separator.join(pieces)``
    joins, left for the document's one join (joining a list of thousands of pieces on
    its own first would copy megabytes once more, and hold both copies at once)."""
    if not pieces:
        return []
    spaced = [separator] * (2 * len(pieces) - 1)
    spaced[::2] = pieces
    return spaced


def forget_all() -> None:
    """Empty every renderer's pieces: the next build writes everything from scratch
    (what tests compare a build with kept pieces against)."""
    for fragments in _EVERY:
        fragments.clear()
