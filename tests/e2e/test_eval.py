"""`latm-qa eval`: one table comparing retrievers, results written and stamped, the BEIR export, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import run_cli

from latm_qa.bench.metrics import is_relevant, load_questions

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
BEIR = ROOT / "eval" / "beir"
# A whole eval run in a subprocess takes ~15 s on a quiet machine, many times that on a busy 2-core one:
# allow it far longer (CI gives the suite 90 minutes) rather than depend on the machine being quiet.
EVAL_TIMEOUT = 1800


def _subset(tmp_path: Path) -> Path:
    """One question of every kind (unanswerable included) from each split, and one of every style."""
    rows, taken = [json.loads(line) for line in QUESTIONS.read_text().splitlines()], {}
    for row in rows:
        taken.setdefault((row["kind"], row["split"]), row)
        if row.get("style") and row["answers"]:
            taken.setdefault(("style", row["style"]), row)
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in taken.values()))
    return path


def test_eval_compares_retrievers_in_one_table_and_writes_stamped_results(md_index, tmp_path):
    questions, out, beir = _subset(tmp_path), tmp_path / "results", tmp_path / "beir"
    done = run_cli("eval", "--index", md_index.path, "--questions", questions,
                   "--retrievers", "naive,bm25,fused", "--out", out, "--beir", beir, timeout=EVAL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("| retriever"))
    for column in ("Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Cite acc", "Answer acc",
                   "Abst P", "Abst R", "Med words", "p50 ms", "p95 ms", "p50/floor"):
        assert f"| {column} |" in header, column
    assert "by question kind" in done.stdout and "by difficulty" in done.stdout and "by style" in done.stdout
    stem = "local-authority-transformational-models-md"
    assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / f"{stem}.md").read_text().startswith("## latm-qa eval")
    result = json.loads((out / f"{stem}.json").read_text())
    assert result["manifest"]["model"] == md_index.model_name and result["search_settings"]["retriever"] == "fused"
    table = result["table"]["all"]
    assert set(table) == {"naive-1000char-dense", "bm25", "fused"}
    # what the benchmark is for: the default retriever beats the naive baseline, with correct citations
    assert table["fused"]["hit_rate@1"] > table["naive-1000char-dense"]["hit_rate@1"]
    assert table["fused"]["citation_accuracy"] == 1.0 and table["fused"]["abstention_recall"] > 0
    assert table["fused"]["median_passage_words"] <= 150
    assert set(result["by_kind"]["fused"]) >= {"case_study", "contact", "figure", "further_reading"}
    styled = {json.loads(line).get("style") for line in questions.read_text().splitlines()} - {None}
    assert set(result["by_style"]["fused"]) == styled and styled  # only the questions that say their style

    # the BEIR export: every passage, every question, qrels by answer containment
    corpus = {json.loads(line)["_id"]: json.loads(line) for line in (beir / "corpus.jsonl").open()}
    assert set(corpus) == {p.passage_id for p in md_index.passages}
    queries = [json.loads(line) for line in (beir / "queries.jsonl").open()]
    asked = load_questions(questions)
    assert [q["_id"] for q in queries] == [q["id"] for q in asked]
    with (beir / "qrels" / "test.tsv").open() as fh:
        qrels = list(csv.DictReader(fh, delimiter="\t"))
    answers = {q["id"]: q["answers"] for q in asked}
    assert qrels and all(is_relevant(corpus[r["corpus-id"]]["text"], answers[r["query-id"]]) for r in qrels)
    assert {r["query-id"] for r in qrels} == {q["id"] for q in asked if q["answers"]}


def test_the_shipped_beir_export_matches_the_shipped_report_and_questions(md_index):
    """eval/beir is what `latm-qa eval --beir eval/beir` writes for the report in ingest/ as chunked now."""
    corpus = [json.loads(line)["_id"] for line in (BEIR / "corpus.jsonl").open()]
    assert corpus == [p.passage_id for p in md_index.passages]
    queries = [json.loads(line)["_id"] for line in (BEIR / "queries.jsonl").open()]
    assert queries == [q["id"] for q in load_questions(QUESTIONS)]


def test_every_benchmark_answer_is_in_its_gold_section(md_index):
    """The judging rule holds for the shipped set: some passage of the gold section contains an answer."""
    for q in load_questions(QUESTIONS):
        if not q["answers"]:
            assert q["section"] is None, q["id"]
            continue
        gold = [p for p in md_index.passages if p.section == q["section"]]
        assert any(is_relevant(p.text, q["answers"]) for p in gold), q["id"]


def test_bad_question_files_get_a_message_naming_the_line(md_index, tmp_path):
    cases = {
        "not-json.jsonl": ('{"id": "a", "question": "x", "answers": ["y"]}\n{"id": \n', ":2: not JSON"),
        "number.jsonl": ("5\n", ":1: a number, not an object: each line is one JSON object"),
        "answers.jsonl": ('{"id": "a", "question": "x", "answers": "y"}\n', ':1: "answers" is "y", not a list'),
        "twice.jsonl": ('{"id": "a", "question": "x", "answers": []}\n' * 2, ":2: id 'a' is used twice"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        done = run_cli("eval", "--index", md_index.path, "--questions", path, "--out", tmp_path / "out")
        assert done.returncode == 2 and "Traceback" not in done.stderr, name
        assert f"{path}{message}" in done.stderr, (name, done.stderr)
    missing = run_cli("eval", "--index", md_index.path, "--questions", tmp_path / "none.jsonl")
    assert missing.returncode == 2 and "cannot read benchmark questions" in missing.stderr
    # the known retriever before the unknown one runs first: over a few questions, not all of them
    unknown = run_cli("eval", "--index", md_index.path, "--questions", _subset(tmp_path),
                      "--retrievers", "bm25,colbert", timeout=EVAL_TIMEOUT)
    assert unknown.returncode == 2 and "unknown retriever 'colbert': choose from" in unknown.stderr
    assert not (tmp_path / "out").exists()  # nothing written for a run that could not start
