"""The index directory: manifest.json, documents.jsonl, passages.jsonl, vectors.faiss. No pickle.

Written into a temporary sibling directory and renamed into place, so readers see the old index
or the new one, never a mix, and a failed ingest leaves the old one untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from .errors import IndexMismatchError, IndexMissingError
from .types import Document, Passage, Section

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DOCUMENTS = "documents.jsonl"
VECTORS = "vectors.faiss"
SENTENCES = "sentences.jsonl"
SENTENCE_VECTORS = "sentence_vectors.npy"


def library_versions() -> dict[str, str]:
    out = {}
    for name in ("latm-qa", "sentence-transformers", "torch", "faiss-cpu", "bm25s", "pypdf", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def document_to_json(doc: Document) -> dict:
    data = asdict(doc)
    data["sections"] = [
        {**asdict(s), "heading_path": list(s.heading_path), "pages": list(s.pages)} for s in doc.sections
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


def write_index(
    index_dir: Path,
    manifest: dict,
    documents: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    sentences: list[dict],
    sentence_vectors: np.ndarray,
    keep_previous: bool = True,
) -> None:
    """Write every file into a temporary directory, then swap it into place atomically."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.building-", dir=index_dir.parent))
    try:
        with open(tmp / DOCUMENTS, "w", encoding="utf-8") as fh:
            for doc in documents:
                fh.write(json.dumps(document_to_json(doc), ensure_ascii=False) + "\n")
        with open(tmp / PASSAGES, "w", encoding="utf-8") as fh:
            for passage in passages:
                fh.write(json.dumps(passage.to_json(), ensure_ascii=False) + "\n")
        with open(tmp / SENTENCES, "w", encoding="utf-8") as fh:
            for sentence in sentences:
                fh.write(json.dumps(sentence, ensure_ascii=False) + "\n")
        np.save(tmp / SENTENCE_VECTORS, sentence_vectors.astype("float32"), allow_pickle=False)
        flat = faiss.IndexFlatIP(int(vectors.shape[1]))
        if len(vectors):
            flat.add(np.ascontiguousarray(vectors, dtype="float32"))
        faiss.write_index(flat, str(tmp / VECTORS))
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for name in os.listdir(tmp):
            with open(tmp / name, "rb") as fh:
                os.fsync(fh.fileno())
        swap_into_place(tmp, index_dir, keep_previous=keep_previous)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def previous_dir(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.previous"


def swap_into_place(new: Path, index_dir: Path, keep_previous: bool = True) -> None:
    """Replace index_dir by new with renames only; the old one becomes .<name>.previous."""
    old = previous_dir(index_dir)
    if index_dir.exists():
        if old.exists():
            shutil.rmtree(old)
        os.rename(index_dir, old)
    os.rename(new, index_dir)
    if not keep_previous and old.exists():
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(index_dir: Path) -> dict:
    index_dir = Path(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        raise IndexMissingError(
            f"no index at {index_dir}: build it with `latm-qa ingest` (or `make index`)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexMismatchError(
            f"{path} is unreadable ({exc.__class__.__name__}); rebuild with `latm-qa ingest --index {index_dir}`"
        ) from None
    schema = manifest.get("schema_version")
    if schema != SCHEMA_VERSION:
        raise IndexMismatchError(
            f"index at {index_dir} has schema version {schema!r}, this latm-qa reads {SCHEMA_VERSION}: "
            f"rebuild with `latm-qa ingest --index {index_dir}`"
        )
    return manifest


def read_index_files(index_dir: Path) -> tuple[dict, list[Document], list[Passage], object, list[dict], np.ndarray]:
    """Load and cross-check every file of an index directory."""
    import faiss

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    fix = f"rebuild with `latm-qa ingest --index {index_dir}`"
    try:
        with open(index_dir / DOCUMENTS, encoding="utf-8") as fh:
            documents = [document_from_json(json.loads(line)) for line in fh if line.strip()]
        with open(index_dir / PASSAGES, encoding="utf-8") as fh:
            passages = [Passage.from_json(json.loads(line)) for line in fh if line.strip()]
        with open(index_dir / SENTENCES, encoding="utf-8") as fh:
            sentences = [json.loads(line) for line in fh if line.strip()]
        sentence_vectors = np.load(index_dir / SENTENCE_VECTORS, allow_pickle=False)
        vectors = faiss.read_index(str(index_dir / VECTORS))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexMismatchError(f"index at {index_dir} is damaged ({exc.__class__.__name__}: {exc}); {fix}") from None
    counts = (manifest.get("passages"), len(passages), vectors.ntotal)
    if len(set(counts)) != 1:
        raise IndexMismatchError(
            f"index at {index_dir} is inconsistent: manifest says {counts[0]} passages, "
            f"passages.jsonl has {counts[1]}, vectors.faiss has {counts[2]}; {fix}"
        )
    if vectors.d != manifest.get("dimension"):
        raise IndexMismatchError(f"index at {index_dir}: vector size {vectors.d} != manifest {manifest.get('dimension')}; {fix}")
    if len(sentences) != len(sentence_vectors):
        raise IndexMismatchError(f"index at {index_dir}: sentence files disagree; {fix}")
    return manifest, documents, passages, vectors, sentences, sentence_vectors


def new_manifest(model: str, dim: int, settings: dict, sources: list[dict], passages: int, documents: int, sections: int) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "model": model,
        "dimension": dim,
        "libraries": library_versions(),
        "settings": settings,
        "sources": sources,
        "documents": documents,
        "sections": sections,
        "passages": passages,
    }
