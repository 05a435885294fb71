"""Pieces kept across builds (``feeds.fragments``), and pieces laid out for one join."""

from __future__ import annotations

import pytest

from feeds.fragments import Fragments, spaced


@pytest.mark.parametrize("pieces", [[], [b"one"], [b"one", b"", b"three"], [b"x"] * 1000])
@pytest.mark.parametrize("separator", [b"\n", b",\n  "])
def test_spaced_pieces_join_as_the_separator_joins_them(pieces, separator):
    laid_out = spaced(pieces, separator)
    assert b"".join(laid_out) == separator.join(pieces)
    assert laid_out[::2] == pieces


def test_a_piece_is_written_again_only_when_its_inputs_change():
    written = []

    def write(*inputs):
        written.append(inputs)
        return repr(inputs).encode()

    pieces: Fragments[bytes] = Fragments()
    assert pieces.get("a", (1, "x"), write) == b"(1, 'x')"
    assert pieces.get("a", (1, "x"), write) == b"(1, 'x')"
    assert pieces.get("a", (2, "x"), write) == b"(2, 'x')"
    assert written == [(1, "x"), (2, "x")]
