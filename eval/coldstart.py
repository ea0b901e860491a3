"""Cold start: `latm-qa search` as a fresh process, and the chat page from `streamlit run` to its first answer.

    .venv/bin/python eval/coldstart.py                      # index/, 5 runs each
    .venv/bin/python eval/coldstart.py --index /tmp/idx --runs 3 --no-page

CLI: wall time and peak RSS of a fresh `python -m latm_qa.cli search "..." --json` per run, and where one
run's time goes (python -X importtime for the imports; load, model and question timed in-process).
Page: a fresh `streamlit run app.py`, Debian's headless Chromium (Playwright) opening it, and the time from
the server's start until the first answer is on the page. Medians; writes coldstart.json and .md to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Which council trains its employees to think commercially?"
CHROMIUM = "/usr/bin/chromium"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def cli_run(index: Path) -> tuple[float, float]:
    """One fresh `latm-qa search`: wall seconds and the child's peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "latm_qa.cli", "search", QUESTION, "--index", str(index), "--json"],
                          capture_output=True, text=True, env=ENV, cwd=ROOT)
    seconds = time.perf_counter() - began
    if done.returncode or not json.loads(done.stdout).get("hits"):
        raise SystemExit(f"latm-qa search failed:\n{done.stderr[-2000:]}")
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


BREAKDOWN = """
import time, json, sys
t0 = time.perf_counter()
from latm_qa import Index, load_settings
t1 = time.perf_counter()
index = Index.load(sys.argv[1])
t2 = time.perf_counter()
index.embedder.encode_query("warm")
t3 = time.perf_counter()
index.ask(sys.argv[2])
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "model_s": t3 - t2, "question_s": t4 - t3,
                  "backend": index.embedder.backend}))
"""


def breakdown(index: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", BREAKDOWN, str(index), QUESTION], capture_output=True, text=True,
                          env=ENV, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"breakdown failed:\n{done.stderr[-2000:]}")
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in json.loads(done.stdout).items()}


def heavy_imports(index: Path) -> list[str]:
    """The heavy packages a `search` process imports (none of torch, streamlit, matplotlib, ranx expected)."""
    code = ("import sys, runpy; sys.argv = ['latm-qa', 'search', sys.argv[1], '--index', sys.argv[2], '--json'];"
            "import latm_qa.cli as c\ntry: c.main()\nexcept SystemExit: pass\n"
            "print('\\nMODULES', *sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'streamlit', "
            "'matplotlib', 'ranx', 'sklearn') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, QUESTION, str(index)], capture_output=True, text=True, env=ENV,
                          cwd=ROOT)
    line = next((x for x in done.stdout.splitlines() if x.startswith("MODULES")), "MODULES")
    return line.split()[1:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_run(index: Path) -> dict[str, float]:
    """Seconds from `streamlit run` starting until the server answers, the chat box shows (the index and
    model loaded) and the first answer shows in the browser."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    began = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**ENV, "LATM_QA_INDEX": str(index)}, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM,
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page()
                while True:
                    try:
                        page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                        listening = time.perf_counter() - began
                        break
                    except Exception:  # noqa: BLE001 - the server is not listening yet
                        if time.perf_counter() - began > 120:
                            raise
                        time.sleep(0.05)
                box = page.locator('[data-testid="stChatInput"] textarea')
                box.wait_for(timeout=120_000)
                shown = time.perf_counter() - began
                box.fill(QUESTION)
                box.press("Enter")
                page.locator(".latm-answer").wait_for(timeout=120_000)
                seconds = {"listening": listening, "chat_box": shown, "answer": time.perf_counter() - began}
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-page", action="store_true", help="skip the page (no browser)")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results")
    args = parser.parse_args(argv)
    cli = [cli_run(args.index) for _ in range(args.runs)]
    result = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "index": str(args.index), "runs": args.runs,
        "cli_s_median": round(statistics.median(s for s, _ in cli), 2), "cli_s": [round(s, 2) for s, _ in cli],
        "cli_rss_mb": round(max(r for _, r in cli)), "breakdown": breakdown(args.index),
        "heavy_imports": heavy_imports(args.index),
    }
    if not args.no_page:
        page = [page_run(args.index) for _ in range(max(1, args.runs // 2))]
        result.update(page_s_median=round(statistics.median(run["answer"] for run in page), 2),
                      page_s=[round(run["answer"], 2) for run in page],
                      page_phases_median={key: round(statistics.median(run[key] for run in page), 2)
                                          for key in page[0]})
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "coldstart.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    b = result["breakdown"]
    lines = [
        f"# Cold start ({result['created']}, index {args.index.name}, backend {b['backend']})", "",
        f"- `latm-qa search` as a fresh process: median {result['cli_s_median']} s over {args.runs} runs "
        f"({', '.join(map(str, result['cli_s']))}), peak RSS {result['cli_rss_mb']} MB",
        f"- one run: imports {b['import_s']} s, index load {b['load_s']} s, model {b['model_s']} s, "
        f"question {b['question_s']} s",
        f"- heavy packages imported by `search`: {', '.join(result['heavy_imports']) or 'none'}",
    ]
    if "page_s_median" in result:
        lines.append(f"- chat page, `streamlit run` to the first answer in the browser: median "
                     f"{result['page_s_median']} s ({', '.join(map(str, result['page_s']))}); the server "
                     f"answering after {result['page_phases_median']['listening']} s, the chat box (index and "
                     f"model loaded) after {result['page_phases_median']['chat_box']} s")
    (args.out / "coldstart.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
