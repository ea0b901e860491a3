"""The loaded index as the scorers see it: passage and sentence vectors, word pieces, BM25, structure."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np

from ..profile import Knowledge
from ..store.bm25 import Bm25
from ..types import Passage, TokenVectors
from .labels import Labels
from .prior import Structure

DECODED_SENTENCES = 200_000  # sentences (300 MB) a loaded index keeps decoded for scoring them all at once


class Corpus:
    """Everything a retriever scores, built once when an index loads.

    ``embedded`` holds each passage's text as embedded and indexed for BM25 (its heading path, then the
    passage); ``sentences`` are stored passage by passage ({"passage", "start", "end", "text"}).
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        embedded: list[str],
        vectors,
        sentences: list[dict],
        sentence_vectors: TokenVectors,  # one row a sentence
        tokens: TokenVectors,
        knowledge: Knowledge | None = None,
        bm25: Bm25 | None = None,
        documents: dict[str, Knowledge] | None = None,  # each document's own knowledge, in a library of several
    ) -> None:
        self.passages = list(passages)
        self.embedded = embedded
        self.vectors = vectors  # a FAISS inner-product index, row i: passage i
        self.sentences = sentences
        self.sentence_vectors = sentence_vectors
        self.tokens = tokens
        self.bm25 = bm25 or Bm25(embedded)  # as ingest stored it, or built here
        self.sentence_rows: list[list[int]] = [[] for _ in self.passages]
        for i, sentence in enumerate(sentences):
            self.sentence_rows[sentence["passage"]].append(i)
        self.sentence_starts = np.array(
            [rows[0] if rows else len(sentences) for rows in self.sentence_rows], dtype="int64"
        )
        self.structure = Structure.of(self.passages, knowledge, documents)
        self.labels = Labels(self.passages)

    def __len__(self) -> int:
        return len(self.passages)

    @cached_property
    def _sentence_matrix(self) -> np.ndarray | None:
        return self.sentence_vectors.matrix if len(self.sentences) <= DECODED_SENTENCES else None

    def sentence_scores(self, vector: np.ndarray, passages: np.ndarray | None = None) -> np.ndarray:
        """The question's cosine to every sentence, or only to those of ``passages`` (-1 for the rest)."""
        if passages is None and self._sentence_matrix is not None:
            return self._sentence_matrix @ vector
        rows = np.arange(len(self.sentences)) if passages is None else np.array(
            [row for p in passages for row in self.sentence_rows[int(p)]], dtype="int64"
        )
        out = np.full(len(self.sentences), -1.0, dtype="float32")
        for begin in range(0, len(rows), 50_000):  # bounded float32 copies of memory-mapped int8 codes
            chunk = np.sort(rows[begin : begin + 50_000])
            if self._sentence_matrix is not None:
                out[chunk] = self._sentence_matrix[chunk] @ vector
            else:
                codes, scales = self.sentence_vectors.coded_block(chunk)
                out[chunk] = (codes @ vector) * scales
        return out
