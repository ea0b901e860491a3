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
    """Every passage's final score under a retriever, its dense cosine, and every sentence's cosine; in a
    large corpus, the candidates (passage rows) the finer scores were worked out for (else None: all)."""

    final: np.ndarray
    dense: np.ndarray
    per_sentence: np.ndarray
    candidates: np.ndarray | None = None


Retrieve = Callable[[Corpus, str, QueryVectors, np.ndarray, np.ndarray, Settings, "np.ndarray | None"], np.ndarray]


def _dense(corpus, question, query, dense, per_sentence, settings, pool=None) -> np.ndarray:
    return dense.astype("float64")


def _late(corpus, question, query, dense, per_sentence, settings, pool=None) -> np.ndarray:
    return late_interaction(query.tokens, query.pieces, corpus.tokens, pool).astype("float64")


def _bm25(corpus, question, query, dense, per_sentence, settings, pool=None) -> np.ndarray:
    return corpus.bm25.scores(question).astype("float64")


def _hybrid(corpus, question, query, dense, per_sentence, settings, pool=None) -> np.ndarray:
    return rrf([dense, corpus.bm25.scores(question)], [1.0, 1.0], settings.rrf_k)


def _fused(corpus, question, query, dense, per_sentence, settings, pool=None) -> np.ndarray:
    late = late_interaction(query.tokens, query.pieces, corpus.tokens, pool)
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


def candidates(corpus: Corpus, question: str, dense: np.ndarray, settings: Settings) -> np.ndarray | None:
    """In a corpus of more than 4 x ``settings.candidates`` passages, the rows the finer scores (late
    interaction, sentences) are worked out for: the best ``candidates`` by dense cosine and by BM25. None
    (every passage) in a smaller one, where they cost little."""
    n = settings.candidates
    if len(corpus) <= 4 * n:
        return None
    bm25 = corpus.bm25.scores(question)
    by_words = np.argpartition(-bm25, n)[:n]
    return np.unique(np.concatenate([np.argpartition(-dense, n)[:n], by_words[bm25[by_words] > 0]])).astype("int64")


def score(corpus: Corpus, question: str, query: QueryVectors, retriever: str, settings: Settings) -> Scores:
    """Score every passage (and sentence) of the corpus for a question under the named retriever; in a
    large corpus the passages outside the candidates score below every candidate."""
    dense = dense_scores(corpus.vectors, query.vector, 2 * settings.candidates)
    pool = candidates(corpus, question, dense, settings)
    per_sentence = corpus.sentence_scores(query.vector, pool)  # for the fused score and for highlights
    final = RETRIEVERS[retriever](corpus, question, query, dense, per_sentence, settings, pool)
    if pool is not None and len(pool):
        outside = np.ones(len(final), dtype=bool)
        outside[pool] = False
        final = np.where(outside, final[pool].min() - 1.0, final) if retriever != "dense" else final
    return Scores(final, dense, per_sentence, pool)
