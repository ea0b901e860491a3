"""Write the benchmark's table (Markdown), numbers (JSON), chart (PNG) and a BEIR export."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..answer.index import Index
from ..errors import LatmQaError
from ..settings import PROJECT_ROOT, Settings
from .gold import check_gold, read_questions
from .metrics import (
    NAIVE,
    RunResult,
    answerable,
    breakdown,
    feedback_questions,
    is_relevant,
    run_naive,
    run_retriever,
    score_run,
    with_typos,
)
from .output import export_beir, markdown_table, write_chart
from .per_question import main_retriever, question_rows, questions_jsonl, questions_markdown, worst_lines

PROJECT_QUESTIONS = PROJECT_ROOT / "eval" / "questions.jsonl"
PROJECT_RESULTS = PROJECT_ROOT / "eval" / "results"  # the committed results: the project's own runs only
RETRIEVERS = ["dense", "bm25", "hybrid", "late", "fused", "rerank"]
DEFAULT_RETRIEVERS = ["naive", *RETRIEVERS[:-1]]  # and "rerank" when a reranker is configured
# Each ablation turns one technique of the default "fused" retriever off.
ABLATIONS = {
    "fused-no-sentences": {"sentence_weight": 0.0},
    "fused-no-bm25": {"bm25_weight": 0.0},  # where a profile turns it on
    "fused-no-structure-prior": {"prior_weight": 0.0},
    "fused-no-late-interaction": {"late_weight": 0.0},
    "fused-no-topic": {"topic_weight": 0.0},
    "fused-no-cover-step": {"cover_step": 0.0},
    "fused-no-headings": {"embed_headings": False},
    "fused-no-labels": {"label_weight": 0.0},
}
# Robustness: the same questions with one letter mistyped in each, with and without spelling correction.
TYPOS = {
    "fused-typos": {},
    "fused-typos-as-typed": {"correct_spelling": False},
}


def evaluate_index(index: Index, questions: list[dict], retrievers: list[str]) -> dict:
    """Run every retriever over the questions; metrics per split and a breakdown for each run."""
    return score_runs(run_retrievers(index, questions, retrievers), questions)


def run_retrievers(index: Index, questions: list[dict], retrievers: list[str]) -> dict[str, RunResult]:
    """Each retriever's rankings of the questions, by name."""
    runs = {}
    for name in retrievers:
        if name == "naive":
            runs[NAIVE] = run_naive(index, questions)
        elif name in RETRIEVERS:
            runs[name] = run_retriever(index, questions, name)
        elif name in ABLATIONS:
            runs[name] = run_ablation(index, questions, name)
        elif name in TYPOS:
            runs[name] = run_fused(index, with_typos(questions), name, TYPOS[name])
        else:
            choices = ", ".join(["naive", *RETRIEVERS, *ABLATIONS, *TYPOS])
            raise LatmQaError(f"unknown retriever {name!r}: choose from {choices}")
    return runs


def score_runs(runs: dict[str, RunResult], questions: list[dict]) -> dict:
    """Metrics per split and a breakdown for each run."""
    splits = sorted({q.get("split", "all") for q in questions}) + (
        ["all"] if len({q.get("split") for q in questions}) > 1 else []
    )
    table: dict[str, dict[str, dict]] = {}
    for split in splits:
        subset = [q for q in questions if split == "all" or q.get("split") == split]
        table[split] = {name: score_run(run, subset) for name, run in runs.items()}
    floor = [t for run in runs.values() for t in run.floor_ms]
    return {
        "floor_p50_ms": round(float(np.percentile(floor, 50)), 2) if floor else 0.0,
        "floor_p95_ms": round(float(np.percentile(floor, 95)), 2) if floor else 0.0,
        "table": table,
        "by_kind": {name: breakdown(run, questions, "kind") for name, run in runs.items()},
        "by_difficulty": {name: breakdown(run, questions, "difficulty") for name, run in runs.items()},
        # how the question is typed (lower case, abbreviations, keywords...), for the questions that say
        "by_style": {name: breakdown(run, questions, "style") for name, run in runs.items()},
        # the short answer's accuracy by the kind of answer asked (how much, when, who, ...) and by its form
        "answers_by_kind": {name: answer_breakdown(run, questions) for name, run in runs.items() if run.answers},
    }


def answer_breakdown(run, questions: list[dict]) -> dict[str, dict]:
    """How often the answer box holds an answer string, per kind of answer asked (kinds.answer_kind) and per
    form of answer (a sentence, a list, both sides, ...), over the answerable questions with answer strings."""
    from ..answer.kinds import answer_form, answer_kind

    groups: dict[str, list[bool]] = {}
    for q in questions:
        if answerable(q) and q.get("answers"):
            right = is_relevant(run.answers.get(q["id"], ""), q["answers"])
            for group in (answer_kind(q["question"]), f"form: {answer_form(q['question'])}"):
                groups.setdefault(group, []).append(right)
    return {name: {"n": len(v), "answer_acc": round(sum(v) / len(v), 3)} for name, v in sorted(groups.items())}


