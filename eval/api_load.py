"""A bounded load test of the HTTP API: throughput and latency with 1, then 2 workers.

    python eval/api_load.py [--index index] [--clients 4] [--requests 200] [--workers 1,2] [--endpoint ask]

For each worker count it starts `latm-qa api` on a free loopback port over the index, waits for /health,
warms every worker up, then C client threads send N POST requests between them (the questions of
eval/questions.jsonl in turn) and time each one. Prints a table and writes eval/results/api_load.json and
api_load.md: requests per second, p50 and p95 latency, errors. Figures depend on the machine (CPU count
in the results); the server answers one question at a time per worker, so workers beyond the cores add none.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(index: Path, workers: int) -> tuple[subprocess.Popen, str, dict]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "LATM_QA_API_TOKEN"}
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

        began = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(timed, range(requests)))
        wall = time.perf_counter() - began
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
    args = parser.parse_args()
    lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    runs = []
    for workers in (int(w) for w in args.workers.split(",")):
        print(f"api_load: {workers} worker(s), {args.clients} clients, {args.requests} requests ...", file=sys.stderr)
        runs.append(run(Path(args.index), workers, args.clients, args.requests, args.endpoint, questions))
    result = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "index": str(args.index),
        "endpoint": f"POST /{args.endpoint}",
        "cpus": os.cpu_count(),
        "runs": runs,
    }
    table = [
        f"API load: POST /{args.endpoint}, {args.clients} concurrent clients, {args.requests} requests, "
        f"{os.cpu_count()} CPUs, index version {runs[0]['version'] if runs else '-'}",
        "",
        "| workers | req/s | p50 ms | p95 ms | mean ms | errors |",
        "|---:|---:|---:|---:|---:|---:|",
        *(f"| {r['workers']} | {r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['mean_ms']} | "
          f"{r['errors']} |" for r in runs),
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
