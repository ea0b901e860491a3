"""The benchmark's outputs: a Markdown table, a chart (PNG) and a BEIR export of the question set."""

from __future__ import annotations

import json
from pathlib import Path

from ..answer import Index
from .metrics import is_relevant

COLUMNS = [
    ("hit_rate@1", "Hit@1"),
    ("hit_rate@3", "Hit@3"),
    ("hit_rate@5", "Hit@5"),
    ("hit_rate@10", "Hit@10"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("citation_accuracy", "Cite acc"),
    ("top1_section_accuracy", "Top-1 §"),
    ("short_answer_accuracy", "Answer acc"),
    ("calibration_error", "ECE"),
    ("abstention_precision", "Abst P"),
    ("abstention_recall", "Abst R"),
    ("false_abstention_rate", "False abst"),
    ("median_passage_words", "Med words"),
    ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
    ("latency_vs_floor", "p50/floor"),
]

def markdown_table(results: dict, title: str) -> str:
    lines = [
        f"## {title}",
        "",
        f"Query floor (bare model encode): p50 {results['floor_p50_ms']} ms, p95 {results['floor_p95_ms']} ms",
        "",
    ]
    for split, rows in results["table"].items():
        n = next(iter(rows.values()))["questions"]
        lines += [
            f"### {split} ({n} questions)",
            "",
            "| retriever | " + " | ".join(c for _, c in COLUMNS) + " |",
            "|---|" + "---:|" * len(COLUMNS),
        ]
        for name, m in rows.items():
            lines.append(f"| {name} | " + " | ".join(str(m.get(k, "–")) for k, _ in COLUMNS) + " |")
        lines.append("")
    for label, key in (("question kind", "by_kind"), ("difficulty", "by_difficulty"), ("style", "by_style")):
        if not any(results.get(key, {}).values()):
            continue  # no question says its style
        default = "fused" if "fused" in results[key] else next(iter(results[key]))
        which = "the questions that give one" if key == "by_style" else "all questions evaluated"
        lines += [
            f"### {default}: by {label} ({which})",
            "",
            "| group | n | Hit@1 | Hit@5 | MRR@10 |",
            "|---|---:|---:|---:|---:|",
        ]
        for group, m in results[key][default].items():
            lines.append(f"| {group} | {m['n']} | {m['hit@1']} | {m['hit@5']} | {m['mrr@10']} |")
        lines.append("")
    return "\n".join(lines + answer_lines(results))


def answer_lines(results: dict) -> list[str]:
    """The default retriever's answer accuracy by kind of answer, and its reliability table per split."""
    by_kind = results.get("answers_by_kind", {})
    default = "fused" if "fused" in by_kind else next(iter(by_kind), "")
    if not default:
        return []
    lines = [f"### {default}: answer accuracy by kind of answer asked", "", "| kind | n | Answer acc |",
             "|---|---:|---:|"]
    lines += [f"| {kind} | {m['n']} | {m['answer_acc']} |" for kind, m in by_kind[default].items()]
    lines.append("")
    for split, rows in results["table"].items():
        table = rows.get(default, {}).get("reliability")
        if table:
            lines += [f"### {default}: reliability of the answer's confidence, {split} "
                      f"(calibration error {rows[default]['calibration_error']})", "",
                      "| probability | answers | mean probability | first card right |", "|---|---:|---:|---:|"]
            lines += [f"| {r['bin']} | {r['n']} | {r['predicted']} | {r['observed']} |" for r in table]
            lines.append("")
    return lines


def write_chart(results: dict, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    split = "test" if "test" in results["table"] else next(iter(results["table"]))
    rows = results["table"][split]
    metrics = [
        ("hit_rate@1", "Hit@1"),
        ("hit_rate@5", "Hit@5"),
        ("mrr@10", "MRR@10"),
        ("citation_accuracy", "Cite acc"),
    ]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(1, len(rows))
    for i, (name, m) in enumerate(rows.items()):
        ax.bar([j + i * width for j in range(len(metrics))], [m[k] for k, _ in metrics], width, label=name)
    ax.set_xticks([j + width * (len(rows) - 1) / 2 for j in range(len(metrics))], [label for _, label in metrics])
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{title} — {split} split")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def export_beir(index: Index, questions: list[dict], directory: Path) -> None:
    """corpus.jsonl, queries.jsonl and qrels/test.tsv (answerable questions, relevance by containment)."""
    (directory / "qrels").mkdir(parents=True, exist_ok=True)
    with open(directory / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for p in index.passages:
            fh.write(
                json.dumps(
                    {"_id": p.passage_id, "title": " > ".join(p.heading_path), "text": p.text}, ensure_ascii=False
                )
                + "\n"
            )
    with open(directory / "queries.jsonl", "w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(
                json.dumps(
                    {
                        "_id": q["id"],
                        "text": q["question"],
                        "metadata": {k: q.get(k) for k in ("section", "kind", "difficulty", "split")},
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    with open(directory / "qrels" / "test.tsv", "w", encoding="utf-8") as fh:
        fh.write("query-id\tcorpus-id\tscore\n")
        for q in questions:
            for p in index.passages:
                if q["answers"] and is_relevant(p.text, q["answers"]):
                    fh.write(f"{q['id']}\t{p.passage_id}\t1\n")
