"""Leave-one-report-out: the suite's figures when every weight chosen from questions was chosen on the *other*
reports' dev questions (`latm-qa eval --suite --loo`).

The fused retriever's weights are the part of the ranking chosen by looking at questions (settings.py, and a
profile's [search] table). A fixed set of configurations (the defaults in code, and each weight moved alone to
each of its candidate values) is scored once on every report's dev questions; then, for each report in turn,
the configuration with the best macro-average over the other reports (each report once, its formats averaged)
is the one it gets, and the report is scored with it on its dev and test questions. A profile's [search]
weights never apply here: they were chosen on their own report's questions.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..answer.index import Index
from ..settings import Settings
from .metrics import score_run
from .report import run_fused

# each weight's candidate values (eval/sweep.py searches the same ones by coordinate descent)
CANDIDATES = {
    "late_weight": [0.0, 1.5, 3.0, 5.0, 8.0],
    "bm25_weight": [0.0, 0.15, 0.3, 0.6, 1.0],
    "sentence_weight": [0.0, 0.15, 0.3, 0.6],
    "prior_weight": [0.0, 0.1, 0.2],
    "topic_weight": [0.0, 0.25, 0.5, 1.0],
    "label_weight": [0.0, 0.2, 0.4, 0.8],
}
SHOWN = ("hit_rate@1", "hit_rate@5", "mrr@10", "citation_accuracy", "false_abstention_rate")


@dataclass(frozen=True)
class Loaded:
    """One report in one format: its built index and its questions (every split)."""

    report: str
    format: str
    index: Index
    questions: list[dict]

    def split(self, name: str) -> list[dict]:
        return [q for q in self.questions if q.get("split") == name]


def load_suite(pairs: list, settings: Settings, work: Path) -> list[Loaded]:
    """The suite's built indexes (``work``/<report>-<format>), each with every split of its report's questions."""
    from .gold import read_questions

    return [Loaded(report.name, fmt, Index.load(work / f"{report.name}-{fmt}", settings=replace(
        settings, index_dir=work / f"{report.name}-{fmt}")), [q for _, q in read_questions(report.questions)
                                                              if q.get("document", report.name) == report.name])
            for report, fmt in pairs]


def configurations(settings: Settings) -> list[dict]:
    """The defaults in code, then each weight moved alone to each of its other candidate values."""
    base = {name: getattr(settings, name) for name in CANDIDATES}
    out = [base]
    for name, values in CANDIDATES.items():
        out += [{**base, name: value} for value in values if value != base[name]]
    return out


def objective(metrics: dict) -> float:
    """What a configuration is chosen by: (Hit@1 + MRR@10) / 2."""
    return (metrics["hit_rate@1"] + metrics["mrr@10"]) / 2


def leave_one_out(loaded: Sequence[Loaded], settings: Settings, progress=None) -> dict:
    """Each report scored with the configuration the other reports' dev questions choose."""
    configs = configurations(settings)
    grid: dict[tuple[str, str], list[dict]] = {}
    for item in loaded:
        if progress:
            progress(f"leave-one-out: {item.report} ({item.format}), {len(configs)} configurations")
        dev = item.split("dev")
        grid[(item.report, item.format)] = [score_run(run_fused(item.index, dev, "fused", c), dev) for c in configs]
    reports = list(dict.fromkeys(item.report for item in loaded))
    rows = []
    for report in reports:
        best = max(range(len(configs)), key=lambda i: _macro_objective(grid, reports, report, i))
        changed = {k: v for k, v in configs[best].items() if v != configs[0][k]}
        for item in (x for x in loaded if x.report == report):
            test = item.split("test")
            rows.append({
                "report": report, "format": item.format, "chosen": changed,
                "dev": _shown(grid[(report, item.format)][best]),
                "test": _shown(score_run(run_fused(item.index, test, "fused", configs[best]), test)),
                "dev_defaults": _shown(grid[(report, item.format)][0]),
            })
    return {"configurations": len(configs), "rows": rows, "macro": _macro_rows(rows),
            "calibration": calibration_loo(loaded, progress)}


