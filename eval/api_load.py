"""A bounded load test of the HTTP API: throughput and latency with 1, then 2 workers; a client holding idle
sockets beside one asking; a burst of parallel asks.

    python eval/api_load.py [--index index] [--clients 4] [--requests 200] [--workers 1,2] [--endpoint ask]
                            [--cases throughput,idle,burst] [--idle-sockets 200] [--victim-asks 50] [--burst 200]

throughput: for each worker count it starts `latm-qa api` on a free loopback port over the index, waits for
/health, warms every worker up, then C client threads send N POST requests between them (the questions of
eval/questions.jsonl in turn) and time each one: requests per second, p50 and p95 latency, errors.

idle: one worker with the default limits; an "attacker" opens S sockets from 127.0.0.2 and sends nothing while a
second client (127.0.0.1) asks V questions one after another: that client's p50/p95 and errors, how many of the
attacker's sockets were refused at once (429, over the per-client cap) and how long until the server closed the
rest (the idle timeout).

burst: one worker; B asks released at once, from B different loopback addresses (B clients), then from one
address (one client): p50/p95 over all and over those answered, and the status codes (503 when the worker is
at capacity, 429 over the per-client cap; every refusal is JSON).

Prints tables and writes eval/results/api_load.json and api_load.md. Figures depend on the machine (CPU count
in the results); the server answers one question at a time per worker, so workers beyond the cores add none.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def post(url: str, body: dict) -> int:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def ask_from(url: str, body: dict | None, source: str = "127.0.0.1", path: str = "/ask") -> tuple[int, float]:
    """(status, seconds) of one POST (a GET without ``body``) from loopback address ``source`` on a connection of
    its own; status 0 when the connection failed (refused, reset)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120, source_address=(source, 0))
    began = time.perf_counter()
    try:
        if body is None:
            connection.request("GET", path)
        else:
            connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(index: Path, workers: int) -> tuple[subprocess.Popen, str, dict]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LATM_QA_API_")}  # no token, default limits
    process = subprocess.Popen(
        [sys.executable, "-m", "latm_qa.cli", "api", "--index", str(index), "--port", str(port),
         "--workers", str(workers)],
        cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"api_load: `latm-qa api --index {index}` exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                return process, url, json.loads(response.read())
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("api_load: the API did not start within 120 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]  # nearest rank


def latency(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"p50_ms": None, "p95_ms": None}
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1)}


def watch_closing(sockets: list[tuple[socket.socket, float]], deadline: float) -> list[tuple[bytes, float | None]]:
    """For each (socket, opened at): what the server sent and seconds until it closed the socket (None: still
    open at the deadline)."""
    selector = selectors.DefaultSelector()
    for i, (s, _) in enumerate(sockets):
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ, i)
    got: list[bytes] = [b""] * len(sockets)
    closed: list[float | None] = [None] * len(sockets)
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            i = key.data
            try:
                chunk = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:  # a reset: closed too
                chunk = b""
            if chunk:
                got[i] += chunk
                continue
            closed[i] = time.monotonic() - sockets[i][1]
            selector.unregister(key.fileobj)
    for s, _ in sockets:
        s.close()
    return list(zip(got, closed, strict=True))


