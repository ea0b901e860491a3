"""`latm-qa api` as a user runs it: the real server in a subprocess on a loopback port over a real index,
asked over HTTP; a re-ingest is picked up while it serves; several workers answer the same."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import MARKDOWN, PROFILE, ROOT

from latm_qa import Index, ingest, load_settings

TOKEN = "e2e-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BARNET = "How much did Barnet expect to save from its Capita contracts?"
ESSEX = "How much net revenue do Essex County Council's traded services generate each year?"


def call(url: str, method: str = "GET", body: object = None, headers: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_server(index_dir: Path, *args: str, env: dict | None = None, log: Path | None = None):
    """`latm-qa api --index DIR --port P ARGS` until its health answers; stopped (with its workers) after.
    With ``log``, its standard output (uvicorn's access log) goes to that file."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LATM_QA_")}
    stdout = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "latm_qa.cli", "api", "--index", str(index_dir), "--port", str(port), *args],
        cwd=ROOT, env={**clean, "HF_HUB_OFFLINE": "1", **(env or {})},
        stdout=stdout, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"latm-qa api exited with {process.returncode}: {process.stderr.read()}")
            try:
                if call(f"{url}/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "latm-qa api did not start within 90 s"
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and its workers
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        if log:
            stdout.close()


@pytest.fixture(scope="module")
def index_dir(md_index, tmp_path_factory) -> Path:
    """A private copy of the session's markdown index: the reload test ingests into it."""
    target = tmp_path_factory.mktemp("api") / "index"
    shutil.copytree(md_index.path, target)
    return target


@pytest.fixture(scope="module")
def api(index_dir):
    env = {"LATM_QA_API_TOKEN": TOKEN, "LATM_QA_API_RELOAD_SECONDS": "0.5"}
    with api_server(index_dir, env=env) as url:
        yield url


def test_ask_answers_with_a_cited_passage_about_the_council_asked(api):
    status, got = call(f"{api}/ask", "POST", {"question": BARNET, "id": "barnet"}, AUTH)
    assert status == 200 and got["id"] == "barnet" and not got["abstained"]
    assert "£165 million" in got["answer"] and "Barnet" in got["answer_citation"]
    assert "Barnet" in got["hits"][0]["text"] and "Capita" in got["hits"][0]["text"]


def test_search_is_the_same_contract_over_get_with_filters(api):
    query = urllib.parse.urlencode({"question": "What are the drawbacks of sharing services?", "k": 2,
                                    "chapter": "6", "retriever": "hybrid"})
    status, got = call(f"{api}/search?{query}", headers=AUTH)
    assert status == 200 and got["retriever"] == "hybrid" and len(got["hits"]) == 2
    assert all(hit["section"].startswith("6") and hit["citation"] for hit in got["hits"])


def test_sections_and_health_describe_the_index_served(api, index_dir):
    index = Index.load(index_dir, settings=load_settings(index_dir=index_dir))
    assert call(f"{api}/sections", headers=AUTH) == (200, index.sections())
    status, health = call(f"{api}/health", headers=AUTH)
    assert status == 200 and health["status"] == "ok" and health["version"] == index.manifest["current"]
    assert health["passages"] == len(index.passages) and health["index"] == str(index_dir)
    assert call(f"{api}/health") == (200, {"status": "ok"})  # without the token: no path, pid or titles


def test_the_token_and_the_limits_are_enforced(api):
    status, got = call(f"{api}/ask?question=savings")
    assert status == 401 and "Bearer" in got["error"]
    status, got = call(f"{api}/ask", "POST", {"question": "savings", "id": "x" * 20_000}, AUTH)
    assert status == 413
    status, got = call(f"{api}/ask", "POST", {"question": "savings " * 400}, AUTH)
    assert status == 422 and "2000" in got["error"]
    status, got = call(f"{api}/ask", "POST", {"question": "savings", "k": 0, "retriever": "magic"}, AUTH)
    assert status == 422 and "k:" in got["error"] and "retriever:" in got["error"]


def test_a_new_index_version_is_picked_up_while_serving(api, index_dir, tmp_path):
    before = call(f"{api}/health", headers=AUTH)[1]["version"]
    source = tmp_path / "report.md"
    report = MARKDOWN.read_text(encoding="utf-8")
    assert "net revenue of £7 million per year" in report
    source.write_text(report.replace("net revenue of £7 million per year", "net revenue of £9.5 million per year"),
                      encoding="utf-8")
    source.with_suffix(".toml").write_bytes(PROFILE.read_bytes())
    ingest([source], load_settings(index_dir=index_dir))
    current = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["current"]
    assert current != before
    deadline = time.monotonic() + 60
    while (health := call(f"{api}/health", headers=AUTH)[1])["version"] != current:
        assert time.monotonic() < deadline, health
        time.sleep(0.2)
    assert health["reloads"] >= 1 and health["last_reload_error"] is None
    _, got = call(f"{api}/ask", "POST", {"question": ESSEX, "k": 3}, AUTH)
    assert any("£9.5 million" in hit["text"] for hit in got["hits"]), [h["citation"] for h in got["hits"]]


def test_two_workers_serve_the_same_answers(md_index):
    with api_server(md_index.path, "--workers", "2") as url:
        answers = {call(f"{url}/ask?{urllib.parse.urlencode({'question': BARNET})}")[1]["answer"] for _ in range(4)}
        assert len(answers) == 1 and "£165 million" in answers.pop()
        assert call(f"{url}/health")[1]["version"] == md_index.manifest["current"]
