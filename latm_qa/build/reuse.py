"""Reuse on re-ingest: the index being replaced, read once, gives back the vector of every passage and
sentence whose embedded text is unchanged (by the text's hash), so only new text is embedded. When the
model, ``embed_headings`` or what is embedded changed, or the old index cannot be read, nothing is
reused and ``Previous.reason`` says why.

Before that, ``Parsed`` gives back each unchanged file's document and passages as the index holds them
(same path, same bytes, written by the same code with the same chunking), so adding one report to a
library reads and splits only that report.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import LatmQaError
from ..places.gazetteer import Gazetteer, case_study_councils
from ..profile import Library
from ..settings import Settings
from ..store.files import (
    SCHEMA_VERSION,
    data_dir,
    document_to_json,
    read_index_files,
    read_knowledge,
    read_texts,
    readable_manifest,
)
from ..store.search_files import EMBEDDED, LEXICON, read_lexicons
from ..types import Document, Passage, TokenVectors
from .fingerprint import code_digest
from .passages import EMBEDDING_TEXT, chunking, embedding_texts, passage_id, passage_key
from .resume import EmbedCache, encode_resuming

if TYPE_CHECKING:
    from ..embed.model import Embedder


def case_study_names(documents: list[Document], passages: list[Passage]) -> dict[tuple, str]:
    """The councils of each case study named after a partnership, for what is embedded."""
    return case_study_councils(passages, Gazetteer.from_texts([d.text for d in documents]))


def vector_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed_reusing(
    keys: list[str],
    texts: list[str],
    todo: list[int],
    old: dict[str, np.ndarray],
    dim: int,
    embedder: Embedder | None,
    progress: Callable[[str, int, int], None] | None,
    stage: str,
    old_tokens: dict[str, int] | None = None,
    cache: EmbedCache | None = None,
) -> tuple[np.ndarray, list]:
    """Old vectors (by ``keys``, from ``old``) where the text is unchanged, fresh ones for the rows in
    ``todo`` (``embedder`` is needed only when there are any; each distinct text is encoded once, and with
    ``cache`` only those an interrupted run left unfinished: resume.py). With ``old_tokens`` (passages: the
    old passage of each key), also the word pieces: the old passage's number where reused, fresh int8
    (codes, scales) computed in the same pass; ``settle_tokens`` makes them one TokenVectors."""
    out = np.zeros((len(keys), dim), dtype="float32")
    empty = (np.zeros((0, dim), "int8"), np.zeros(0, "float32"))
    rows = [old_tokens.get(key, empty) for key in keys] if old_tokens is not None else []
    for i, key in enumerate(keys):
        if key in old:
            out[i] = old[key]
    todo = sorted(todo, key=lambda i: len(texts[i]))  # like lengths together: less padding in each batch
    fresh = encode_resuming([keys[i] for i in todo], [texts[i] for i in todo], embedder, progress, stage,
                            old_tokens is not None, cache)
    for i in todo:
        out[i], piece = fresh[keys[i]]
        if old_tokens is not None:
            rows[i] = piece
    return out, rows


def schema_of(index_dir: Path) -> object:
    """The schema version an existing manifest states, or None if it cannot be read."""
    try:
        return json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8")).get("schema_version")
    except (OSError, ValueError, AttributeError):
        return None


@dataclass
class Parsed:
    """The current version's documents and passages as read and split, to reuse for unchanged files."""

    version: str = ""
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @cached_property
    def by_file(self) -> dict[tuple[str, str], Document]:
        """(path, SHA-256) -> its document."""
        return {(d.path, d.sha256): d for d in self.documents}

    @cached_property
    def of_document(self) -> dict[str, list[Passage]]:
        """Document id -> its passages, in order."""
        out: dict[str, list[Passage]] = {}
        for passage in self.passages:
            out.setdefault(passage.document, []).append(passage)
        return out

    @classmethod
    def read(cls, settings: Settings) -> Parsed:
        """What the index in ``settings.index_dir`` holds, if the same code wrote it in this format and with
        this chunking; else nothing (every file is read and split)."""
        manifest = readable_manifest(settings.index_dir)
        if (not manifest or manifest.get("schema_version") != SCHEMA_VERSION
                or manifest.get("settings") != chunking(settings)
                or (manifest.get("inputs") or {}).get("code") != code_digest()):
            return cls()
        try:
            documents, passages = read_texts(data_dir(settings.index_dir, manifest))
        except (OSError, ValueError, KeyError, TypeError, LatmQaError):
            return cls()  # read again, and judged, by Previous.read
        return cls(manifest["current"], documents, passages)

    def document(self, path: str, sha256: str) -> Document | None:
        """The document of an unchanged file, as read; None if it must be read (new, changed, or its title
        was given its file name to tell it from another's)."""
        doc = self.by_file.get((path, sha256))
        if doc is None or doc.title.endswith((f" ({Path(path).name})", f" ({path})")):
            return None
        return doc

    def split(self, doc: Document) -> list[Passage] | None:
        """The passages of an unchanged document as ``split_passages`` gives them (ids before the library
        makes them unique, its title as now), or None when they cannot be told exactly (split it again)."""
        stored = self.of_document.get(doc.doc_id)
        if not stored or self.document(doc.path, doc.sha256) is None:
            return None
        out, seen, section = [], {}, None
        for passage in stored:
            if (passage.section, passage.heading_path) != section:
                seen, section = {}, (passage.section, passage.heading_path)
            key = passage_key(doc.path, passage.heading_path, passage.text)
            seen[key] = seen.get(key, 0) + 1
            if passage.passage_id != passage_id(key, seen[key]):
                return None  # made unique in the library, or two sections alike: split again
            out.append(replace(passage, document_title=doc.title, ordinal=len(out)))
        return out


