"""Fusion of scorers: weighted reciprocal rank fusion, and linear fusion on the dense scale."""

from __future__ import annotations

import numpy as np


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
