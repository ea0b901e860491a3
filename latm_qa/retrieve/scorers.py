"""Ranking: dense (FAISS inner product), BM25 (bm25s, stemmed, stop words), late interaction and their
fusion; and the question checks before them (cleaning, names the report never mentions)."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from ..errors import QueryError
from ..text import QUESTION_STOP_WORDS, stemmer
from ..types import TokenVectors

_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_question(question: object, max_chars: int = 2000) -> tuple[str, bool]:
    """Normalise a question: control and bidi characters out, whitespace collapsed, long ones cut.

    Returns the cleaned question and whether it was cut.
    """
    if not isinstance(question, str):
        raise QueryError(f"the question must be text, got {type(question).__name__}")
    text = _INVISIBLE.sub("", question)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not re.search(r"\w", text):
        raise QueryError(
            'the question is empty: type a question about the report, e.g. "What did Essex earn from traded services?"'
        )
    cut = len(text) > max_chars
    if cut:
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text, cut


class Bm25:
    """A bm25s index over the passages' texts, with an English stemmer and stop words."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.stemmer = stemmer()
        self.size = len(texts)
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.model.index(tokens, show_progress=False)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage for the question (zeros when no query term is known)."""
        tokens = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False
        )
        if not tokens or not tokens[0]:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self.model.get_scores(tokens[0]), dtype="float32")


def dense_scores(index, query_vector: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query to every passage (vectors are normalised; inner product)."""
    n = index.ntotal
    if n == 0:
        return np.zeros(0, dtype="float32")
    scores, rows = index.search(query_vector.reshape(1, -1).astype("float32"), n)
    out = np.full(n, -1.0, dtype="float32")
    valid = rows[0] >= 0
    out[rows[0][valid]] = scores[0][valid]
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each item under descending score (ties broken by position)."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype="int64")
    out[order] = np.arange(1, len(scores) + 1)
    return out


def rrf(score_lists: list[np.ndarray], weights: list[float], k: int = 60) -> np.ndarray:
    """Weighted reciprocal rank fusion over full score vectors."""
    total = np.zeros(len(score_lists[0]), dtype="float64")
    for scores, weight in zip(score_lists, weights, strict=True):
        total += weight / (k + ranks(scores))
    return total


def sentence_max(sentence_scores: np.ndarray, starts: np.ndarray, count: int) -> np.ndarray:
    """Best sentence score per passage; sentences are stored passage by passage, ``starts`` their first rows."""
    out = np.full(count, -1.0, dtype="float32")
    if len(sentence_scores):
        present = starts < len(sentence_scores)
        out[present] = np.maximum.reduceat(sentence_scores, starts[present])
    return out




def late_interaction(query_tokens: np.ndarray, pieces: list[str], tokens: TokenVectors) -> np.ndarray:
    """Per passage, the mean over the question's content word pieces of their best cosine with any word
    piece of the passage (late interaction, as in ColBERT, on the embedder's own token vectors)."""
    out = np.zeros(len(tokens.counts), dtype="float32")
    keep = [i for i, piece in enumerate(pieces) if piece.lstrip("#").lower() not in QUESTION_STOP_WORDS]
    present = tokens.counts > 0
    if not keep or not present.any():
        return out
    similarity = query_tokens[keep] @ tokens.matrix.T
    out[present] = np.maximum.reduceat(similarity, tokens.starts[present], axis=1).mean(axis=0)
    return out


def fuse(
    dense: np.ndarray,
    sentences: np.ndarray,
    bm25: np.ndarray,
    prior: np.ndarray,
    late: np.ndarray,
    weights: tuple[float, float, float, float],
) -> np.ndarray:
    """Linear fusion on the dense scale: BM25 is min-max scaled to the spread of the dense scores.

    weights: (best sentence, BM25, structure prior, late interaction), each added to the dense cosine.
    """
    sentence_weight, bm25_weight, prior_weight, late_weight = weights
    spread = float(dense.max() - dense.min()) if len(dense) else 0.0
    low, high = (float(bm25.min()), float(bm25.max())) if len(bm25) else (0.0, 0.0)
    scaled = (bm25 - low) / (high - low) * spread if high > low else np.zeros_like(bm25)
    return dense + sentence_weight * sentences + bm25_weight * scaled + prior_weight * prior + late_weight * late
