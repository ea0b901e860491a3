"""Ingest: source files -> sections -> passages -> vectors -> a new index version (atomic swap).

Incremental: a passage (or sentence) whose embedded text is already in the index keeps its vector;
only new text is embedded, and the model is loaded only then. Every input is read and checked
before the index is touched, so a bad file changes nothing. An ingest that would produce exactly the
index on disk writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .changes import IngestReport, compare_documents
from .chunk import EMBEDDING_TEXT, embedding_texts, split_passages, split_sentences
from .config import Settings
from .errors import InputFileError, LatmQaError
from .index import SCHEMA_VERSION, VersionFiles, document_to_json, new_manifest, read_index_files
from .places import Gazetteer, case_study_councils
from .read import SUPPORTED, read_document
from .sections import parse_sections
from .types import Document, Passage, TokenVectors
from .versions import lock_index, remove_stale, write_index

Progress = Callable[[str, int, int], None]


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the files they hold (hidden ones aside); name what is missing or empty."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if (p.is_file() or p.is_symlink() and not p.is_dir())
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputFileError(f"{path}: the folder is empty; put .md, .txt or .pdf reports in it")
            if not any(p.suffix.lower() in SUPPORTED for p in found):
                raise InputFileError(
                    f"{path}: nothing to ingest: the folder holds no {', '.join(SUPPORTED)} files "
                    f"({len(found)} other file(s), e.g. {found[0].name})"
                )
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise InputFileError(f"{path}: no such file or folder")
    if not files:
        raise InputFileError("nothing to ingest: give files or folders of .md, .txt or .pdf reports")
    return files


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    progress: Progress | None = None,
    skip_bad: bool = False,
) -> IngestReport:
    """Build or update the index in settings.index_dir from exactly the given files and folders."""
    began = time.perf_counter()
    if not settings.max_file_mb > 0:
        raise LatmQaError(
            f"the file size limit must be a positive number of MB, got {settings.max_file_mb!r}: set --max-file-mb "
            "or LATM_QA_MAX_FILE_MB to e.g. 50. The index was not changed."
        )
    try:
        files = collect_sources(paths)
    except InputFileError as exc:
        raise InputFileError(f"{_sentence(str(exc))} The index was not changed.") from None
    documents, skipped, duplicates = _read_all(files, settings, skip_bad, progress)
    documents = distinct_titles(documents)
    passages = _passages(documents, settings)
    texts = embedding_texts(passages, settings.embed_headings, _councils(documents, passages))
    keys = [_vector_key(t) for t in texts]
    sentences = [
        {"passage": row, "start": s, "end": e, "text": passage.text[s:e]}
        for row, passage in enumerate(passages)
        for s, e in split_sentences(passage.text)
    ]
    sentence_keys = ["s:" + _vector_key(s["text"]) for s in sentences]

    with lock_index(settings.index_dir):
        remove_stale(settings.index_dir)
        old = _Previous.read(settings)
        changes = compare_documents(old.documents, documents)
        dropped = sum((Counter(old.keys) - Counter(keys)).values())
        per_doc = tuple(
            {"document": d.doc_id, "file": Path(d.path).name, "sections": len(d.sections),
             "passages": sum(p.document == d.doc_id for p in passages)}
            for d in documents
        )
        report = IngestReport(
            index_dir=str(settings.index_dir), documents=len(documents),
            sections=sum(len(d.sections) for d in documents), passages=len(passages), embedded=0,
            kept=len(passages), dropped=dropped, seconds=0.0, per_document=per_doc, skipped=tuple(skipped),
            duplicates=tuple(duplicates), full_rebuild_reason=old.reason, **changes,
        )
        if old.same_as(documents, passages, settings):
            version = old.manifest.get("current", "") if old.manifest else ""
            return replace(report, changed=False, version=version, seconds=round(time.perf_counter() - began, 2))

        todo = [i for i, key in enumerate(keys) if key not in old.vectors]
        sentence_todo = [i for i, key in enumerate(sentence_keys) if key not in old.vectors]
        embedder = None
        if todo or sentence_todo or old.dimension is None:
            from .embed import load_embedder

            embedder = load_embedder(settings.model)
        dim = embedder.dim if embedder is not None else int(old.dimension or 0)
        vectors, tokens = _vectors(
            keys, texts, todo, old.vectors, dim, embedder, progress, "embedding passages", old_tokens=old.tokens
        )
        sentence_vectors, _ = _vectors(
            sentence_keys, [s["text"] for s in sentences], sentence_todo, old.vectors, dim, embedder, progress,
            "embedding sentences",
        )
        sources = [
            {"path": d.path, "file": Path(d.path).name, "sha256": d.sha256, "document": d.doc_id, "title": d.title}
            for d in documents
        ]
        manifest = new_manifest(
            model=settings.model, dim=dim, settings=settings.chunking(), sources=sources, passages=len(passages),
            documents=len(documents), sections=report.sections,
        )
        history = {"embedded": len(todo), "kept": len(passages) - len(todo), "dropped": dropped,
                   **{k: list(v) for k, v in changes.items() if k.startswith("documents_")}}
        files = VersionFiles(documents, passages, vectors, sentences, sentence_vectors, tokens)
        written = write_index(settings.index_dir, manifest, files, history)
    return replace(
        report, embedded=len(todo), kept=len(passages) - len(todo), sentences_embedded=len(sentence_todo),
        version=written["current"], previous_version=written.get("previous") or "",
        seconds=round(time.perf_counter() - began, 2),
    )


def rollback(settings: Settings) -> dict:
    """Make the previous index version current again; returns the manifest now in force."""
    from .index import read_manifest
    from .versions import rollback_index

    read_manifest(settings.index_dir)  # a clear error when there is no index at all
    with lock_index(settings.index_dir):
        return rollback_index(settings.index_dir)


def distinct_titles(documents: list[Document]) -> list[Document]:
    """Two documents with one title (two editions, or the .md and .pdf of a report) get the file name appended."""
    titles = Counter(d.title.casefold() for d in documents)
    names = Counter(Path(d.path).name for d in documents)
    out = []
    for doc in documents:
        if titles[doc.title.casefold()] > 1:
            name = Path(doc.path).name if names[Path(doc.path).name] == 1 else doc.path
            doc = replace(doc, title=f"{doc.title} ({name})")
        out.append(doc)
    return out


def _passages(documents: list[Document], settings: Settings) -> list[Passage]:
    passages: list[Passage] = []
    seen: set[str] = set()
    for doc in documents:
        for passage in split_passages(doc, settings.max_words, settings.min_words):
            pid = passage.passage_id
            if pid in seen:  # two files of one name in different folders: keep ids unique
                pid = hashlib.sha1(f"{doc.path}|{pid}".encode()).hexdigest()[:16]
            seen.add(pid)
            passages.append(replace(passage, passage_id=pid, ordinal=len(passages)))
    return passages


def _read_all(files: list[Path], settings: Settings, skip_bad: bool, progress: Progress | None):
    """Read and check every file before anything else happens; refuse the batch if one is bad."""
    documents: list[Document] = []
    skipped: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for path in files:
        if progress:
            progress("reading", 1, len(files))
        try:
            raw = read_document(path, settings.max_file_mb)
        except InputFileError as exc:
            skipped.append((str(path), str(exc)))
            continue
        if raw.sha256 in seen:
            duplicates.append((str(path), seen[raw.sha256]))
            continue
        seen[raw.sha256] = str(path)
        documents.append(parse_sections(raw))
    errors = [reason for _, reason in skipped]
    unchanged = "The index was not changed."
    if not documents and len(errors) == 1:
        raise InputFileError(f"{_sentence(errors[0])} {unchanged}")
    if not documents:
        raise InputFileError(f"None of the {len(files)} files can be ingested. {unchanged}\n  " + "\n  ".join(errors))
    if errors and not skip_bad:
        good = f"pass --skip-bad to ingest the {_files(len(documents), 'good')}"
        if len(errors) == 1:
            raise InputFileError(
                f"{_sentence(errors[0])} Nothing was ingested: fix or remove the file, or {good}. {unchanged}"
            )
        raise InputFileError(
            f"{len(errors)} of {len(files)} files cannot be ingested, so nothing was: fix or remove them, or {good}. "
            f"{unchanged}\n  " + "\n  ".join(errors)
        )
    return documents, skipped, duplicates


def _sentence(message: str) -> str:
    return message if message.endswith((".", "?", "!")) else message + "."


def _files(count: int, kind: str) -> str:
    return f"{count} {kind} file" + ("" if count == 1 else "s")


def _councils(documents: list[Document], passages: list[Passage]) -> dict[tuple, str]:
    """The councils of each case study named after a partnership, for what is embedded."""
    return case_study_councils(passages, Gazetteer.from_texts([d.text for d in documents]))


def _vector_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _vectors(keys, texts, todo, old, dim, embedder, progress, stage, old_tokens=None):
    """Old vectors where the text is unchanged, fresh ones for the rows in todo. With ``old_tokens``
    (passages), also the word-piece vectors, reused or computed in the same pass."""
    out = np.zeros((len(keys), dim), dtype="float32")
    rows = [old_tokens.get(key, np.zeros((0, dim), "float32")) for key in keys] if old_tokens is not None else []
    for i, key in enumerate(keys):
        if key in old:
            out[i] = old[key]
    if todo:
        tick = (lambda n: progress(stage, n, len(todo))) if progress else None
        fresh, fresh_tokens = embedder.encode_with_tokens(
            [texts[i] for i in todo], progress=tick, tokens=old_tokens is not None
        )
        out[todo] = fresh
        for i, matrix in zip(todo, fresh_tokens, strict=False):
            rows[i] = matrix
    return out, TokenVectors.stack(rows, dim)


def _schema_of(index_dir: Path) -> object:
    """The schema version an existing manifest states, or None if it cannot be read."""
    try:
        return json.loads((Path(index_dir) / "manifest.json").read_text(encoding="utf-8")).get("schema_version")
    except (OSError, ValueError, AttributeError):
        return None


@dataclass
class _Previous:
    """The index being replaced: its documents and passages (to compare) and reusable vectors by text hash."""

    manifest: dict | None = None
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    tokens: dict[str, np.ndarray] = field(default_factory=dict)
    dimension: int | None = None
    reason: str = ""

    @classmethod
    def read(cls, settings: Settings) -> _Previous:
        if not (settings.index_dir / "manifest.json").exists():
            return cls()
        try:
            manifest, documents, passages, index, sentences, sentence_vectors, tokens = read_index_files(
                settings.index_dir
            )
        except LatmQaError as exc:
            schema = _schema_of(settings.index_dir)
            if schema is not None and schema != SCHEMA_VERSION:
                return cls(
                    reason=f"the index was written in format {schema}; this latm-qa writes format {SCHEMA_VERSION} "
                    "(it adds word-piece vectors), so everything is embedded again"
                )
            return cls(reason=f"the existing index could not be read ({exc}), so everything is embedded again")
        written = manifest.get("settings", {}).get("embedding_text", 1)
        councils = _councils(documents, passages) if written >= 2 else {}
        keys = [_vector_key(t) for t in embedding_texts(passages, settings.embed_headings, councils)]
        old = cls(manifest=manifest, documents=documents, passages=passages, keys=keys)
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
        old.vectors.update(("s:" + _vector_key(s["text"]), v) for s, v in zip(sentences, sentence_vectors, strict=True))
        old.tokens = {key: tokens.rows(i) for i, key in enumerate(keys)}
        old.dimension = int(manifest["dimension"])
        return old

    def same_as(self, documents: list[Document], passages: list[Passage], settings: Settings) -> bool:
        """True when writing would reproduce this index exactly (same model, settings, documents, passages)."""
        return (
            self.manifest is not None
            and not self.reason
            and self.manifest.get("settings") == settings.chunking()
            and [document_to_json(d) for d in documents] == [document_to_json(d) for d in self.documents]
            and [p.to_json() for p in passages] == [p.to_json() for p in self.passages]
        )
