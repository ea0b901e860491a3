"""The index directory: a manifest.json that points at one immutable version directory. No pickle.

    index/
      manifest.json        the current version's manifest + "current", "previous", "history"
      v-<UTC time>/        manifest.json, documents.jsonl, passages.jsonl, vectors.faiss,
                           sentences.jsonl, sentence_vectors.npy (never changed once written)
      v-<UTC time>/        the previous version, kept for `latm-qa ingest --rollback`
      .lock                held by the one ingest allowed to write at a time

A version is written in full (and fsynced) under a temporary name, renamed, and only then made
current by replacing manifest.json with os.replace. Readers read manifest.json once and every other
file from the version it names, so they see the old index or the new one, never a mix; a crash at
any moment leaves the old manifest and its version intact. Schema 1 (flat files, no versions) is
still read, and is moved into a version by the next ingest.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from .errors import IndexMismatchError, IndexMissingError, LatmQaError
from .types import Document, Passage, Section

SCHEMA_VERSION = 2
READABLE_SCHEMAS = (1, 2)
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DOCUMENTS = "documents.jsonl"
VECTORS = "vectors.faiss"
SENTENCES = "sentences.jsonl"
SENTENCE_VECTORS = "sentence_vectors.npy"
DATA_FILES = (DOCUMENTS, PASSAGES, SENTENCES, SENTENCE_VECTORS, VECTORS)
LOCK = ".lock"
BUILDING = ".building-"
HISTORY_LENGTH = 50
_VERSION_NAME = re.compile(r"^v-[0-9A-Za-z.\-]+$")


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


def new_manifest(
    model: str, dim: int, settings: dict, sources: list[dict], passages: int, documents: int, sections: int
) -> dict:
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


@contextlib.contextmanager
def lock_index(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock (one ingest at a time); released by the OS if the process dies."""
    import fcntl

    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise LatmQaError(f"{index_dir} is a file, not an index directory: choose another --index")
    if index_dir.is_dir() and not (index_dir / MANIFEST).exists():
        strangers = [p.name for p in index_dir.iterdir() if not _is_ours(p.name)]
        if strangers:
            raise LatmQaError(
                f"{index_dir} is not a latm-qa index (no manifest.json, holds {strangers[0]!r}); "
                "give an empty or new folder with --index"
            )
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LatmQaError(f"another `latm-qa ingest` is updating {index_dir}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def write_index(
    index_dir: Path,
    manifest: dict,
    documents: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    sentences: list[dict],
    sentence_vectors: np.ndarray,
    history: dict | None = None,
) -> dict:
    """Write a new version and make it current; the old current becomes the previous. Call under lock_index.

    Returns the manifest now in force (with "current", "previous" and "history").
    """
    import faiss

    index_dir = Path(index_dir)
    old = _readable_manifest(index_dir)
    previous = old.get("current") if old else None
    if old and not previous:
        previous = _adopt_flat_version(index_dir, old)
        old = {**old, "current": previous}
    name = _new_version_name(index_dir)
    entry = {"version": name, "created": manifest["created"], "action": "ingest", **_counts(manifest)}
    entry.update(history or {})
    manifest = {**manifest, "current": name, "previous": previous, "history": _history(old, entry)}
    tmp = index_dir / f"{BUILDING}{name}-{os.getpid()}"
    tmp.mkdir(parents=True)
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
        _write_json(tmp / MANIFEST, manifest)
        for child in tmp.iterdir():
            _fsync(child)
        _fsync(tmp)
        os.rename(tmp, index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _publish(index_dir, manifest)
    remove_stale(index_dir)
    return manifest


def rollback_index(index_dir: Path) -> dict:
    """Make the previous version current again (and the current one the previous). Call under lock_index."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    previous = manifest.get("previous")
    if not previous or not (index_dir / str(previous) / MANIFEST).exists():
        raise LatmQaError(f"index at {index_dir} has no previous version to roll back to; nothing was changed")
    target = {**_version_manifest(index_dir, str(previous)), "schema_version": SCHEMA_VERSION, "current": previous}
    _read_files(index_dir, _data_dir(index_dir, target), target)  # refuse a damaged version
    entry = {"version": previous, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "action": "rollback",
             "from": manifest.get("current"), **_counts(target)}
    restored = {**target, "previous": manifest.get("current"), "history": _history(manifest, entry)}
    _publish(index_dir, restored)
    return restored


def remove_stale(index_dir: Path) -> list[str]:
    """Delete what killed runs left (temporary dirs and files) and versions older than the previous."""
    index_dir = Path(index_dir)
    manifest = _readable_manifest(index_dir)
    keep = {manifest.get("current"), manifest.get("previous")} if manifest else None
    removed = []
    for child in index_dir.iterdir() if index_dir.is_dir() else ():
        stale_version = keep is not None and child.name.startswith("v-") and child.name not in keep
        if not (child.name.startswith((BUILDING, f".{MANIFEST}.")) or stale_version):
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
        removed.append(child.name)
    for child in index_dir.parent.glob(f".{index_dir.name}.building-*"):  # left by latm-qa before schema 2
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child.name)
    return removed


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
            f"index at {index_dir} has schema version {schema!r}, this latm-qa reads {READABLE_SCHEMAS}: "
            f"rebuild with `latm-qa ingest --index {index_dir}`"
        )
    return manifest


def read_index_files(index_dir: Path) -> tuple[dict, list[Document], list[Passage], object, list[dict], np.ndarray]:
    """Load and cross-check every file of the current version; retried if an ingest swaps it meanwhile."""
    index_dir = Path(index_dir)
    for _attempt in range(5):
        manifest = read_manifest(index_dir)
        try:
            return (manifest, *_read_files(index_dir, _data_dir(index_dir, manifest), manifest))
        except IndexMismatchError:
            if _readable_manifest(index_dir) == manifest:
                raise
    raise IndexMismatchError(f"index at {index_dir} kept changing while it was read; try again")


def _read_files(index_dir: Path, data: Path, manifest: dict) -> tuple:
    import faiss

    fix = f"rebuild with `latm-qa ingest --index {index_dir}`"
    try:
        with open(data / DOCUMENTS, encoding="utf-8") as fh:
            documents = [document_from_json(json.loads(line)) for line in fh if line.strip()]
        with open(data / PASSAGES, encoding="utf-8") as fh:
            passages = [Passage.from_json(json.loads(line)) for line in fh if line.strip()]
        with open(data / SENTENCES, encoding="utf-8") as fh:
            sentences = [json.loads(line) for line in fh if line.strip()]
        sentence_vectors = np.load(data / SENTENCE_VECTORS, allow_pickle=False)
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
    if len(sentences) != len(sentence_vectors):
        raise IndexMismatchError(f"index at {index_dir}: sentence files disagree; {fix}")
    return documents, passages, vectors, sentences, sentence_vectors


def _data_dir(index_dir: Path, manifest: dict) -> Path:
    """The directory holding the manifest's files: its version directory (schema 2) or the index itself (1)."""
    if manifest.get("schema_version") == 1:
        return index_dir
    name = manifest.get("current")
    if not isinstance(name, str) or not _VERSION_NAME.match(name):
        raise IndexMismatchError(
            f"index at {index_dir}: manifest.json names no valid version ({name!r}); "
            f"rebuild with `latm-qa ingest --index {index_dir}`"
        )
    return index_dir / name


def _readable_manifest(index_dir: Path) -> dict | None:
    try:
        return read_manifest(index_dir)
    except LatmQaError:
        return None


def _version_manifest(index_dir: Path, name: str) -> dict:
    try:
        return json.loads((index_dir / name / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(f"version {name} of {index_dir} is unreadable ({exc.__class__.__name__})") from None


def _adopt_flat_version(index_dir: Path, old: dict) -> str:
    """Move a schema-1 index (flat files) into a version directory so it can be rolled back to."""
    name = _new_version_name(index_dir, stamp=re.sub(r"[-:]", "", str(old.get("created", "")))[:15] + "-schema1")
    tmp = index_dir / f"{BUILDING}{name}-{os.getpid()}"
    tmp.mkdir()
    for file in DATA_FILES:
        if (index_dir / file).exists():
            shutil.copy2(index_dir / file, tmp / file)
    _write_json(tmp / MANIFEST, {**old, "schema_version": SCHEMA_VERSION, "current": name, "previous": None})
    os.rename(tmp, index_dir / name)
    return name


def _counts(manifest: dict) -> dict:
    return {
        "model": manifest.get("model"),
        "sources": [{"file": s.get("file"), "sha256": s.get("sha256")} for s in manifest.get("sources", [])],
        **{key: manifest.get(key) for key in ("documents", "sections", "passages")},
    }


def _history(old: dict | None, entry: dict) -> list[dict]:
    if old is None:
        return [entry]
    earlier = list(old.get("history") or [])
    if not earlier and old.get("schema_version") == 1:
        earlier = [{"version": old.get("current"), "created": old.get("created"), "action": "ingest", **_counts(old)}]
    return [*earlier, entry][-HISTORY_LENGTH:]


def _new_version_name(index_dir: Path, stamp: str = "") -> str:
    base = "v-" + (re.sub(r"[^0-9A-Za-z.\-]", "", stamp) or datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ"))
    name, n = base, 1
    while (index_dir / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _publish(index_dir: Path, manifest: dict) -> None:
    """Atomically replace manifest.json: the moment the new version becomes current."""
    tmp = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    _write_json(tmp, manifest)
    _fsync(tmp)
    os.replace(tmp, index_dir / MANIFEST)
    _fsync(index_dir)
    for file in DATA_FILES:  # a schema-1 index's flat files, now copied into a version
        (index_dir / file).unlink(missing_ok=True)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_ours(name: str) -> bool:
    return name == LOCK or name.startswith((BUILDING, "v-", f".{MANIFEST}."))
