"""Hostile requests get a plain 4xx or are ignored, never a 500; the variant cache stays
bounded; the page and API carry their security headers and no secret."""

from __future__ import annotations

import html.parser
import http.client
import itertools
import re
from urllib.parse import urlsplit

import pytest
from rendered import HEADER

from feeds.app import create_app
from feeds.loader import parse_catalog
from feeds.problems import CatalogError
from feeds.settings import SettingError, Settings
from live_server import running_service
from service_fixtures import make_app, make_settings

PATHS = ("/", "/calendar.ics", "/rss.xml", "/atom.xml", "/feed.json", "/api/events", "/healthz")
PARAMETERS = ("show", "tag", "platform", "status", "past_days", "future_days", "alarm", "all_day")
HOSTILE_VALUES = (
    "%00",
    "a%00b",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%c0%ae%c0%ae%2F",
    "%ff%fe",
    "%0d%0aSet-Cookie:%20x=1",
    "%E2%80%AE",
    "99999999999999999999",
    "-1",
    "P99999W",
)
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    app, publisher = make_app(make_settings(tmp_path_factory.mktemp("svc"), variants=8))
    return app.test_client(), publisher


@pytest.fixture
def client(served):
    return served[0]


def assert_plain_4xx_or_ok(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["Content-Type"].startswith("text/plain")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("path", PATHS)
def test_hostile_values_in_every_parameter_get_a_plain_400_or_are_ignored(client, path):
    for name, value in itertools.product((*PARAMETERS, "utm_source"), HOSTILE_VALUES):
        assert_plain_4xx_or_ok(client.get(f"{path}?{name}={value}"))


@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/calendar.ics%00",
        "/%00",
        "/api/events/../../../etc/passwd",
        "/rss.xml/..%2F..%2Fetc",
    ],
)
def test_hostile_paths_get_a_plain_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")


def test_a_parameter_repeated_past_the_limit_gets_a_400(client):
    response = client.get("/rss.xml?" + "&".join(["show=all-of-us-are-dead"] * 60))
    assert response.status_code == 400 and "at most 50 values" in response.text


def test_a_single_choice_given_twice_gets_a_400(client):
    response = client.get("/calendar.ics?alarm=PT1H&alarm=PT2H")
    assert response.status_code == 400 and "give one value" in response.text


def test_hundreds_of_unknown_parameters_are_ignored(client):
    query = "&".join(f"u{i}=1" for i in range(300))
    assert client.get(f"/rss.xml?{query}").data == client.get("/rss.xml").data


def test_a_huge_if_none_match_gets_the_document(client):
    etags = ", ".join(f'"{n:032x}"' for n in range(30_000))
    assert client.get("/rss.xml", headers={"If-None-Match": etags}).status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "BREW"])
def test_methods_other_than_get_head_and_options_get_a_plain_405(client, method):
    response = client.open("/calendar.ics", method=method)
    assert response.status_code == 405
    assert response.headers["Content-Type"].startswith("text/plain")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_options_lists_the_allowed_methods(client):
    response = client.options("/rss.xml")
    assert response.status_code == 200 and "GET" in response.headers["Allow"]


def test_hostile_calendar_choices_keep_the_variant_cache_bounded(served):
    client, publisher = served
    for minutes in range(1, 40):
        client.get(f"/calendar.ics?alarm=PT{minutes}M&cache_buster={minutes}")
    assert publisher.state.snapshot.variant_count <= 8


# Through gunicorn: raw paths, oversized headers, methods


def _raw(base_url: str, method: str, target: str, headers: dict[str, str] | None = None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_real_server_answers_hostile_requests_without_a_5xx(tmp_path):
    events = make_settings(tmp_path).events_file
    requests = [
        ("GET", "/../../etc/passwd", None),
        ("GET", "/calendar.ics?show=%00", None),
        ("GET", "/rss.xml?" + "show=x&" * 500, None),
        ("GET", "/rss.xml", {"If-None-Match": '"' + "a" * 20_000 + '"'}),
        ("GET", "/rss.xml", {"X-Junk": "b" * 20_000}),
        ("DELETE", "/calendar.ics", None),
        ("GET", "/" + "a" * 10_000, None),
        ("GET", "//evil.example/calendar.ics", None),
    ]
    with running_service(tmp_path, events, FEEDS_SCHEDULER="0") as base:
        statuses = [_raw(base, method, target, headers)[0] for method, target, headers in requests]
        assert _raw(base, "GET", "/healthz")[0] == 200
    assert all(status < 500 for status in statuses), statuses
    assert statuses[0] == statuses[-1] == 404 and statuses[5] == 405


# Headers, debug mode and secrets


@pytest.mark.parametrize(
    "path", ["/", "/api/events", "/api/events?show=nope", "/nope", "/healthz", "/calendar.ics"]
)
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert all(name in headers for name in SECURITY_HEADERS)
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_policy_forbids_scripts_and_framing(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "frame-ancestors 'none'" in policy


def test_debug_mode_is_off_unless_asked_for(tmp_path):
    assert Settings.from_env({}).debug is False
    assert make_app(make_settings(tmp_path))[0].debug is False
    assert Settings.from_env({"FEEDS_DEBUG": "1"}).debug is True


def test_debug_mode_is_on_only_when_asked_for(tmp_path):
    app = create_app(make_settings(tmp_path, debug=True))
    assert app.debug is True


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in {"href", "src"} and value]


def page_urls(client, path: str = "/") -> list[str]:
    parser = _Links()
    parser.feed(client.get(path).text)
    return parser.urls


def test_no_url_on_the_page_echoes_a_parameter_the_page_does_not_know(client):
    urls = page_urls(client, "/?token=s3cret&api_key=s3cret&show=all-of-us-are-dead")
    assert urls and not [url for url in urls if "s3cret" in url]


def test_no_url_on_the_page_carries_credentials(client):
    for url in page_urls(client):
        assert "@" not in (urlsplit(url).netloc or ""), url
        assert not re.search(r"(token|key|secret|password)=", url, re.IGNORECASE), url


def test_a_base_url_with_credentials_is_refused_at_start_up():
    with pytest.raises(SettingError, match="FEEDS_BASE_URL"):
        Settings.from_env({"FEEDS_BASE_URL": "https://admin:hunter2@premieres.example"})


def test_a_catalogue_url_with_credentials_is_refused_without_repeating_them():
    text = HEADER.replace("https://premieres.example", "https://admin:hunter2@premieres.example")
    with pytest.raises(CatalogError, match="user name or password") as caught:
        parse_catalog(text.encode())
    assert "hunter2" not in str(caught.value)
