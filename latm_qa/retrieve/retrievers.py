"""The retrievers a question can be ranked by, by name: each scores every passage of a corpus.

fused (default): dense cosine + best-sentence cosine + scaled BM25 + the structure prior + late
interaction, less ``cover_step`` for the report's cover (plus it when the question asks for the report's
title), then the topic step. hybrid: RRF of dense and BM25. dense, bm25, late: one scorer alone.
rerank: fused (a cross-encoder then re-scores the best passages, in the answer's rerank step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..settings import Settings
from .corpus import Corpus
from .dense import dense_scores, sentence_max
from .fusion import fuse, rrf
from .late import late_interaction


@dataclass(frozen=True)
class QueryVectors:
    """A question as the embedder gives it: its vector, its word pieces' vectors and the pieces."""

    vector: np.ndarray
    tokens: np.ndarray
    pieces: list[str]


@dataclass(frozen=True)
class Scores:
    """Every passage's final score under a retriever, its dense cosine, and every sentence's cosine."""

    final: np.ndarray
    dense: np.ndarray
    per_sentence: np.ndarray


Retrieve = Callable[[Corpus, str, QueryVectors, np.ndarray, np.ndarray, Settings], np.ndarray]


def _dense(corpus, question, query, dense, per_sentence, settings) -> np.ndarray:
    return dense.astype("float64")


def _late(corpus, question, query, dense, per_sentence, settings) -> np.ndarray:
    return late_interaction(query.tokens, query.pieces, corpus.tokens).astype("float64")


def _bm25(corpus, question, query, dense, per_sentence, settings) -> np.ndarray:
    return corpus.bm25.scores(question).astype("float64")


def _hybrid(corpus, question, query, dense, per_sentence, settings) -> np.ndarray:
    return rrf([dense, corpus.bm25.scores(question)], [1.0, 1.0], settings.rrf_k)


def _fused(corpus, question, query, dense, per_sentence, settings) -> np.ndarray:
    late = late_interaction(query.tokens, query.pieces, corpus.tokens)
    s = settings
    bm25 = corpus.bm25.scores(question) if s.bm25_weight else np.zeros(len(corpus), dtype="float32")
    sentences = sentence_max(per_sentence, corpus.sentence_starts, len(corpus))
    structure = corpus.structure
    weights = (s.sentence_weight, s.bm25_weight, s.prior_weight, s.late_weight)
    final = fuse(dense, sentences, bm25, structure.prior(question), late, weights)
    final = final + s.cover_step * structure.cover_step(question)
    if s.label_weight:
        final = final + s.label_weight * corpus.labels.scores(question)
    if s.topic_weight:
        final = final + s.topic_weight * structure.topic(question, final)
    return final.astype("float64")


RETRIEVERS: dict[str, Retrieve] = {
    "fused": _fused,
    "hybrid": _hybrid,
    "dense": _dense,
    "bm25": _bm25,
    "late": _late,
    "rerank": _fused,
}


def score(corpus: Corpus, question: str, query: QueryVectors, retriever: str, settings: Settings) -> Scores:
    """Score every passage (and sentence) of the corpus for a question under the named retriever."""
    dense = dense_scores(corpus.vectors, query.vector)
    per_sentence = corpus.sentence_vectors @ query.vector  # for the fused score and for highlights
    final = RETRIEVERS[retriever](corpus, question, query, dense, per_sentence, settings)
    return Scores(final, dense, per_sentence)