def idle_case(index: Path, sockets: int, asks: int, questions: list[dict]) -> dict:
    """S idle sockets from 127.0.0.2 while 127.0.0.1 asks V questions; when the server closed the idle ones."""
    process, url, health = start(index, 1)
    try:
        for q in questions[:4]:
            ask_from(url, {"question": q["question"]})
        port = urllib.parse.urlsplit(url).port
        held = []
        for _ in range(sockets):
            s = socket.socket()
            s.bind(("127.0.0.2", 0))
            s.connect(("127.0.0.1", port))
            held.append((s, time.monotonic()))
        opened = time.monotonic()
        outcome: list = []
        watcher = threading.Thread(target=lambda: outcome.extend(watch_closing(held, opened + 60)))
        watcher.start()
        time.sleep(0.2)
        timed = [ask_from(url, {"question": questions[i % len(questions)]["question"]}) for i in range(asks)]
        asked_within = time.monotonic() - opened
        health_status = ask_from(url, None, path="/health")[0]
        watcher.join()
    finally:
        stop(process)
    refused = [seconds for data, seconds in outcome if data.startswith(b"HTTP/1.1 429")]
    quiet = [seconds for data, seconds in outcome if not data and seconds is not None]
    return {
        "attacker_sockets": sockets,
        "attacker_address": "127.0.0.2",
        "victim_asks": asks,
        **latency([seconds for _, seconds in timed]),
        "errors": sum(status != 200 for status, _ in timed),
        "statuses": dict(Counter(str(status) for status, _ in timed)),
        "victim_asks_within_s": round(asked_within, 2),
        "health_status": health_status,
        "refused_at_once_429": len(refused),
        "refused_closed_within_s": round(max(refused), 2) if refused else None,
        "closed_idle": len(quiet),
        "idle_closed_after_s": [round(min(quiet), 2), round(max(quiet), 2)] if quiet else None,
        "still_open_after_60s": sum(seconds is None for _, seconds in outcome),
        "version": health["version"],
    }


def timed_pool(task, requests: int, threads: int) -> tuple[list, float]:
    """``task(i)`` for every i below ``requests`` on ``threads`` threads: the results, and the wall time."""
    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(task, range(requests)))
    return results, time.perf_counter() - began


def burst_case(index: Path, requests: int, spread: bool, questions: list[dict]) -> dict:
    """``requests`` asks released at once, each from its own loopback address (spread) or all from one."""
    process, url, health = start(index, 1)
    try:
        for q in questions[:4]:
            ask_from(url, {"question": q["question"]})
        gate = threading.Barrier(requests)

        def one(i: int) -> tuple[int, float]:
            source = f"127.0.{1 + i // 250}.{1 + i % 250}" if spread else "127.0.0.3"
            gate.wait()
            return ask_from(url, {"question": questions[i % len(questions)]["question"]}, source)

        results, wall = timed_pool(one, requests, requests)
    finally:
        stop(process)
    answered = [seconds for status, seconds in results if status == 200]
    return {
        "from": f"{requests} clients (one address each)" if spread else "1 client (one address)",
        "requests": requests,
        "seconds": round(wall, 2),
        **latency([seconds for _, seconds in results]),
        "answered_p50_ms": latency(answered)["p50_ms"],
        "answered_p95_ms": latency(answered)["p95_ms"],
        "errors": sum(status != 200 for status, _ in results),
        "statuses": dict(sorted(Counter(str(status) for status, _ in results).items())),
    }


