"""Late interaction (as in ColBERT) on the embedder's own word-piece vectors."""

from __future__ import annotations

import numpy as np

from ..text import QUESTION_STOP_WORDS
from ..types import TokenVectors


def late_interaction(query_tokens: np.ndarray, pieces: list[str], tokens: TokenVectors) -> np.ndarray:
    """Per passage, the mean over the question's content word pieces of their best cosine with any word
    piece of the passage."""
    out = np.zeros(len(tokens.counts), dtype="float32")
    keep = [i for i, piece in enumerate(pieces) if piece.lstrip("#").lower() not in QUESTION_STOP_WORDS]
    present = tokens.counts > 0
    if not keep or not present.any():
        return out
    similarity = query_tokens[keep] @ tokens.matrix.T
    out[present] = np.maximum.reduceat(similarity, tokens.starts[present], axis=1).mean(axis=0)
    return out
