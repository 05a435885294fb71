"""The subscribe page in a real headless Chromium: it renders, fits a phone, every
link to this site answers, and the calendar-client links have the right shape.

The page is served by a stand-in server (``site`` fixture) that also sends the
Content-Security-Policy the HTTP layer will send, so a violation shows up as a console
error. To test the real service instead, replace ``site`` with a fixture that starts
the app and yields its base URL (the catalogue's ``base_url`` must be that URL, or the
same-origin link check has nothing to follow).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from catalogs import sample_edition
from feeds.model import Edition
from feeds.page import MEDIA_TYPE, render_page
from feeds.query import BadQuery, parse_query

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
DOCUMENTS = {
    "/calendar.ics": "text/calendar; charset=utf-8",
    "/rss.xml": "application/rss+xml; charset=utf-8",
    "/atom.xml": "application/atom+xml; charset=utf-8",
    "/feed.json": "application/feed+json; charset=utf-8",
    "/api/events": "application/json; charset=utf-8",
}

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (make browser)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


def edition_at(base_url: str) -> Edition:
    """The sample catalogue on 23 November 2026 (past and upcoming premieres), published
    at ``base_url``."""
    edition = sample_edition(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    calendar = dataclasses.replace(edition.catalog.calendar, base_url=base_url)
    catalog = dataclasses.replace(edition.catalog, calendar=calendar)
    return dataclasses.replace(edition, catalog=catalog)


def stand_in_handler(edition: Edition) -> type[BaseHTTPRequestHandler]:
    """Serves the page at "/" (any subscriber query) and a 200 stub for each document."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                try:
                    query = parse_query(parse_qs(url.query), edition.catalog)
                except BadQuery as error:
                    return self.answer(400, "text/plain; charset=utf-8", str(error).encode())
                return self.answer(200, MEDIA_TYPE, render_page(edition, query))
            if url.path in DOCUMENTS:
                return self.answer(200, DOCUMENTS[url.path], b"stand-in\n")
            return self.answer(404, "text/plain; charset=utf-8", b"not found\n")

        def answer(self, status: int, media_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The base URL of a server publishing the subscribe page (no trailing slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = stand_in_handler(edition_at(base_url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                *("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"),
                *("--no-first-run", "--disable-background-networking"),
                *("--disable-component-update", "--disable-sync"),
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def visit(browser: Browser, site: str) -> Iterator:
    """Opens the page at a viewport; records console errors, page errors and any request
    that leaves this site (which are aborted: this machine has no internet)."""
    pages: list[Page] = []
    problems: list[str] = []

    def open_page(viewport: dict[str, int], path: str = "/") -> Page:
        page = browser.new_page(viewport=viewport)
        pages.append(page)
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))

        def outside(route) -> None:
            problems.append(f"request left the site: {route.request.url}")
            route.abort()

        page.route(lambda url: not url.startswith(site), outside)
        response = page.goto(site + path, wait_until="load")
        assert response is not None and response.status == 200
        return page

    open_page.problems = problems
    yield open_page
    for page in pages:
        page.close()


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def open_every_details(page: Page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_page_renders_its_title_and_premiere_table(visit):
    page = visit(DESKTOP)
    assert page.title() == "Premiere Feeds"
    assert page.locator("#upcoming table").is_visible()
    assert page.locator("#upcoming tbody tr").count() == 5


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_nothing_overflows_horizontally(visit, name, viewport):
    page = visit(viewport)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"subscribe-{name}.png"), full_page=True)
    assert scroll_width(page) <= viewport["width"]
    open_every_details(page)
    assert scroll_width(page) <= viewport["width"]


def test_premiere_rows_become_cards_on_a_phone(visit):
    page = visit(PHONE)
    cells = page.locator("#upcoming tbody tr").first.locator("td")
    date, show = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert show["y"] >= date["y"] + date["height"]


def test_page_logs_no_console_errors_and_loads_nothing_external(visit):
    visit(PHONE)
    visit(DESKTOP, "/?show=space-cops")
    assert visit.problems == []


def test_every_same_origin_link_resolves(visit, site):
    page = visit(DESKTOP)
    hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
    local = sorted({h for h in hrefs if h.startswith(site + "/")})
    assert len(local) >= 3 * len(DOCUMENTS)
    failures = [(h, page.request.get(h).status) for h in local]
    assert [f for f in failures if f[1] != 200] == []


def test_show_filter_links_open_that_shows_page(visit):
    page = visit(DESKTOP)
    page.click("nav.shows >> text=Space Cops")
    page.wait_for_load_state()
    assert "show=space-cops" in page.url
    assert "Zombie School" not in page.locator("#upcoming").inner_text()


def hrefs_starting(page: Page, prefix: str) -> list[str]:
    return page.eval_on_selector_all(
        f'a[href^="{prefix}"]', "els => els.map(e => e.getAttribute('href'))"
    )


def test_webcal_links_are_the_calendar_address_with_the_webcal_scheme(visit, site):
    page = visit(DESKTOP)
    host = urlsplit(site).netloc
    expected = {f"webcal://{host}/calendar.ics"} | {
        f"webcal://{host}/calendar.ics?show={slug}" for slug in ("space-cops", "zombie-school")
    }
    assert set(hrefs_starting(page, "webcal:")) == expected


def test_google_links_carry_the_encoded_webcal_address(visit, site):
    page = visit(DESKTOP)
    webcals = hrefs_starting(page, "webcal:")
    google = hrefs_starting(page, "https://calendar.google.com/calendar/render")
    assert sorted(google) == sorted(
        "https://calendar.google.com/calendar/render?cid=" + quote(w, safe="") for w in webcals
    )


def test_outlook_links_carry_the_encoded_https_address_and_a_name(visit, site):
    page = visit(DESKTOP)
    outlook = hrefs_starting(page, "https://outlook.live.com/calendar/0/addfromweb")
    assert len(outlook) == 3
    for link in outlook:
        query = parse_qs(urlsplit(link).query)
        assert query["url"][0].startswith(f"{site}/calendar.ics")
        assert query["name"][0].startswith("Premiere Feeds")
