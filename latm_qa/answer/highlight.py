"""Shown steps: a cross-encoder's re-ranking (when configured), each hit's best sentences highlighted, and
the short answer: the best sentences of the best passage (select.py), in the report's own words."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..retrieve.prior import CONTACT_INTENT, QUANTITY_INTENT, has_contact_details, has_figure
from ..store.bm25 import Bm25
from ..text import leading_rows, table_header_size
from ..types import Passage
from .results import Hit
from .select import answer_span, answer_text, answering_scores

if TYPE_CHECKING:
    from .index import Index
    from .query import Query


class Highlighter:
    """Scores how well each sentence answers a question, for highlights and the short answer."""

    def __init__(self, sentences: list[dict], passages: list[Passage], bm25: Bm25 | None = None) -> None:
        self.sentences = sentences
        self.contact = np.array([has_contact_details(s["text"]) for s in sentences], dtype=bool)
        # "Some of the challenges ... include:" introduces a list, and a table's header row ("| | 2017-18 |
        # 2018-19 |") labels the columns of the rows below it: neither says anything of its own.
        headers = [_header_end(p) for p in passages]
        self.lead_ins = np.array(
            [s["text"].rstrip().endswith(":") or s["end"] <= headers[s["passage"]] for s in sentences], dtype=bool
        )
        self.figures = np.array([has_figure(s["text"]) for s in sentences], dtype=bool)
        self.bm25 = (bm25 or Bm25([s["text"] for s in sentences])) if sentences else None

    def answer_scores(self, question: str, per_sentence: np.ndarray, bm25_weight: float) -> np.ndarray:
        """A sentence's cosine to the question plus its BM25 (scaled to the best sentence's). A contact line
        ("For further information, contact ...") counts only when the question asks for one, and a list's
        lead-in ("... include:") only when its passage has nothing else. Asked for a figure ("how much",
        what a council earned), a sentence with a figure in it gains a little."""
        scores = per_sentence
        if self.bm25 is not None and bm25_weight:
            bm25 = self.bm25.scores(question)
            if bm25.max() > 0:
                scores = scores + bm25_weight * bm25 / bm25.max()
        if self.contact.any() and not re.search(CONTACT_INTENT, question.lower()):
            scores = np.where(self.contact, scores - 1.0, scores)
        if re.search(QUANTITY_INTENT, question.lower()):
            scores = scores + 0.1 * self.figures
        return np.where(self.lead_ins, scores - 1.0, scores)


def _header_end(passage: Passage) -> int:
    """Where the header of the table a passage begins ends in its text (0 for none, or one continued)."""
    rows = [] if passage.table_header else leading_rows(passage.text)
    return len("\n".join(rows[: table_header_size(rows)])) if rows else 0


def best_sentences(
    sentence_scores: np.ndarray, sentence_rows: list[int], sentences: list[dict], limit: int = 2
) -> list[tuple[int, int, float]]:
    """The passage's sentences closest to the question: [(start, end, score)], best first.

    ``sentence_scores`` holds every sentence's score; ``sentence_rows`` this passage's.
    """
    if not sentence_rows:
        return []
    scores = sentence_scores[sentence_rows]
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    chosen = [order[0]] + [i for i in order[1:limit] if scores[i] >= best - 0.06]
    return [
        (sentences[sentence_rows[i]]["start"], sentences[sentence_rows[i]]["end"], float(scores[i])) for i in chosen
    ]


def rerank(index: Index, query: Query) -> None:
    """With the rerank retriever, the cross-encoder re-scores the best passages and orders them."""
    if query.retriever != "rerank" or not query.shown:
        return
    depth = max(query.k, index.settings.rerank_depth)
    order, scores = index.rerank(query.text, query.ranked[:depth])
    query.order, query.top_scores = order[: max(1, query.k)], [float(x) for x in scores[: max(1, query.k)]]


def highlight(index: Index, query: Query) -> None:
    """The shown passages as hits, each with the sentences that best answer the question highlighted."""
    if not query.shown:
        return
    query.answering = answering = answering_scores(index, query)
    final, corpus = query.scores.final, index.corpus
    for rank, (row, score) in enumerate(zip(query.order, query.top_scores, strict=True), 1):
        spans = best_sentences(answering, corpus.sentence_rows[row], corpus.sentences)
        query.hits.append(
            Hit(
                rank=rank,
                score=score,
                passage=index.passages[row],
                highlights=tuple((s, e) for s, e, _ in spans),
                fused_score=float(final[row]) if query.retriever == "rerank" else None,
            )
        )


def short_answer(index: Index, query: Query) -> None:
    """The best passage's best sentence (with the one next to it when that answers nearly as well, see
    select.answer_span), with its citation; a table's row is read with its columns' labels ("Total policy
    decisions — 2017-18: -1,710; 2018-19: -665; …"). The answer's sentences are highlighted in its card."""
    if query.abstained or not query.hits or not query.hits[0].highlights or query.answering is None:
        return
    top, corpus = query.hits[0], index.corpus
    rows = corpus.sentence_rows[query.order[0]]
    start, end = answer_span(query.answering, rows, corpus.sentences, index.settings.answer_join_margin)
    inside = [(s, e) for s, e in top.highlights if not (start <= s and e <= end)]
    query.hits[0] = replace(top, highlights=((start, end), *inside))
    query.answer, query.answer_citation = answer_text(top.passage, start, end), index.cite(top.passage)
