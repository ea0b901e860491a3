"""Choose the fused retriever's weights on several reports at once (coordinate descent on dev splits).

    python eval/sweep.py [--suite eval/suite.toml] [--formats md] [--split dev] [--rounds 2]

Every report of the suite is built (or reused) in eval/indexes/ as `latm-qa eval --suite` builds it; each
candidate setting runs the default retriever over every report's questions of the split, and the objective
is the macro-average over reports of (Hit@1 + MRR@10) / 2, each report counting once. One weight moves at a
time over its candidate values, the best kept, for --rounds rounds. Prints every setting tried and writes
eval/results/sweep.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from latm_qa.answer.index import Index  # noqa: E402
from latm_qa.bench.loo import CANDIDATES  # noqa: E402
from latm_qa.bench.metrics import load_questions, score_run  # noqa: E402
from latm_qa.bench.report import run_fused  # noqa: E402
from latm_qa.bench.suite import SUITE_FILE, _chosen, read_suite  # noqa: E402
from latm_qa.build.ingest import ingest  # noqa: E402
from latm_qa.settings import PROJECT_ROOT, load_settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(SUITE_FILE))
    parser.add_argument("--reports")
    parser.add_argument("--formats", default="md")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", default=str(PROJECT_ROOT / "eval" / "indexes"))
    parser.add_argument("--out", default=str(PROJECT_ROOT / "eval" / "results" / "sweep.json"))
    args = parser.parse_args()
    settings = load_settings()
    loaded = []
    for report, fmt in _chosen(read_suite(Path(args.suite)), args.reports, args.formats):
        built = replace(settings, index_dir=Path(args.work) / f"{report.name}-{fmt}")
        ingest([report.sources[fmt]], built, profile=report.profile, sync=True)
        questions = [q for q in load_questions(report.questions, args.split)
                     if q.get("document", report.name) == report.name]
        loaded.append((f"{report.name}/{fmt}", Index.load(built.index_dir, settings=built), questions))
        print(f"loaded {report.name} ({fmt}): {len(questions)} questions", file=sys.stderr, flush=True)
    tried: dict[str, dict] = {}

    def evaluate(change: dict) -> float:
        key = json.dumps(change, sort_keys=True)
        if key not in tried:
            per = {}
            for name, index, questions in loaded:
                m = score_run(run_fused(index, questions, "fused", change), questions)
                per[name] = {k: m[k] for k in ("hit_rate@1", "hit_rate@5", "mrr@10", "false_abstention_rate")}
            macro = {k: round(sum(p[k] for p in per.values()) / len(per), 4) for k in next(iter(per.values()))}
            tried[key] = {"change": change, "macro": macro, "per_report": per,
                          "objective": round((macro["hit_rate@1"] + macro["mrr@10"]) / 2, 4)}
            row = " ".join(f"{n.split('/')[0][:12]}={p['hit_rate@1']:.3f}" for n, p in per.items())
            print(f"{tried[key]['objective']:.4f} H@1 {macro['hit_rate@1']:.3f} H@5 {macro['hit_rate@5']:.3f} "
                  f"{change} | {row}", flush=True)
        return tried[key]["objective"]

    best = {name: getattr(settings, name) for name in CANDIDATES}
    best_score = evaluate(best)
    for _ in range(args.rounds):
        moved = False
        for name, values in CANDIDATES.items():
            for value in values:
                candidate = {**best, name: value}
                score = evaluate(candidate)
                if score > best_score + 1e-9:
                    best, best_score, moved = candidate, score, True
        if not moved:
            break
    print(f"best {best} objective {best_score}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"best": best, "objective": best_score, "tried": list(tried.values())},
                                         indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
