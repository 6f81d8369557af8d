"""``claimset review serve``: a local web page for reviewing claims one at a time.

Reading a claim in its paragraph and pressing one key is the fastest way to review many
claims, and a page on this machine needs no account, no upload and no network. Every
decision is appended to the dataset's review log (``extract.review.log``) the moment it is
made, so closing the tab or a crash loses nothing, and the log stays the single record
shared with the spreadsheet and Label Studio channels.

The claims and their context are read once, when the app is made (a build does not change
under a running review); the log is read on every request, because it is small and
decisions recorded elsewhere (another tab, an import) should show up at once.

The page is static (``review_web/``) and fills itself from a small JSON API:

* ``GET /api/meta``: claim types, decisions, verdicts, the default reviewer, the dataset;
* ``GET /api/queue?type=&unreviewed=1&uncited=1&needs_citation=1&at=<claim_id>``: the claim
  ids the filters keep (claims that need a citation first, then document order), with the
  claims just after and before ``at`` and the progress;
* ``GET /api/claims/<claim_id>``: a claim, its paragraph (cut into highlighted segments)
  and its latest decision;
* ``POST /api/decisions``: record one decision (JSON), answered with the new progress;
* ``GET /api/progress``: reviewed / total and the latest decisions counted by kind.

Document text is hostile input (scraped web pages): the page renders it only as text, the
JSON escapes ``<``, ``>`` and ``&``, a strict Content-Security-Policy forbids inline script,
and writes are accepted only as JSON from the page's own origin on a loopback host name.
"""

from __future__ import annotations

import re
import webbrowser
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

from extract.errors import ClaimsetError, SchemaValidationError
from extract.review.log import (
    CLAIM_TYPES,
    DECISIONS,
    SETTLING,
    VERDICTS,
    Decision,
    ReviewError,
    decision_problems,
    default_reviewer,
    record_decisions,
)
from extract.review.queue import QueueFilter, ReviewDataset

