"""Composed answers: for a question one sentence cannot answer, two to five of the report's own sentences,
each with the number of the card it comes from. No word is generated.

- a list ("What are the benefits of ...?") and a definition ("What is a combined authority?"): the
  sentences of the best passage's section that answer nearly as well as its best one, in the report's
  order (a list's items, a model's key features);
- both sides ("pros and cons of sharing services"): the best sentences for each side, asked apart
  ("advantages of sharing services", "disadvantages of sharing services");
- a comparison ("Compare grants and loans"): the best sentences on each thing compared;
- "which ... most" ("Which council saved the most?"): the best sentence of each card that gives a figure,
  one line per card, so the figures can be set side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..retrieve import QueryVectors
from ..retrieve import score as score_corpus
from ..retrieve.prior import has_figure
from .kinds import answer_form, parts
from .results import AnswerPoint, Hit
from .select import answer_text, answering_scores

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

MAX_POINTS = 5
PER_PART = 2  # sentences for each side or thing compared


def compose(index: Index, query: Query) -> None:
    """Fill the query's points when its form needs more than one sentence (two at least, or none)."""
    if query.abstained or not query.hits or query.answering is None:
        return
    form = answer_form(query.text)
    query.form = form
    if form == "single":
        return
    if form in ("two_sided", "comparison"):
        points = []
        for part in parts(query.text):
            label = part.rstrip("?").split()[-1] if form == "comparison" else _side(part, query.text)
            points += _part_points(index, query, part, label)
    elif form == "most":
        points = _one_per_card(index, query)
    else:
        points = _best(index, query, query.answering, 3 if form == "definition" else MAX_POINTS, "", section_only=True)
    points = list({(p.rank, p.text): p for p in reversed(points)}.values())[::-1]  # a sentence said once
    if len(points) >= 2:
        query.points = tuple(points)


def _part_points(index: Index, query: Query, part: str, label: str) -> list[AnswerPoint]:
    """The best sentences of the passage that best answers one part of the question (asked on its own, within
    the question's filters); that passage becomes a card of its own when it is not shown already."""
    vector, tokens, pieces = index.embedder.encode_query_tokens(part)
    vectors = QueryVectors(vector, tokens, pieces)
    final = score_corpus(index.corpus, part, vectors, query.retriever, index.search_settings(query.filters)).final
    mask = query.filters.mask(index.passages) if query.filters else np.ones(len(final), dtype=bool)
    if not mask.any():
        return []
    row = int(np.argmax(np.where(mask, final, -np.inf)))
    if row not in query.order:
        query.order.append(row)
        query.hits.append(Hit(rank=len(query.hits) + 1, score=float(final[row]), passage=index.passages[row]))
    scores = answering_scores(index, query, part, vectors)
    rank = query.order.index(row) + 1
    rows = index.corpus.sentence_rows[row]
    best = sorted(rows, key=lambda i: -scores[i])[:PER_PART]
    best = [i for i in best if scores[i] >= scores[best[0]] - index.settings.answer_list_margin]
    return [_point(index, query, rank, i, label) for i in sorted(best)]


def _side(part: str, question: str) -> str:
    """The word naming a side of a two-sided question ("advantages"): the part's word the question lacks."""
    typed = set(question.lower().split())
    return next((w for w in part.lower().split() if w not in typed), "")


def _best(index: Index, query: Query, scores: np.ndarray, limit: int, label: str, section_only: bool) -> list:
    """The shown sentences scoring within the list margin of the best one, up to ``limit``, in the report's
    order; with ``section_only``, only those of the best card's section (a list runs on over passages)."""
    corpus, margin = index.corpus, index.settings.answer_list_margin
    top = index.passages[query.order[0]]
    candidates = []
    for rank, row in enumerate(query.order, 1):
        passage = index.passages[row]
        if section_only and (passage.document, passage.heading_path) != (top.document, top.heading_path):
            continue
        candidates += [(float(scores[i]), rank, i) for i in corpus.sentence_rows[row]]
    if not candidates:
        return []
    best = max(score for score, _, _ in candidates)
    chosen = sorted(candidates, reverse=True)[:limit]
    chosen = [(rank, i) for score, rank, i in chosen if score >= best - margin]
    return [_point(index, query, rank, i, label) for rank, i in sorted(chosen, key=lambda c: (c[0], c[1]))]


def _one_per_card(index: Index, query: Query) -> list:
    """The best sentence giving a figure in each card, up to MAX_POINTS, best card first."""
    corpus, out = index.corpus, []
    for rank, row in enumerate(query.order, 1):
        rows = [i for i in corpus.sentence_rows[row] if has_figure(corpus.sentences[i]["text"])]
        if rows:
            out.append(_point(index, query, rank, max(rows, key=lambda i: query.answering[i]), ""))
    return out[:MAX_POINTS]


def _point(index: Index, query: Query, rank: int, sentence: int, label: str) -> AnswerPoint:
    passage = index.passages[query.order[rank - 1]]
    found = index.corpus.sentences[sentence]
    return AnswerPoint(answer_text(passage, found["start"], found["end"]), rank, index.cite(passage), label)
