"""Late interaction (as in ColBERT) on the embedder's own word-piece vectors."""

from __future__ import annotations

import numpy as np

from ..codes import first_rows
from ..text import QUESTION_STOP_WORDS
from ..types import TokenVectors


def late_interaction(
    query_tokens: np.ndarray, pieces: list[str], tokens: TokenVectors, rows: np.ndarray | None = None
) -> np.ndarray:
    """Per passage (of ``rows``, default all), the mean over the question's content word pieces of their
    best cosine with any word piece of the passage; 0 for the passages not in ``rows``."""
    out = np.zeros(len(tokens.counts), dtype="float32")
    keep = [i for i, piece in enumerate(pieces) if piece.lstrip("#").lower() not in QUESTION_STOP_WORDS]
    rows = np.arange(len(tokens.counts)) if rows is None else rows
    rows = rows[tokens.counts[rows] > 0]
    if not keep or not len(rows):
        return out
    everything = len(rows) == len(tokens.counts)
    if everything or tokens.decoded is not None or tokens.codebook is not None:
        matrix, starts = tokens.block(None if everything else rows)
        similarity = query_tokens[keep] @ matrix.T
    else:  # codes straight from the memory map, scaled after the product
        codes, scales = tokens.coded_block(rows)
        similarity = (query_tokens[keep] @ codes.T) * scales
        counts = tokens.counts[rows]
        starts = first_rows(counts)
    if everything:
        starts = starts[tokens.counts > 0]
    out[rows] = np.maximum.reduceat(similarity, starts, axis=1).mean(axis=0)
    return out