def run(index: Path, workers: int, clients: int, requests: int, endpoint: str, questions: list[dict]) -> dict:
    process, url, health = start(index, workers)
    try:
        target = f"{url}/{endpoint}"
        with ThreadPoolExecutor(clients) as pool:  # warm-up, untimed: every worker's first questions
            list(pool.map(lambda q: post(target, {"question": q["question"]}), questions[: 4 * clients]))

        def timed(i: int) -> tuple[float, int]:
            row = questions[i % len(questions)]
            began = time.perf_counter()
            status = post(target, {"question": row["question"], "id": row.get("id")})
            return time.perf_counter() - began, status

        results, wall = timed_pool(timed, requests, clients)
    finally:
        stop(process)
    latencies = [seconds * 1000 for seconds, _ in results]
    return {
        "workers": workers,
        "requests": requests,
        "clients": clients,
        "seconds": round(wall, 2),
        "throughput_rps": round(requests / wall, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "errors": sum(status != 200 for _, status in results),
        "version": health["version"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"), help="index directory (default index/)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--requests", type=int, default=200, help="requests per worker count (default 200)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    parser.add_argument("--endpoint", choices=("ask", "search"), default="ask")
    parser.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "eval" / "results" / "api_load.json"))
    parser.add_argument("--cases", default="throughput,idle,burst", help="which cases (default all three)")
    parser.add_argument("--idle-sockets", type=int, default=200, help="idle sockets from one client (default 200)")
    parser.add_argument("--victim-asks", type=int, default=50, help="asks by the other client meanwhile (default 50)")
    parser.add_argument("--burst", type=int, default=200, help="asks released at once (default 200)")
    args = parser.parse_args()
    from latm_qa.api.limits import ApiLimits

    cases = set(args.cases.split(","))
    lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    index = Path(args.index)
    runs, idle, bursts = [], None, []
    for workers in (int(w) for w in args.workers.split(",")) if "throughput" in cases else ():
        print(f"api_load: {workers} worker(s), {args.clients} clients, {args.requests} requests ...", file=sys.stderr)
        runs.append(run(index, workers, args.clients, args.requests, args.endpoint, questions))
    if "idle" in cases:
        print(f"api_load: {args.idle_sockets} idle sockets beside {args.victim_asks} asks ...", file=sys.stderr)
        idle = idle_case(index, args.idle_sockets, args.victim_asks, questions)
    for spread in (True, False) if "burst" in cases else ():
        print(f"api_load: a burst of {args.burst} asks, {'spread' if spread else 'one client'} ...", file=sys.stderr)
        bursts.append(burst_case(index, args.burst, spread, questions))
    limits = vars(ApiLimits())
    result = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "index": str(args.index),
        "endpoint": f"POST /{args.endpoint}",
        "cpus": os.cpu_count(),
        "runs": runs,
        "limits": limits,
        "idle_sockets": idle,
        "bursts": bursts,
    }
    version = (runs or [idle or {}])[0].get("version", "-")
    table = [
        f"API load: POST /{args.endpoint}, {args.clients} concurrent clients, {args.requests} requests, "
        f"{os.cpu_count()} CPUs, index version {version}",
        "",
        "| workers | req/s | p50 ms | p95 ms | mean ms | errors |",
        "|---:|---:|---:|---:|---:|---:|",
        *(f"| {r['workers']} | {r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['mean_ms']} | "
          f"{r['errors']} |" for r in runs),
    ]
    limits_line = (f"1 worker, the default limits: {limits['max_connections']} connections per worker, "
                   f"{limits['max_client_connections']} per client, idle {limits['idle_seconds']:g} s, "
                   f"read {limits['read_seconds']:g} s.")
    if idle:
        closed = "-".join(map(str, idle["idle_closed_after_s"] or ["-"]))
        table += [
            "",
            f"Idle sockets: {idle['attacker_sockets']} sockets from {idle['attacker_address']} that send nothing, "
            f"while another client (127.0.0.1) asks {idle['victim_asks']} questions one after another "
            f"(within {idle['victim_asks_within_s']} s of the sockets opening). {limits_line}",
            "",
            "| asks | p50 ms | p95 ms | errors | /health | refused at once (429) | closed idle | "
            "idle closed after s | still open at 60 s |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {idle['victim_asks']} | {idle['p50_ms']} | {idle['p95_ms']} | {idle['errors']} | "
            f"{idle['health_status']} | {idle['refused_at_once_429']} "
            f"(closed within {idle['refused_closed_within_s']} s) | {idle['closed_idle']} | {closed} | "
            f"{idle['still_open_after_60s']} |",
        ]
    if bursts:
        table += [
            "",
            f"Burst: {args.burst} asks released at once. {limits_line} 503: the worker at capacity; 429: one client "
            "over its cap; both JSON, with Retry-After.",
            "",
            "| from | p50 ms | p95 ms | answered p50 ms | answered p95 ms | errors | status codes | seconds |",
            "|---|---:|---:|---:|---:|---:|---|---:|",
            *(f"| {b['from']} | {b['p50_ms']} | {b['p95_ms']} | {b['answered_p50_ms']} | {b['answered_p95_ms']} | "
              f"{b['errors']} | {', '.join(f'{k}: {v}' for k, v in b['statuses'].items())} | {b['seconds']} |"
              for b in bursts),
        ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
