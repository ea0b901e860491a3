"""`latm-qa eval --questions FILE` as a user runs it from their own folder: the results go beside them, not over
the project's eval/results/; every question gets its rank and what ranked first; gold that cannot match is
refused, naming its line, before anything runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, tree_hashes

from latm_qa.bench.metrics import is_relevant

QUESTIONS = ROOT / "eval" / "questions.jsonl"
RESULTS = ROOT / "eval" / "results"
STEM = "local-authority-transformational-models-md"
EVAL_TIMEOUT = 1800  # a run in a subprocess on a busy 2-core machine (see test_eval.py)


def eval_in(folder: Path, *args) -> subprocess.CompletedProcess:
    """`latm-qa eval ARGS` run from ``folder``, offline, with no LATM_QA_* settings from outside."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LATM_QA_")}
    return subprocess.run([sys.executable, "-m", "latm_qa.cli", "eval", *map(str, args)], capture_output=True,
                          text=True, cwd=folder, timeout=EVAL_TIMEOUT, env={**clean, "HF_HUB_OFFLINE": "1"})


def committed(*ids: str) -> list[dict]:
    rows = {row["id"]: row for row in map(json.loads, QUESTIONS.read_text().splitlines())}
    return [rows[i] for i in ids]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_gold_that_cannot_match_is_refused_naming_its_line_and_nothing_is_written(md_index, tmp_path):
    misspelt = {**committed("q002")[0], "id": "mine-1", "answers": ["the think-tank Locallis"]}
    write(tmp_path / "bad.jsonl", [*committed("q001", "q144"), misspelt, {**committed("q001")[0], "id": "mine-2",
                                                                          "section": "99"}])
    done = eval_in(tmp_path, "--questions", "bad.jsonl", "--index", md_index.path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert 'bad.jsonl:3: answer "the think-tank Locallis" is in no passage of the index' in done.stderr
    assert 'bad.jsonl:4: section "99" is not in the index (it has 1, 2.1,' in done.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.jsonl"]  # no results folder for a run that never ran


def test_a_users_questions_are_told_one_by_one_and_kept_out_of_the_projects_results(md_index, tmp_path):
    before = tree_hashes(RESULTS)
    unanswerable = next(r for r in map(json.loads, QUESTIONS.read_text().splitlines()) if not r["answers"])
    asked = [*committed("q001", "q144", "q140"), unanswerable]
    write(tmp_path / "mine.jsonl", asked)
    done = eval_in(tmp_path, "--questions", "mine.jsonl", "--index", md_index.path, "--retrievers", "bm25,fused")
    assert done.returncode == 0, done.stderr

    out = tmp_path / "eval-results" / "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{STEM}{end}" for end in (".json", ".md", ".png", "-questions.jsonl", "-questions.md"))
    assert tree_hashes(RESULTS) == before  # the committed results are untouched
    assert f"eval-results/mine/{STEM}.json" in done.stdout and "not to eval/results/" in done.stdout
    assert "fused, question by question:" in done.stdout

    summary = json.loads((out / f"{STEM}.json").read_text())
    assert {"table", "by_kind", "manifest", "questions_file"} <= set(summary)  # the keys tools read, kept
    assert summary["gold_check"] == {"lines": 4, "notes": []}
    assert summary["per_question"] == {"file": f"{STEM}-questions.jsonl", "table": f"{STEM}-questions.md"}

    table = [json.loads(line) for line in (out / f"{STEM}-questions.jsonl").read_text().splitlines()]
    assert {r["retriever"] for r in table} == {"fused"} and [r["id"] for r in table] == [q["id"] for q in asked]
    assert [r["line"] for r in table] == [1, 2, 3, 4]
    for row in table:  # the rank the run wrote is the rank the index gives this question
        hits = md_index.ask(row["question"], k=10, retriever="fused", keep_hits=True).hits
        ranks = [i for i, h in enumerate(hits, 1) if row["answers"] and is_relevant(h.passage.text, row["answers"])]
        assert row["rank"] == (ranks[0] if ranks else None), row["id"]
        assert row["top"]["passage_id"] == hits[0].passage.passage_id, row["id"]
        assert set(row["ranks"]) == {"bm25", "fused"} and row["ranks"]["fused"] == row["rank"]
    by_id = {r["id"]: r for r in table}
    gallin = by_id["q144"]  # "Who is chief executive of ...?": the case study's contact line, first
    assert gallin["rank"] == 1 and gallin["hit@1"] and gallin["outcome"] == "hit@1"
    assert gallin["top"]["citation"].startswith("§6.4 Case studies") and gallin["top"]["in_gold_section"]
    left = by_id[unanswerable["id"]]
    assert left["rank"] is None and left["outcome"] in ("abstained, rightly", "answered, though not covered")

    lines = (out / f"{STEM}-questions.md").read_text().splitlines()
    assert lines[0].endswith("question by question (fused)")
    row = next(line for line in lines if line.startswith("| 2 | q144 |"))
    assert "| §6.4: “Ian Gallin” | 1 | yes | §6.4 Case studies" in row and row.endswith("| yes |")


def test_a_suite_refuses_a_report_whose_gold_cannot_match_before_writing_anything(tmp_path):
    dwp = ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan"
    rows = [json.loads(line) for line in (ROOT / "eval" / "reports" / f"{dwp.name}.jsonl").read_text().splitlines()]
    answered = next(r for r in rows if r["answers"] and r["section"])
    (tmp_path / "suite.toml").write_text(f'[reports.dwp]\nquestions = "q.jsonl"\n[reports.dwp.sources]\n'
                                         f'md = "{dwp / "report.md"}"\n')
    write(tmp_path / "q.jsonl", [{**answered, "document": "dwp"}, {**answered, "id": "x", "document": "dwp",
                                                                   "section": "9.9"}])
    done = eval_in(tmp_path, "--suite", "suite.toml", "--work", "work", "--out", "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert 'q.jsonl:2: section "9.9" is not in the index (it has ' in done.stderr
    assert not (tmp_path / "out").exists()
