"""The multi-report benchmark: every report of a suite file (eval/suite.toml), in every format it lists,
each built into its own index and scored; one row per report, format and retriever plus the macro-average
over the reports."""

from __future__ import annotations

import json
import sys
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from ..answer.index import Index
from ..errors import LatmQaError
from ..settings import PROJECT_ROOT, Settings
from .ablation import ablation, ablation_lines
from .gold import check_gold, read_questions
from .loo import leave_one_out, load_suite, loo_lines

SUITE_FILE = PROJECT_ROOT / "eval" / "suite.toml"
SUITE_RETRIEVERS = ["dense", "bm25", "hybrid", "late", "fused"]
# the columns of the suite's tables: (metric key, header); "unanswerable" is drawn from two keys
SUITE_COLUMNS = [
    ("hit_rate@1", "Hit@1"),
    ("hit_rate@5", "Hit@5"),
    ("mrr@10", "MRR@10"),
    ("citation_accuracy", "Cite acc"),
    ("short_answer_accuracy", "Answer acc"),
    ("calibration_error", "ECE"),
    ("unanswerable", "Unanswerable recognised"),
    ("false_abstention_rate", "False abst"),
    ("latency_vs_floor", "p50/floor"),
]
_AVERAGED = [key for key, _ in SUITE_COLUMNS if key != "unanswerable"] + ["abstention_recall"]


@dataclass(frozen=True)
class SuiteReport:
    """One report of the suite: its question set and the file of each format it is read from."""

    name: str
    title: str
    questions: Path
    sources: dict[str, Path]
    profile: Path | None = None


def read_suite(path: Path) -> list[SuiteReport]:
    """The reports a suite file names, each entry checked; paths are relative to the file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LatmQaError(f"{path}: cannot read the suite file ({exc.strerror}); see eval/suite.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise LatmQaError(f"{path}: not valid TOML ({exc}); see eval/suite.toml for the layout") from None
    entries = data.get("reports")
    if not isinstance(entries, dict) or not entries:
        raise LatmQaError(f"{path}: no [reports.<name>] tables; see eval/suite.toml for the layout")
    base = Path(path).resolve().parent
    reports = []
    for name, entry in entries.items():
        sources = entry.get("sources") if isinstance(entry, dict) else None
        if not isinstance(sources, dict) or not sources or not isinstance(entry.get("questions"), str):
            raise LatmQaError(
                f"{path}: [reports.{name}] needs questions = \"<file>.jsonl\" and a [reports.{name}.sources] "
                "table naming each format's file (md = \"...\", pdf = \"...\")"
            )
        profile = entry.get("profile")
        reports.append(
            SuiteReport(
                name=name,
                title=str(entry.get("title", name)),
                questions=base / entry["questions"],
                sources={fmt: base / str(file) for fmt, file in sources.items()},
                profile=base / profile if profile else None,
            )
        )
    return reports


def _chosen(reports: list[SuiteReport], names: str | None, formats: str | None) -> list[tuple[SuiteReport, str]]:
    """The (report, format) pairs to run: all of them, or those --reports and --formats name."""
    wanted = [n.strip() for n in names.split(",") if n.strip()] if names else [r.name for r in reports]
    unknown = [n for n in wanted if n not in {r.name for r in reports}]
    if unknown:
        raise LatmQaError(
            f"unknown report {unknown[0]!r} in --reports: the suite has {', '.join(r.name for r in reports)}"
        )
    kinds = [f.strip() for f in formats.split(",") if f.strip()] if formats else None
    pairs = [(r, fmt) for r in reports if r.name in wanted for fmt in r.sources if kinds is None or fmt in kinds]
    if not pairs:
        raise LatmQaError(f"no report of the suite has a source in format(s) {formats!r}: use md or pdf")
    for report, fmt in pairs:
        for file in (report.sources[fmt], report.questions, *([report.profile] if report.profile else [])):
            if not file.exists():
                raise LatmQaError(
                    f"{file}: named by the suite for {report.name} ({fmt}) but not there: fix the path in the "
                    "suite file, or leave the report out with --reports"
                )
    return pairs


def run_report(report: SuiteReport, fmt: str, settings: Settings, work: Path, split: str, retrievers: list[str]):
    """Build (or update) the report's index for one format, then score every retriever on its questions."""
    from ..build.ingest import ingest
    from .report import evaluate_index

    built = replace(settings, index_dir=work / f"{report.name}-{fmt}")
    made = ingest([report.sources[fmt]], built, profile=report.profile, sync=True)
    index = Index.load(built.index_dir, settings=built)
    numbered = [(n, q) for n, q in read_questions(report.questions) if q.get("document", report.name) == report.name]
    strict = fmt == next(iter(report.sources))  # the gold is refused on the first format, the one it was written from
    for note in check_gold(numbered, index.passages, report.questions, strict):
        print(f"latm-qa: note: {note}", file=sys.stderr)
    questions = [q for _, q in numbered if split in ("all", q.get("split"))]
    if not questions:
        raise LatmQaError(f"{report.questions}: no questions for {report.name} in split {split!r}")
    result = evaluate_index(index, questions, retrievers)
    result["ingest"] = {"passages": made.passages, "embedded": made.embedded, "seconds": round(made.seconds, 2)}
    return result


