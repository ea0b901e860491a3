"""How word-piece vectors are kept small: int8 codes with a scale per row (cosine 0.9999 to the float
vector, a quarter of its bytes), and for a large library product quantisation (faiss's
ProductQuantizer: each row cut into slices of ``PQ_WIDTH`` numbers, each slice stored as the number
of its nearest of 256 centroids learnt from the library: one byte a slice, a sixteenth of the float
bytes; for the bundled model's 384 numbers, 96 bytes a word piece at cosine ~0.96 to the float vector).
"""

from __future__ import annotations

import numpy as np

PQ_WIDTH = 4  # numbers per slice (per byte) under product quantisation
PQ_TRAINING_ROWS = 65_536  # word pieces sampled to learn the centroids (256 per centroid, faiss's own cap)
PQ_MIN_TRAINING_ROWS = 39 * 256  # fewer than faiss asks for (39 per centroid): the word pieces stay int8


def quantise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and a scale per row: row ~ codes * scale, the largest entry of each row at 127."""
    rows = np.asarray(rows, dtype="float32")
    scales = np.maximum(np.abs(rows).max(axis=1), 1e-12) / 127.0 if len(rows) else np.zeros(0, "float32")
    codes = np.clip(np.rint(rows / scales[:, None]), -127, 127).astype("int8") if len(rows) else rows.astype("int8")
    return codes, scales.astype("float32")


def _quantizer(codebook: np.ndarray):
    import faiss

    subspaces, centroids, width = codebook.shape
    pq = faiss.ProductQuantizer(subspaces * width, subspaces, int(np.log2(centroids)))
    faiss.copy_array_to_vector(np.ascontiguousarray(codebook, dtype="float32").ravel(), pq.centroids)
    return pq


def divisible(dim: int) -> bool:
    """Whether vectors of ``dim`` numbers cut into slices of PQ_WIDTH."""
    return dim > 0 and dim % PQ_WIDTH == 0


def train_codebook(sample: np.ndarray) -> np.ndarray:
    """The centroids (dimension / PQ_WIDTH, 256, PQ_WIDTH) learnt from ``sample`` (float rows)."""
    import faiss

    sample = np.ascontiguousarray(sample, dtype="float32")
    dim = sample.shape[1]
    if not divisible(dim):
        raise ValueError(f"vectors of {dim} numbers do not cut into slices of {PQ_WIDTH}")
    subspaces = dim // PQ_WIDTH
    pq = faiss.ProductQuantizer(dim, subspaces, 8)
    pq.verbose = False
    pq.train(sample)
    return faiss.vector_to_array(pq.centroids).reshape(subspaces, 256, dim // subspaces).astype("float32")


def pq_encode(rows: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The (rows, subspaces) uint8 codes of float ``rows`` under ``codebook``."""
    if not len(rows):
        return np.zeros((0, codebook.shape[0]), "uint8")
    return _quantizer(codebook).compute_codes(np.ascontiguousarray(rows, dtype="float32"))


def pq_decode(codes: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The float32 rows ``codes`` stand for."""
    if not len(codes):
        return np.zeros((0, codebook.shape[0] * codebook.shape[2]), "float32")
    return _quantizer(codebook).decode(np.ascontiguousarray(codes, dtype="uint8"))
