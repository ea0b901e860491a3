"""The HTTP API's requests over the real session index, served in-process by uvicorn and called with urllib:
validation, the token, size limits, the mapping of engine errors to 4xx, the CLI's JSON contract."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

uvicorn = pytest.importorskip("uvicorn")

from latm_qa.answer.present import result_to_json  # noqa: E402
from latm_qa.api import ApiLimits, LiveIndex, create_app  # noqa: E402
from latm_qa.api.access_log import redact_query  # noqa: E402
from latm_qa.api.params import describe_errors  # noqa: E402
from latm_qa.errors import LatmQaError  # noqa: E402
from latm_qa.settings import load_settings  # noqa: E402

TOKEN = "unit-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BARNET = "How much did Barnet expect to save from its Capita contracts?"


def call(url: str, method: str = "GET", body: object = None, headers: dict | None = None, raw: bytes | None = None):
    """(status, parsed JSON, headers) of one request; an HTTP error status is returned, not raised."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null"), exc.headers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def live(md_index):
    return LiveIndex(md_index.settings, index=md_index, watch=False)


@pytest.fixture(scope="module")
def api(live):
    with serving(create_app(live, token=TOKEN)) as url:
        yield url


def ask(api: str, path: str = "/ask", **params) -> tuple[int, dict, object]:
    return call(f"{api}{path}?{urllib.parse.urlencode(params)}", headers=AUTH)


def test_get_and_post_give_the_clis_json_contract_with_the_id_echoed(api, md_index):
    status, got, _ = ask(api, question=BARNET, k=3, id="q7")
    assert status == 200
    assert got == result_to_json(md_index.ask(BARNET, k=3), "q7")  # exactly `latm-qa search --json`
    assert "Barnet" in got["hits"][0]["text"] and "£165 million" in got["answer"]
    status, posted, _ = call(f"{api}/ask", "POST", {"question": BARNET, "k": 3, "id": 7}, AUTH)
    assert status == 200 and posted["id"] == 7 and posted["hits"] == got["hits"]


def test_search_ranks_passages_where_ask_abstains(api):
    question = "What is the recipe for banana bread?"
    _, asked, _ = ask(api, question=question)
    assert asked["abstained"] and asked["hits"] == []
    status, searched, _ = call(f"{api}/search", "POST", {"question": question, "k": 4}, AUTH)
    assert status == 200 and not searched["abstained"] and len(searched["hits"]) == 4


def test_filters_and_as_typed_reach_the_engine(api):
    _, got, _ = call(f"{api}/search", "POST", {"question": "What are the drawbacks?", "chapter": ["6"],
                                               "part": "challenges", "k": 3}, AUTH)
    assert got["hits"] and all(h["section"].split(".")[0] == "6" for h in got["hits"])
    typo = "What did Oldam's trading company save?"
    _, read, _ = ask(api, question=typo)
    _, typed, _ = ask(api, question=typo, as_typed="true")
    assert read["corrections"] == [{"typed": "Oldam", "meant": "Oldham"}] and typed["corrections"] == []


