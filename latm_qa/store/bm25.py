"""BM25 over texts (bm25s, with the shared English stemmer and stop words), built at ingest and stored
beside the index version's other files, so a load reads it (memory-mapped) instead of building it."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import numpy as np

from ..text import stemmer


@cache
def bm25s_module():
    """bm25s, imported without numba: it tries numba for a retrieval backend we never use (we score with
    get_scores), and importing numba costs a quarter of a cold `latm-qa search` when it is installed (ranx
    brings it). numba stays importable for whatever else wants it."""
    blocked = "numba" not in sys.modules
    if blocked:
        sys.modules["numba"] = None  # type: ignore[assignment] - an import of it raises ImportError
    try:
        import bm25s
    finally:
        if blocked:
            del sys.modules["numba"]
    return bm25s


class Bm25:
    """A bm25s index over texts, with an English stemmer and stop words."""

    def __init__(self, texts: list[str] | None = None, model=None, size: int = 0) -> None:
        bm25s = bm25s_module()
        self._bm25s = bm25s
        self.stemmer = stemmer()
        if model is not None:
            self.model, self.size = model, size
            return
        texts = texts or []
        self.size = len(texts)
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.model.index(in_word_order(tokens), show_progress=False)

    def save(self, directory: Path) -> None:
        self.model.save(str(directory), show_progress=False)

    @classmethod
    def read(cls, directory: Path, size: int) -> Bm25 | None:
        """The index saved in ``directory`` for ``size`` texts, or None when there is none to read (an
        index written before BM25 was stored, or a file that does not match): the caller builds it."""
        bm25s = bm25s_module()
        if not (Path(directory) / "params.index.json").is_file():
            return None
        try:
            model = bm25s.BM25.load(str(directory), mmap=True, show_progress=False, verbosity=0)
        except (OSError, ValueError, KeyError):
            return None
        stored = getattr(model, "scores", {}).get("num_docs")
        return cls(model=model, size=size) if stored in (None, size) else None

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every text for the question (zeros when no query term is known)."""
        tokens = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False
        )
        if not tokens or not tokens[0]:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self.model.get_scores(tokens[0]), dtype="float32")


def in_word_order(tokens):
    """bm25s's tokens with the vocabulary numbered in alphabetical order: it numbers the stems in the
    order of a Python set, which changes from process to process, so that the same texts would make
    different files in every ingest."""
    order = sorted(tokens.vocab)
    renumber = np.empty(len(order), dtype="int64")
    for new, word in enumerate(order):
        renumber[tokens.vocab[word]] = new
    ids = [renumber[np.asarray(doc, dtype="int64")].tolist() if len(doc) else [] for doc in tokens.ids]
    return type(tokens)(ids=ids, vocab={word: new for new, word in enumerate(order)})
