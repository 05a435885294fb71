"""The HTTP layer: documents, conditional GET, gzip, CORS, errors, last good wins."""

from __future__ import annotations

import gzip
import json
import os
import threading

import pytest

from service_fixtures import Clock, make_app, make_settings

FEEDS = {
    "/calendar.ics": "text/calendar; charset=utf-8",
    "/rss.xml": "application/rss+xml; charset=utf-8",
    "/atom.xml": "application/atom+xml; charset=utf-8",
    "/feed.json": "application/feed+json",
    "/api/events": "application/json",
}


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def served(settings):
    app, publisher = make_app(settings)
    return app.test_client(), publisher


@pytest.fixture
def client(served):
    return served[0]


@pytest.mark.parametrize(("path", "media_type"), sorted(FEEDS.items()))
def test_every_feed_answers_200_with_its_media_type(client, path, media_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.data


def test_the_subscribe_page_is_html(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", sorted(FEEDS))
def test_a_repeated_poll_with_the_etag_gets_an_empty_304(client, path):
    etag = client.get(path).headers["ETag"]
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


def test_a_weak_etag_matches_too(client):
    etag = client.get("/rss.xml").headers["ETag"]
    assert client.get("/rss.xml", headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_an_etag_in_a_list_matches(client):
    etag = client.get("/rss.xml").headers["ETag"]
    header = f'"nope", {etag}, "other"'
    assert client.get("/rss.xml", headers={"If-None-Match": header}).status_code == 304


def test_a_star_matches_any_etag(client):
    assert client.get("/rss.xml", headers={"If-None-Match": "*"}).status_code == 304


def test_a_stale_etag_gets_the_full_document(client):
    response = client.get("/rss.xml", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.data


def test_if_modified_since_the_last_change_gets_a_304(client):
    last_modified = client.get("/calendar.ics").headers["Last-Modified"]
    response = client.get("/calendar.ics", headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_if_modified_since_an_older_date_gets_the_document(client):
    headers = {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert client.get("/calendar.ics", headers=headers).status_code == 200


def test_a_stale_etag_wins_over_a_current_if_modified_since(client):
    last_modified = client.get("/calendar.ics").headers["Last-Modified"]
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    assert client.get("/calendar.ics", headers=headers).status_code == 200


def test_head_answers_the_headers_without_a_body(client):
    get = client.get("/atom.xml")
    head = client.head("/atom.xml")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_gzip_is_served_precompressed_with_its_own_etag(client):
    plain = client.get("/calendar.ics")
    zipped = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in zipped.headers["Vary"]


def test_gzip_refused_with_q_0_gets_the_identity_body(client):
    response = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers


def test_a_gzip_poll_with_the_gzip_etag_gets_a_304(client):
    headers = {"Accept-Encoding": "gzip"}
    etag = client.get("/rss.xml", headers=headers).headers["ETag"]
    response = client.get("/rss.xml", headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304


def test_feeds_are_cacheable_and_open_to_other_origins(client):
    response = client.get("/feed.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_the_page_and_api_carry_security_headers(client):
    for path in ("/", "/api/events"):
        headers = client.get(path).headers
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_show_gets_a_400_saying_what_was_wrong(client):
    response = client.get("/calendar.ics?show=nope")
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "unknown value 'nope'" in response.text and "all-of-us-are-dead" in response.text


def test_a_malformed_alarm_gets_a_400(client):
    response = client.get("/calendar.ics?alarm=soon")
    assert response.status_code == 400 and "ISO 8601 duration" in response.text


def test_a_percent_encoded_nul_gets_a_400(client):
    assert client.get("/rss.xml?show=%00").status_code == 400


def test_an_overlong_query_string_gets_a_414(client):
    assert client.get("/rss.xml?x=" + "a" * 5000).status_code == 414


def test_unknown_parameters_are_ignored(client):
    assert client.get("/rss.xml?utm_source=x").data == client.get("/rss.xml").data


def test_a_filtered_variant_is_rendered_once_and_cached(served):
    client, publisher = served
    first = client.get("/calendar.ics?show=all-of-us-are-dead")
    second = client.get("/calendar.ics?show=all-of-us-are-dead&utm=1")
    assert first.data == second.data
    assert publisher.state.snapshot.variant_count == 1


def test_the_variant_cache_stays_bounded(tmp_path):
    app, publisher = make_app(make_settings(tmp_path, variants=3))
    client = app.test_client()
    for days in range(10):
        assert client.get(f"/calendar.ics?past_days={days}").status_code == 200
    assert publisher.state.snapshot.variant_count == 3


def test_an_unknown_path_gets_a_plain_404(client):
    response = client.get("/nope.xml")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/plain")


def test_a_post_gets_a_plain_405_with_allow(client):
    response = client.post("/calendar.ics")
    assert response.status_code == 405
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "GET" in response.headers["Allow"]


def test_healthz_reports_ok_with_the_source_hash(client, served):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["error"] is None
    assert body["source_sha256"] == served[1].state.digest


def test_an_edit_is_published_on_the_next_refresh(served, settings):
    client, publisher = served
    before = client.get("/rss.xml").headers["ETag"]
    text = settings.events_file.read_text(encoding="utf-8")
    settings.events_file.write_text(text.replace("Season 2\n", "Season Two\n", 1), "utf-8")
    assert publisher.refresh() is True
    assert client.get("/rss.xml").headers["ETag"] != before


def test_an_unchanged_file_is_not_rebuilt(served):
    assert served[1].refresh() is False


def test_an_invalid_edit_keeps_serving_the_previous_bytes(served, settings):
    client, publisher = served
    before = {path: client.get(path).data for path in FEEDS}
    lines = settings.events_file.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if "status: confirmed" in text)
    lines[line - 1] = lines[line - 1].replace("confirmed", "confirmd")
    settings.events_file.write_text("".join(lines), "utf-8")
    publisher.refresh()
    assert {path: client.get(path).data for path in FEEDS} == before
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert health["error"]["problems"][0]["line"] == line
    assert "confirmd" in health["error"]["message"]


def test_a_fixed_file_clears_the_error(served, settings):
    client, publisher = served
    good = settings.events_file.read_text(encoding="utf-8")
    settings.events_file.write_text("calendar: [", "utf-8")
    publisher.refresh()
    settings.events_file.write_text(good, "utf-8")
    publisher.refresh()
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_a_deleted_file_keeps_serving_and_says_so(served, settings):
    client, publisher = served
    settings.events_file.unlink()
    publisher.refresh()
    assert client.get("/rss.xml").status_code == 200
    assert "does not exist" in client.get("/healthz").get_json()["error"]["message"]


def test_starting_with_a_bad_file_serves_503_then_recovers(tmp_path):
    settings = make_settings(tmp_path)
    good = settings.events_file.read_bytes()
    settings.events_file.write_text("calendar:\n  name: [\n", "utf-8")
    app, publisher = make_app(settings)
    client = app.test_client()
    response = client.get("/calendar.ics")
    assert response.status_code == 503 and "YAML syntax error" in response.text
    assert client.get("/healthz").status_code == 503
    settings.events_file.write_bytes(good)
    publisher.refresh()
    assert client.get("/calendar.ics").status_code == 200


def test_the_published_catalogue_is_kept_in_the_data_directory(tmp_path):
    settings = make_settings(tmp_path)
    make_app(settings)
    good = settings.events_file.read_bytes()
    settings.events_file.write_text("calendar:\n  name: [\n", "utf-8")
    assert (settings.data_dir / "last-good.yaml").read_bytes() == good


def test_a_worker_starting_on_a_broken_file_serves_the_last_good_catalogue(tmp_path):
    settings = make_settings(tmp_path)
    first, _ = make_app(settings)
    served = first.test_client().get("/calendar.ics")
    settings.events_file.write_text("calendar:\n  name: [\n", "utf-8")
    second, _ = make_app(settings)  # a restart, or a second worker starting late
    client = second.test_client()
    response = client.get("/calendar.ics")
    assert response.status_code == 200 and response.data == served.data
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded" and "YAML syntax error" in health["error"]["message"]


def test_a_passing_time_boundary_rebuilds_without_an_edit(tmp_path):
    clock = Clock()
    _app, publisher = make_app(make_settings(tmp_path), clock)
    moment = publisher.state.snapshot.edition.moment
    clock.now = publisher.state.next_boundary
    assert publisher.refresh() is True
    assert publisher.state.snapshot.edition.moment > moment


def test_two_apps_on_one_store_serve_identical_bytes(tmp_path):
    settings = make_settings(tmp_path)
    first, _ = make_app(settings)
    second, _ = make_app(settings, Clock(Clock().now.replace(hour=18)))
    for path in FEEDS:
        assert first.test_client().get(path).data == second.test_client().get(path).data


def test_a_refresh_racing_with_requests_never_serves_a_torn_body(served, settings):
    client, publisher = served
    published = {publisher.state.snapshot.documents["/rss.xml"].body}
    texts = [settings.events_file.read_text(encoding="utf-8")]
    texts.append(texts[0].replace("Season 2\n", "Season Two\n", 1))
    stop = threading.Event()
    bodies = []

    def poll():
        local = client.application.test_client()
        while not stop.is_set():
            bodies.append(local.get("/rss.xml").data)

    pollers = [threading.Thread(target=poll) for _ in range(3)]
    for thread in pollers:
        thread.start()
    for round_ in range(20):
        settings.events_file.write_text(texts[round_ % 2], "utf-8")
        publisher.refresh(force=True)
        published.add(publisher.state.snapshot.documents["/rss.xml"].body)
    stop.set()
    for thread in pollers:
        thread.join()
    assert bodies and all(body in published for body in bodies)


def test_the_api_lists_premieres_with_their_document_urls(client):
    body = json.loads(client.get("/api/events?show=all-of-us-are-dead").data)
    season_2 = next(p for p in body["premieres"] if p["id"] == "all-of-us-are-dead-s2")
    assert season_2["date"] == {"precision": "day", "date": "2026-01-23"}
    assert season_2["release"] == {"pattern": "all-at-once", "episodes": 12}
    assert body["documents"]["calendar"] == (
        "https://premieres.example/calendar.ics?show=all-of-us-are-dead"
    )


def test_calendar_only_choices_do_not_split_feed_variants(served):
    client, publisher = served
    assert client.get("/rss.xml?alarm=PT1H&all_day=1").data == client.get("/rss.xml").data
    assert publisher.state.snapshot.variant_count == 0


def test_a_file_modified_a_moment_ago_is_read_on_the_next_check(tmp_path):
    app, publisher = make_app(make_settings(tmp_path, settle_seconds=30))
    before = app.test_client().get("/rss.xml").headers["ETag"]
    events = publisher.settings.events_file
    events.write_text(events.read_text().replace("Season 2\n", "Season Two\n", 1))
    assert publisher.refresh() is False
    assert app.test_client().get("/rss.xml").headers["ETag"] == before
    old = events.stat().st_mtime - 60
    os.utime(events, (old, old))
    assert publisher.refresh() is True
