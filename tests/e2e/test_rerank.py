"""The optional cross-encoder stage: it re-orders the fused retriever's best passages by its own scores,
loads offline, and refuses what is not a one-score cross-encoder with a message that names the fix.

No trained cross-encoder installs offline (README, "Reranking"), so the fixture is a real CrossEncoder
built from the bundled MiniLM's layers with a seeded one-score head. Its order is its own, not a good
one: these tests check that the stage ranks by the model it is given and reports faults, not quality.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, run_cli
from streamlit.testing.v1 import AppTest

from latm_qa import Index, ModelLoadError
from latm_qa.build.passages import embedding_text
from latm_qa.embed.model import resolve_model

ESSEX = "How much does Essex earn each year from the services it sells?"
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def cross_encoder_dir(tmp_path_factory, embedder) -> Path:
    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(0)
    model = CrossEncoder(resolve_model(embedder.name), num_labels=1, device="cpu")
    folder = tmp_path_factory.mktemp("reranker") / "cross-encoder"
    model.save(str(folder))
    return folder


@pytest.fixture(scope="session")
def cross_encoder(cross_encoder_dir):
    from sentence_transformers import CrossEncoder

    return CrossEncoder(str(cross_encoder_dir), device="cpu", local_files_only=True)


def reranking(index: Index, folder: Path, depth: int = 10) -> Index:
    settings = replace(index.settings, reranker=str(folder), retriever="rerank", rerank_depth=depth)
    return Index.load(index.path, settings=settings)


def test_the_cross_encoder_reorders_the_fused_candidates_by_its_own_scores(md_index, cross_encoder_dir, cross_encoder):
    index = reranking(md_index, cross_encoder_dir, depth=10)
    fused = index.ask(ESSEX, k=10, retriever="fused")
    assert fused.hits[0].passage.section == "4.4"  # the candidates hold the Essex case study
    result = index.ask(ESSEX, k=10)
    assert result.retriever == "rerank" and not result.abstained
    candidates = {h.passage.passage_id: h for h in fused.hits}
    assert {h.passage.passage_id for h in result.hits} == set(candidates)
    expected = cross_encoder.predict([(ESSEX, embedding_text(h.passage)) for h in result.hits])
    assert np.allclose([h.score for h in result.hits], expected, atol=1e-5)
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    for hit in result.hits:  # the same sentences marked, the first card's widened to the short answer
        assert hit.fused_score == pytest.approx(candidates[hit.passage.passage_id].score)
        start, end = hit.highlights[0]
        assert any(start <= s and e <= end for s, e in candidates[hit.passage.passage_id].highlights[:1])
    assert result.answer and result.answer_citation.startswith("§")


def test_the_depth_bounds_the_candidates_and_k_the_hits(md_index, cross_encoder_dir):
    index = reranking(md_index, cross_encoder_dir, depth=8)
    pool = {h.passage.passage_id for h in index.ask(ESSEX, k=8, retriever="fused").hits}
    result = index.ask(ESSEX, k=3)
    assert len(result.hits) == 3 and {h.passage.passage_id for h in result.hits} <= pool
    deeper = index.ask(ESSEX, k=12)  # k beyond the depth: every hit is still re-scored, on one scale
    assert len(deeper.hits) == 12 and all(h.fused_score is not None for h in deeper.hits)
    assert [h.score for h in deeper.hits] == sorted((h.score for h in deeper.hits), reverse=True)


def test_other_retrievers_ignore_a_configured_reranker(md_index, cross_encoder_dir):
    index = reranking(md_index, cross_encoder_dir)
    plain = md_index.ask(ESSEX, k=5)
    fused = index.ask(ESSEX, k=5, retriever="fused")
    assert fused.retriever == "fused" and all(h.fused_score is None for h in fused.hits)
    assert [h.passage.passage_id for h in fused.hits] == [h.passage.passage_id for h in plain.hits]


def _nli_like(cross_encoder_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "nli"
    shutil.copytree(cross_encoder_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config["id2label"] = {"0": "contradiction", "1": "entailment", "2": "neutral"}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda ce, tmp: tmp / "no-such-folder", "does not exist"),
        (lambda ce, tmp: ce / "config.json", "is a file: give the model's folder"),
        (lambda ce, tmp: tmp, "no readable config.json"),
        (lambda ce, tmp: Path(resolve_model("all-MiniLM-L6-v2")),
         "not a cross-encoder (its config.json names BertModel)"),
        (_nli_like, "gives 3 scores per pair"),
        (lambda ce, tmp: "cross-encoder/ms-marco-MiniLM-L6-v2", "cannot be downloaded at run time"),
    ],
    ids=["missing", "file", "empty-folder", "embedding-model", "nli-classifier", "hub-name"],
)
def test_what_is_not_a_usable_cross_encoder_is_refused_with_the_fix(
    md_index, cross_encoder_dir, tmp_path, make, message
):
    index = reranking(md_index, make(cross_encoder_dir, tmp_path))
    with pytest.raises(ModelLoadError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        index.ask(ESSEX)
    assert "--reranker" in str(caught.value) or "cross-encoder" in str(caught.value)


def test_the_rerank_retriever_without_a_reranker_says_how_to_give_one(md_index):
    with pytest.raises(ModelLoadError, match="needs a cross-encoder: pass --reranker DIR"):
        md_index.ask(ESSEX, retriever="rerank")


def test_the_cli_reranks_with_a_flag_and_keeps_the_json_shape(md_index, cross_encoder_dir):
    done = run_cli("search", "--index", md_index.path, "--reranker", cross_encoder_dir, "--json", "--k", "3", ESSEX)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["retriever"] == "rerank" and len(out["hits"]) == 3
    plain = json.loads(run_cli("search", "--index", md_index.path, "--json", "--k", "3", ESSEX).stdout)
    assert set(plain) <= set(out) and set(plain["hits"][0]) <= set(out["hits"][0])  # fields added, none dropped
    assert plain["retriever"] == "fused" and plain["hits"][0]["fused_score"] is None
    assert all(isinstance(h["fused_score"], float) for h in out["hits"])

    bad = run_cli("search", "--index", md_index.path, "--retriever", "rerank", ESSEX)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "needs a cross-encoder" in bad.stderr and "LATM_QA_RERANKER" in bad.stderr
    wrong = run_cli("search", "--index", md_index.path, ESSEX, env={"LATM_QA_RERANKER": str(md_index.path)})
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr and "not a model folder" in wrong.stderr


def test_eval_adds_a_rerank_row_when_a_reranker_is_given(md_index, cross_encoder_dir, tmp_path):
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines()[:4]]
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    done = run_cli(
        "eval", "--index", md_index.path, "--questions", questions, "--retrievers", "fused,rerank",
        "--reranker", cross_encoder_dir, "--out", tmp_path / "results",
    )
    assert done.returncode == 0, done.stderr
    assert "| rerank |" in done.stdout and "| fused |" in done.stdout
    written = json.loads(next((tmp_path / "results").glob("*.json")).read_text())
    assert written["search_settings"]["reranker"] == str(cross_encoder_dir)
    assert set(next(iter(written["table"].values()))) == {"fused", "rerank"}


def test_the_chat_page_names_the_reranker_and_answers_through_it(app_index_dir, cross_encoder_dir, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(app_index_dir))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    monkeypatch.setenv("LATM_QA_RERANKER", str(cross_encoder_dir))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value(ESSEX).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    turn = at.session_state["turns"][0]
    assert turn.result.retriever == "rerank" and turn.result.hits
    assert any("Reranker" in e.value and cross_encoder_dir.name in e.value for e in at.get("html"))


def test_the_chat_page_reports_a_broken_reranker_instead_of_failing(app_index_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(app_index_dir))
    monkeypatch.setenv("LATM_QA_RERANKER", str(tmp_path / "missing"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("does not exist" in e.value for e in at.error)
