"""BM25 over the passages' embedded texts (bm25s, with the shared English stemmer and stop words)."""

from __future__ import annotations

import numpy as np

from ..text import stemmer


class Bm25:
    """A bm25s index over texts, with an English stemmer and stop words."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.stemmer = stemmer()
        self.size = len(texts)
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.model.index(tokens, show_progress=False)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every text for the question (zeros when no query term is known)."""
        tokens = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False
        )
        if not tokens or not tokens[0]:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self.model.get_scores(tokens[0]), dtype="float32")
