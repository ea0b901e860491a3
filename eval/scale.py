"""Scale benchmark: ingest, re-ingest, load and question latency on libraries of 1k, 10k, 100k passages.

    .venv/bin/python eval/scale.py                      # sizes report,1k,10k
    .venv/bin/python eval/scale.py --sizes report,0.3k --questions 20 --keep

Libraries are varied copies of the real reports in ../shared/reports/ (latm_qa/bench/scale_data.py),
written under --work and ingested with the public API. Each size's load and questions run in a fresh
subprocess. Writes scale.json, scale.md and scale.png to --out (eval/results/). See eval/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOME_NAME = "local-authority-transformational-models.md"
HOME = "home"  # the home report's slug among the sources
CHARS_PER_PASSAGE = 620  # the home report's, a first guess until an ingest has measured each source
WARM_UP = 3


def parse_sizes(text: str) -> list[tuple[str, int]]:
    """"report,0.3k,1k,2000" -> [("report", 0), ("0.3k", 300), ("1k", 1000), ("2k", 2000)]."""
    sizes = []
    for item in filter(None, (part.strip().lower() for part in text.split(","))):
        if item == "report":
            sizes.append(("report", 0))
            continue
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(k?)", item)
        count = round(float(match[1]) * (1000 if match[2] else 1)) if match else 0
        if count < 1:
            raise argparse.ArgumentTypeError(
                f"bad size {item!r} in --sizes {text!r}: give 'report' or a passage count such as 300, 0.5k, 10k"
            )
        sizes.append((f"{count / 1000:g}k" if count >= 1000 or match[2] else str(count), count))
    if not sizes:
        raise argparse.ArgumentTypeError(f"--sizes {text!r} names no size: e.g. report,1k,10k")
    return sizes


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def find_sources(reports: Path) -> dict[str, Path]:
    """The home report and every report under more/*/, markdown only, by slug."""
    sources = {HOME: reports / HOME_NAME} if (reports / HOME_NAME).is_file() else {}
    sources.update({p.parent.name: p for p in sorted(reports.glob("more/*/*.md"))})
    return sources


def plan_library(target: int, estimates: dict[str, float]) -> list[str]:
    """Which source each copy is, cycling through the sources, so the passages come near ``target``."""
    slugs, plan, total = list(estimates), [], 0.0
    while total < target:
        slug = slugs[len(plan) % len(slugs)]
        if total + estimates[slug] > target * 1.1:
            fitting = [s for s in slugs if total + estimates[s] <= target * 1.1]
            smallest = min(slugs, key=estimates.get)
            if fitting:
                slug = max(fitting, key=estimates.get)
            elif target - total >= estimates[smallest] / 2 or not plan:
                slug = smallest
            else:
                break
        plan.append(slug)
        total += estimates[slug]
    return plan


def copy_name(copy: int, slug: str) -> str:
    return f"{copy:06d}-{slug}.md"


def write_copy(folder: Path, copy: int, slug: str, source: Path, seed: int) -> Path:
    from latm_qa.bench.scale_data import make_variation, vary_text

    path = folder / copy_name(copy, slug)
    path.write_text(vary_text(source.read_text(encoding="utf-8"), make_variation(copy, seed)), encoding="utf-8")
    return path


def update_estimates(estimates: dict[str, float], report) -> None:
    """Passages per copy of each source, as this ingest counted them."""
    seen: dict[str, list[int]] = {}
    for row in report.per_document:
        match = re.fullmatch(r"\d{6}-(.+)\.md", row["file"])
        slug = match[1] if match else HOME if row["file"] == HOME_NAME else None
        if slug in estimates:
            seen.setdefault(slug, []).append(row["passages"])
    estimates.update({slug: sum(counts) / len(counts) for slug, counts in seen.items()})


def index_bytes(index_dir: Path) -> int:
    current = json.loads((index_dir / "manifest.json").read_text())["current"]
    return sum(p.stat().st_size for p in (index_dir / current).rglob("*") if p.is_file())


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_HEARD: dict[str, float] = {}


def progress(step: str, done: int, total: int) -> None:
    """The ingest's progress: each step once as it starts, then at most every 20 s."""
    if not step.startswith("embedding") or time.monotonic() - _HEARD.get(step, -1e9) < 20:
        return
    say(f"    {step} ({total} to embed)" if step not in _HEARD else f"    still {step} ...")
    _HEARD[step] = time.monotonic()


