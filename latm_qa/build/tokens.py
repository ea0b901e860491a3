"""The word pieces an ingest stores: reused where the text is unchanged, fresh ones added, in one
encoding (int8, or product-quantised for a large library: codes.py), in segments (store/token_files.py)
so that an ingest adding a report writes only that report's word pieces."""

from __future__ import annotations

import numpy as np

from ..codes import (
    PQ_MIN_TRAINING_ROWS,
    PQ_TRAINING_ROWS,
    TokenVectors,
    divisible,
    pq_decode,
    pq_encode,
    quantise,
    train_codebook,
)
from ..settings import Settings
from .reuse import embed_reusing

PQ_BATCH = 65_536  # word pieces product-quantised at a time (their float32 rows: 100 MB)
MAX_SEGMENTS = 32  # more, and an ingest writes every passage's word pieces into one segment again
MIN_LIVE = 0.5  # the same when less than this share of the kept segments' rows is still used


def settle_tokens(
    rows: list, dim: int, old: TokenVectors | None, compress: bool, compact: bool = False
) -> TokenVectors:
    """Every passage's word pieces (``rows``: an old passage's number, its rows kept as ``old`` stores
    them, or fresh int8 (codes, scales)) in one encoding: product-quantised when ``compress`` (under the
    old codebook when there is one, so reused codes stay as they are; else centroids learnt from a
    sample, if there are enough word pieces to learn from), else int8.

    Old segments still in use are kept as they are and the rest goes into one new segment, unless the
    encoding changed, too little of the kept segments is still in use, there would be too many, or
    ``compact`` asks for one segment holding only these rows (a purge)."""
    codebook = old.codebook if old is not None else None
    compress = compress and divisible(dim)
    if compress and codebook is None:
        sample = _sample(rows, old)
        codebook = train_codebook(sample) if len(sample) >= PQ_MIN_TRAINING_ROWS else None
    target = codebook if compress else None
    kept: list[int] = []  # old segments kept
    stored_as = np.dtype("int8") if target is None else np.dtype("uint8")
    if old is not None and not compact and (old.codebook is None) == (target is None):
        used = sorted({int(old.segment_of[r]) for r in rows if isinstance(r, int)})
        used = used if all(old.segments[k][0].dtype == stored_as for k in used) else []  # float16: written anew
        live = sum(int(old.counts[r]) for r in rows if isinstance(r, int))
        total = sum(len(old.segments[k][0]) for k in used)
        kept = used if used and live >= MIN_LIVE * total and len(used) < MAX_SEGMENTS else []
    number = {k: n for n, k in enumerate(kept)}
    where = np.zeros((len(rows), 2), "int64")
    counts = np.zeros(len(rows), "int64")
    fresh: list[int] = []  # passages whose rows go into the new segment
    for i, row in enumerate(rows):
        if isinstance(row, int) and int(old.segment_of[row]) in number:
            where[i] = (number[int(old.segment_of[row])], old.starts[row])
            counts[i] = old.counts[row]
        else:
            fresh.append(i)
    stored = [old.stored(rows[i]) if isinstance(rows[i], int) else rows[i] for i in fresh]
    segment = TokenVectors.stack(_in_encoding(stored, target, codebook), dim, target)
    counts[fresh] = segment.counts
    if fresh:
        where[fresh] = np.stack([np.full(len(fresh), len(kept)), segment.offsets], axis=1)
    segments = [old.segments[k] for k in kept] + ([segment.segments[0]] if fresh or not kept else [])
    names = [old.names[k] for k in kept] + ([""] if fresh or not kept else [])
    return TokenVectors(tuple(segments), counts, target, where, tuple(names))


def _in_encoding(stored: list[tuple], target: np.ndarray | None, codebook: np.ndarray | None) -> list[tuple]:
    """Rows as stored (int8, or codes under ``codebook`` with scales None) in the ``target`` encoding:
    product-quantised under ``target``, or int8 when it is None."""
    if target is None:
        return [quantise(pq_decode(c, codebook)) if s is None else (c, s) if c.dtype == np.int8
                else quantise(np.asarray(c, dtype="float32") * np.asarray(s)[:, None]) for c, s in stored]
    out: list[tuple] = list(stored)
    batch: list[int] = []
    pending = 0
    for i, (codes, scales) in enumerate(stored):
        if scales is None:  # already under this codebook
            continue
        batch.append(i)
        pending += len(codes)
        if pending >= PQ_BATCH:
            _encode(stored, batch, target, out)
            batch, pending = [], 0
    if batch:
        _encode(stored, batch, target, out)
    return out


def _encode(rows: list[tuple], picked: list[int], codebook: np.ndarray, out: list[tuple]) -> None:
    floats = np.concatenate([rows[i][0].astype("float32") * rows[i][1][:, None] for i in picked])
    codes = pq_encode(floats, codebook)
    begin = 0
    for i in picked:
        count = len(rows[i][0])
        out[i] = (codes[begin : begin + count], None)
        begin += count


def _sample(rows: list, old: TokenVectors | None) -> np.ndarray:
    """Up to PQ_TRAINING_ROWS int8 word pieces (decoded), from passages picked at random (seeded)."""
    order = np.random.default_rng(0).permutation(len(rows))
    picked, total = [], 0
    for i in order:
        codes, scales = old.stored(rows[i]) if isinstance(rows[i], int) else rows[i]
        if scales is not None and len(codes):
            picked.append(np.asarray(codes).astype("float32") * np.asarray(scales)[:, None])
            total += len(codes)
            if total >= PQ_TRAINING_ROWS:
                break
    return np.concatenate(picked)[:PQ_TRAINING_ROWS] if picked else np.zeros((0, 0), "float32")


def token_manifest(tokens: TokenVectors, settings: Settings, approximate: bool = False) -> dict:
    """What the manifest states of how the word pieces and the passage vectors are kept and searched."""
    stated = {
        "encoding": tokens.encoding, "segments": len(tokens.segments),
        "bytes_per_word_piece": int(tokens.segments[0][0].shape[1]) + 4 * (tokens.codebook is None),
        "compress_above_passages": settings.compress_tokens_above,
        "dense_index": "hnsw (approximate: the best passages an HNSW graph finds)" if approximate
        else "flat (exact inner product over every passage)", "approximate_above_passages": settings.approximate_above,
    }
    if tokens.codebook is not None:
        stated["subspaces"] = int(tokens.codebook.shape[0])
    return stated


def settle_sentences(keys: list[str], texts: list[str], todo: list[int], old, dim: int, embedder, progress,
                     cache=None, compact: bool = False) -> TokenVectors:
    """Every sentence's vector as one int8 row (segments as for word pieces): the old sentence's where
    its text is unchanged (``old``: build/reuse.Previous), fresh for the sentences in ``todo`` (those an
    interrupted ingest finished from ``cache``, a resume.EmbedCache)."""
    fresh, _ = embed_reusing([keys[i] for i in todo], [texts[i] for i in todo], list(range(len(todo))), {}, dim,
                             embedder, progress, "embedding sentences", cache=cache)  # only new ones here
    codes, scales = quantise(fresh)
    rows: list = [old.sentences.get(key) for key in keys]
    for j, i in enumerate(todo):
        rows[i] = (codes[j : j + 1], scales[j : j + 1])
    return settle_tokens(rows, dim, old.sentence_vectors, compress=False, compact=compact)
