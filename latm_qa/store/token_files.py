"""Vectors kept in segments (codes.TokenVectors) in a version directory: each passage's word pieces, and
each sentence's vector (one row a sentence). For the word pieces:

    tokens/<segment>.codes.npy    int8 codes (rows, dimension), or uint8 product-quantisation codes
    tokens/<segment>.scales.npy   float32 scale per row (empty under product quantisation)
    token_segments.json           the segments' names, in the order token_map.npy numbers them
    token_map.npy                 (passages, 2) int64: each passage's segment and first row
    token_counts.npy              each passage's number of rows
    token_codebook.npy            the product quantisation's centroids, when there is one

and the same for the sentences under sentences/ and sentence_*.

A segment an earlier version wrote and this one still uses is hard-linked from that version's
directory (copied where the file system has no hard links): an ingest that adds one report writes new
segments with its word pieces and sentences, not every passage's again, and each version directory
stays whole on its own (a version removed or rolled back to never touches another's files). A version
written before segments (token_vectors.npy and token_scales.npy; sentence_vectors.npy, float16) reads
as one segment.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..types import TokenVectors

LEGACY = "-"  # the one segment of a version written before segments


@dataclass(frozen=True)
class Layout:
    """The file names of one kind of segmented vectors."""

    folder: str
    segments: str
    map: str
    counts: str
    codebook: str
    legacy: tuple[str, str | None]  # before segments: the codes' file and the scales' (None: float16, unscaled)


WORD_PIECES = Layout("tokens", "token_segments.json", "token_map.npy", "token_counts.npy", "token_codebook.npy",
                     ("token_vectors.npy", "token_scales.npy"))
SENTENCE_VECTORS = Layout("sentences", "sentence_segments.json", "sentence_map.npy", "sentence_counts.npy",
                          "sentence_codebook.npy", ("sentence_vectors.npy", None))


def segment_paths(directory: Path, name: str, layout: Layout = WORD_PIECES) -> tuple[Path, ...]:
    if name == LEGACY:
        return tuple(directory / file for file in layout.legacy if file)
    return directory / layout.folder / f"{name}.codes.npy", directory / layout.folder / f"{name}.scales.npy"


def write_tokens(out: Path, tokens: TokenVectors, source: Path | None, layout: Layout = WORD_PIECES) -> list[str]:
    """Write ``tokens`` into the version directory ``out``: a segment already written (named, and found
    in ``source``, the version it was read from) is linked, a new one (named "") saved. Returns the
    names of the segments written anew."""
    (out / layout.folder).mkdir(exist_ok=True)
    names, fresh = [], []
    for name, (codes, scales) in zip(tokens.names, tokens.segments, strict=True):
        found = segment_paths(source, name, layout) if source is not None and name else None
        new = name if name and name != LEGACY else uuid.uuid4().hex[:16]
        targets = segment_paths(out, new, layout)
        if found is not None and len(found) == 2 and all(path.is_file() for path in found):
            for origin, target in zip(found, targets, strict=True):
                _link(origin, target)
        else:
            np.save(targets[0], np.asarray(codes), allow_pickle=False)
            np.save(targets[1], np.asarray(scales, dtype="float32"), allow_pickle=False)
            fresh.append(new)
        names.append(new)
    (out / layout.segments).write_text(json.dumps({"segments": names}) + "\n", encoding="utf-8")
    where = tokens.where if tokens.where is not None else np.stack(
        [np.zeros(len(tokens.counts), "int64"), tokens.offsets], axis=1)
    np.save(out / layout.map, np.asarray(where, dtype="int64").reshape(-1, 2), allow_pickle=False)
    np.save(out / layout.counts, tokens.counts.astype("int32"), allow_pickle=False)
    if tokens.codebook is not None:
        np.save(out / layout.codebook, tokens.codebook.astype("float32"), allow_pickle=False)
    return fresh


def _link(origin: Path, target: Path) -> None:
    try:
        os.link(origin, target)
    except OSError:
        shutil.copyfile(origin, target)


def read_tokens(data: Path, load, layout: Layout = WORD_PIECES) -> TokenVectors:
    """The version directory ``data``'s vectors of ``layout``, memory-mapped (``load``: store.files.load_npy)."""
    codebook = load(data / layout.codebook) if (data / layout.codebook).is_file() else None
    if not (data / layout.segments).is_file():  # written before segments
        codes_file, scales_file = layout.legacy
        codes = load(data / codes_file, mmap=True)
        scales = load(data / scales_file, mmap=True) if scales_file else np.ones(len(codes), "float32")
        counts = load(data / layout.counts).astype("int64") if scales_file else np.ones(len(codes), "int64")
        return TokenVectors(((codes, scales),), counts, codebook, names=(LEGACY,))
    counts = load(data / layout.counts).astype("int64")
    names = tuple(json.loads((data / layout.segments).read_text(encoding="utf-8"))["segments"])
    segments = tuple(tuple(load(path, mmap=True) for path in segment_paths(data, name, layout)) for name in names)
    return TokenVectors(segments, counts, codebook, load(data / layout.map).astype("int64"), names)


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
        return (codes.dtype in (np.int8, np.float16) and len(scales) == len(codes)
                and (codes.shape[1] == dim or not len(codes)))
    return (codes.dtype == np.uint8 and codebook.ndim == 3 and codebook.shape[1] == 256
            and codebook.shape[0] * codebook.shape[2] == dim and codes.shape[1] == codebook.shape[0])
