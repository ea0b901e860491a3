"""Resuming an interrupted ingest: what it finished embedding is kept, so the next run embeds only the rest.

While an ingest embeds, the finished chunks of texts (each text's vector and, for passages, its int8
word-piece codes and scales) are appended to ``<index>/.embedded/`` as numbered ``.npz`` files, each
written under a temporary name, fsynced and renamed: a kill (SIGKILL, Ctrl-C) leaves whole chunks or
nothing, and a temporary or unreadable file is ignored (and removed). Entries are keyed by the text's hash
(reuse.vector_key; "s:" + it for a sentence). ``identity.json`` records the model, backend, build code
and libraries that made them: a cache made under anything else is removed when opened, never reused.

Texts are encoded in fixed chunks of the distinct texts to embed (sorted by length), and a chunk is taken
from the cache only when the cache holds all of it: a chunk is then the very batch an uninterrupted run
would encode, so a resumed ingest writes the same index. The ingest deletes the cache once its new
version is written (``discard``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..codes import quantise
from ..settings import Settings
from ..store.files import fsync
from .fingerprint import code_digest, library_versions

if TYPE_CHECKING:
    from ..embed.model import Embedder

CACHE_DIR = ".embedded"  # store/versions._is_ours accepts it in an index folder that has no manifest.json yet
IDENTITY = "identity.json"
TEMP = ".tmp-"  # a chunk being written; one left by a kill is removed when the cache is opened
CHUNK = 64  # texts encoded at a time: two torch batches, sixteen onnx ones; a kill loses at most this much work
FLUSH_SECONDS = 5.0  # finished chunks are written once this long has passed since the last write, and at the end

Piece = tuple[np.ndarray, np.ndarray]  # a passage's word pieces: int8 codes (pieces x dim), a float32 scale a row
Entry = tuple[np.ndarray, Piece | None]  # a text's vector, and its word pieces (None: not kept, a sentence)


def cache_identity(settings: Settings) -> dict:
    """What must be the same for a cached vector to be the one this ingest would compute."""
    libraries = library_versions()
    for name in ("onnxruntime", "transformers", "tokenizers"):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = "not installed"
    return {"model": settings.model, "backend": settings.backend, "code": code_digest(), "libraries": libraries}


def discard_cache(index_dir: Path) -> None:
    """Delete an index's resume cache, if it has one."""
    shutil.rmtree(Path(index_dir) / CACHE_DIR, ignore_errors=True)


@dataclass
class EmbedCache:
    """The resume cache of one index folder: what earlier, interrupted runs embedded, and what this run adds."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    flush_seconds: float = FLUSH_SECONDS
    clock: Callable[[], float] = time.monotonic
    pending: dict[str, Entry] = field(default_factory=dict)  # appended, not yet written
    number: int = 0  # the last chunk file's number
    written: float = 0.0  # when chunks were last written (or the cache opened)

    @classmethod
    def open(cls, index_dir: Path, settings: Settings) -> EmbedCache:
        """The cache in ``index_dir``: its whole chunks, if made under the same model, backend, code and
        libraries; otherwise (or when there is none) an empty one, anything left there removed."""
        folder = Path(index_dir) / CACHE_DIR
        identity = cache_identity(settings)
        try:
            same = json.loads((folder / IDENTITY).read_text(encoding="utf-8")) == identity
        except (OSError, ValueError):
            same = False
        if not same:
            discard_cache(index_dir)
            folder.mkdir(parents=True)
            temporary = folder / f"{TEMP}{IDENTITY}"
            temporary.write_text(json.dumps(identity, sort_keys=True), encoding="utf-8")
            os.replace(temporary, folder / IDENTITY)
        cache = cls(folder)
        for path in sorted(folder.iterdir()):
            if path.name == IDENTITY:
                continue
            read = _read_chunk(path) if path.suffix == ".npz" and path.stem.isdigit() else None
            if read is None:  # a kill mid-write, or not ours
                path.unlink(missing_ok=True)
                continue
            cache.entries.update(read)
            cache.number = max(cache.number, int(path.stem))
        cache.written = cache.clock()
        return cache

    def holds(self, keys: list[str], tokens: bool) -> bool:
        """Whether every key's vector (and word pieces, when ``tokens``) is here."""
        return all(key in self.entries and (not tokens or self.entries[key][1] is not None) for key in keys)

    def lookup(self, key: str) -> Entry | None:
        """A text's vector and word pieces (None where not kept), or None if it is not here."""
        return self.entries.get(key)

    def append(self, fresh: dict[str, Entry]) -> None:
        """Keep what was just embedded; written with what else is pending once FLUSH_SECONDS have passed."""
        self.entries.update(fresh)
        self.pending.update(fresh)
        if self.clock() - self.written >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        """Write what is pending as one chunk file (temporary name, fsync, rename). A failure to write
        loses only the cache's help: the ingest goes on."""
        if not self.pending:
            return
        self.number += 1
        path = self.folder / f"{self.number:06d}.npz"
        temporary = self.folder / f"{TEMP}{os.getpid()}-{path.name}"
        try:
            with open(temporary, "wb") as fh:
                np.savez(fh, **_arrays(self.pending))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, path)
            fsync(self.folder)
        except OSError:
            temporary.unlink(missing_ok=True)
        self.pending = {}
        self.written = self.clock()

    def discard(self) -> None:
        """Delete the cache (after the ingest's new version is written)."""
        self.entries, self.pending = {}, {}
        shutil.rmtree(self.folder, ignore_errors=True)


