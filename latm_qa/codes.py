"""How word-piece vectors are kept small: int8 codes with a scale per row (cosine 0.9999 to the float
vector, a quarter of its bytes), and for a large library product quantisation (faiss's
ProductQuantizer: each row cut into slices of ``PQ_WIDTH`` numbers, each slice stored as the number
of its nearest of 256 centroids learnt from the library: one byte a slice, a sixteenth of the float
bytes; for the bundled model's 384 numbers, 96 bytes a word piece at cosine ~0.96 to the float vector).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

DECODED_ROWS = 250_000  # word pieces (~2,500 passages, 375 MB) a loaded index keeps decoded as float32
PQ_WIDTH = 4  # numbers per slice (per byte) under product quantisation
PQ_TRAINING_ROWS = 65_536  # word pieces sampled to learn the centroids (256 per centroid, faiss's own cap)
PQ_MIN_TRAINING_ROWS = 39 * 256  # fewer than faiss asks for (39 per centroid): the word pieces stay int8


def quantise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and a scale per row: row ~ codes * scale, the largest entry of each row at 127."""
    rows = np.asarray(rows, dtype="float32")
    scales = np.maximum(np.abs(rows).max(axis=1), 1e-12) / 127.0 if len(rows) else np.zeros(0, "float32")
    codes = np.clip(np.rint(rows / scales[:, None]), -127, 127).astype("int8") if len(rows) else rows.astype("int8")
    return codes, scales.astype("float32")


def first_rows(counts: np.ndarray) -> np.ndarray:
    """Where each passage's rows begin when ``counts[i]`` rows of passage i follow one another."""
    counts = np.asarray(counts, dtype="int64")
    return np.cumsum(counts) - counts


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
    """The float32 rows ``codes`` stand for: each byte picks its slice's centroid, taken as one 16-byte item
    (a slice of PQ_WIDTH = 4 float32, read as one complex128) by a single ``np.take``, a third of the time
    of faiss's own decode."""
    subspaces, centroids, width = codebook.shape
    if not len(codes):
        return np.zeros((0, subspaces * width), "float32")
    items = np.ascontiguousarray(codebook, dtype="float32").reshape(-1, width).view(np.complex128).ravel()
    picked = np.asarray(codes).astype(np.intp)
    picked += np.arange(subspaces, dtype=np.intp) * centroids
    return np.take(items, picked).view(np.float32).reshape(len(codes), subspaces * width)