def test_sections_and_health(api, md_index):
    status, sections, _ = call(f"{api}/sections", headers=AUTH)
    assert status == 200 and sections == md_index.sections()
    status, health, _ = call(f"{api}/health", headers=AUTH)
    assert status == 200 and health["status"] == "ok" and health["last_reload_error"] is None
    assert health["version"] == md_index.manifest["current"] and health["passages"] == len(md_index.passages)
    assert health["model"] == md_index.model_name and health["documents"] == 1 and health["loaded_at"]
    assert health["index"] == str(md_index.path) and health["pid"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_health_without_the_token_says_only_its_status(api, md_index, headers):
    status, health, _ = call(f"{api}/health?token={TOKEN}", headers=headers)  # a token in the URL is not read
    assert (status, health) == (200, {"status": "ok"})


def test_health_on_a_server_without_a_token_says_everything(live, md_index):
    with serving(create_app(live)) as url:
        status, health, _ = call(f"{url}/health")
        assert status == 200 and health["version"] == md_index.manifest["current"] and "index" in health


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_every_endpoint_but_health_and_docs_needs_the_token(api, headers):
    for path in ("/ask?question=savings", "/search?question=savings", "/sections"):
        status, got, response_headers = call(f"{api}{path}", headers=headers)
        assert status == 401 and "Authorization: Bearer" in got["error"], path
        assert response_headers["WWW-Authenticate"] == "Bearer"
    assert call(f"{api}/health")[0] == 200
    status, got, _ = call(f"{api}/sections?token={TOKEN}")
    assert status == 401 and "a token in the query string is not read" in got["error"]
    status, spec, _ = call(f"{api}/openapi.json")
    assert status == 200 and {"/ask", "/search", "/sections", "/health"} <= set(spec["paths"])
    assert "abstain" in spec["paths"]["/search"]["get"]["description"]
    with urllib.request.urlopen(f"{api}/docs", timeout=10) as page:
        assert page.status == 200


def test_without_a_token_the_api_is_open(live):
    with serving(create_app(live)) as url:
        status, got, _ = call(f"{url}/ask?question=savings&k=1")
        assert status == 200 and len(got["hits"]) == 1


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"question": "savings", "k": 0}, "k: Input should be greater than or equal to 1"),
        ({"question": "savings", "k": 51}, "from 1 to 50"),
        ({"question": "savings", "k": "five"}, "k: Input should be a "),
        ({"question": "savings", "k": True}, "True"),
        ({"question": "savings", "k": "5.0"}, "'5.0'"),
        ({"question": "savings", "as_typed": "yes"}, "as_typed: Input should be "),
        ({"question": "savings", "retriever": "magic"}, "'fused', 'hybrid'"),
        ({"k": 3}, "question is missing"),
        ({"question": "savings", "qustion": "x"}, "unknown field 'qustion'"),
        ({"question": "savings", "chapter": "99"}, "no chapter '99' in this index: choose from \"1\""),
        ({"question": "savings", "document": "other.pdf"}, "no document 'other.pdf' in this index"),
        ({"question": "savings", "part": "recipes"}, "no part 'recipes' in this index"),
        ({"question": " \u200b "}, "the question is empty"),
        ({"question": "\U0001f600" * 500}, "the question has no words (only symbols or emoji): ask in plain English"),
        ({"question": "?!? ... \u2014 \u00a3"}, "the question has no words"),
        ({"question": "savings", "retriever": "rerank"}, "needs a cross-encoder and this server has none"),
        ({"question": "word " * 500}, "the limit is 2000 (max_question_chars)"),
    ],
)
def test_bad_requests_are_422_with_what_was_wrong(api, params, says):
    for status, got, _ in (ask(api, **params), call(f"{api}/ask", "POST", params, AUTH)):
        assert status == 422 and says in got["error"] and "Traceback" not in got["error"], got


def test_k_and_as_typed_are_strict_and_named_in_the_error(api):
    """k a whole number, as_typed a boolean: JSON types in a body; digits, true/false/1/0 in a query string."""
    status, got, _ = ask(api, question="savings", k="99999999999")
    assert status == 422 and got["error"].startswith("k: Input should be less than or equal to 50")
    for params in ({"k": "true"}, {"k": "5.0"}, {"k": "-1"}, {"k": " 5"}):
        status, got, _ = ask(api, question="savings", **params)
        assert status == 422 and got["error"].startswith("k: Input should be a whole number written in digits (got")
        assert repr(params["k"]) in got["error"] and "from 1 to 50" in got["error"]
    for k in (True, "5", 5.0):
        status, got, _ = call(f"{api}/ask", "POST", {"question": "savings", "k": k}, AUTH)
        assert status == 422 and got["error"].startswith("k: Input should be a JSON integer"), got
    status, got, _ = ask(api, question="savings", as_typed="yes")
    assert status == 422 and got["error"].startswith("as_typed: Input should be true, false, 1 or 0 (got 'yes')")
    for flag in ("yes", "true", 1):
        status, got, _ = call(f"{api}/ask", "POST", {"question": "savings", "as_typed": flag}, AUTH)
        assert status == 422 and got["error"].startswith("as_typed: Input should be a JSON boolean"), got
    for params in ({"k": "3", "as_typed": "1"}, {"k": "03", "as_typed": "FALSE"}):
        status, got, _ = ask(api, question="savings", **params)
        assert status == 200 and len(got["hits"]) == 3
    status, got, _ = call(f"{api}/ask", "POST", {"question": "savings", "k": 2, "as_typed": True}, AUTH)
    assert status == 200 and len(got["hits"]) == 2
    status, got, _ = call(f"{api}/ask", "POST", {"question": "savings", "token": TOKEN}, AUTH)
    assert status == 422 and "Authorization: Bearer" in got["error"] and TOKEN not in got["error"]