def macro_average(rows: list[dict]) -> dict:
    """The mean of each metric over reports (each report counts once, whatever its number of questions)."""
    out = {key: round(sum(r.get(key, 0.0) for r in rows) / len(rows), 4) for key in _AVERAGED}
    out["unanswerable"] = sum(r.get("unanswerable", 0) for r in rows)
    out["unanswerable_recognised"] = sum(r.get("unanswerable_recognised", 0) for r in rows)
    out["reports"] = len(rows)
    return out


def suite_table(results: dict) -> str:
    """Markdown: per split, one row per report, format and retriever, then the macro-averages."""
    header = "| report | format | retriever | " + " | ".join(h for _, h in SUITE_COLUMNS) + " |"
    rule = "|---|---|---|" + "---:|" * len(SUITE_COLUMNS)
    lines = [f"## latm-qa eval --suite — {results['suite']}", ""]
    for split, table in results["table"].items():
        lines += [f"### {split}", "", header, rule]
        for row in table["rows"]:
            lines.append(f"| {row['report']} | {row['format']} | {row['retriever']} | {_cells(row['metrics'])} |")
        for row in table["macro"]:
            over = f"{row['metrics']['reports']} " + ("reports" if row["format"] != "all" else "report-formats")
            lines.append(
                f"| **macro-average** over {over} | {row['format']} | {row['retriever']} | {_cells(row['metrics'])} |"
            )
        lines.append("")
    lines += pooled_reliability(results)
    built = {key: r["ingest"] for key, r in results.get("reports", {}).items() if r.get("ingest", {}).get("embedded")}
    if built:  # reports built in this run (a reused index embeds nothing and took no time to tell)
        lines += ["### ingest", "", "| report | format | passages | seconds | passages/s |", "|---|---|---:|---:|---:|"]
        for key, made in built.items():
            name, fmt = key.split("/")
            rate = made["embedded"] / made["seconds"] if made["seconds"] else 0.0
            lines.append(f"| {name} | {fmt} | {made['passages']} | {made['seconds']:.1f} | {rate:.1f} |")
        lines.append("")
    return "\n".join(lines)


def pooled_reliability(results: dict, retriever: str = "fused") -> list[str]:
    """Per split, the reliability table of the answer's confidence over every report and format together."""
    lines = []
    for split, table in results["table"].items():
        bins: dict[str, list[float]] = {}
        for row in table["rows"]:
            for b in row["metrics"].get("reliability", []) if row["retriever"] == retriever else []:
                n, predicted, observed = bins.setdefault(b["bin"], [0, 0.0, 0.0])
                bins[b["bin"]] = [n + b["n"], predicted + b["n"] * b["predicted"], observed + b["n"] * b["observed"]]
        total = sum(n for n, _, _ in bins.values())
        if not total:
            continue
        error = sum(abs(p - o) for _, p, o in bins.values()) / total
        lines += [f"### {retriever}: reliability of the answer's confidence, {split}, all reports "
                  f"(calibration error {error:.3f})", "",
                  "| probability | answers | mean probability | first card right |", "|---|---:|---:|---:|"]
        lines += [f"| {name} | {n} | {p / n:.3f} | {o / n:.3f} |" for name, (n, p, o) in sorted(bins.items())]
        lines.append("")
    return lines


