"""The word-piece vectors' files in a version directory, in segments (codes.TokenVectors):

    tokens/<segment>.codes.npy    int8 codes (rows, dimension), or uint8 product-quantisation codes
    tokens/<segment>.scales.npy   float32 scale per row (empty under product quantisation)
    token_segments.json           the segments' names, in the order token_map.npy numbers them
    token_map.npy                 (passages, 2) int64: each passage's segment and first row
    token_counts.npy              each passage's number of rows
    token_codebook.npy            the product quantisation's centroids, when there is one

A segment an earlier version wrote and this one still uses is hard-linked from that version's
directory (copied where the file system has no hard links): an ingest that adds one report writes one
new segment, not every passage's rows again, and each version directory stays whole on its own (a
version removed or rolled back to never touches another's files). A version written before segments
(token_vectors.npy and token_scales.npy) reads as one segment.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import numpy as np

from ..types import TokenVectors

TOKENS = "tokens"
SEGMENTS = "token_segments.json"
MAP = "token_map.npy"
COUNTS = "token_counts.npy"
CODEBOOK = "token_codebook.npy"
LEGACY = "-"  # the one segment of a version written before segments
LEGACY_CODES, LEGACY_SCALES = "token_vectors.npy", "token_scales.npy"


def segment_paths(directory: Path, name: str) -> tuple[Path, Path]:
    if name == LEGACY:
        return directory / LEGACY_CODES, directory / LEGACY_SCALES
    return directory / TOKENS / f"{name}.codes.npy", directory / TOKENS / f"{name}.scales.npy"


def write_tokens(out: Path, tokens: TokenVectors, source: Path | None) -> list[str]:
    """Write ``tokens`` into the version directory ``out``: a segment already written (named, and found
    in ``source``, the version it was read from) is linked, a new one (named "") saved. Returns the
    names of the segments written anew."""
    (out / TOKENS).mkdir(exist_ok=True)
    names, fresh = [], []
    for name, (codes, scales) in zip(tokens.names, tokens.segments, strict=True):
        found = segment_paths(source, name) if source is not None and name else None
        new = name if name and name != LEGACY else uuid.uuid4().hex[:16]
        targets = segment_paths(out, new)
        if found is not None and all(path.is_file() for path in found):
            for origin, target in zip(found, targets, strict=True):
                _link(origin, target)
        else:
            np.save(targets[0], np.asarray(codes), allow_pickle=False)
            np.save(targets[1], np.asarray(scales, dtype="float32"), allow_pickle=False)
            fresh.append(new)
        names.append(new)
    (out / SEGMENTS).write_text(json.dumps({"segments": names}) + "\n", encoding="utf-8")
    where = tokens.where if tokens.where is not None else np.stack(
        [np.zeros(len(tokens.counts), "int64"), tokens.offsets], axis=1)
    np.save(out / MAP, np.asarray(where, dtype="int64").reshape(-1, 2), allow_pickle=False)
    np.save(out / COUNTS, tokens.counts.astype("int32"), allow_pickle=False)
    if tokens.codebook is not None:
        np.save(out / CODEBOOK, tokens.codebook.astype("float32"), allow_pickle=False)
    return fresh


def _link(origin: Path, target: Path) -> None:
    try:
        os.link(origin, target)
    except OSError:
        shutil.copyfile(origin, target)


def read_tokens(data: Path, load) -> TokenVectors:
    """The version directory ``data``'s word pieces, memory-mapped (``load``: store.files.load_npy)."""
    counts = load(data / COUNTS).astype("int64")
    codebook = load(data / CODEBOOK) if (data / CODEBOOK).is_file() else None
    if not (data / SEGMENTS).is_file():  # written before segments
        codes, scales = (load(path, mmap=True) for path in segment_paths(data, LEGACY))
        return TokenVectors(((codes, scales),), counts, codebook, names=(LEGACY,))
    names = tuple(json.loads((data / SEGMENTS).read_text(encoding="utf-8"))["segments"])
    segments = tuple(tuple(load(path, mmap=True) for path in segment_paths(data, name)) for name in names)
    return TokenVectors(segments, counts, codebook, load(data / MAP).astype("int64"), names)


def tokens_fit(tokens: TokenVectors, passages: int, dim: int) -> bool:
    """Whether the word-piece files agree with each other, the passages and the vector size."""
    if len(tokens.counts) != passages or len(tokens.names) != len(tokens.segments):
        return False
    if tokens.where is not None and (tokens.where.shape != (passages, 2) or not len(tokens.segments)):
        return False
    if not all(_segment_fits(codes, scales, tokens.codebook, dim) for codes, scales in tokens.segments):
        return False
    if not passages:
        return True
    if tokens.where is None:
        return len(tokens.segments) == 1 and int(tokens.counts.sum()) == len(tokens.segments[0][0])
    lengths = np.array([len(codes) for codes, _ in tokens.segments], "int64")
    seg, start = tokens.segment_of, tokens.starts
    return bool(((seg >= 0) & (seg < len(lengths))).all() and (start >= 0).all()
                and (start + tokens.counts <= lengths[np.clip(seg, 0, len(lengths) - 1)]).all())


def _segment_fits(codes: np.ndarray, scales: np.ndarray, codebook: np.ndarray | None, dim: int) -> bool:
    if codes.ndim != 2:
        return False
    if codebook is None:
        return codes.dtype == np.int8 and len(scales) == len(codes) and (codes.shape[1] == dim or not len(codes))
    return (codes.dtype == np.uint8 and codebook.ndim == 3 and codebook.shape[1] == 256
            and codebook.shape[0] * codebook.shape[2] == dim and codes.shape[1] == codebook.shape[0])
