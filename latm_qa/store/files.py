"""The index's files: manifest.json, documents.jsonl, passages.jsonl, vectors.faiss, sentences. No pickle.

They live in a version directory that manifest.json names (versions.py writes them):

    index/
      manifest.json        the current version's manifest + "current", "previous", "history"
      v-<UTC time>/        manifest.json, documents.jsonl, passages.jsonl, vectors.faiss, sentence_spans.npy,
                           the sentences' and the word pieces' vectors in segments (sentences/,
                           sentence_*, tokens/, token_*: token_files.py), profile.json, embedded.json,
                           bm25-*/ (search_files.py):
                           never changed once written; the arrays memory-mapped when read
      v-<UTC time>/        the previous version, kept for `latm-qa ingest --rollback`
      .lock                held by the one ingest allowed to write at a time

Readers read manifest.json once and every other file from the version it names, so they see the
old index or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import IndexMismatchError, IndexMissingError, LatmQaError
from ..types import Document, Passage, Section, TokenVectors
from .search_files import write_search_files
from .sentence_files import read_sentences, write_sentences
from .token_files import SENTENCE_VECTORS as SENTENCE_LAYOUT
from .token_files import read_tokens, tokens_fit, write_tokens

SCHEMA_VERSION = 5  # 4: word-piece vectors as int8 codes and scales, sentence vectors float16; 5: in segments
READABLE_SCHEMAS = (4, 5)  # 4 reads as one segment (token_files.py)
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DOCUMENTS = "documents.jsonl"
VECTORS = "vectors.faiss"
PROFILE = "profile.json"  # the report knowledge (profile.Library: each document's own); an index from before has none
_VERSION_NAME = re.compile(r"^v-[0-9A-Za-z.\-]+$")
# numpy reads a .npy header with ast.literal_eval, and CPython 3.11's AST conversion is not thread-safe
# ("SystemError: AST constructor recursion depth mismatch" when two threads load at once): one at a time.
_NPY_LOCK = threading.Lock()


def load_npy(path: Path, mmap: bool = False) -> np.ndarray:
    """np.load of a plain array (no pickle), memory-mapped read-only if asked, safe from several threads."""
    with _NPY_LOCK:
        return np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)


def document_to_json(doc: Document) -> dict:
    data = dict(vars(doc))  # fields of plain values and tuples (sections made plain below): no deep copy
    data["sections"] = [
        {**vars(s), "heading_path": list(s.heading_path), "pages": list(s.pages)} for s in doc.sections
    ]
    data["page_marks"] = [list(m) for m in doc.page_marks]
    return data


def document_from_json(data: dict) -> Document:
    sections = tuple(
        Section(**{**s, "heading_path": tuple(s["heading_path"]), "pages": tuple(s["pages"])})
        for s in data["sections"]
    )
    marks = tuple((int(a), int(b)) for a, b in data["page_marks"])
    return Document(**{**data, "sections": sections, "page_marks": marks})


@dataclass(frozen=True)
class VersionFiles:
    """What one index version holds besides its manifest, as ingest hands it over to be written."""

    documents: list[Document]
    passages: list[Passage]
    vectors: np.ndarray  # row i: passage i
    sentences: list[dict]
    sentence_vectors: TokenVectors  # one row a sentence
    tokens: TokenVectors
    knowledge: dict | None = None  # profile.Knowledge.to_json()
    embedded: list[str] | None = None  # each passage's text as embedded (search_files.py)
    lexicons: list[dict] = field(default_factory=list)  # each document's (build/lexicon.py)
    token_source: Path | None = None  # the version directory the kept vector segments are linked from
    approximate: bool = False  # dense search over an HNSW graph rather than every passage (passage_index)


def write_version_files(directory: Path, manifest: dict, files: VersionFiles) -> None:
    """Write (and fsync) every file of one index version into an existing, empty directory."""
    import faiss

    out = Path(directory)
    with open(out / DOCUMENTS, "w", encoding="utf-8") as fh:
        for doc in files.documents:
            fh.write(json.dumps(document_to_json(doc), ensure_ascii=False) + "\n")
    with open(out / PASSAGES, "w", encoding="utf-8") as fh:
        for passage in files.passages:
            fh.write(json.dumps(passage.to_json(), ensure_ascii=False) + "\n")
    write_sentences(out, files.sentences)
    write_tokens(out, files.tokens, files.token_source)
    write_tokens(out, files.sentence_vectors, files.token_source, SENTENCE_LAYOUT)
    faiss.write_index(passage_index(files.vectors, files.approximate), str(out / VECTORS))
    if files.knowledge is not None:
        write_json(out / PROFILE, files.knowledge)
    if files.embedded is not None:
        write_search_files(out, files.embedded, files.sentences, files.lexicons)
    write_json(out / MANIFEST, manifest)
    for child in out.rglob("*"):
        fsync(child)
    fsync(out)


HNSW_LINKS, HNSW_EF_CONSTRUCTION = 32, 80  # a 100k-passage graph: ~16 s to build on two busy cores


def passage_index(vectors: np.ndarray, approximate: bool):
    """The passages' FAISS inner-product index: flat (exact, every passage scored), or an HNSW graph."""
    import faiss

    dim = int(vectors.shape[1])
    if approximate:
        index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype="float32"))
    return index