def batches(plan: list[str], estimates: dict[str, float], batch: int) -> list[int]:
    """How many copies each ingest of the build adds: about ``batch`` passages each."""
    counts, total = [0], 0.0
    for slug in plan:
        if total >= batch:
            counts.append(0)
            total = 0.0
        counts[-1] += 1
        total += estimates[slug]
    return [c for c in counts if c]


def build_library(
    label: str, target: int, lib: Path, sources: dict[str, Path], estimates: dict, seed: int, batch: int,
    resume: bool = False,
) -> dict:
    """Write the copies and ingest them (about ``batch`` passages an ingest, each one kept, so a build
    cut short goes on from its last ingest with ``resume``), re-ingest unchanged, add one copy: the
    build's figures."""
    from latm_qa import ingest, load_settings
    from latm_qa.embed.model import load_embedder

    folder, settings, state_file = lib / "reports", load_settings(index_dir=lib / "index"), lib / "building.json"
    state = json.loads(state_file.read_text()) if resume and state_file.is_file() else None
    if state is None:
        shutil.rmtree(lib, ignore_errors=True)
        folder.mkdir(parents=True)
        plan = [] if target == 0 else plan_library(target, estimates)
        state = {"plan": plan, "batches": batches(plan, estimates, batch) if plan else [1], "done": 0, "seconds": 0.0}
        state_file.write_text(json.dumps(state), encoding="utf-8")
    else:
        say(f"  {label}: going on from ingest {state['done'] + 1} of {len(state['batches'])}")
        for stray in folder.glob("*.md"):  # a copy added after the planned ones (the add-one step's)
            if (match := re.match(r"(\d{6})-", stray.name)) and int(match[1]) > len(state["plan"]):
                stray.unlink()
    plan = state["plan"]
    load_embedder(settings.model, settings.backend)  # the model's load time belongs to no size
    written = sum(state["batches"][: state["done"]])
    for step in range(state["done"], len(state["batches"])):
        if target == 0:
            shutil.copyfile(sources[HOME], folder / HOME_NAME)
        else:
            for copy in range(written + 1, written + state["batches"][step] + 1):
                write_copy(folder, copy, plan[copy - 1], sources[plan[copy - 1]], seed)
            written += state["batches"][step]
        _HEARD.clear()
        began = time.perf_counter()
        report = ingest([folder], settings, progress=progress)
        state["seconds"] += time.perf_counter() - began
        state["done"] = step + 1
        state_file.write_text(json.dumps(state), encoding="utf-8")
        say(f"  {label}: ingest {step + 1}/{len(state['batches'])}: {report.passages} passages, "
            f"{report.embedded} embedded, {state['seconds']:.1f} s so far")
    report = ingest([folder], settings)  # the finished library as it stands (a no-op: its figures)
    ingest_s = state["seconds"]
    update_estimates(estimates, report)
    say(f"  {label}: ingested {report.passages} passages in {ingest_s:.1f} s")
    began = time.perf_counter()
    again = ingest([folder], settings)
    noop_s = time.perf_counter() - began
    extra = write_copy(folder, len(plan) + 1, HOME, sources[HOME], seed)
    began = time.perf_counter()
    added = ingest([folder], settings)
    add_s = time.perf_counter() - began
    say(f"  {label}: no-op re-ingest {noop_s:.2f} s, add one report {add_s:.2f} s ({added.embedded} embedded)")
    size = index_bytes(settings.index_dir)
    return {
        "size": label, "target": target, "documents": report.documents, "passages": report.passages,
        "plan": plan, "extra": extra.name, "ingest_s": round(ingest_s, 2), "ingests": len(state["batches"]),
        "passages_per_s": round(report.passages / ingest_s, 1), "index_bytes": size,
        "bytes_per_passage": round(size / added.passages), "noop_s": round(noop_s, 3), "noop_changed": again.changed,
        "add_one_s": round(add_s, 2), "add_one_passages": added.passages - report.passages,
        "add_one_embedded": added.embedded, "add_one_sentences_embedded": added.sentences_embedded,
    }


def pick_questions(path: Path, count: int) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    step = max(len(rows) / count, 1)
    return [rows[int(i * step)]["question"] for i in range(min(count, len(rows)))]


def vary_questions(questions: list[str], plan: list[str], seed: int) -> list[str]:
    """Each question about one of the library's copies of the home report, with that copy's names."""
    from latm_qa.bench.scale_data import make_variation, swap_names

    homes = [copy for copy, slug in enumerate(plan, 1) if slug == HOME]
    if not homes:
        return questions
    return [swap_names(q, make_variation(homes[i % len(homes)], seed)) for i, q in enumerate(questions)]


