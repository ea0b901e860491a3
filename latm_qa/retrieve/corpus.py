"""The loaded index as the scorers see it: passage and sentence vectors, word pieces, BM25, structure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..profile import Knowledge
from ..types import Passage, TokenVectors
from .bm25 import Bm25
from .labels import Labels
from .prior import Structure


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
        sentence_vectors: np.ndarray,
        tokens: TokenVectors,
        knowledge: Knowledge | None = None,
    ) -> None:
        self.passages = list(passages)
        self.embedded = embedded
        self.vectors = vectors  # a FAISS inner-product index, row i: passage i
        self.sentences = sentences
        self.sentence_vectors = sentence_vectors
        self.tokens = tokens
        self.bm25 = Bm25(embedded)
        self.sentence_rows: list[list[int]] = [[] for _ in self.passages]
        for i, sentence in enumerate(sentences):
            self.sentence_rows[sentence["passage"]].append(i)
        self.sentence_starts = np.array(
            [rows[0] if rows else len(sentences) for rows in self.sentence_rows], dtype="int64"
        )
        self.structure = Structure.of(self.passages, knowledge)
        self.labels = Labels(self.passages)

    def __len__(self) -> int:
        return len(self.passages)
