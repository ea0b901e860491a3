"""Dense scoring: the question's cosine to every passage, by inner product over the FAISS index."""

from __future__ import annotations

import numpy as np

HNSW_EF_SEARCH = 256  # how widely an approximate (HNSW) search looks: recall@100 ~1.0 at 100k passages


def dense_scores(index, query_vector: np.ndarray, top: int) -> np.ndarray:
    """Cosine similarity of the query to every passage (vectors are normalised; inner product): one
    product over a flat index's own vectors, without the sort of all of them a search for every one does.
    Over an approximate (HNSW) index, only the ``top`` passages it finds are scored (-1 for the rest)."""
    n = index.ntotal
    if n == 0:
        return np.zeros(0, dtype="float32")
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = max(HNSW_EF_SEARCH, top)
        scores, rows = index.search(query_vector.reshape(1, -1).astype("float32"), min(top, n))
        out = np.full(n, -1.0, dtype="float32")
        valid = rows[0] >= 0
        out[rows[0][valid]] = scores[0][valid]
        return out
    if hasattr(index, "get_xb"):
        import faiss

        stored = faiss.rev_swig_ptr(index.get_xb(), n * index.d).reshape(n, index.d)  # a view, no copy
        return stored @ query_vector.astype("float32")
    scores, rows = index.search(query_vector.reshape(1, -1).astype("float32"), n)
    out = np.full(n, -1.0, dtype="float32")
    valid = rows[0] >= 0
    out[rows[0][valid]] = scores[0][valid]
    return out


def sentence_max(sentence_scores: np.ndarray, starts: np.ndarray, count: int) -> np.ndarray:
    """Best sentence score per passage; sentences are stored passage by passage, ``starts`` their first rows."""
    out = np.full(count, -1.0, dtype="float32")
    if len(sentence_scores):
        present = starts < len(sentence_scores)
        out[present] = np.maximum.reduceat(sentence_scores, starts[present])
    return out
