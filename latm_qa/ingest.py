"""Ingest: source files -> sections -> passages -> vectors -> index directory (atomic swap)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunk import embedding_text, split_passages, split_sentences
from .config import Settings
from .errors import InputFileError, LatmQaError
from .index import new_manifest, read_index_files, write_index
from .read import read_document
from .sections import parse_sections
from .types import Document, Passage

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestReport:
    index_dir: str
    documents: int
    sections: int
    passages: int
    embedded: int
    kept: int
    dropped: int
    seconds: float
    per_document: tuple[dict, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    documents_added: tuple[str, ...] = ()
    documents_updated: tuple[str, ...] = ()
    documents_removed: tuple[str, ...] = ()
    sections_added: tuple[str, ...] = ()
    sections_removed: tuple[str, ...] = ()
    sections_changed: tuple[str, ...] = ()
    full_rebuild_reason: str = ""
    notes: tuple[str, ...] = field(default=())


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the supported files they hold; name what is missing or empty."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputFileError(f"{path}: the folder is empty; put .md, .txt or .pdf reports in it")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputFileError(f"{path}: no such file or folder")
    if not files:
        raise InputFileError("nothing to ingest: give files or folders of .md, .txt or .pdf reports")
    return files


def index_is_current(paths: Iterable[Path], settings: Settings) -> bool:
    """True when the index exists, loads, and was built from exactly these files with these settings."""
    from .index import read_manifest
    from .read import file_sha256

    try:
        manifest = read_manifest(settings.index_dir)
        files = collect_sources(paths)
    except LatmQaError:
        return False
    built = sorted(s["sha256"] for s in manifest.get("sources", []))
    current = sorted({file_sha256(f) for f in files})
    return (
        built == current
        and manifest.get("model") == settings.model
        and manifest.get("settings") == settings.chunking()
    )


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    progress: Progress | None = None,
    skip_bad: bool = False,
) -> IngestReport:
    """Build (or update) the index in settings.index_dir from the given files and folders."""
    began = time.perf_counter()
    files = collect_sources(paths)
    documents, skipped, duplicates = _read_all(files, settings, skip_bad, progress)
    passages: list[Passage] = []
    for doc in documents:
        passages.extend(split_passages(doc, settings.max_words, settings.min_words))
    for row, passage in enumerate(passages):
        passages[row] = Passage(**{**passage.__dict__, "ordinal": row})

    from .embed import load_embedder

    embedder = load_embedder(settings.model)
    old = _previous_vectors(settings)
    reason = old.pop("__reason__", "")
    texts = [embedding_text(p, settings.embed_headings) for p in passages]
    keys = [_vector_key(t) for t in texts]
    todo = [i for i, key in enumerate(keys) if key not in old]
    vectors = np.zeros((len(passages), embedder.dim), dtype="float32")
    for i, key in enumerate(keys):
        if key in old:
            vectors[i] = old[key]
    if todo:
        tick = (lambda n: progress("embedding passages", n, len(todo))) if progress else None
        vectors[todo] = embedder.encode([texts[i] for i in todo], progress=tick)

    sentences, sentence_vectors = _sentences(passages, embedder, old, progress)
    sources = [
        {"path": d.path, "file": Path(d.path).name, "sha256": d.sha256, "document": d.doc_id, "title": d.title}
        for d in documents
    ]
    manifest = new_manifest(
        model=settings.model,
        dim=embedder.dim,
        settings=settings.chunking(),
        sources=sources,
        passages=len(passages),
        documents=len(documents),
        sections=sum(len(d.sections) for d in documents),
    )
    write_index(settings.index_dir, manifest, documents, passages, vectors, sentences, sentence_vectors)
    per_doc = tuple(
        {
            "document": d.doc_id,
            "file": Path(d.path).name,
            "sections": len(d.sections),
            "passages": sum(p.document == d.doc_id for p in passages),
        }
        for d in documents
    )
    kept = len(passages) - len(todo)
    return IngestReport(
        index_dir=str(settings.index_dir),
        documents=len(documents),
        sections=sum(len(d.sections) for d in documents),
        passages=len(passages),
        embedded=len(todo),
        kept=kept,
        dropped=max(0, old.get("__count__", 0) - kept) if old else 0,
        seconds=round(time.perf_counter() - began, 2),
        per_document=per_doc,
        skipped=tuple(skipped),
        duplicates=tuple(duplicates),
        full_rebuild_reason=reason,
    )


def _read_all(files: list[Path], settings: Settings, skip_bad: bool, progress: Progress | None):
    documents: list[Document] = []
    skipped: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in files:
        if progress:
            progress("reading", 1, len(files))
        try:
            raw = read_document(path, settings.max_file_mb)
        except InputFileError as exc:
            errors.append(str(exc))
            skipped.append((str(path), str(exc)))
            continue
        if raw.sha256 in seen:
            duplicates.append((str(path), seen[raw.sha256]))
            continue
        seen[raw.sha256] = str(path)
        documents.append(parse_sections(raw))
    if errors and not skip_bad:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputFileError(
            f"{errors[0]}{more}. Nothing was changed; fix or remove the file, or pass --skip-bad to ingest only the good files"
            if len(files) > 1
            else errors[0]
        )
    if not documents:
        raise InputFileError("no readable report among the given files; nothing was changed")
    return documents, skipped, duplicates


def _vector_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _previous_vectors(settings: Settings) -> dict:
    """Vectors of the existing index keyed by the hash of the embedded text, if they can be reused."""
    if not (settings.index_dir / "manifest.json").exists():
        return {}
    try:
        manifest, _docs, passages, vectors, sentences, sentence_vectors = read_index_files(settings.index_dir)
    except LatmQaError:
        return {"__reason__": "the existing index could not be read, so everything is embedded again"}
    if manifest.get("model") != settings.model:
        return {"__reason__": f"model changed from {manifest.get('model')!r} to {settings.model!r}: full rebuild"}
    if manifest.get("settings", {}).get("embed_headings") != settings.embed_headings:
        return {"__reason__": "embedding settings changed: full rebuild"}
    matrix = vectors.reconstruct_n(0, vectors.ntotal) if vectors.ntotal else np.zeros((0, 0))
    old: dict = {"__count__": len(passages)}
    for row, passage in enumerate(passages):
        old[_vector_key(embedding_text(passage, settings.embed_headings))] = matrix[row]
    for sentence, vector in zip(sentences, sentence_vectors):
        old["s:" + _vector_key(sentence["text"])] = vector
    return old


def _sentences(passages: list[Passage], embedder, old: dict, progress: Progress | None) -> tuple[list[dict], np.ndarray]:
    """Sentence spans of every passage and their vectors (for highlights), reusing old vectors."""
    sentences = [
        {"passage": row, "start": s, "end": e, "text": passage.text[s:e]}
        for row, passage in enumerate(passages)
        for s, e in split_sentences(passage.text)
    ]
    vectors = np.zeros((len(sentences), embedder.dim), dtype="float32")
    todo = []
    for i, sentence in enumerate(sentences):
        key = "s:" + _vector_key(sentence["text"])
        if key in old:
            vectors[i] = old[key]
        else:
            todo.append(i)
    if todo:
        tick = (lambda n: progress("embedding sentences", n, len(todo))) if progress else None
        vectors[todo] = embedder.encode([sentences[i]["text"] for i in todo], progress=tick)
    return sentences, vectors
