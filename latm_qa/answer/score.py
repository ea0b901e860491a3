"""Score and rank steps: every passage scored by the chosen retriever, then ranked within the filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..retrieve import QueryVectors
from ..retrieve import score as score_corpus

if TYPE_CHECKING:
    from .index import Index
    from .query import Query


def score(index: Index, query: Query) -> None:
    vector, tokens, pieces = index.embedder.encode_query_tokens(query.searched)
    query.vectors = QueryVectors(vector, tokens, pieces)
    settings = index.search_settings(query.filters)  # a document's own weights when asked of it alone
    query.scores = score_corpus(index.corpus, query.searched, query.vectors, query.retriever, settings)


def rank(index: Index, query: Query) -> None:
    """The passages best first (those the filters allow), the k shown, and the confidence: the best
    allowed passage's dense cosine."""
    final, dense = query.scores.final, query.scores.dense
    mask = query.filters.mask(index.passages) if query.filters else np.ones(len(index.passages), dtype=bool)
    order = np.argsort(-final, kind="stable")
    query.ranked = order[mask[order]].tolist()
    query.order = query.ranked[: max(1, query.k)]
    query.top_scores = [float(final[row]) for row in query.order]
    query.confidence = float(dense[mask].max()) if mask.any() else 0.0