def read_manifest(index_dir: Path) -> dict:
    index_dir = Path(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissingError(
            f"no index at {index_dir}: build it with `latm-qa ingest` (or `make index`)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(
            f"{path} is unreadable ({exc.__class__.__name__}); rebuild with `latm-qa ingest --index {index_dir}`"
        ) from None
    schema = manifest.get("schema_version") if isinstance(manifest, dict) else None
    if schema not in READABLE_SCHEMAS:
        raise IndexMismatchError(
            f"index at {index_dir} has schema version {schema!r}, this latm-qa reads "
            f"{' or '.join(map(str, READABLE_SCHEMAS))}: "
            f"rebuild with `latm-qa ingest --index {index_dir}`"
        )
    return manifest


def read_index_files(
    index_dir: Path, known: tuple[str, list[Document], list[Passage]] | None = None,
) -> tuple[dict, list[Document], list[Passage], object, list[dict], np.ndarray, TokenVectors]:
    """Load and cross-check every file of the current version; retried if an ingest swaps it meanwhile.
    ``known``: a version's name with its documents and passages, already read (used if it is current)."""
    index_dir = Path(index_dir)
    for _attempt in range(5):
        manifest = read_manifest(index_dir)
        texts = known[1:] if known is not None and known[0] == manifest.get("current") else None
        try:
            return (manifest, *read_version_files(index_dir, data_dir(index_dir, manifest), manifest, texts))
        except IndexMismatchError:
            if readable_manifest(index_dir) == manifest:
                raise
    raise IndexMismatchError(f"index at {index_dir} kept changing while it was read; try again")


def read_texts(data: Path) -> tuple[list[Document], list[Passage]]:
    """A version's documents and passages (documents.jsonl, passages.jsonl)."""
    with open(data / DOCUMENTS, encoding="utf-8") as fh:
        documents = [document_from_json(json.loads(line)) for line in fh if line.strip()]
    with open(data / PASSAGES, encoding="utf-8") as fh:
        passages = [Passage.from_json(json.loads(line)) for line in fh if line.strip()]
    return documents, passages


def read_version_files(index_dir: Path, data: Path, manifest: dict,
                       texts: tuple[list[Document], list[Passage]] | None = None) -> tuple:
    """Every file of a version, checked against each other; ``texts``: its documents and passages when
    already read (read_texts)."""
    import faiss

    fix = f"rebuild with `latm-qa ingest --index {index_dir}`"
    try:
        documents, passages = texts if texts is not None else read_texts(data)
        sentences = read_sentences(data, passages, load_npy)
        sentence_vectors = read_tokens(data, load_npy, SENTENCE_LAYOUT)
        tokens = read_tokens(data, load_npy)
        vectors = faiss.read_index(str(data / VECTORS))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexMismatchError(f"index at {index_dir} is damaged ({exc.__class__.__name__}: {exc}); {fix}") from None
    counts = (manifest.get("passages"), len(passages), vectors.ntotal)
    if len(set(counts)) != 1:
        raise IndexMismatchError(
            f"index at {index_dir} is inconsistent: manifest says {counts[0]} passages, "
            f"passages.jsonl has {counts[1]}, vectors.faiss has {counts[2]}; {fix}"
        )
    if vectors.d != manifest.get("dimension"):
        raise IndexMismatchError(
            f"index at {index_dir}: vector size {vectors.d} != manifest {manifest.get('dimension')}; {fix}"
        )
    if not tokens_fit(sentence_vectors, len(sentences), vectors.d) or (sentence_vectors.counts != 1).any():
        raise IndexMismatchError(f"index at {index_dir}: sentence files disagree; {fix}")
    if not tokens_fit(tokens, len(passages), vectors.d):
        raise IndexMismatchError(f"index at {index_dir}: token files disagree with the passages; {fix}")
    return documents, passages, vectors, sentences, sentence_vectors, tokens


def read_knowledge(index_dir: Path, manifest: dict) -> dict | None:
    """The version's report knowledge (profile.json) as written, or None for an index written without it."""
    path = data_dir(Path(index_dir), manifest) / PROFILE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(
            f"{path} is unreadable ({exc.__class__.__name__}); rebuild with `latm-qa ingest --index {index_dir}`"
        ) from None


def data_dir(index_dir: Path, manifest: dict) -> Path:
    """The version directory holding the manifest's files."""
    name = manifest.get("current")
    if not isinstance(name, str) or not _VERSION_NAME.match(name):
        raise IndexMismatchError(
            f"index at {index_dir}: manifest.json names no valid version ({name!r}); "
            f"rebuild with `latm-qa ingest --index {index_dir}`"
        )
    return index_dir / name


def readable_manifest(index_dir: Path) -> dict | None:
    try:
        return read_manifest(index_dir)
    except LatmQaError:
        return None


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
