"""A report the project was not built for, with no profile: the page, the CLI and the benchmark all work
and show that report's own title, chapters and example questions, derived from it."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, run_cli
from streamlit.testing.v1 import AppTest

from latm_qa import Index, ingest, load_settings

SOURCE = ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan" / "report.md"
TITLE = "DWP single departmental plan: 2015 to 2020"
APP = str(ROOT / "app.py")

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason=f"{SOURCE} is not beside the project")


@pytest.fixture(scope="module")
def dwp_index(tmp_path_factory, embedder) -> Index:
    folder = tmp_path_factory.mktemp("dwp-ingest")
    shutil.copy(SOURCE, folder / "dwp-plan.md")  # alone in its folder: no profile beside it
    settings = load_settings(index_dir=tmp_path_factory.mktemp("dwp") / "index", ingest_dir=folder)
    report = ingest([folder], settings)
    assert report.profiles == () and "profile: none" in "\n".join(report.summary())
    return Index.load(settings.index_dir, settings=settings)


def test_the_reports_own_title_chapters_parts_and_examples_are_derived(dwp_index):
    knowledge = dwp_index.knowledge
    assert knowledge.title == TITLE and knowledge.profile is None and knowledge.gazetteer == ""
    assert {"What DWP is doing", "How DWP is doing"} <= set(knowledge.parts)  # repeated under each objective
    titles = [c.title for c in knowledge.chapters]
    assert "Increase saving for, and security in, later life" in titles
    assert knowledge.examples and all(q.endswith("?") for q in knowledge.examples)
    assert (dwp_index.path / dwp_index.manifest["current"] / "profile.json").exists()


def test_a_question_on_it_is_answered_from_it_with_a_citation(dwp_index):
    result = dwp_index.ask("What was the level of net overpayments from fraud and error in 2014/15?")
    assert not result.abstained
    assert any("1.2%" in hit.passage.text for hit in result.hits[:3])
    assert result.answer_citation
    # a name it never mentions is still told apart, without any gazetteer
    assert dwp_index.ask("What did Kirklees Council spend on pensions?").not_in_report == ("Kirklees Council",)


def test_the_cli_answers_in_the_json_contract(dwp_index):
    done = run_cli("search", "How much of the childcare costs does Universal Credit cover?", "--index",
                   dwp_index.path, "--json", "--k", "3")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"hits", "answer", "answer_citation", "not_in_report", "checks"} <= set(out)
    assert any("85%" in hit["text"] for hit in out["hits"]) and all(hit["citation"] for hit in out["hits"])


def test_the_page_shows_the_reports_title_and_its_own_examples(dwp_index, tmp_path, monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(dwp_index.path))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    page = AppTest.from_file(APP, default_timeout=120).run()
    assert not page.exception
    assert page.title[0].value == TITLE
    labels = [b.label for b in page.button if b.key and b.key.startswith("example_")]
    assert labels == list(dwp_index.knowledge.examples)
    page.chat_input[0].set_value("What is DWP doing about fraud and error?").run()
    assert not page.exception
    turn = page.session_state["turns"][-1]
    assert turn.result is not None and not turn.result.abstained and turn.result.hits


def test_the_benchmark_runs_on_it(dwp_index, tmp_path):
    questions = tmp_path / "questions.jsonl"
    rows = [
        {"id": "d1", "question": "What share of childcare costs can working families on Universal Credit get?",
         "answers": ["up to 85% of their eligible childcare costs"], "split": "test"},
        {"id": "d2", "question": "How much did disability and carers' benefits cost in 2014 to 2015?",
         "answers": ["£23.1 billion"], "split": "test"},
        {"id": "d3", "question": "What did Kirklees Council spend on pensions?", "answers": [], "split": "test"},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    done = run_cli("eval", "--index", dwp_index.path, "--questions", questions, "--retrievers", "bm25,fused",
                   "--out", tmp_path / "results", timeout=1800)
    assert done.returncode == 0, done.stderr
    written = json.loads(next((tmp_path / "results").glob("*.json")).read_text())
    fused = written["table"]["test"]["fused"]
    assert fused["hit_rate@5"] == 1.0 and fused["abstention_recall"] == 1.0
