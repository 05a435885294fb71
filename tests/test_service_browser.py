"""The real service, started from the Procfile, in headless Chromium: the subscribe
page renders with the service's own headers, and every link to the site resolves."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_server import PROJECT, running_service

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (make browser)", allow_module_level=True
    )

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("service")
    events = folder / "events.yaml"
    shutil.copy(PROJECT / "events.yaml", events)
    with running_service(folder, events) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def page(site):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.route(lambda url: not url.startswith(site), lambda route: route.abort())
        response = page.goto(site + "/", wait_until="load")
        page.first_response = response
        yield page
        browser.close()


def test_the_service_page_renders_the_seed_premiere(page):
    assert page.first_response.status == 200
    assert "All of Us Are Dead" in page.locator("body").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "service-phone.png"), full_page=True)


def test_the_page_breaks_no_rule_of_the_services_content_security_policy(page):
    assert "default-src 'none'" in page.first_response.headers["content-security-policy"]
    assert page.errors == []


def test_every_link_to_the_service_answers_200(page, site):
    hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
    local = sorted({h for h in hrefs if h.startswith(site + "/")})
    assert any(h.endswith("/calendar.ics") for h in local)
    statuses = {h: page.request.get(h).status for h in local}
    assert {h: s for h, s in statuses.items() if s != 200} == {}
