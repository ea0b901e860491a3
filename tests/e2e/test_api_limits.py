"""`latm-qa api`'s limits as a client meets them: the real server in a subprocess over the real index, with the
limits made small through LATM_QA_API_* so each case takes a second or two. Idle sockets are closed and do not
shut out another client; one address cannot hold more than its share; refusals are JSON; /health without
the token says only its status; a token in the query string never reaches the access log; a busy port is one
line before the index loads."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from conftest import ROOT

from latm_qa.api.serve import check_port
from latm_qa.errors import LatmQaError

from .test_api import AUTH, BARNET, TOKEN, api_server, call, free_port

CAP, MAX, IDLE, READ = 4, 10, 2.0, 2.0  # per client, per worker, seconds idle, seconds to send the headers
LIMITS = {"LATM_QA_API_MAX_CLIENT_CONNECTIONS": str(CAP), "LATM_QA_API_MAX_CONNECTIONS": str(MAX),
          "LATM_QA_API_IDLE_SECONDS": str(IDLE), "LATM_QA_API_READ_SECONDS": str(READ)}
SECRET = "query-string-secret-71"


@pytest.fixture(scope="module")
def served(md_index, tmp_path_factory):
    log = tmp_path_factory.mktemp("api-log") / "access.log"
    with api_server(md_index.path, env={"LATM_QA_API_TOKEN": TOKEN, **LIMITS}, log=log) as url:
        yield url, log


def port_of(url: str) -> int:
    return urllib.parse.urlsplit(url).port


def open_idle(url: str, source: str, count: int) -> list[socket.socket]:
    """``count`` connections from loopback address ``source`` that send nothing."""
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind((source, 0))
        s.connect(("127.0.0.1", port_of(url)))
        s.settimeout(IDLE + READ + 10)
        sockets.append(s)
    return sockets


def read_until_closed(s: socket.socket) -> bytes:
    """All the server sends until it closes the connection (a reset counts as closed)."""
    data = b""
    try:
        while chunk := s.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass
    s.close()
    return data


def error_of(response: bytes) -> tuple[int, dict]:
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), head
    return int(head.split()[1]), json.loads(body)


def test_idle_sockets_are_closed_and_leave_room_for_another_client(served):
    url, _ = served
    idle = open_idle(url, "127.0.0.2", CAP + 5)  # the cap and five more, none sending a byte
    time.sleep(0.3)
    assert call(f"{url}/health") == (200, {"status": "ok"})  # another client, from 127.0.0.1
    status, got = call(f"{url}/ask", "POST", {"question": BARNET}, AUTH)
    assert status == 200 and "£165 million" in got["answer"]
    answers = [read_until_closed(s) for s in idle]  # every one closed by the server (else recv times out)
    refused = [error_of(a) for a in answers if a]
    assert len(refused) == 5 and sum(not a for a in answers) == CAP  # the cap's worth closed quietly when idle
    assert all(status == 429 and "too many open connections from 127.0.0.2" in got["error"]
               and f"the limit is {CAP} per client" in got["error"] for status, got in refused)


def test_headers_sent_slowly_get_a_json_408_and_are_dropped(served):
    url, _ = served
    s = socket.create_connection(("127.0.0.1", port_of(url)), timeout=IDLE + READ + 10)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    for _ in range(int(READ * 4) + 8):  # a header line every half second, never the blank line that ends them
        if select.select([s], [], [], 0.5)[0]:
            break  # the server answered
        s.sendall(b"X-Slow: 1\r\n")
    status, got = error_of(read_until_closed(s))
    assert status == 408 and f"did not arrive within {READ:g} s" in got["error"]


def test_a_request_over_capacity_gets_a_json_503(served):
    url, _ = served
    held = [s for source in ("127.0.0.3", "127.0.0.4", "127.0.0.5") for s in open_idle(url, source, CAP)][:MAX]
    try:
        time.sleep(0.2)
        status, got = call(f"{url}/health")
        assert status == 503 and "the server is at capacity" in got["error"] and f"the limit is {MAX}" in got["error"]
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 10
    while call(f"{url}/health")[0] != 200:
        assert time.monotonic() < deadline, "the closed connections were not released"
        time.sleep(0.1)


def test_malformed_http_and_unknown_routes_get_json_errors(served):
    url, _ = served
    s = socket.create_connection(("127.0.0.1", port_of(url)), timeout=10)
    s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    status, got = error_of(read_until_closed(s))
    assert status == 400 and "not valid HTTP/1.1" in got["error"]
    assert call(f"{url}/nowhere", headers=AUTH)[0] == 404
    status, got = call(f"{url}/health", "POST", {}, AUTH)
    assert status == 405 and "GET" in got["error"]


def test_health_without_the_token_is_its_status_only(served, md_index):
    url, _ = served
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        assert call(f"{url}/health", headers=headers) == (200, {"status": "ok"})
    status, health = call(f"{url}/health", headers=AUTH)
    assert status == 200 and health["index"] == str(md_index.path) and health["pid"] and health["document_titles"]


def test_a_token_in_the_query_string_never_reaches_the_access_log(served):
    url, log = served
    quoted = urllib.parse.quote(BARNET)
    for path in (f"/health?token={SECRET}", f"/ask?question={quoted}&access_token={SECRET}",
                 f"/search?question={quoted}&api_key={SECRET}", f"/sections?token={TOKEN}", f"/ask?question={TOKEN}"):
        assert call(f"{url}{path}", headers=AUTH)[0] in (200, 422)
    status, got = call(f"{url}/ask?question=savings&token={SECRET}")  # no header: refused, and told why
    assert status == 401 and "not read" in got["error"]
    deadline = time.monotonic() + 10
    while (text := log.read_text(encoding="utf-8")).count("[redacted]") < 6:
        assert time.monotonic() < deadline, text[-2000:]
        time.sleep(0.1)
    assert SECRET not in text and TOKEN not in text
    assert "GET /health?token=[redacted] HTTP/1.1" in text and "api_key=[redacted]" in text


def test_a_busy_port_is_one_line_before_the_index_loads(md_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LATM_QA_")}
        done = subprocess.run(
            [sys.executable, "-m", "latm_qa.cli", "api", "--index", str(md_index.path), "--port", str(port)],
            cwd=ROOT, env={**clean, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True, timeout=60,
        )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"latm-qa: error: port {port} on 127.0.0.1 is in use: stop the other server or pass --port N"
    ]  # and nothing else: no banner, so the index was never loaded


def test_the_port_check_names_only_a_port_in_use():
    port = free_port()
    check_port("127.0.0.1", port)
    with socket.socket() as other:
        other.bind(("127.0.0.2", port))  # the same port on another address leaves 127.0.0.1's free
        other.listen()
        check_port("127.0.0.1", port)
        with pytest.raises(LatmQaError, match=f"port {port} on 127.0.0.2 is in use"):
            check_port("127.0.0.2", port)