def test_bodies_and_routes_that_are_refused(api):
    big = {"question": "savings", "id": "x" * 17_000}
    status, got, _ = call(f"{api}/ask", "POST", big, AUTH)
    assert status == 413 and "16 KiB" in got["error"]
    status, got, _ = call(f"{api}/ask", "POST", headers={**AUTH, "Content-Type": "application/json"}, raw=b"{no")
    assert status == 422 and "not valid JSON" in got["error"]
    status, got, _ = call(f"{api}/ask", "POST", headers={**AUTH, "Content-Type": "application/json"}, raw=b"[1]")
    assert status == 422 and "must be a JSON object" in got["error"]
    status, got, _ = call(f"{api}/ask", "POST", headers=AUTH, raw=b"question=savings")  # curl -d: a form
    assert status == 415 and "Content-Type: application/json" in got["error"]
    status, got, _ = call(f"{api}/index", "DELETE", headers=AUTH)
    assert status == 404 and "/ask, /search, /sections, /health" in got["error"]
    status, got, _ = call(f"{api}/ask", "DELETE", headers=AUTH)
    assert status == 405 and "GET or POST" in got["error"]


def test_a_failed_reload_keeps_serving_the_old_index_and_health_says_why(md_index_copy):
    live = LiveIndex(load_settings(index_dir=md_index_copy), check_seconds=0, watch=False)
    version = live.current().version
    manifest = md_index_copy / "manifest.json"
    good = manifest.read_text(encoding="utf-8")
    shutil.rmtree(md_index_copy / version)  # the version the manifest names is gone: a reload must fail
    manifest.write_text(good.replace('"created"', '"note": "touched",\n  "created"', 1), encoding="utf-8")
    live.check()
    live.wait_reloaded()
    health = live.health()
    assert health["status"] == "degraded" and health["version"] == version
    assert str(md_index_copy) in health["last_reload_error"]["error"]
    assert live.ask(live.current(), BARNET, 3, None, None, True, False).hits  # still answering


def test_validation_messages_name_the_field_once():
    errors = [
        {"type": "string_type", "loc": ("body", "document", "str"), "msg": "Input should be a valid string",
         "input": 3},
        {"type": "list_type", "loc": ("body", "document", "list[str]"), "msg": "Input should be a valid list",
         "input": 3},
    ]
    message = describe_errors(errors)
    assert message.count("Input should be") == 1 and message.startswith("document: Input should be a valid string")
    assert "(got 3); give document ids" in message


def test_the_access_log_never_shows_a_token_from_the_query_string():
    assert redact_query("/ask?question=savings&token=s3cret&k=3") == "/ask?question=savings&token=[redacted]&k=3"
    assert redact_query("/health?Access_Token=a&api_key=b&%74oken=c") == (
        "/health?Access_Token=[redacted]&api_key=[redacted]&%74oken=[redacted]"
    )
    assert redact_query("/ask?question=s3cret+word", "s3cret") == "/ask?question=[redacted]+word"
    assert redact_query("/ask?question=tokens") == "/ask?question=tokens"


def test_limits_come_from_the_environment_and_a_bad_one_is_named(monkeypatch):
    assert ApiLimits.from_env() == ApiLimits()
    monkeypatch.setenv("LATM_QA_API_IDLE_SECONDS", "1.5")
    monkeypatch.setenv("LATM_QA_API_MAX_CLIENT_CONNECTIONS", "0")
    assert ApiLimits.from_env() == ApiLimits(idle_seconds=1.5, max_client_connections=0)
    monkeypatch.setenv("LATM_QA_API_MAX_CONNECTIONS", "lots")
    with pytest.raises(LatmQaError, match="LATM_QA_API_MAX_CONNECTIONS='lots' is not a whole number"):
        ApiLimits.from_env()
    monkeypatch.setenv("LATM_QA_API_MAX_CONNECTIONS", "8")
    monkeypatch.setenv("LATM_QA_API_READ_SECONDS", "0")
    with pytest.raises(LatmQaError, match="read_seconds 0.0 is not positive"):
        ApiLimits.from_env()
