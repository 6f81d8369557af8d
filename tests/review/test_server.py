"""The review page's JSON API through Flask's test client.

The page shows scraped text and writes the review log, so besides the happy path these
tests pin what must never happen: markup reaching the page unescaped, a bad decision
reaching the log, or another site posting decisions through the reviewer's browser.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from flask import Flask
from flask.testing import FlaskClient
from spacy.language import Language

from extract.dataset.build import build
from extract.errors import UsageError
from extract.review import server as review_server
from extract.review.log import (
    CLAIM_TYPES,
    DECISIONS,
    VERDICTS,
    Decision,
    ReviewLog,
    record_decisions,
)
from extract.review.server import WEB_DIR, create_app

# Claim sentences carrying markup, as scraped pages do; the page must show them as text.
IMG_CLAIM = "Ketamine blocks the NMDA receptor <img src=x onerror=alert(1)> in the brain."
SCRIPT_CLAIM = "Ketamine <script>alert(1)</script> reduces depression scores within 24 hours [1]."
CORPUS = {
    "a_hostile.txt": f"""Ketamine and the brain

{IMG_CLAIM} {SCRIPT_CLAIM}

The usual dose is 0.5 mg/kg given intravenously over 40 minutes. Ketamine does not cause addiction in most patients (Smith et al., 2020).

Ketamine may cause dissociation in some patients.
""",
    # The mushroom is outside the Basic Multilingual Plane: offsets after it differ between
    # Python (code points) and JavaScript (UTF-16 units).
    "b_emoji.md": """# Psilocybin

Psilocybin was first isolated in 1958 by Albert Hofmann 🍄. The FDA granted breakthrough therapy status to psilocybin in 2018.

Psilocybin acts on serotonin 5-HT2A receptors.[2] Nausea and headache are common side effects of psilocybin.
""",
}
REVIEWER = "test-reviewer"


def build_review_dataset(root: Path, nlp: Language) -> Path:
    """The small corpus above built into ``root/out``; fails loudly if a hostile claim is lost."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in CORPUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    out = root / "out"
    build([corpus], out, progress=False, nlp=nlp)
    texts = claims_table(out)["text"]
    for wanted in (IMG_CLAIM, SCRIPT_CLAIM):
        assert wanted in texts, f"the test corpus no longer yields the claim {wanted!r}"
    return out


def claims_table(dataset: Path) -> dict[str, list[Any]]:
    table: dict[str, list[Any]] = pq.read_table(dataset / "claims.parquet").to_pydict()
    return table


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return build_review_dataset(tmp_path_factory.mktemp("review"), nlp)


