"""The lean path answers exactly as the Flask view would, for every conditional GET."""

from __future__ import annotations

import itertools

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from feeds.fastpath import FastPath
from service_fixtures import make_app, make_settings

PATHS = [
    "/",
    "/calendar.ics",
    "/rss.xml",
    "/atom.xml",
    "/feed.json",
    "/api/events",
    "/calendar.ics?show=all-of-us-are-dead&alarm=PT1H",
    "/rss.xml?tag=k-drama&utm_source=x",
    "/api/events?status=confirmed,released",
    "/?show=squid-game",
]
ENCODINGS = [None, "gzip", "gzip;q=0", "br, gzip;q=0.5", "*", "identity"]
NEWER = "Sun, 01 Jan 2090 00:00:00 GMT"
OLDER = "Mon, 01 Jan 2001 00:00:00 GMT"


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """(lean, flask): the app as served, and the Flask app behind the middleware."""
    app, publisher = make_app(make_settings(tmp_path_factory.mktemp("fastpath")))
    assert isinstance(app.wsgi_app, FastPath)
    # The lean client's fall-through is the real Flask app; ``bypass`` proves which
    # requests never reach it.
    bypass = FastPath(_flask_must_not_be_called, publisher, max_age=300)
    return Client(app.wsgi_app, Response), Client(app.wsgi_app.app, Response), Client(bypass)


def _flask_must_not_be_called(environ, start_response):
    raise AssertionError(f"fell through to Flask: {environ['PATH_INFO']}")


def conditionals(etag: str) -> list[dict[str, str]]:
    bare = etag.strip('"')
    return [
        {},
        {"If-None-Match": etag},
        {"If-None-Match": f"W/{etag}"},
        {"If-None-Match": f'"other", {etag}'},
        {"If-None-Match": f'"other",W/"{bare}"'},
        {"If-None-Match": "*"},
        {"If-None-Match": '"stale"'},
        {"If-None-Match": f'"{bare}-gz"'},
        {"If-None-Match": f'"{bare.removesuffix("-gz")}"'},
        {"If-Modified-Since": NEWER},
        {"If-Modified-Since": OLDER},
        {"If-Modified-Since": "not a date"},
        {"If-None-Match": '"stale"', "If-Modified-Since": NEWER},
        {"If-None-Match": etag, "If-Modified-Since": OLDER},
    ]


def answer(client: Client, method: str, path: str, headers: dict[str, str]):
    response = client.open(path, method=method, headers=headers)
    listed = [(k, "<date>" if k == "Date" else v) for k, v in response.headers.items()]
    return response.status, listed, response.get_data()


def test_every_conditional_request_gets_the_flask_answer(clients):
    lean, flask, bypass = clients
    for path, encoding in itertools.product(PATHS, ENCODINGS):
        base = {"Accept-Encoding": encoding} if encoding else {}
        etag = flask.get(path, headers=base).headers["ETag"]
        for method, extra in itertools.product(["GET", "HEAD"], conditionals(etag)):
            headers = {**base, **extra}
            expected = answer(flask, method, path, headers)
            assert answer(lean, method, path, headers) == expected, (method, path, headers)
            assert bypass.open(path, method=method, headers=headers).status == expected[0]


def test_polls_are_answered_304_and_bodies_are_the_documents(clients):
    lean, _, _ = clients
    first = lean.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    again = lean.get(
        "/calendar.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/calendar.ics?show=nope", {}),
        ("GET", "/rss.xml?alarm=soon", {}),
        ("GET", "/rss.xml?tag=" + "x" * 3000, {}),
        ("POST", "/calendar.ics", {}),
        ("GET", "/healthz", {}),
        ("GET", "/missing", {}),
        ("GET", "/rss.xml", {"If-Match": '"other"'}),
        ("GET", "/rss.xml", {"Range": "bytes=0-10"}),
    ],
)
def test_everything_else_falls_through_to_flask(clients, method, path, headers):
    lean, flask, _ = clients
    assert answer(lean, method, path, headers) == answer(flask, method, path, headers)