@dataclass(frozen=True)
class TokenVectors:
    """Every passage's word-piece vectors: ``counts[i]`` rows for passage i, kept in segments.

    A segment is one array of codes (with its scales): int8 codes with a scale per row (a row is
    ``codes * scale``), or, with a ``codebook``, product-quantised codes (``scales`` then empty). An
    ingest writes only a segment for the passages it embedded and keeps the older segments as they are
    (store/files.py); ``where[i]`` is (segment, first row) of passage i, or None when there is one
    segment in passage order. A loaded index memory-maps the segments; ``block`` decodes only the
    passages a question scores.
    """

    segments: tuple[tuple[np.ndarray, np.ndarray], ...]  # (codes, scales) each
    counts: np.ndarray  # (passages,) int
    codebook: np.ndarray | None = None  # (subspaces, 256, PQ_WIDTH) float32: product quantisation
    where: np.ndarray | None = None  # (passages, 2) int: segment, first row
    names: tuple[str, ...] = ()  # the segments' names as stored ("" for one not yet written)

    @classmethod
    def stack(cls, rows: list, dim: int, codebook: np.ndarray | None = None) -> TokenVectors:
        """One segment from each passage's rows as stored (``stored``): (int8 codes, scales), or
        (codes, None) under ``codebook``; float rows are quantised here (int8)."""
        pairs = [row if isinstance(row, tuple) else quantise(row) for row in rows]
        counts = np.array([len(c) for c, _ in pairs], "int64")
        if codebook is not None:
            codes = np.concatenate([c for c, _ in pairs]) if pairs else np.zeros((0, codebook.shape[0]), "uint8")
            return cls(((codes.astype("uint8"), np.zeros(0, "float32")),), counts, codebook, names=("",))
        codes = np.concatenate([c for c, _ in pairs]) if pairs else np.zeros((0, dim), "int8")
        scales = np.concatenate([s for _, s in pairs]) if pairs else np.zeros(0, "float32")
        return cls(((codes.astype("int8"), scales.astype("float32")),), counts, names=("",))

    @property
    def encoding(self) -> str:
        return "int8" if self.codebook is None else "pq"

    @cached_property
    def offsets(self) -> np.ndarray:
        """Where each passage's rows begin in all passages' rows one after another."""
        return first_rows(self.counts)

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each passage's rows begin in its segment."""
        return self.offsets if self.where is None else np.asarray(self.where[:, 1], "int64")

    @cached_property
    def segment_of(self) -> np.ndarray:
        return np.zeros(len(self.counts), "int64") if self.where is None else np.asarray(self.where[:, 0], "int64")

    def decode(self, codes: np.ndarray, scales: np.ndarray | None) -> np.ndarray:
        """Float32 rows from codes as stored (``scales`` unused under a codebook)."""
        if self.codebook is not None:
            return pq_decode(codes, self.codebook)
        return np.asarray(codes).astype("float32") * np.asarray(scales)[:, None]

    @property
    def matrix(self) -> np.ndarray:
        """Every passage's rows decoded (float32), in passage order: for small indexes and tests."""
        return self.decode(*self._gather(np.arange(len(self.counts))))

    def stored(self, i: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Passage i's rows as stored: (int8 codes, scales), or (codes, None) under the codebook."""
        codes, scales = self.segments[int(self.segment_of[i])]
        start, end = int(self.starts[i]), int(self.starts[i] + self.counts[i])
        return codes[start:end], (None if self.codebook is not None else scales[start:end])

    def rows(self, i: int) -> np.ndarray:
        return self.decode(*self.stored(i))

    @cached_property
    def decoded(self) -> np.ndarray | None:
        """Every row decoded once and kept, for an index small enough (DECODED_ROWS); else None."""
        return self.matrix if int(self.counts.sum()) <= DECODED_ROWS else None

    def block(self, passages: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The decoded rows of the given passages (default: all), one after another, and where each
        passage's rows begin."""
        if passages is None and self.decoded is not None:
            return self.decoded, self.offsets
        passages = np.arange(len(self.counts)) if passages is None else passages
        counts = self.counts[passages]
        begins = first_rows(counts)
        if self.decoded is not None:
            picked = np.arange(int(counts.sum())) + np.repeat(self.offsets[passages] - begins, counts)
            return self.decoded[picked], begins
        return self.decode(*self._gather(passages)), begins

    def coded_block(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given passages' int8 codes (as float32, not yet scaled) and their rows' scales: a product
        with the codes scaled afterwards, per column, costs a fraction of scaling every row first."""
        codes, scales = self._gather(passages)
        return codes.astype("float32"), scales

    def _gather(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The rows of the given passages as stored, one passage after another (one fancy index per segment)."""
        passages = np.asarray(passages, dtype="int64")
        counts = self.counts[passages]
        begins = first_rows(counts)
        rows = np.repeat(self.starts[passages] - begins, counts) + np.arange(int(counts.sum()), dtype="int64")
        if not self.segments:
            return np.zeros((0, 0), "int8"), (None if self.codebook is not None else np.zeros(0, "float32"))
        plain = [(np.asarray(c), np.asarray(s)) for c, s in self.segments]  # views of memory maps: faster indexing
        owner = np.repeat(self.segment_of[passages], counts)
        used = np.unique(owner) if len(plain) > 1 else np.zeros(1, "int64")
        codes = np.empty((len(rows), *plain[0][0].shape[1:]), dtype=plain[0][0].dtype)
        scales = None if self.codebook is not None else np.empty(len(rows), dtype=plain[0][1].dtype)
        for g in used:
            mine = owner == g if len(used) > 1 else slice(None)
            codes[mine] = plain[g][0][rows[mine]]
            if scales is not None:
                scales[mine] = plain[g][1][rows[mine]]
        return codes, scales
