"""The benchmark question by question: where the first relevant passage ranked, what ranked first (its citation
and words) and the gold, as JSON rows and a Markdown table, and the worst of them for the terminal."""

from __future__ import annotations

import json
import re

from ..answer.index import Index
from ..answer.present import citation
from .metrics import NAIVE, RunResult, answerable, gold_sections, judged, normalise

EXCERPT_CHARS = 90


def main_retriever(runs: dict[str, RunResult]) -> str:
    """The run the table is about: the default retriever when it ran, else the first other than the baseline."""
    if "fused" in runs:
        return "fused"
    return next((name for name in runs if name != NAIVE), next(iter(runs)))


def first_relevant(question: dict, ranked: list[tuple[str, float, str, str]]) -> int | None:
    """The rank (from 1) of the first passage the judge counts relevant, or None when none of them is."""
    return next((i for i, (pid, _, _, text) in enumerate(ranked, 1) if judged(question, pid, text)), None)


def outcome(row: dict) -> str:
    """One phrase for how the question fared: hit@1, found lower, not found, abstained (rightly or not)."""
    if not row["answerable"]:
        return "abstained, rightly" if row["abstained"] else "answered, though not covered"
    rank = row["rank"]
    if row["abstained"]:
        return f"abstained (relevant at rank {rank})" if rank else "abstained (not found)"
    return "not found" if rank is None else ("hit@1" if rank == 1 else f"found at rank {rank}")


def question_rows(index: Index, questions: list[dict], runs: dict[str, RunResult], lines: dict[str, int]) -> list[dict]:
    """One row per question for the main run, with every run's rank beside it (JSON-ready)."""
    main = runs[main_retriever(runs)]
    passages = {p.passage_id: p for p in index.passages}
    rows = []
    for q in questions:
        ranked = main.ranked.get(q["id"], [])
        rank = first_relevant(q, ranked) if answerable(q) else None
        top = None
        if ranked:
            pid, score, section, text = ranked[0]
            cited = citation(passages[pid]) if pid in passages else f"§{section} (a 1000-character window)"
            top = {"passage_id": pid, "section": section, "citation": cited, "score": round(float(score), 4),
                   "excerpt": excerpt(text, q.get("answers", [])),
                   "in_gold_section": section in gold_sections(q) if q.get("section") else None}
        row = {
            "line": lines.get(q["id"]),
            "id": q["id"],
            "question": q["question"],
            "split": q.get("split"),
            "kind": q.get("kind"),
            "section": q.get("section"),
            "answers": q.get("answers", []),
            "answerable": answerable(q),
            "rank": rank,
            "hit@1": rank == 1,
            "abstained": bool(main.abstained.get(q["id"])),
            "top": top,
            "answer": main.answers.get(q["id"], ""),
            "ranks": {name: first_relevant(q, run.ranked.get(q["id"], [])) if answerable(q) else None
                      for name, run in runs.items()},
        }
        row["outcome"] = outcome(row)
        rows.append(row)
    return rows


def excerpt(text: str, answers: list[str], limit: int = EXCERPT_CHARS) -> str:
    """The passage's first words, or the words around the first answer string it holds."""
    flat = re.sub(r"\s+", " ", text).strip()
    at = min((i for a in answers if a.strip() and (i := flat.casefold().find(normalise(a))) >= 0), default=0)
    start = flat.rfind(" ", 0, max(0, at - 25)) + 1 if at > limit // 2 else 0
    shown = flat[start:]
    shown = shown if len(shown) <= limit else shown[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + shown


def counts_line(rows: list[dict], retriever: str) -> str:
    """How the main run fared over the questions, in one sentence."""
    asked = [r for r in rows if r["answerable"]]
    lower = sum(bool(r["rank"]) and r["rank"] > 1 for r in asked)
    missing = sum(r["rank"] is None for r in asked)
    wrongly = sum(r["abstained"] for r in asked)
    covered = [r for r in rows if not r["answerable"]]
    line = (f"{retriever}, question by question: {sum(r['hit@1'] for r in asked)} of {len(asked)} answerable "
            f"at rank 1, {lower} lower, {missing} not in the top 10, {wrongly} abstained on")
    elsewhere = sum(r["rank"] == 1 and bool(r["top"]) and r["top"]["in_gold_section"] is False for r in asked)
    if elsewhere:
        line += f" ({elsewhere} of those at rank 1 in another section than the gold one)"
    if covered:
        line += f"; {sum(r['abstained'] for r in covered)} of {len(covered)} not covered rightly abstained on"
    return line


def worst(rows: list[dict], limit: int = 10) -> list[dict]:
    """The questions that fared worst: missed, wrongly abstained, answered though not covered, then the lowest."""

    def badness(row: dict) -> tuple:
        if not row["answerable"]:
            return (2, 0) if not row["abstained"] else (-1, 0)
        if row["rank"] is None or row["abstained"]:
            return (3, row["rank"] or 99)
        if row["rank"] > 1:
            return (1, row["rank"])
        return (0, 0) if row["top"] and row["top"]["in_gold_section"] is False else (-1, 0)  # first, cited wrong

    bad = [r for r in rows if badness(r)[0] >= 0]
    return sorted(bad, key=badness, reverse=True)[:limit]


def worst_lines(rows: list[dict], retriever: str, limit: int = 10) -> list[str]:
    """For the terminal: the counts, then the worst questions with what ranked first."""
    lines = [counts_line(rows, retriever)]
    shown = worst(rows, limit)
    if shown:
        lines.append(f"Worst {len(shown)}:")
    for r in shown:
        where = f"line {r['line']}" if r["line"] else r["id"]
        first = r["top"]["citation"] if r["top"] else "nothing"
        wrong = ", in another section" if r["rank"] == 1 and r["top"] and r["top"]["in_gold_section"] is False else ""
        lines.append(f"  {where} {r['id']} [{r['outcome']}{wrong}] {r['question'][:70]!r}: gold {gold_cell(r)}; "
                     f"ranked first {first}")
    return lines


def gold_cell(row: dict) -> str:
    if not row["answerable"]:
        return "not covered"
    where = f"§{row['section']}" if row.get("section") else "any section"
    said = " / ".join(f"“{a}”" for a in row["answers"][:2]) + (" / …" if len(row["answers"]) > 2 else "")
    return f"{where}: {said}" if said else where


def questions_jsonl(rows: list[dict], retriever: str) -> str:
    """The rows as JSON Lines, a question to a line (a rerun's diff shows the questions that moved; a folder's
    *.json stays the run's one summary, as tools that read it expect)."""
    return "".join(json.dumps({"retriever": retriever, **r}, ensure_ascii=False) + "\n" for r in rows)


def questions_markdown(rows: list[dict], retriever: str, title: str) -> str:
    """The per-question table: the rank of the first relevant passage and what ranked first, in file order."""
    lines = [f"## {title}: question by question ({retriever})", "", counts_line(rows, retriever) + ".", "",
             "| line | id | split | question | gold | rank | hit@1 | ranked first | in gold § |",
             "|---:|---|---|---|---|---|---|---|---|"]
    for r in rows:
        rank = str(r["rank"]) if r["rank"] and not r["abstained"] else r["outcome"]
        top = r["top"]
        first = f"{top['citation']}: {top['excerpt']}" if top else "nothing"
        in_gold = "–" if not top or top["in_gold_section"] is None else ("yes" if top["in_gold_section"] else "no")
        cells = [str(r["line"] or ""), r["id"], r["split"] or "", r["question"], gold_cell(r), rank,
                 ("yes" if r["hit@1"] else "no") if r["answerable"] else "–", first, in_gold]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")