def measure(index_dir: Path, questions: list[str]) -> dict:
    """In a fresh process: load time, peak RSS, warm question latency and the bare encode floor."""
    from latm_qa import Index, load_settings
    from latm_qa.embed.model import load_embedder

    settings = load_settings(index_dir=index_dir)
    began = time.perf_counter()
    index = Index.load(index_dir, settings=settings)
    load_s = time.perf_counter() - began
    rss_load = peak_rss_mb()
    for question in questions[:WARM_UP]:
        index.ask(question)
    asked, abstained = [], 0
    for question in questions:
        began = time.perf_counter()
        result = index.ask(question)
        asked.append(1000 * (time.perf_counter() - began))
        abstained += bool(result.abstained)
    embedder = load_embedder(settings.model)
    for question in questions[:WARM_UP]:
        embedder.encode_query(question)
    floor = []
    for question in questions:
        began = time.perf_counter()
        embedder.encode_query(question)
        floor.append(1000 * (time.perf_counter() - began))
    p50, fp50 = percentile(asked, 50), percentile(floor, 50)
    return {
        "load_s": round(load_s, 2), "rss_after_load_mb": round(rss_load), "questions": len(asked),
        "abstained": abstained, "p50_ms": round(p50, 2), "p95_ms": round(percentile(asked, 95), 2),
        "floor_p50_ms": round(fp50, 2), "x_floor": round(p50 / fp50, 2) if fp50 else None,
        "rss_end_mb": round(peak_rss_mb()),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM): getrusage's ru_maxrss survives exec, so a process started
    by the benchmark after an ingest would report the ingest's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))] if ordered else 0.0