def _cells(m: dict) -> str:
    cells = []
    for key, _ in SUITE_COLUMNS:
        if key == "unanswerable":
            cells.append(f"{m.get('unanswerable_recognised', 0)}/{m.get('unanswerable', 0)}")
        else:
            cells.append(f"{m[key]:.3f}".rstrip("0").rstrip(".") if key in m else "–")
    return " | ".join(cells)


def run_conversations(path: Path, pairs: list, settings: Settings, work: Path) -> dict:
    """The conversation benchmark on every format of the suite's built indexes."""
    from .conversations import evaluate_conversations

    out = {}
    for fmt in dict.fromkeys(fmt for _, fmt in pairs):
        indexes = {report.name: Index.load(work / f"{report.name}-{fmt}",
                                           settings=replace(settings, index_dir=work / f"{report.name}-{fmt}"))
                   for report, f in pairs if f == fmt}
        out[fmt] = evaluate_conversations(path, indexes)
    return out


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def evaluate_suite(args, settings: Settings) -> int:
    from .conversations import conversation_lines

    if getattr(args, "conversations", None) and not Path(args.conversations).exists():
        raise LatmQaError(f"no conversation file at {args.conversations}: pass --conversations with a JSONL file "
                          "of conversations (default eval/conversations.jsonl)")
    suite = Path(args.suite)
    pairs = _chosen(read_suite(suite), args.reports, args.formats)
    retrievers = [r.strip() for r in (args.retrievers or ",".join(SUITE_RETRIEVERS)).split(",") if r.strip()]
    work = Path(args.work) if args.work else PROJECT_ROOT / "eval" / "indexes"
    began = time.perf_counter()
    per_report: dict[str, dict] = {}
    for report, fmt in pairs:
        print(f"latm-qa eval: {report.name} ({fmt}) ...", file=sys.stderr, flush=True)
        per_report[f"{report.name}/{fmt}"] = run_report(report, fmt, settings, work, args.split, retrievers)
    splits = sorted({s for r in per_report.values() for s in r["table"]}, key=lambda s: (s == "all", s))
    table: dict[str, dict] = {}
    for split in splits:
        rows = [
            {"report": key.split("/")[0], "format": key.split("/")[1], "retriever": name, "metrics": metrics}
            for key, result in per_report.items()
            for name, metrics in result["table"].get(split, {}).items()
        ]
        macro = []
        for fmt in [*dict.fromkeys(r["format"] for r in rows), "all"]:
            for name in dict.fromkeys(r["retriever"] for r in rows):
                group = [r["metrics"] for r in rows if r["retriever"] == name and fmt in ("all", r["format"])]
                if group and (fmt != "all" or len({r["format"] for r in rows}) > 1):
                    macro.append({"format": fmt, "retriever": name, "metrics": macro_average(group)})
        table[split] = {"rows": rows, "macro": macro}
    results = {"suite": str(suite), "table": table, "reports": per_report}
    loo, ablations = getattr(args, "loo", False), getattr(args, "ablations", False)
    loaded = load_suite(pairs, settings, work) if loo or ablations else []  # each index loaded once for both
    if loo:
        results["leave_one_out"] = leave_one_out(loaded, settings, _progress)
    if ablations:
        results["ablations"] = ablation(loaded, _progress)
    if getattr(args, "conversations", None):
        results["conversations"] = run_conversations(Path(args.conversations), pairs, settings, work)
    results["seconds"] = round(time.perf_counter() - began, 1)
    out = Path(args.out or PROJECT_ROOT / "eval" / "results")
    out.mkdir(parents=True, exist_ok=True)
    parts = [suite_table(results)]
    parts += [["", *loo_lines(results["leave_one_out"])]] if "leave_one_out" in results else []
    parts += [["", *ablation_lines(results["ablations"])]] if "ablations" in results else []
    parts += [["", *conversation_lines(r, fmt)] for fmt, r in results.get("conversations", {}).items()]
    text = "\n".join(p if isinstance(p, str) else "\n".join(p) for p in parts)
    (out / "suite.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "suite.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nWrote {out / 'suite.json'} and suite.md")
    return 0