@dataclass
class Previous:
    """The index being replaced: its documents and passages (to compare) and reusable vectors by text hash."""

    manifest: dict | None = None
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)  # the old passage whose word pieces a key reuses
    token_vectors: TokenVectors | None = None  # those word pieces, as stored
    sentences: dict[str, int] = field(default_factory=dict)  # the old sentence whose vector a sentence key reuses
    sentence_vectors: TokenVectors | None = None  # those vectors, as stored (one row a sentence)
    data: Path | None = None  # its version directory (word-piece segments are linked from there)
    dimension: int | None = None
    reason: str = ""
    knowledge: dict | None = None  # as stored (profile.json); None for an index written before it
    lexicons: dict[str, dict] = field(default_factory=dict)  # the documents' lexicons by their text's SHA-256
    stored_search: bool = True  # whether its version holds the embedded texts and BM25 (search_files.py)

    @classmethod
    def read(cls, settings: Settings, parsed: Parsed | None = None) -> Previous:
        """The index in ``settings.index_dir``; ``parsed``: its documents and passages, if already read."""
        if not (settings.index_dir / "manifest.json").exists():
            return cls()
        known = (parsed.version, parsed.documents, parsed.passages) if parsed and parsed.version else None
        try:
            manifest, documents, passages, index, sentences, sentence_vectors, tokens = read_index_files(
                settings.index_dir, known
            )
        except LatmQaError as exc:
            schema = schema_of(settings.index_dir)
            if schema is not None and schema != SCHEMA_VERSION:
                return cls(
                    reason=f"the index was written in format {schema}; this latm-qa writes format {SCHEMA_VERSION} "
                    "(it stores its vectors differently), so everything is embedded again"
                )
            return cls(reason=f"the existing index could not be read ({exc}), so everything is embedded again")
        written = manifest.get("settings", {}).get("embedding_text", 1)
        knowledge = read_knowledge(settings.index_dir, manifest)
        # as it was written: for the documents whose profile named the gazetteer (before profiles, every one)
        placed = Library.from_json(knowledge, documents).placed if written >= 2 else frozenset()
        named = [d for d in documents if d.doc_id in placed]
        councils = case_study_names(named, [p for p in passages if p.document in placed]) if named else {}
        keys = [vector_key(t) for t in embedding_texts(passages, settings.embed_headings, councils)]
        old = cls(manifest=manifest, documents=documents, passages=passages, keys=keys, knowledge=knowledge)
        # a version written before ingest stored its BM25 indexes is written again (nothing embedded)
        data = data_dir(settings.index_dir, manifest)
        old.stored_search = all((data / name).is_file() for name in (EMBEDDED, LEXICON))
        old.lexicons = {item["sha256"]: item for item in read_lexicons(data) or ()}
        if manifest.get("model") != settings.model:
            old.reason = (
                f"the model changed from {manifest.get('model')!r} to {settings.model!r}, "
                "so every passage is embedded again"
            )
            return old
        if manifest.get("settings", {}).get("embed_headings") != settings.embed_headings:
            old.reason = "embed_headings changed, so every passage is embedded again"
            return old
        if written != EMBEDDING_TEXT:
            old.reason = (
                "what is embedded changed (a case study named after a partnership now carries its councils), "
                "so every passage is embedded again"
            )
            return old
        matrix = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, 0), "float32")
        old.vectors = dict(zip(keys, matrix, strict=True))
        old.sentences = {"s:" + vector_key(s["text"]): i for i, s in enumerate(sentences)}
        old.tokens = {key: i for i, key in enumerate(keys)}
        old.token_vectors, old.sentence_vectors, old.data = tokens, sentence_vectors, data
        old.dimension = int(manifest["dimension"])
        return old

    def same_as(self, documents: list[Document], passages: list[Passage], settings: Settings, knowledge: dict) -> bool:
        """True when writing would reproduce this index exactly (same model, settings, documents, passages,
        report knowledge, and the same thresholds for compressing word pieces and approximate search)."""
        stored = self.manifest.get("tokens", {}) if self.manifest is not None else {}
        return (
            self.manifest is not None
            and not self.reason
            and self.stored_search
            and self.manifest.get("schema_version") == SCHEMA_VERSION  # an older format is written anew
            and self.knowledge == knowledge
            and self.manifest.get("settings") == chunking(settings)
            and stored.get("compress_above_passages") == settings.compress_tokens_above
            and stored.get("approximate_above_passages") == settings.approximate_above
            and len(documents) == len(self.documents) and len(passages) == len(self.passages)
            and [document_to_json(d) for d in documents] == [document_to_json(d) for d in self.documents]
            and [p.to_json() for p in passages] == [p.to_json() for p in self.passages]
        )
