"""What ingest stores so a load need not rebuild it: the embedded texts, both BM25 indexes, the lexicons."""

from __future__ import annotations

import shutil

import numpy as np

from latm_qa import Index
from latm_qa.answer.report import ReportFacts
from latm_qa.store.bm25 import Bm25
from latm_qa.store.files import data_dir
from latm_qa.store.search_files import BM25_PASSAGES, BM25_SENTENCES, EMBEDDED, LEXICON

QUESTIONS = ["How much net revenue do Essex's traded services bring in?", "shared services drawbacks", "zzzz"]


def test_a_loaded_index_reads_what_a_build_would_compute(md_index, tmp_path):
    stored = data_dir(md_index.path, md_index.manifest)
    assert all((stored / name).exists() for name in (EMBEDDED, BM25_PASSAGES, BM25_SENTENCES, LEXICON))
    assert md_index.corpus.embedded == md_index._embedded(md_index.manifest)
    read = ReportFacts.of(md_index.documents, md_index.passages, md_index.knowledge.gazetteer)
    facts = md_index.facts  # from the stored lexicon
    assert facts.vocabulary == read.vocabulary and facts.acronyms == read.acronyms
    assert facts.acronym_table == read.acronym_table
    assert "essex" in facts.vocabulary and facts.last_year == read.last_year
    fresh_passages = Bm25(md_index.corpus.embedded)
    fresh_sentences = Bm25([s["text"] for s in md_index.corpus.sentences])
    for question in QUESTIONS:
        assert np.allclose(md_index.corpus.bm25.scores(question), fresh_passages.scores(question))
        assert np.allclose(md_index.highlighter.bm25.scores(question), fresh_sentences.scores(question))

    copy = tmp_path / "index"  # an index version written before they were stored still loads the same
    shutil.copytree(md_index.path, copy)
    old = data_dir(copy, md_index.manifest)
    for name in (BM25_PASSAGES, BM25_SENTENCES):
        shutil.rmtree(old / name)
    (old / EMBEDDED).unlink()
    (old / LEXICON).unlink()
    rebuilt = Index.load(copy, settings=md_index.settings)
    question = QUESTIONS[0]
    ours = [h.passage.passage_id for h in md_index.search(question, k=5)]
    assert [h.passage.passage_id for h in rebuilt.search(question, k=5)] == ours
