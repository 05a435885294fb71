"""The subscribe page, read as HTML: what it lists, the links it offers, and that
nothing in the data can turn into markup."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from catalogs import sample_catalog, sample_edition
from feeds.model import AllDay, Edition, NewsItem, Timed
from feeds.page import MEDIA_TYPE, plain_excerpt, render_page
from feeds.query import Query
from feeds.zones import get_zone

VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source", "area", "base", "col"}
BASE = "https://premieres.example"
TODAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Page(HTMLParser):
    """The parts of a page the tests look at. Raises on a mismatched end tag."""

    def __init__(self, body: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, list[str]] = {}
        self.sections: list[str] = []
        self.row_ids: dict[str, list[str]] = {}
        self.feed(body.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "section":
            self.sections.append(values["id"])
        if tag == "tr" and "id" in values:
            self.row_ids.setdefault(self.section, []).append(values["id"].removeprefix("premiere-"))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()
        if tag == "section":
            self.sections.append("")

    def handle_data(self, data: str) -> None:
        self.text.setdefault(self.section, []).append(data)

    @property
    def section(self) -> str:
        return self.sections[-1] if self.sections else ""

    def section_text(self, name: str) -> str:
        return " ".join(" ".join(self.text.get(name, [])).split())

    def hrefs(self, tag: str = "a") -> list[str]:
        return [attrs["href"] for t, attrs in self.tags if t == tag and "href" in attrs]


def page_of(edition: Edition | None = None, query: Query | None = None) -> Page:
    return Page(render_page(edition or sample_edition(), query or Query()))


def today_edition() -> Edition:
    return sample_edition(TODAY)


def test_media_type_is_utf8_html():
    assert MEDIA_TYPE == "text/html; charset=utf-8"


def test_page_is_well_formed_with_every_tag_closed():
    page = page_of()
    assert page.open == []
    assert page.tags[0][0] == "html"


def test_rendering_twice_gives_identical_bytes():
    assert render_page(sample_edition(), Query()) == render_page(sample_edition(), Query())


def test_title_and_description_come_from_the_calendar():
    page = page_of()
    assert page.section_text("").startswith("Premiere Feeds")
    assert "Premiere dates and news." in page.section_text("")


def test_every_premiere_on_or_after_today_is_upcoming():
    page = page_of()
    expected = {p.id for p in sample_catalog().premieres}
    assert set(page.row_ids["upcoming"]) == expected


def test_upcoming_lists_exact_dates_first_then_partial_ones_then_tba():
    page = page_of()
    assert page.row_ids["upcoming"] == [
        *("zs-s2", "sc-s1", "zs-spinoff", "sc-special"),
        *("zs-movie", "zs-s3", "sc-s2", "sc-s3"),
    ]


@pytest.mark.parametrize("label", ["2027", "Q2 2027", "November 2026", "TBA"])
def test_partial_and_unannounced_dates_are_shown_as_such(label):
    assert f" {label} " in f" {page_of().section_text('upcoming')} "


def test_an_all_day_premiere_shows_the_day_written_out():
    assert "23 January 2026" in page_of().section_text("upcoming")


def test_a_timed_premiere_shows_local_time_and_zone():
    text = page_of().section_text("upcoming")
    assert "4 March 2026 21:00 (America/New_York)" in text
    assert "24 December 2026 18:00 (UTC)" in text


@pytest.mark.parametrize("words", ["all 12 episodes at once", "2 episodes a week, 8 in all"])
def test_release_patterns_are_described_in_words(words):
    assert words in page_of().section_text("upcoming")


def test_platform_falls_back_to_the_shows_platform():
    text = page_of().section_text("upcoming")
    assert "Netflix" in text and "Disney+" in text


def test_on_one_day_all_day_premieres_come_first_then_timed_ones_by_moment():
    """Days are the calendar's (Berlin's), whatever zone a moment was given in."""
    catalog = sample_catalog()
    first = catalog.premieres[0]
    whens = {
        "next-day": Timed(datetime(2026, 6, 2, 22, 30, tzinfo=UTC), None),  # 3 June, 00:30
        "new-york": Timed(
            datetime(2026, 6, 1, 20, 0, tzinfo=get_zone("America/New_York")), "America/New_York"
        ),
        "late-utc": Timed(datetime(2026, 6, 1, 23, 30, tzinfo=UTC), None),  # 2 June, 01:30
        "tokyo": Timed(datetime(2026, 6, 2, 8, 0, tzinfo=get_zone("Asia/Tokyo")), "Asia/Tokyo"),
        "day": AllDay(date(2026, 6, 2)),
    }
    premieres = tuple(dataclasses.replace(first, id=key, when=when) for key, when in whens.items())
    edition = dataclasses.replace(
        sample_edition(), catalog=dataclasses.replace(catalog, premieres=premieres)
    )
    for _ in range(2):  # and again, from what the first build kept
        assert page_of(edition).row_ids["upcoming"] == [
            *("day", "tokyo", "late-utc", "new-york", "next-day")
        ]


def test_past_exact_premieres_are_recently_premiered_newest_first():
    page = page_of(today_edition())
    assert page.row_ids["recent"] == ["zs-spinoff", "sc-s1", "zs-s2"]


def test_partial_dates_still_open_today_stay_upcoming():
    page = page_of(today_edition())
    assert page.row_ids["upcoming"] == ["sc-special", "zs-movie", "zs-s3", "sc-s2", "sc-s3"]


def test_a_partial_date_whose_period_has_ended_is_recently_premiered():
    page = page_of(sample_edition(datetime(2027, 7, 15, tzinfo=UTC)))
    assert "sc-s2" in page.row_ids["recent"]
    assert "zs-s3" in page.row_ids["upcoming"]


def test_recently_premiered_keeps_at_most_ten():
    catalog = sample_catalog()
    first = catalog.premieres[0]
    past = tuple(
        dataclasses.replace(first, id=f"old-{n:02d}", when=AllDay(date(2026, 1, n + 1)))
        for n in range(12)
    )
    edition = dataclasses.replace(
        today_edition(), catalog=dataclasses.replace(catalog, premieres=past)
    )
    assert len(page_of(edition).row_ids["recent"]) == 10


def test_news_is_newest_first():
    text = page_of().section_text("news")
    assert text.index("Space Cops casts its crew") < text.index("Zombie School Season 2")


def test_news_shows_date_and_show_titles():
    text = page_of().section_text("news")
    assert "1 August 2025 · Zombie School" in text


def test_news_excerpt_is_plain_text_without_markdown():
    text = page_of().section_text("news")
    assert "All 12 episodes arrive on 23 January 2026." in text
    assert "**" not in text


def test_news_keeps_at_most_ten_items():
    catalog = sample_catalog()
    news = tuple(
        NewsItem(id=f"n{n:02d}", published=TODAY - timedelta(days=n), title=f"Story {n:02d}")
        for n in range(12)
    )
    edition = dataclasses.replace(sample_edition(), catalog=dataclasses.replace(catalog, news=news))
    text = page_of(edition).section_text("news")
    assert "Story 09" in text and "Story 10" not in text


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**Bold** and _em_ and `code`", "Bold and em and code"),
        ("# Heading\n\n- one\n- two", "Heading one two"),
        ("See [the site](https://x.example) ![pic](https://x.example/p.png)", "See the site pic"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("<b>raw</b> html", "raw html"),
    ],
)
def test_plain_excerpt_strips_simple_markdown(markdown, plain):
    assert plain_excerpt(markdown) == plain


def test_plain_excerpt_is_cut_at_a_word_with_an_ellipsis():
    excerpt = plain_excerpt("word " * 100, limit=23)
    assert excerpt == "word word word word…"


def subscription_links(query: str, name: str) -> set[str]:
    https = f"{BASE}/calendar.ics{query}"
    webcal = f"webcal://premieres.example/calendar.ics{query}"
    return {
        webcal,
        https,
        "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "https://outlook.live.com/calendar/0/addfromweb"
        f"?url={quote(https, safe='')}&name={quote(name, safe='')}",
        f"{BASE}/rss.xml{query}",
        f"{BASE}/atom.xml{query}",
        f"{BASE}/feed.json{query}",
        f"{BASE}/api/events{query}",
    }


def test_whole_catalogue_has_every_subscription_link():
    assert subscription_links("", "Premiere Feeds") <= set(page_of().hrefs())


@pytest.mark.parametrize(
    ("slug", "title"), [("zombie-school", "Zombie School"), ("space-cops", "Space Cops")]
)
def test_each_show_has_its_own_subscription_links(slug, title):
    expected = subscription_links(f"?show={slug}", f"Premiere Feeds: {title}")
    assert expected <= set(page_of().hrefs())


def test_google_link_carries_the_webcal_address():
    expected = "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fpremieres.example"
    assert f"{expected}%2Fcalendar.ics" in page_of().hrefs()


def test_webcal_link_keeps_a_base_url_path():
    catalog = sample_catalog()
    calendar = dataclasses.replace(catalog.calendar, base_url="http://host.example:8000/tv")
    edition = dataclasses.replace(
        sample_edition(), catalog=dataclasses.replace(catalog, calendar=calendar)
    )
    assert "webcal://host.example:8000/tv/calendar.ics" in page_of(edition).hrefs()


@pytest.mark.parametrize(
    ("media_type", "path"),
    [
        ("application/rss+xml", "/rss.xml"),
        ("application/atom+xml", "/atom.xml"),
        ("application/feed+json", "/feed.json"),
        ("text/calendar", "/calendar.ics"),
    ],
)
def test_head_has_autodiscovery_links(media_type, path):
    tags = page_of().tags
    links = {(a["type"], a["href"]) for t, a in tags if t == "link" and a["rel"] == "alternate"}
    assert (media_type, f"{BASE}{path}") in links


def test_autodiscovery_follows_the_pages_query():
    page = page_of(query=Query(shows=frozenset({"space-cops"})))
    assert f"{BASE}/rss.xml?show=space-cops" in page.hrefs("link")


def test_page_has_a_viewport_for_phones():
    metas = [a for t, a in page_of().tags if t == "meta"]
    assert any(a.get("name") == "viewport" for a in metas)


def test_page_has_no_script_handlers_or_external_styles():
    page = page_of()
    assert not [t for t, _ in page.tags if t in {"script", "iframe", "object"}]
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]


def test_refresh_delay_is_stated_per_client():
    text = page_of().section_text("refresh")
    for client in ("Google Calendar", "Outlook.com", "Apple Calendar", "Thunderbird"):
        assert client in text
    assert "up to 12 hours" in text and "every 6 hours" in text


def test_selecting_a_show_lists_only_its_premieres_and_news():
    page = page_of(query=Query(shows=frozenset({"space-cops"})))
    assert set(page.row_ids["upcoming"]) == {"sc-s1", "sc-special", "sc-s2", "sc-s3"}
    assert "Zombie School Season 2" not in page.section_text("news")


def test_selecting_a_show_keeps_the_whole_catalogue_subscription():
    page = page_of(query=Query(shows=frozenset({"space-cops"})))
    assert subscription_links("", "Premiere Feeds") <= set(page.hrefs())


HOSTILE = ["</title><script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def hostile_edition(payload: str) -> Edition:
    catalog = sample_catalog()
    shows = (dataclasses.replace(catalog.shows[0], title=f"Show {payload}"), *catalog.shows[1:])
    premieres = (
        dataclasses.replace(catalog.premieres[0], title=f"Premiere {payload}"),
        *catalog.premieres[1:],
    )
    news = (dataclasses.replace(catalog.news[0], title=payload, body=payload), *catalog.news[1:])
    calendar = dataclasses.replace(catalog.calendar, name=f"Feeds {payload}")
    catalog = dataclasses.replace(
        catalog, calendar=calendar, shows=shows, premieres=premieres, news=news
    )
    return dataclasses.replace(sample_edition(), catalog=catalog)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_add_no_markup(payload):
    page = page_of(hostile_edition(payload))
    assert page.open == []
    assert not [t for t, _ in page.tags if t in {"script", "img"}]
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_appear_as_text(payload):
    page = page_of(hostile_edition(payload))
    assert f"Premiere {payload}" in page.section_text("upcoming")
    assert f"Feeds {payload}" in page.section_text("")