def run_ablation(index: Index, questions: list[dict], name: str):
    """The fused retriever with one technique off; headings off needs a temporary index without them."""
    change = ABLATIONS[name]
    if "embed_headings" not in change:
        return run_fused(index, questions, name, change)
    import tempfile

    from ..build.ingest import ingest

    sources = [Path(s["path"]) for s in index.manifest["sources"]]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        raise LatmQaError(f"{name} rebuilds the index from its sources, but {', '.join(missing)} is gone")
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(index.settings, index_dir=Path(tmp) / "index", **change)
        ingest(sources, settings, profile=index.knowledge.profile or {})  # the profile it was built with
        variant = Index.load(settings.index_dir, settings=settings)
        run = run_retriever(variant, questions, "fused")
    run.name = name
    return run


def run_fused(index: Index, questions: list[dict], name: str, change: dict):
    """The fused retriever with some search settings changed for this run only."""
    original = index.settings
    index.settings = replace(original, **change)
    try:
        run = run_retriever(index, questions, "fused")
    finally:
        index.settings = original
    run.name = name
    return run


def results_dir(args) -> Path:
    """Where a run writes: --out when given; eval/results/ for a whole run of the project's own question set
    (every split, the default retrievers, no feedback); any other run in eval-results/<its name>/ under the
    current folder, so that it never replaces the project's figures."""
    if args.out:
        return Path(args.out)
    questions = getattr(args, "questions", None)
    project = questions is None or Path(questions).resolve() == PROJECT_QUESTIONS.resolve()
    partial = [f"{name}-{value}" for name, value in (("split", args.split if args.split != "all" else None),
               ("retrievers", args.retrievers), ("feedback", args.feedback and "on")) if value]
    if not project:
        return Path("eval-results") / Path(questions).stem
    if not partial:
        return PROJECT_RESULTS
    return Path("eval-results") / "-".join([PROJECT_QUESTIONS.stem, *partial]).replace(",", "+")


def evaluate_and_write(args, settings: Settings) -> int:
    path = Path(args.questions) if args.questions else PROJECT_QUESTIONS
    numbered = read_questions(path)  # a malformed line is refused before the model loads
    index = Index.load(settings.index_dir, settings=settings)
    notes = check_gold(numbered, index.passages, path)  # gold the index cannot match is refused before the run
    for note in notes:
        print(f"latm-qa: note: {note}", file=sys.stderr)
    lines = {row["id"]: number for number, row in numbered}
    questions = [row for _, row in numbered if args.split == "all" or row.get("split") == args.split]
    if args.feedback:
        extra = feedback_questions(Path(args.feedback))
        print(f"Read {len(extra)} up-voted answers from {args.feedback} as extra judgements (split 'feedback')")
        questions += extra
    if not questions:
        raise LatmQaError(f"no questions in split {args.split!r}")
    default = DEFAULT_RETRIEVERS + (["rerank"] if settings.reranker else [])
    retrievers = [r.strip() for r in (args.retrievers or ",".join(default)).split(",") if r.strip()]
    if args.ablations:
        retrievers += [name for name in ABLATIONS if name not in retrievers]
    if args.typos:
        retrievers += [name for name in TYPOS if name not in retrievers]
    began = time.perf_counter()
    runs = run_retrievers(index, questions, retrievers)
    results = score_runs(runs, questions)
    sources = "+".join(Path(s["file"]).stem for s in index.manifest["sources"])
    label = "pdf" if all(s["file"].endswith(".pdf") for s in index.manifest["sources"]) else "md"
    title = f"latm-qa eval — {', '.join(s['file'] for s in index.manifest['sources'])}"
    stem = f"{sources}-{label}" if not sources.endswith(label) else sources
    results.update(
        manifest={k: index.manifest[k] for k in ("created", "model", "dimension", "settings", "sources", "passages")},
        search_settings={
            k: getattr(settings, k)
            for k in (
                "retriever", "rrf_k", "sentence_weight", "bm25_weight", "prior_weight", "abstain_below",
                "late_weight", "topic_weight", "cover_step", "reranker", "rerank_depth", "abstain_off_topic",
                "abstain_uncounted", "correct_spelling", "answer_bm25_weight",
            )
        },
        questions_file=str(args.questions or "eval/questions.jsonl"),
        seconds=round(time.perf_counter() - began, 1),
        gold_check={"lines": len(numbered), "notes": notes},
        per_question={"file": f"{stem}-questions.jsonl", "table": f"{stem}-questions.md"},
    )
    out = results_dir(args)
    out.mkdir(parents=True, exist_ok=True)
    table = markdown_table(results, title)
    (out / f"{stem}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / f"{stem}.md").write_text(table + "\n", encoding="utf-8")
    write_chart(results, out / f"{stem}.png", title)
    main = main_retriever(runs)
    rows = question_rows(index, questions, runs, lines)
    (out / f"{stem}-questions.jsonl").write_text(questions_jsonl(rows, main), encoding="utf-8")
    (out / f"{stem}-questions.md").write_text(questions_markdown(rows, main, title) + "\n", encoding="utf-8")
    if args.beir:
        export_beir(index, questions, Path(args.beir))
    print(table)
    print("\n".join(["", *worst_lines(rows, main)]))
    print(f"\nWrote {out / stem}.json, .md and .png; question by question: {stem}-questions.md and .jsonl")
    if not args.out and out != PROJECT_RESULTS:
        print(f"  (this run's results go to {out}/, not to eval/results/, which holds the project's whole "
              "benchmark run: pass --out DIR to choose)")
    return 0