@pytest.fixture
def dataset(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built dataset, so each test starts with an empty review log."""
    copy = tmp_path / "dataset"
    shutil.copytree(built, copy, symlinks=True)  # the build's links are relative
    return copy


@pytest.fixture
def app(dataset: Path) -> Flask:
    return create_app(dataset, reviewer=REVIEWER)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def claim_id_of(dataset: Path, text: str) -> str:
    claims = claims_table(dataset)
    return str(claims["claim_id"][claims["text"].index(text)])


def post(client: FlaskClient, body: Any, **headers: str) -> Any:
    return client.post("/api/decisions", json=body, headers=headers)


def log_rows(dataset: Path) -> list[dict[str, Any]]:
    return ReviewLog(dataset).rows()


# --- the page and its headers -------------------------------------------------------------


def test_index_and_assets_carry_security_headers(client: FlaskClient) -> None:
    for path, mimetype in [
        ("/", "text/html"),
        ("/static/app.js", "text/javascript"),
        ("/static/app.css", "text/css"),
        ("/api/meta", "application/json"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == mimetype, path
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/meta").headers["Cache-Control"] == "no-store"


def test_page_has_no_inline_code_and_no_external_assets() -> None:
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    # The CSP forbids inline script and style; the page must not need them.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    for name in ("index.html", "app.js", "app.css"):
        text = (WEB_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), name  # offline


def test_client_never_parses_data_as_html() -> None:
    script = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_unknown_host_is_refused(client: FlaskClient) -> None:
    # A site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing.
    assert client.get("/api/meta", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/meta", headers={"Host": "127.0.0.1:8765"}).status_code == 200


# --- reading ----------------------------------------------------------------------------------


def test_meta(client: FlaskClient, dataset: Path) -> None:
    meta = client.get("/api/meta").get_json()
    assert meta["claim_types"] == list(CLAIM_TYPES) and len(CLAIM_TYPES) == 11
    assert meta["decisions"] == list(DECISIONS)
    assert meta["verdicts"] == list(VERDICTS)
    assert meta["reviewer"] == REVIEWER and meta["reviewer_given"] is True
    assert meta["dataset"] == str(dataset)
    assert meta["claims"] == len(claims_table(dataset)["claim_id"])


def test_meta_default_reviewer(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMSET_REVIEWER", "from-env")
    meta = create_app(dataset).test_client().get("/api/meta").get_json()
    assert meta["reviewer"] == "from-env" and meta["reviewer_given"] is False


def test_missing_dataset_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"claims\.parquet"):
        create_app(tmp_path)


def test_queue_is_document_order_with_progress(client: FlaskClient, dataset: Path) -> None:
    claim_ids = claims_table(dataset)["claim_id"]
    queue = client.get("/api/queue").get_json()
    assert queue["claim_ids"] == claim_ids
    assert queue["size"] == len(claim_ids)
    assert queue["progress"] == {
        "reviewed": 0,
        "total": len(claim_ids),
        "by_decision": dict.fromkeys(DECISIONS, 0),
        "orphaned": 0,
    }
    assert client.get("/api/progress").get_json() == queue["progress"]


def test_queue_neighbours(client: FlaskClient, dataset: Path) -> None:
    claim_ids = claims_table(dataset)["claim_id"]
    first = client.get(f"/api/queue?at={claim_ids[0]}").get_json()
    assert (first["previous"], first["position"], first["next"]) == (None, 0, claim_ids[1])
    last = client.get(f"/api/queue?at={claim_ids[-1]}").get_json()
    assert (last["previous"], last["next"]) == (claim_ids[-2], None)
    # A claim outside the filtered queue still has neighbours in it, by document order.
    claims = claims_table(dataset)
    cited = [cid for cid, flag in zip(claim_ids, claims["has_citation"], strict=True) if flag]
    uncited = [cid for cid in claim_ids if cid not in cited]
    middle = client.get(f"/api/queue?uncited=1&at={cited[0]}").get_json()
    assert middle["position"] is None
    position = claim_ids.index(cited[0])
    assert middle["next"] == next(c for c in uncited if claim_ids.index(c) > position)
    assert client.get("/api/queue?at=cffffffffffffffff").status_code == 400


def test_queue_filters(client: FlaskClient, dataset: Path) -> None:
    claims = claims_table(dataset)
    rows = list(zip(claims["claim_id"], claims["claim_type"], claims["has_citation"], strict=True))
    for claim_type in sorted(set(claims["claim_type"])):
        queue = client.get(f"/api/queue?type={claim_type}").get_json()
        assert queue["claim_ids"] == [cid for cid, kind, _ in rows if kind == claim_type]
    uncited = client.get("/api/queue?uncited=1").get_json()["claim_ids"]
    assert uncited == [cid for cid, _, cited in rows if not cited]
    assert 0 < len(uncited) < len(rows)
    both = client.get("/api/queue?uncited=true&type=onset").get_json()["claim_ids"]
    assert both == [cid for cid, kind, cited in rows if kind == "onset" and not cited]

    first, second, third = claims["claim_id"][:3]
    for claim_id, decision in [(first, "accept"), (second, "skip"), (third, "reject")]:
        assert post(client, {"claim_id": claim_id, "decision": decision}).status_code == 201
    unreviewed = client.get("/api/queue?unreviewed=1").get_json()
    # A skipped claim is still to be reviewed; accepted and rejected ones are settled.
    assert unreviewed["claim_ids"] == [c for c in claims["claim_id"] if c not in (first, third)]
    assert unreviewed["progress"]["reviewed"] == 2
    assert unreviewed["progress"]["by_decision"] == {
        "accept": 1,
        "reject": 1,
        "relabel": 0,
        "skip": 1,
    }


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("type=opinion", "type"), ("unreviewed=maybe", "unreviewed"), ("uncited=2", "uncited")],
)
def test_bad_queue_filter(client: FlaskClient, query: str, parameter: str) -> None:
    response = client.get(f"/api/queue?{query}")
    assert response.status_code == 400
    assert any(f"parameter {parameter!r}" in p for p in response.get_json()["problems"])


def test_hostile_text_is_escaped_in_json(client: FlaskClient, dataset: Path) -> None:
    for text in (IMG_CLAIM, SCRIPT_CLAIM):
        response = client.get(f"/api/claims/{claim_id_of(dataset, text)}")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        raw = response.get_data(as_text=True)
        # No markup in the bytes at all, yet the parsed text is exactly the document's.
        assert "<" not in raw and ">" not in raw
        assert "\\u003cimg" in raw or "\\u003cscript" in raw
        view = response.get_json()
        assert view["claim"]["text"] == text
        assert text in view["paragraph"]


def test_claim_view_segments_rebuild_paragraph_and_claim(
    client: FlaskClient, dataset: Path
) -> None:
    for claim_id in claims_table(dataset)["claim_id"]:
        view = client.get(f"/api/claims/{claim_id}").get_json()
        claim, paragraph, segments = view["claim"], view["paragraph"], view["segments"]
        assert "".join(s["text"] for s in segments) == paragraph
        assert "".join(s["text"] for s in segments if s["in_claim"]) == claim["text"]
        assert paragraph[view["claim_start"] : view["claim_end"]] == claim["text"]
        assert view["source_file"] == claim["source_file"] and view["line"] >= 1
        assert view["latest_decision"] is None
        for entity in view["paragraph_entities"]:
            assert paragraph[entity["start"] : entity["end"]] == entity["text"]
        # Every entity of the claim itself is underlined in the paragraph.
        underlined = {(s["entity"]["canonical"], s["text"]) for s in segments if s["entity"]}
        for entity in claim["entities"]:
            assert (entity["canonical"], entity["text"]) in underlined


def test_emoji_does_not_shift_offsets(client: FlaskClient, dataset: Path) -> None:
    claims = claims_table(dataset)
    after = [
        cid
        for cid, text, source in zip(
            claims["claim_id"], claims["text"], claims["source_file"], strict=True
        )
        if source == "b_emoji.md" and "FDA" in text
    ]
    assert after, "the test corpus no longer has a claim after the emoji"
    view = client.get(f"/api/claims/{after[0]}").get_json()
    assert "🍄" in view["paragraph"][: view["claim_start"]] or "🍄" in view["claim"]["text"]
    marked = "".join(s["text"] for s in view["segments"] if s["in_claim"])
    assert marked == view["claim"]["text"]


def test_unknown_claim_and_route_are_json_404(client: FlaskClient) -> None:
    for path in ("/api/claims/cffffffffffffffff", "/api/claims/%3Cscript%3E", "/api/nothing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "application/json"
        assert "<" not in response.get_data(as_text=True)
        assert response.get_json()["error"]


# --- writing ----------------------------------------------------------------------------------


def test_decision_is_logged_at_once(client: FlaskClient, dataset: Path) -> None:
    claim_id = claim_id_of(dataset, IMG_CLAIM)
    response = post(
        client,
        {
            "claim_id": claim_id,
            "decision": "relabel",
            "claim_type": "safety",
            "verdict": "supported",
            "has_citation": True,
            "note": "  <b>checked</b> against the label  ",
            "reviewer": "ana",
        },
    )
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["progress"]["reviewed"] == 1
    assert answer["progress"]["by_decision"]["relabel"] == 1
    (row,) = log_rows(dataset)
    assert row["review_id"] == answer["recorded"]["review_id"]
    assert {k: row[k] for k in ("claim_id", "decision", "claim_type", "verdict")} == {
        "claim_id": claim_id,
        "decision": "relabel",
        "claim_type": "safety",
        "verdict": "supported",
    }
    assert row["has_citation"] is True
    assert row["note"] == "<b>checked</b> against the label"
    assert (row["reviewer"], row["channel"]) == ("ana", "web")
    assert (row["source_file"], row["claim_text"]) == ("a_hostile.txt", IMG_CLAIM)
    latest = client.get(f"/api/claims/{claim_id}").get_json()["latest_decision"]
    assert latest["decision"] == "relabel" and latest["n_reviews"] == 1


def test_missing_reviewer_falls_back_to_the_apps(client: FlaskClient, dataset: Path) -> None:
    claim_id = claim_id_of(dataset, IMG_CLAIM)
    assert post(client, {"claim_id": claim_id, "decision": "accept"}).status_code == 201
    assert log_rows(dataset)[0]["reviewer"] == REVIEWER


def test_decisions_made_elsewhere_show_up(client: FlaskClient, dataset: Path) -> None:
    claim_id = claim_id_of(dataset, SCRIPT_CLAIM)
    record_decisions(dataset, [Decision(claim_id=claim_id, decision="reject", reviewer="bo")])
    assert client.get("/api/progress").get_json()["reviewed"] == 1
    assert claim_id not in client.get("/api/queue?unreviewed=1").get_json()["claim_ids"]
    latest = client.get(f"/api/claims/{claim_id}").get_json()["latest_decision"]
    assert (latest["decision"], latest["channel"]) == ("reject", "api")


Body = Callable[[str], Any]
BAD_BODIES: list[tuple[str, Body, str]] = [
    ("no claim_id", lambda c: {"decision": "accept"}, "claim_id"),
    ("claim_id a number", lambda c: {"claim_id": 7, "decision": "accept"}, "claim_id"),
    (
        "unknown claim",
        lambda c: {"claim_id": "c0123456789abcdef", "decision": "accept"},
        "claim_id",
    ),
    ("claim_id markup", lambda c: {"claim_id": "<img src=x>", "decision": "accept"}, "claim_id"),
    ("no decision", lambda c: {"claim_id": c}, "decision"),
    ("unknown decision", lambda c: {"claim_id": c, "decision": "maybe"}, "decision"),
    ("relabel without type", lambda c: {"claim_id": c, "decision": "relabel"}, "claim_type"),
    (
        "type without relabel",
        lambda c: {"claim_id": c, "decision": "accept", "claim_type": "safety"},
        "claim_type",
    ),
    (
        "unknown type",
        lambda c: {"claim_id": c, "decision": "relabel", "claim_type": "opinion"},
        "claim_type",
    ),
    (
        "unknown verdict",
        lambda c: {"claim_id": c, "decision": "accept", "verdict": "true"},
        "verdict",
    ),
    (
        "rejected with verdict",
        lambda c: {"claim_id": c, "decision": "reject", "verdict": "refuted"},
        "verdict",
    ),
    (
        "citation as text",
        lambda c: {"claim_id": c, "decision": "accept", "has_citation": "yes"},
        "has_citation",
    ),
    (
        "blank reviewer",
        lambda c: {"claim_id": c, "decision": "accept", "reviewer": "  "},
        "reviewer",
    ),
    ("note a number", lambda c: {"claim_id": c, "decision": "accept", "note": 5}, "note"),
    (
        "note too long",
        lambda c: {"claim_id": c, "decision": "accept", "note": "x" * 5001},
        "note",
    ),
    ("unknown field", lambda c: {"claim_id": c, "decision": "accept", "score": 1}, "score"),
    ("a list", lambda c: [{"claim_id": c, "decision": "accept"}], "body"),
    ("a string", lambda c: "accept", "body"),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [(body, field) for _, body, field in BAD_BODIES],
    ids=[name for name, _, _ in BAD_BODIES],
)
def test_bad_decision_is_refused_and_not_logged(
    client: FlaskClient, dataset: Path, body: Body, field: str
) -> None:
    post(client, {"claim_id": claim_id_of(dataset, IMG_CLAIM), "decision": "skip"})
    before = log_rows(dataset)
    response = post(client, body(claim_id_of(dataset, SCRIPT_CLAIM)))
    assert response.status_code == 400
    answer = response.get_json()
    named = f"'{field}'" if field != "body" else "body"
    assert any(named in problem for problem in answer["problems"]), answer
    assert log_rows(dataset) == before


def test_body_that_is_not_json_is_refused(client: FlaskClient, dataset: Path) -> None:
    response = client.post(
        "/api/decisions", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["problems"] == ["body: not valid JSON"]
    assert not (dataset / "reviews.parquet").exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_decision_must_be_sent_as_json(
    client: FlaskClient, dataset: Path, content_type: str
) -> None:
    # What a form on another site can send without a CORS preflight.
    claim_id = claim_id_of(dataset, IMG_CLAIM)
    response = client.post(
        "/api/decisions",
        data=f'{{"claim_id": "{claim_id}", "decision": "accept"}}',
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 415
    assert any("Content-Type" in p for p in response.get_json()["problems"])
    assert not (dataset / "reviews.parquet").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost:9999"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
    ids=["other-site", "other-port", "opaque-origin", "cross-site", "same-site"],
)
def test_cross_origin_decision_is_refused(
    client: FlaskClient, dataset: Path, headers: dict[str, str]
) -> None:
    body = {"claim_id": claim_id_of(dataset, IMG_CLAIM), "decision": "accept"}
    response = post(client, body, **headers)
    assert response.status_code == 403
    assert response.get_json()["error"].startswith("cross-")
    assert not (dataset / "reviews.parquet").exists()


def test_same_origin_decision_is_accepted(client: FlaskClient, dataset: Path) -> None:
    body = {"claim_id": claim_id_of(dataset, IMG_CLAIM), "decision": "accept"}
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert post(client, body, **headers).status_code == 201


# --- serve --------------------------------------------------------------------------------------


class FakeServer:
    """Stands in for werkzeug's server: answers nothing, stops as on Ctrl-C."""

    server_port = 54321

    def __init__(self, host: str, port: int, app: Flask, *, threaded: bool) -> None:
        self.host, self.port, self.app, self.threaded = host, port, app, threaded
        self.closed = False

    def serve_forever(self) -> None:
        raise KeyboardInterrupt

    def server_close(self) -> None:
        self.closed = True


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    made: list[FakeServer] = []

    def make(host: str, port: int, app: Flask, *, threaded: bool) -> FakeServer:
        made.append(FakeServer(host, port, app, threaded=threaded))
        return made[-1]

    monkeypatch.setattr(review_server, "make_server", make)
    return made


def test_serve_prints_the_url_and_stops_on_ctrl_c(
    dataset: Path, servers: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    review_server.serve(dataset, port=0)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:54321/" in out and "stopped" in out
    assert "claims_reviewed.parquet" in out  # the joined view is refreshed on the way out
    (server,) = servers
    assert (server.host, server.port, server.threaded, server.closed) == (
        "127.0.0.1",
        0,
        True,
        True,
    )
    assert server.app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_serve_on_all_interfaces_warns(
    dataset: Path, servers: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    review_server.serve(dataset, host="0.0.0.0", port=0)
    assert "warning" in capsys.readouterr().out
    assert servers[0].app.config["TRUSTED_HOSTS"] is None
