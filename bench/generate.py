"""Synthetic catalogues in the real ``events.yaml`` schema, for benchmarks.

``python bench/generate.py 10000 OUT.yaml`` writes a catalogue of 10,000 premieres with
one show per four premieres and one news item per two premieres (the seed catalogue's
proportions, rounded). Dates are spread over four years around 2026 in every form the
schema accepts: whole days (most), local times in a zone, UTC offsets, months,
quarters, years and TBA; releases are binge drops, weekly runs or unstated. The same
size and seed always give the same bytes.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

PLATFORMS = ["Netflix", "Disney+", "Prime Video", "Apple TV+", "Max", "Hulu", "Peacock"]
ZONES = ["Asia/Seoul", "America/New_York", "Europe/Berlin", "Europe/London", "Asia/Tokyo"]
STATUSES = ["rumored", "announced", "confirmed", "confirmed", "released", "delayed"]
TAGS = ["k-drama", "thriller", "comedy", "horror", "sci-fi", "anime", "docuseries", "crime"]
WORDS = [
    "the",
    "of",
    "a",
    "night",
    "city",
    "last",
    "dark",
    "house",
    "secret",
    "game",
    "road",
    "river",
    "fire",
    "glass",
    "kingdom",
]

HEADER = """calendar:
  name: Benchmark Premieres
  description: A synthetic catalogue for benchmarks.
  timezone: Europe/Berlin
  base_url: https://premieres.example
  refresh: PT6H
  language: en
  reminders: [7, 0]
  feed_items: 50
  past_days: 730
"""


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).title()


def _show(rng: random.Random, index: int) -> str:
    tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    return (
        f"  show-{index:06d}:\n"
        f"    title: {_title(rng)} {index}\n"
        f"    platform: {rng.choice(PLATFORMS)}\n"
        f"    url: https://streaming.example/show-{index:06d}\n"
        f"    tags: [{tags}]\n"
        f"    description: >-\n"
        f"      A series about {_title(rng).lower()}, told over several seasons with a\n"
        f"      large ensemble cast and a story that keeps its secrets.\n"
    )


def _date(rng: random.Random) -> list[str]:
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 365))
    roll = rng.random()
    if roll < 0.60:
        return [f"date: {day.isoformat()}"]
    if roll < 0.80:
        return [
            f"date: {day.isoformat()}T{rng.randint(6, 23):02d}:00",
            f"zone: {rng.choice(ZONES)}",
        ]
    if roll < 0.85:
        return [f"date: {day.isoformat()}T{rng.randint(0, 23):02d}:30Z"]
    if roll < 0.90:
        return [f"date: {day.year}-{day.month:02d}"]
    if roll < 0.94:
        return [f"date: {day.year}-Q{(day.month - 1) // 3 + 1}"]
    if roll < 0.97:
        return [f"date: '{day.year}'"]
    return ["date: TBA"]


def _release(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.45:
        return ["release:", "  pattern: all-at-once", f"  episodes: {rng.randint(6, 16)}"]
    if roll < 0.75:
        return ["release:", "  pattern: weekly", f"  episodes: {rng.randint(6, 12)}"]
    return []


def _premiere(rng: random.Random, index: int, shows: int) -> str:
    show = rng.randrange(shows)
    lines = [
        f"id: premiere-{index:06d}",
        f"show: show-{show:06d}",
        f"title: Season {rng.randint(1, 6)}",
        *_date(rng),
        f"status: {rng.choice(STATUSES)}",
        *_release(rng),
        f"description: The story continues with {_title(rng).lower()}.",
        f"cast: [Actor {rng.randint(1, 999)}, Actor {rng.randint(1, 999)}]",
    ]
    if rng.random() < 0.3:
        lines.append(f"tags: [{rng.choice(TAGS)}]")
    return "  - " + "\n    ".join(lines) + "\n"


def _news(rng: random.Random, index: int, shows: int) -> str:
    moment = date(2024, 1, 1) + timedelta(days=rng.randrange(3 * 365))
    show = rng.randrange(shows)
    return (
        f"  - id: news-{index:06d}\n"
        f"    published: {moment.isoformat()}T{rng.randint(0, 23):02d}:00:00Z\n"
        f"    title: {_title(rng)} gets a date\n"
        f"    body: |\n"
        f"      The platform has **confirmed** the next season of show {show}.\n"
        f"      More details [here](https://news.example/{index}).\n"
        f"    links:\n"
        f"      - {{title: Announcement, url: 'https://news.example/{index}'}}\n"
        f"    shows: [show-{show:06d}]\n"
        f"    tags: [release-date]\n"
    )


def generate(premieres: int, seed: int = 7) -> str:
    """The catalogue text with ``premieres`` premieres."""
    rng = random.Random(seed)
    shows = max(premieres // 4, 1)
    parts = [HEADER, "\nshows:\n"]
    parts += [_show(rng, i) for i in range(shows)]
    parts.append("\npremieres:\n")
    parts += [_premiere(rng, i, shows) for i in range(premieres)]
    parts.append("\nnews:\n")
    parts += [_news(rng, i, shows) for i in range(max(premieres // 2, 1))]
    return "".join(parts)


def write(premieres: int, path: Path, seed: int = 7) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(premieres, seed), encoding="utf-8")
    return path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
