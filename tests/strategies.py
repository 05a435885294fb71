"""Hypothesis strategies that write catalogues as an editor would: YAML text.

Text fields draw from every code point but surrogates (a UTF-8 file cannot hold them),
so markup, line breaks, control characters, right-to-left marks and emoji all occur;
the loader decides what becomes of them and the tests compare renderers against what
it accepted. Dates cover every form in a window around ``rendered.NOW``.
"""

from __future__ import annotations

from hypothesis import strategies as st

ZONES = ("UTC", "Europe/Berlin", "Asia/Seoul", "America/New_York", "Australia/Sydney")
STATUSES = ("rumored", "announced", "confirmed", "released", "delayed", "cancelled")
SAFE_HOURS = (0, 9, 12, 18, 21, 23)  # no daylight-saving gap in ZONES at these hours
HOSTILE = ("<script>", "</title>", "]]>", "&amp;", "\r\nATTENDEE:x", "\u202e", "\U0001f9df")

slugs = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
hostile_texts = st.lists(texts | st.sampled_from(HOSTILE), min_size=1, max_size=4).map("".join)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar: printable characters as themselves, the rest as
    ``\\u`` / ``\\U`` escapes (libyaml refuses JSON's surrogate-pair escapes)."""
    return '"' + "".join(map(_escaped, text)) + '"'


def _escaped(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char.isprintable():
        return char
    return f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"


@st.composite
def days(draw) -> str:
    year = draw(st.integers(2025, 2027))
    return f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def dates(draw) -> tuple[str, str | None]:
    """A ``date`` value and the ``zone`` it needs (if any)."""
    day = draw(days())
    hour = f"T{draw(st.sampled_from(SAFE_HOURS)):02d}:{draw(st.sampled_from((0, 30))):02d}"
    return draw(
        st.sampled_from(
            [
                (day, None),
                (day + hour, draw(st.sampled_from(ZONES))),
                (day + hour + "Z", None),
                (day + hour + "+09:00", None),
                (day[:7], None),
                (day[:4] + "-Q2", None),
                (day[:4], None),
                ("TBA", None),
            ]
        )
    )


@st.composite
def premiere_yaml(draw, ident: str, shows: list[str]) -> str:
    date, zone = draw(dates())
    lines = [
        f"  - id: {ident}",
        f"    show: {draw(st.sampled_from(shows))}",
        f"    title: {quoted('T' + draw(hostile_texts))}",
        f"    date: {quoted(date)}",
        f"    status: {draw(st.sampled_from(STATUSES))}",
    ]
    if zone:
        lines.append(f"    zone: {zone}")
    if draw(st.booleans()):
        lines.append(f"    description: {quoted(draw(hostile_texts))}")
    release = draw(st.sampled_from(["", "{pattern: all-at-once, episodes: 8}", "weekly"]))
    if release == "weekly":
        episodes = draw(st.integers(1, 12))
        release = f"{{pattern: weekly, episodes: {episodes}, per_drop: 2}}"
    if release:
        lines.append(f"    release: {release}")
    return "\n".join(lines)


@st.composite
def news_yaml(draw, ident: str, shows: list[str]) -> str:
    published = f"2025-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}T08:00:00Z"
    return "\n".join(
        [
            f"  - id: {ident}",
            f"    published: {published}",
            f"    title: {quoted('N' + draw(hostile_texts))}",
            f"    body: {quoted(draw(hostile_texts))}",
            f"    shows: [{draw(st.sampled_from(shows))}]",
        ]
    )


@st.composite
def catalogues(draw) -> str:
    """A whole ``events.yaml`` as text."""
    shows = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    premiere_ids = draw(st.lists(slugs, max_size=8, unique=True))
    news_ids = draw(st.lists(slugs, max_size=3, unique=True))
    parts = [
        "calendar:",
        f"  name: {quoted('C' + draw(hostile_texts))}",
        f"  timezone: {draw(st.sampled_from(ZONES))}",
        "  base_url: https://premieres.example",
        "shows:",
    ]
    for slug in shows:
        parts += [f"  {slug}:", f"    title: {quoted('S' + draw(hostile_texts))}"]
    parts.append("premieres:" if premiere_ids else "premieres: []")
    parts += [draw(premiere_yaml(ident, shows)) for ident in premiere_ids]
    parts.append("news:" if news_ids else "news: []")
    parts += [draw(news_yaml(ident, shows)) for ident in news_ids]
    return "\n".join(parts) + "\n"