WEB_DIR = Path(__file__).parent / "web"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Host names the page answers to by default: a web page elsewhere that points its own name
# at 127.0.0.1 (DNS rebinding) must not be able to read the dataset or post decisions.
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)
MAX_NOTE_CHARS = 5000
MAX_BODY_BYTES = 64 * 1024
_CLAIM_ID = re.compile(r"c[0-9a-f]{16}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
# What a POSTed decision may hold, with the JSON types each field accepts.
_BODY_FIELDS: dict[str, tuple[type, ...]] = {
    "claim_id": (str,),
    "decision": (str,),
    "claim_type": (str, type(None)),
    "verdict": (str, type(None)),
    "has_citation": (bool, type(None)),
    "note": (str, type(None)),
    "reviewer": (str, type(None)),
}
_JSON_TYPE_NAMES = {str: "a string", bool: "true or false", type(None): "null"}


class _EscapingJSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes.

    The parsed values are unchanged; the raw bytes never hold markup, so a response that
    is ever sniffed or pasted into HTML cannot start a tag.
    """

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class ApiError(Exception):
    """A request the API answers with an error status and a list of problems."""

    def __init__(self, message: str, problems: Iterable[str] = (), status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.status = status


def _flag(name: str) -> bool:
    value = request.args.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ApiError(
        f"bad filter {name}", [f"parameter {name!r}: {value!r} is not one of 1, 0, true, false"]
    )


def _queue_filter() -> QueueFilter:
    claim_type = request.args.get("type", "").strip() or None
    if claim_type is not None and claim_type not in CLAIM_TYPES:
        raise ApiError(
            "bad filter type",
            [f"parameter 'type': {claim_type!r} is not one of {', '.join(CLAIM_TYPES)}"],
        )
    return QueueFilter(claim_type, _flag("unreviewed"), _flag("uncited"), _flag("needs_citation"))


def _parse_decision(body: Any, dataset: ReviewDataset, fallback_reviewer: str) -> Decision:
    """A web decision from a POSTed JSON body, or :class:`ApiError` naming every problem."""
    if not isinstance(body, dict):
        raise ApiError("the body must be a JSON object", ["body: not a JSON object"])
    problems = [f"field {key!r}: unknown field" for key in body if key not in _BODY_FIELDS]
    for key, types in _BODY_FIELDS.items():
        value = body.get(key)
        if not isinstance(value, types):
            wanted = " or ".join(_JSON_TYPE_NAMES[kind] for kind in types)
            shown = f"missing; give {wanted}" if key not in body else f"{value!r} is not {wanted}"
            problems.append(f"field {key!r}: {shown}")
    if problems:
        raise ApiError("the decision was not recorded", problems)
    claim_id: str = body["claim_id"]
    item = dataset.item(claim_id) if _CLAIM_ID.fullmatch(claim_id) else None
    if item is None:
        problems.append(f"field 'claim_id': no claim {claim_id!r} in this dataset")
    note = (body.get("note") or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        problems.append(f"field 'note': longer than {MAX_NOTE_CHARS} characters")
    reviewer = body.get("reviewer")
    decision = Decision(
        claim_id=claim_id,
        decision=body["decision"],
        claim_type=body.get("claim_type"),
        has_citation=body.get("has_citation"),
        verdict=body.get("verdict"),
        note=note,
        reviewer=fallback_reviewer if reviewer is None else reviewer.strip(),
        channel="web",
        source_file=item.claim["source_file"] if item else "",
        claim_text=item.claim["text"] if item else "",
    )
    problems.extend(decision_problems(decision.to_row()))
    if problems:
        raise ApiError("the decision was not recorded", problems)
    return decision


def _check_same_origin() -> None:
    """Refuse writes a page on another site could have sent (CSRF)."""
    if request.mimetype != "application/json":
        # A cross-site form can post only form encodings or text/plain, never JSON.
        raise ApiError(
            "send the decision as JSON",
            ["header 'Content-Type': must be application/json"],
            status=415,
        )
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        raise ApiError(
            "cross-origin request refused",
            [f"header 'Origin': {origin!r} is not this page's origin"],
            status=403,
        )
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        raise ApiError(
            "cross-site request refused",
            ["header 'Sec-Fetch-Site': not same-origin"],
            status=403,
        )


def create_app(dataset_dir: Path | str, *, reviewer: str | None = None) -> Flask:
    """The review page and its JSON API for the dataset in ``dataset_dir``.

    Reads the claims and their context now (a missing dataset raises ``UsageError``). By
    default the app answers only to loopback host names; ``serve`` widens that when it is
    asked to listen on another address.
    """
    dataset = ReviewDataset(dataset_dir)
    app = Flask(__name__, static_folder=str(WEB_DIR), static_url_path="/static")
    app.json = _EscapingJSONProvider(app)
    app.config.update(
        TRUSTED_HOSTS=list(LOOPBACK_NAMES),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    app.extensions["claimset_review"] = dataset

    def fallback_reviewer() -> str:
        return reviewer or default_reviewer()

    def error_response(error: ApiError) -> tuple[Response, int]:
        return jsonify({"error": error.message, "problems": error.problems}), error.status

    @app.errorhandler(ApiError)
    def bad_request(error: ApiError) -> tuple[Response, int]:
        return error_response(error)

    @app.errorhandler(ClaimsetError)
    def claimset_error(error: ClaimsetError) -> tuple[Response, int]:
        # e.g. an unreadable review log: the page shows the message, the log is left as is.
        return jsonify({"error": str(error), "problems": []}), 500

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if not request.path.startswith("/api/"):
            return error.get_response()
        status = error.code or 500
        return jsonify({"error": error.description or error.name, "problems": []}), status

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"  # review state changes all the time
        return response

    @app.get("/")
    def index() -> Response:
        return app.send_static_file("index.html")

    @app.get("/favicon.ico")
    def favicon() -> tuple[str, int]:
        return "", 204  # no icon; spares the console a 404 on every load

    @app.get("/api/meta")
    def meta() -> Response:
        return jsonify(
            {
                "claim_types": list(CLAIM_TYPES),
                "decisions": list(DECISIONS),
                "settling": sorted(SETTLING),
                "verdicts": list(VERDICTS),
                "reviewer": fallback_reviewer(),
                "reviewer_given": reviewer is not None,
                "dataset": str(dataset.dataset_dir),
                "claims": len(dataset),
            }
        )

    @app.get("/api/progress")
    def progress() -> Response:
        return jsonify(dataset.progress(dataset.reviews()))

    @app.get("/api/queue")
    def queue() -> Response:
        keep = _queue_filter()
        reviews = dataset.reviews()
        claim_ids = dataset.queue(keep, reviews)
        at = request.args.get("at", "").strip() or None
        previous = following = None
        if at is not None:
            if dataset.item(at) is None:
                raise ApiError("unknown claim", [f"parameter 'at': no claim {at!r}"])
            previous, following = dataset.neighbours(claim_ids, at)
        return jsonify(
            {
                "claim_ids": claim_ids,
                "size": len(claim_ids),
                "at": at,
                "position": claim_ids.index(at) if at in claim_ids else None,
                "previous": previous,
                "next": following,
                "progress": dataset.progress(reviews),
            }
        )

    @app.get("/api/claims/<claim_id>")
    def claim(claim_id: str) -> Response:
        item = dataset.item(claim_id)
        if item is None:
            raise ApiError("unknown claim", [f"no claim {claim_id!r} in this dataset"], 404)
        return jsonify(dataset.claim_view(item, dataset.reviews()))

    @app.post("/api/decisions")
    def decide() -> tuple[Response, int]:
        _check_same_origin()
        body = request.get_json(silent=True)
        if body is None:
            raise ApiError("the body is not JSON", ["body: not valid JSON"])
        decision = _parse_decision(body, dataset, fallback_reviewer())
        try:
            record_decisions(dataset.dataset_dir, [decision])
        except (ReviewError, SchemaValidationError) as error:
            # e.g. the dataset was rebuilt under the page and the claim is gone.
            lines = [line.strip() for line in str(error).splitlines()]
            raise ApiError(lines[0], lines[1:]) from None
        return jsonify(
            {"recorded": decision.to_row(), "progress": dataset.progress(dataset.reviews())}
        ), 201

    return app


def _trusted_hosts(host: str) -> list[str] | None:
    """Host names to answer to when listening on ``host`` (None: any)."""
    if host in _WILDCARD_HOSTS:
        return None  # every interface: the names it will be reached by are unknown
    return [*LOOPBACK_NAMES, host] if host not in LOOPBACK_NAMES else list(LOOPBACK_NAMES)


def _url(host: str, port: int) -> str:
    shown = DEFAULT_HOST if host in _WILDCARD_HOSTS else host
    if ":" in shown:
        shown = f"[{shown}]"  # an IPv6 address
    return f"http://{shown}:{port}/"


def serve(
    dataset_dir: Path | str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    reviewer: str | None = None,
    open_browser: bool = False,
) -> None:
    """Serve the review page until Ctrl-C; ``port=0`` picks a free port (printed)."""
    app = create_app(dataset_dir, reviewer=reviewer)
    app.config["TRUSTED_HOSTS"] = _trusted_hosts(host)
    server = make_server(host, port, app, threaded=True)
    url = _url(host, server.server_port)
    claims = len(app.extensions["claimset_review"])
    print(f"claimset review: {claims} claims from {dataset_dir}", flush=True)
    print(f"open {url}  (Ctrl-C to stop)", flush=True)
    if host not in LOOPBACK_NAMES:
        print(
            f"warning: listening on {host}: the page has no login, so anyone who can reach "
            "this port can read the dataset and record decisions",
            flush=True,
        )
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()  # werkzeug's returns on Ctrl-C
    except KeyboardInterrupt:
        pass  # a Ctrl-C that came before the loop started
    finally:
        server.server_close()
    # The page writes each decision to the log at once; the joined view is refreshed on the
    # way out (rewriting it per click would cost a full table write each time).
    from extract.review.view import apply_reviews

    print(f"stopped. {apply_reviews(dataset_dir).line()}", flush=True)