def measure_in_subprocess(index_dir: Path, questions: list[str], lib: Path) -> dict:
    asked = lib / "questions.json"
    asked.write_text(json.dumps(questions), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(index_dir), "--asked", str(asked)],
        capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    if done.returncode:
        raise RuntimeError(f"measuring {index_dir} failed:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


COLUMNS = {  # result key: column title
    "size": "size", "documents": "docs", "passages": "passages", "ingest_s": "ingest s",
    "passages_per_s": "passages/s", "index_mb": "index MB", "bytes_per_passage": "bytes/passage",
    "noop_s": "no-op s", "add_one_s": "add-one s", "add_one_embedded": "add-one embedded", "load_s": "load s",
    "rss_after_load_mb": "RSS MB", "rss_end_mb": "RSS end MB", "p50_ms": "p50 ms", "p95_ms": "p95 ms",
    "floor_p50_ms": "floor ms",
    "x_floor": "×floor", "commit": "commit",
}


def merged(out: Path, result: dict) -> dict:
    """``result`` with the rows of sizes it did not run kept from the last results in ``out``."""
    try:
        before = json.loads((out / "scale.json").read_text(encoding="utf-8"))
        kept = [row for row in before.get("rows", []) if row.get("size") not in {r["size"] for r in result["rows"]}]
    except (OSError, ValueError, AttributeError):
        kept = []
    for row in kept:
        row.setdefault("commit", before.get("commit"))
        row.setdefault("created", before.get("created"))
    return {**result, "rows": sorted(kept + result["rows"], key=lambda row: row["passages"])}


def write_results(out: Path, result: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    result = merged(out, result)
    (out / "scale.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    head = "| " + " | ".join(COLUMNS.values()) + " |"
    rule = "|---|" + "---:|" * (len(COLUMNS) - 1)
    lines = [f"# Scale benchmark ({result['created']}, commit {result['commit']}, backend {result['backend']})",
             "", f"{result['questions']} questions per size after {WARM_UP} warm-up; `eval/scale.py`.", "", head, rule]
    lines += ["| " + " | ".join(str(row.get(key, "")) for key in COLUMNS) + " |" for row in result["rows"]]
    (out / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot(result["rows"], out / "scale.png")


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [row["passages"] for row in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label, style in [("p50_ms", "question p50", "o-"), ("p95_ms", "question p95", "s--"),
                              ("floor_p50_ms", "encode floor p50", "^:")]:
        left.plot(xs, [row[key] for row in rows], style, label=label)
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms", title="Warm question latency")
    left.legend()
    right.plot(xs, [row["index_mb"] for row in rows], "o-", color="tab:green", label="index MB")
    right.set(xscale="log", xlabel="passages", ylabel="index MB", title="Index size and load time")
    twin = right.twinx()
    twin.plot(xs, [row["load_s"] for row in rows], "s--", color="tab:red", label="load s")
    twin.set_ylabel("load s (fresh process)")
    right.legend(handles=right.lines + twin.lines, loc="upper left")
    fig.tight_layout()
    temporary = path.with_suffix(".png.tmp")
    fig.savefig(temporary, format="png", dpi=110)
    plt.close(fig)
    temporary.replace(path)


def run(args: argparse.Namespace) -> dict:
    from latm_qa import load_settings

    sources = find_sources(args.reports)
    if HOME not in sources:
        raise SystemExit(f"error: no {HOME_NAME} in {args.reports}: give --reports the folder of the shared reports")
    estimates_file = args.work / "passages-per-copy.json"
    estimates = {slug: p.stat().st_size / CHARS_PER_PASSAGE for slug, p in sources.items()}
    if estimates_file.exists():
        estimates.update({k: v for k, v in json.loads(estimates_file.read_text()).items() if k in estimates})
    questions, rows = pick_questions(args.questions_file, args.questions), []
    for label, target in args.sizes:
        lib = args.work / f"lib-{label}"
        build_file = lib / "build.json"
        if args.reuse and build_file.exists() and (lib / "index" / "manifest.json").exists():
            say(f"{label}: reusing the library in {lib}")
            build = json.loads(build_file.read_text())
        else:
            say(f"{label}: building ({'the home report' if not target else f'~{target} passages'})")
            build = build_library(label, target, lib, sources, estimates, args.seed, args.batch, args.reuse)
            build_file.write_text(json.dumps(build, indent=2), encoding="utf-8")
            estimates_file.write_text(json.dumps(estimates, indent=2), encoding="utf-8")
        say(f"{label}: loading and asking {len(questions)} questions in a fresh process")
        measured = measure_in_subprocess(lib / "index", vary_questions(questions, build["plan"], args.seed), lib)
        row = {**build, **measured, "index_mb": round(build["index_bytes"] / 1e6, 2), "commit": git_commit(),
               "created": time.strftime("%Y-%m-%d %H:%M")}
        rows.append(row)
        say(f"{label}: load {row['load_s']} s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, ×floor {row['x_floor']}")
        if not (args.keep or args.reuse):
            shutil.rmtree(lib, ignore_errors=True)
    return {
        "created": time.strftime("%Y-%m-%d %H:%M"), "commit": git_commit(), "backend": load_settings().backend,
        "questions": len(questions), "seed": args.seed, "cpus": os.cpu_count(), "rows": rows,
    }


def git_commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "latm_qa"], cwd=ROOT, capture_output=True, text=True)
    return (head.stdout.strip() or "unknown") + ("+changes" if dirty.stdout.strip() else "")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="eval/scale.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("report,1k,10k"),
                        help="comma-separated: 'report' (the home report alone) or passage counts (300, 0.5k, "
                             "1k, 100k); default report,1k,10k")
    parser.add_argument("--work", type=Path, default=ROOT / "eval" / "scale-work", help="where libraries are built")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results", help="where results are written")
    parser.add_argument("--questions", type=positive_int, default=40, help="questions timed per size (default 40)")
    parser.add_argument("--keep", action="store_true", help="keep the built libraries in --work")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a size's library already in --work, or go on building one cut short (and keep it)")
    parser.add_argument("--batch", type=positive_int, default=25_000,
                        help="passages an ingest adds while building a library (default 25000): each ingest is kept")
    parser.add_argument("--seed", type=int, default=0, help="seed of the copies' variation (default 0)")
    parser.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "reports", help=argparse.SUPPRESS)
    parser.add_argument("--questions-file", type=Path, default=ROOT / "eval" / "questions.jsonl",
                        help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the subprocess's mode
    parser.add_argument("--asked", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.measure:
        if not args.reports.is_dir():
            parser.error(f"--reports {args.reports}: no such folder (it should hold {HOME_NAME} and more/)")
        if not args.questions_file.is_file():
            parser.error(f"no question file at {args.questions_file}")
        for option in ("work", "out"):
            where = getattr(args, option)
            if where.exists() and not where.is_dir():
                parser.error(f"--{option} {where}: not a folder")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, json.loads(args.asked.read_text()))))
        return 0
    from latm_qa import LatmQaError

    for option in ("work", "out"):
        try:
            getattr(args, option).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"error: --{option} {getattr(args, option)}: cannot create it ({exc.strerror})", file=sys.stderr)
            return 2
    try:
        result = run(args)
        write_results(args.out, result)
    except (LatmQaError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    say(f"wrote {args.out / 'scale.md'}, scale.json and scale.png")
    print((args.out / "scale.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
