"""The HTTP layer: look the document up in the current snapshot, answer conditionally.

Nothing is rendered here for an unfiltered request; a filtered one is rendered once
per snapshot and query (see ``store``). Every answer that is not a document is plain
text that says what went wrong.
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from feeds import paths
from feeds.publisher import Publisher, State
from feeds.query import BadQuery, parse_query

blueprint = Blueprint("feeds", __name__)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https: "
    "data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}
MAX_QUERY_BYTES = 2048


def publisher() -> Publisher:
    return current_app.extensions["feeds.publisher"]


def plain(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


def document() -> Response:
    state = publisher().state
    if state.snapshot is None:
        response = plain(503, "No catalogue has been published yet.\n" + _problems(state))
        response.headers["Retry-After"] = "10"
        return response
    if len(request.query_string) > MAX_QUERY_BYTES:
        return plain(414, f"The query string is longer than {MAX_QUERY_BYTES} bytes.")
    try:
        query = parse_query(request.args.to_dict(flat=False), state.snapshot.edition.catalog)
    except BadQuery as error:
        return plain(400, f"Bad query parameter: {error}")
    return _conditional(state.snapshot.document(request.path, query))


def _conditional(document) -> Response:
    gzipped = request.accept_encodings["gzip"] > 0
    response = Response(
        document.gzip_body if gzipped else document.body, content_type=document.media_type
    )
    if gzipped:
        response.content_encoding = "gzip"
    response.set_etag(document.gzip_etag if gzipped else document.etag)
    response.last_modified = document.last_modified
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["FEEDS_MAX_AGE"]
    if request.path != "/":
        response.access_control_allow_origin = "*"
    return response.make_conditional(request)


@blueprint.get("/healthz")
def healthz() -> Response:
    state = publisher().state
    body = {
        "status": state.status,
        "built_at": _iso(state.built_at),
        "as_of": _iso(state.snapshot.edition.moment) if state.snapshot else None,
        "next_rebuild": _iso(state.next_boundary),
        "source_sha256": state.digest,
        "documents": {path: doc.etag for path, doc in state.snapshot.documents.items()}
        if state.snapshot
        else {},
        "error": _error(state),
    }
    status = 503 if state.snapshot is None else 200
    response = Response(json.dumps(body, indent=1), status=status, mimetype="application/json")
    response.cache_control.no_store = True
    return response


def _error(state: State) -> dict[str, object] | None:
    if not state.problems:
        return None
    return {
        "since": _iso(state.failed_at),
        "message": str(state.problems[0]),
        "problems": [problem.as_dict() for problem in state.problems],
    }


def _problems(state: State) -> str:
    return "\n".join(str(problem) for problem in state.problems)


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


for _path in paths.EVERY_DOCUMENT:
    _endpoint = _path.strip("/").replace(".", "-").replace("/", "-") or "page"
    blueprint.add_url_rule(_path, endpoint=_endpoint, view_func=document, methods=["GET"])


def install(app: Flask) -> None:
    """Register the routes, plain-text errors and the security headers."""
    app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = plain(error.code or 500, f"{error.code} {error.name}: {error.description}")
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers[name] = value
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