def calibration_loo(loaded: Sequence[Loaded], progress=None) -> dict:
    """The answer's confidence model (answer/confidence.py) fitted on the other reports' dev questions, judged
    on each report's test and dev questions: the calibration error (ECE) a report nobody fitted it on gets."""
    import numpy as np

    from .calibrate import card_rows, fit_logistic, reliability

    firsts: dict[tuple[str, str, str], tuple] = {}
    for item in loaded:
        if progress:
            progress(f"leave-one-out: confidence features of {item.report} ({item.format})")
        for split in ("dev", "test"):
            x, y, first = card_rows(item.index, item.split(split))
            firsts[(item.report, item.format, split)] = (x[first], y[first])
    from ..answer.confidence import Calibration

    rows = []
    for report in dict.fromkeys(item.report for item in loaded):
        train = [v for (r, _, split), v in firsts.items() if r != report and split == "dev" and len(v[1])]
        model = Calibration(fit_logistic(np.vstack([x for x, _ in train]), np.concatenate([y for _, y in train])),
                            f"dev split of every report but {report}")
        for item in (x for x in loaded if x.report == report):
            row = {"report": report, "format": item.format}
            for split in ("dev", "test"):
                x, y = firsts[(report, item.format, split)]
                row[split] = reliability(list(model.probability(x)), list(y.astype(bool)))[1] if len(y) else None
            rows.append(row)
    return {"rows": rows, "macro": {split: round(statistics.mean(r[split] for r in rows if r[split] is not None), 4)
                                    for split in ("dev", "test")}}


def _macro_objective(grid: dict, reports: list[str], left_out: str, i: int) -> float:
    """Config ``i``'s objective averaged over every report but ``left_out`` (each report's formats averaged)."""
    per_report = [statistics.mean(objective(runs[i]) for (r, _), runs in grid.items() if r == report)
                  for report in reports if report != left_out]
    return statistics.mean(per_report) if per_report else 0.0


def _shown(metrics: dict) -> dict:
    return {key: round(float(metrics.get(key, 0.0)), 4) for key in SHOWN}


def _macro_rows(rows: list[dict]) -> list[dict]:
    """Per format and over all: the mean of each figure, each report counting once."""
    out = []
    for fmt in [*dict.fromkeys(r["format"] for r in rows), "all"]:
        group = [r for r in rows if fmt in ("all", r["format"])]
        reports = list(dict.fromkeys(r["report"] for r in group))
        entry = {"format": fmt, "reports": len(reports)}
        for part in ("dev", "test", "dev_defaults"):
            entry[part] = {key: round(statistics.mean(
                statistics.mean(r[part][key] for r in group if r["report"] == report) for report in reports), 4)
                for key in SHOWN}
        entry["lowest_test_hit@1"] = min((r["test"]["hit_rate@1"], r["report"]) for r in group)
        out.append(entry)
    return out


def loo_lines(result: dict) -> list[str]:
    """Markdown: the leave-one-out table (chosen weights, dev and test figures per report and format)."""
    head = "| report | format | weights chosen on the others | dev Hit@1 | test Hit@1 | test Hit@5 | test MRR@10 | " \
           "test cite acc | test false abst |"
    lines = ["### leave-one-report-out (fused; weights chosen on the other reports' dev questions, "
             f"{result['configurations']} configurations)", "", head, "|---|---|---|" + "---:|" * 6]
    for row in result["rows"]:
        chosen = ", ".join(f"{k} {v:g}" for k, v in row["chosen"].items()) or "the defaults"
        t = row["test"]
        lines.append(f"| {row['report']} | {row['format']} | {chosen} | {row['dev']['hit_rate@1']:.3f} | "
                     f"{t['hit_rate@1']:.3f} | {t['hit_rate@5']:.3f} | {t['mrr@10']:.3f} | "
                     f"{t['citation_accuracy']:.3f} | {t['false_abstention_rate']:.3f} |")
    for row in result["macro"]:
        t = row["test"]
        lowest = f" (lowest: {row['lowest_test_hit@1'][1]} {row['lowest_test_hit@1'][0]:.3f})"
        lines.append(f"| **macro** over {row['reports']} reports{lowest} | {row['format']} | | "
                     f"{row['dev']['hit_rate@1']:.3f} | {t['hit_rate@1']:.3f} | {t['hit_rate@5']:.3f} | "
                     f"{t['mrr@10']:.3f} | {t['citation_accuracy']:.3f} | {t['false_abstention_rate']:.3f} |")
    calibration = result.get("calibration")
    if calibration:
        lines += ["", "answer confidence fitted on the other reports' dev questions: calibration error (ECE)", "",
                  "| report | format | dev ECE | test ECE |", "|---|---|---:|---:|"]
        lines += [f"| {r['report']} | {r['format']} | {_ece(r['dev'])} | {_ece(r['test'])} |"
                  for r in calibration["rows"]]
        macro = calibration["macro"]
        lines.append(f"| **macro** | all | {_ece(macro['dev'])} | {_ece(macro['test'])} |")
    return [*lines, ""]


def _ece(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