def encode_resuming(
    keys: list[str],
    texts: list[str],
    embedder: Embedder | None,
    progress: Callable[[str, int, int], None] | None,
    stage: str,
    tokens: bool,
    cache: EmbedCache | None = None,
) -> dict[str, Entry]:
    """Each distinct key's vector (and int8 word pieces when ``tokens``), in chunks of CHUNK texts in the
    order given: a chunk the cache holds whole is taken from it, the others are encoded and appended to it.
    ``progress(stage, n, total)`` counts the texts encoded (the stage says how many were done before)."""
    text_of: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        text_of.setdefault(key, text)
    distinct = list(text_of)
    chunks = [distinct[begin : begin + CHUNK] for begin in range(0, len(distinct), CHUNK)]
    held = [cache is not None and cache.holds(chunk, tokens) for chunk in chunks]
    left = sum(len(chunk) for chunk, kept in zip(chunks, held, strict=True) if not kept)
    if left < len(distinct):
        stage = f"{stage} (resumed: {len(distinct) - left} done before)"
    tick = (lambda n: progress(stage, n, left)) if progress and left else None
    if tick:
        tick(0)  # the stage begins
    out: dict[str, Entry] = {}
    try:
        for chunk, kept in zip(chunks, held, strict=True):
            if kept:
                out.update((key, cache.entries[key]) for key in chunk)
                continue
            vectors, matrices = embedder.encode_with_tokens([text_of[k] for k in chunk], progress=tick, tokens=tokens)
            pieces = [quantise(matrix) for matrix in matrices] if tokens else [None] * len(chunk)
            fresh = {key: (vectors[j], pieces[j]) for j, key in enumerate(chunk)}
            out.update(fresh)
            if cache is not None:
                cache.append(fresh)
    finally:  # stopped by an error or Ctrl-C too: what was finished is written
        if cache is not None:
            cache.flush()
    return out


def _arrays(entries: dict[str, Entry]) -> dict[str, np.ndarray]:
    vectors = np.stack([vector for vector, _ in entries.values()]).astype("float32")
    pieces = [piece for _, piece in entries.values() if piece is not None]
    return {
        "keys": np.array(list(entries), dtype=str),
        "vectors": vectors,
        "counts": np.array([-1 if piece is None else len(piece[0]) for _, piece in entries.values()], "int64"),
        "codes": np.concatenate([c for c, _ in pieces]) if pieces else np.zeros((0, vectors.shape[1]), "int8"),
        "scales": np.concatenate([s for _, s in pieces]) if pieces else np.zeros(0, "float32"),
    }


def _read_chunk(path: Path) -> dict[str, Entry] | None:
    """A chunk file's entries, or None if it is not a whole chunk as flush writes one."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            keys, vectors, counts = stored["keys"], stored["vectors"], stored["counts"]
            codes, scales = stored["codes"], stored["scales"]
    except Exception:  # noqa: BLE001 - a truncated zip, a missing array, a bad header: all mean not whole
        return None
    rows = int(counts[counts > 0].sum())
    if (vectors.ndim != 2 or vectors.dtype != np.float32 or codes.dtype != np.int8 or scales.dtype != np.float32
            or not len(keys) == len(vectors) == len(counts) or len(codes) != rows or len(scales) != rows
            or codes.ndim != 2 or codes.shape[1] != vectors.shape[1]):
        return None
    out: dict[str, Entry] = {}
    begin = 0
    for key, vector, count in zip(keys.tolist(), vectors, counts.tolist(), strict=True):
        piece = None if count < 0 else (codes[begin : begin + count], scales[begin : begin + count])
        begin += max(count, 0)
        out[key] = (vector, piece)
    return out
