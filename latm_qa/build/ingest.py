"""Ingest: source files -> sections -> passages -> vectors -> a new index version (atomic swap).

Incremental (reuse.py): a passage (or sentence) whose embedded text is already in the index keeps its vector;
only new text is embedded, and the model is loaded only then. Every input is read and checked
before the index is touched, so a bad file changes nothing. An ingest that would produce exactly the
index on disk writes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import InputFileError, LatmQaError
from ..profile import derive, find_profiles, merge_profiles, read_profile
from ..read import SUPPORTED, read_document
from ..read.files import check_file
from ..settings import Settings
from ..store.files import SCHEMA_VERSION, VersionFiles
from ..store.versions import lock_index, remove_stale, write_index
from ..structure.sections import parse_sections
from ..types import Document
from .changes import IngestReport, compare_documents
from .fingerprint import code_digest, inputs_digest, new_manifest, up_to_date
from .lexicon import lexicons
from .passages import chunking, embedding_texts, library_passages, split_sentences
from .reuse import Parsed, Previous, case_study_names, embed_reusing, vector_key
from .tokens import settle_sentences, settle_tokens, token_manifest

Progress = Callable[[str, int, int], None]
PROFILE_SUFFIX = ".toml"


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the files they hold (hidden ones aside); name what is missing or empty."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if (p.is_file() or p.is_symlink() and not p.is_dir())
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() != PROFILE_SUFFIX  # a report's profile, read beside it
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
    profile: Path | dict | None = None,
) -> IngestReport:
    """Build or update the index in settings.index_dir from exactly the given files and folders.

    The reports' profile (see profile.py) is ``profile`` (a file, or its tables already read), or a .toml
    file among ``paths``, or each report's own ``<stem>.toml`` and its folder's ``profile.toml``."""
    began = time.perf_counter()
    if not settings.max_file_mb > 0:
        raise LatmQaError(
            f"the file size limit must be a positive number of MB, got {settings.max_file_mb!r}: set --max-file-mb "
            "or LATM_QA_MAX_FILE_MB to e.g. 50. The index was not changed."
        )
    paths = [Path(p) for p in paths]
    try:
        files = collect_sources([p for p in paths if p.suffix.lower() != PROFILE_SUFFIX])
        if isinstance(profile, dict):
            profiles, merged = [], profile or None
        else:
            profiles = find_profiles(files, _given_profile(paths, profile))
            merged = merge_profiles([read_profile(path) for path in profiles])
    except InputFileError as exc:
        raise InputFileError(f"{_sentence(str(exc))} The index was not changed.") from None
    shape = {**chunking(settings), "schema": SCHEMA_VERSION, "compress_tokens_above": settings.compress_tokens_above,
             "approximate_above": settings.approximate_above}
    digest = inputs_digest(files, merged, settings, skip_bad, shape)
    if digest and (settings.index_dir / "manifest.json").is_file():
        with lock_index(settings.index_dir):
            remove_stale(settings.index_dir)
            if known := up_to_date(settings, digest, began):
                return known
    parsed = Parsed.read(settings)  # unchanged files are not read or split again
    documents, skipped, duplicates = _read_all(files, settings, skip_bad, progress, parsed)
    documents = distinct_titles(documents)
    knowledge = derive(documents, merged)
    passages = library_passages(documents, settings, parsed.split)
    councils = case_study_names(documents, passages) if knowledge.gazetteer else {}
    texts = embedding_texts(passages, settings.embed_headings, councils)
    keys = [vector_key(t) for t in texts]
    sentences = [
        {"passage": row, "start": s, "end": e, "text": passage.text[s:e]}
        for row, passage in enumerate(passages)
        for s, e in split_sentences(passage.text)
    ]
    sentence_keys = ["s:" + vector_key(s["text"]) for s in sentences]

    with lock_index(settings.index_dir):
        remove_stale(settings.index_dir)
        old = Previous.read(settings, parsed)
        changes = compare_documents(old.documents, documents)
        dropped = sum((Counter(old.keys) - Counter(keys)).values())
        passages_of = Counter(p.document for p in passages)
        per_doc = tuple(
            {"document": d.doc_id, "file": Path(d.path).name, "sections": len(d.sections),
             "passages": passages_of[d.doc_id], "encoding": d.encoding}
            for d in documents
        )
        report = IngestReport(
            index_dir=str(settings.index_dir), documents=len(documents),
            sections=sum(len(d.sections) for d in documents), passages=len(passages), embedded=0,
            kept=len(passages), dropped=dropped, seconds=0.0, per_document=per_doc, skipped=tuple(skipped),
            duplicates=tuple(duplicates), full_rebuild_reason=old.reason, profiles=tuple(map(str, profiles)),
            **changes,
        )
        compress = len(passages) > settings.compress_tokens_above
        approximate = len(passages) > settings.approximate_above
        if old.same_as(documents, passages, settings, knowledge.to_json()):
            version = old.manifest.get("current", "") if old.manifest else ""
            return replace(report, changed=False, version=version, seconds=round(time.perf_counter() - began, 2))

        todo = [i for i, key in enumerate(keys) if key not in old.vectors]
        sentence_todo = [i for i, key in enumerate(sentence_keys) if key not in old.sentences]
        embedder = None
        if todo or sentence_todo or old.dimension is None:
            from ..embed.model import load_embedder

            embedder = load_embedder(settings.model, settings.backend)
        dim = embedder.dim if embedder is not None else int(old.dimension or 0)
        vectors, token_rows = embed_reusing(
            keys, texts, todo, old.vectors, dim, embedder, progress, "embedding passages", old_tokens=old.tokens
        )
        tokens = settle_tokens(token_rows, dim, old.token_vectors, compress)
        del token_rows
        sentence_vectors = settle_sentences(
            sentence_keys, [s["text"] for s in sentences], sentence_todo, old, dim, embedder, progress
        )
        sources = [
            {"path": d.path, "file": Path(d.path).name, "sha256": d.sha256, "document": d.doc_id, "title": d.title}
            for d in documents
        ]
        manifest = new_manifest(
            model=settings.model, dim=dim, settings=chunking(settings), sources=sources, passages=len(passages),
            documents=len(documents), sections=report.sections,
        )
        manifest["tokens"] = token_manifest(tokens, settings, approximate)
        manifest["inputs"] = {"digest": digest, "per_document": list(per_doc), "skipped": skipped,
                              "duplicates": duplicates, "profiles": list(map(str, profiles)), "code": code_digest()}
        history = {"embedded": len(todo), "kept": len(passages) - len(todo), "dropped": dropped,
                   **{k: list(v) for k, v in changes.items() if k.startswith("documents_")}}
        files = VersionFiles(
            documents, passages, vectors, sentences, sentence_vectors, tokens, knowledge.to_json(), texts,
            lexicons(documents, old.lexicons), old.data, approximate,
        )
        written = write_index(settings.index_dir, manifest, files, history)
    return replace(
        report, embedded=len(todo), kept=len(passages) - len(todo), sentences_embedded=len(sentence_todo),
        version=written["current"], previous_version=written.get("previous") or "",
        seconds=round(time.perf_counter() - began, 2),
    )


def rollback(settings: Settings) -> dict:
    """Make the previous index version current again; returns the manifest now in force."""
    from ..store.files import read_manifest
    from ..store.versions import rollback_index

    read_manifest(settings.index_dir)  # a clear error when there is no index at all
    with lock_index(settings.index_dir):
        return rollback_index(settings.index_dir)


def _given_profile(paths: list[Path], profile: Path | None) -> Path | None:
    """The profile given: ``profile``, or the one .toml file among the paths."""
    given = [p for p in paths if p.suffix.lower() == PROFILE_SUFFIX]
    if len(given) + (profile is not None) > 1:
        names = ", ".join(str(p) for p in [*given, *([profile] if profile else [])])
        raise InputFileError(f"more than one profile given ({names}): give one, or merge them into one file")
    return profile if profile is not None else (given[0] if given else None)


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


def _read_all(files: list[Path], settings: Settings, skip_bad: bool, progress: Progress | None, parsed: Parsed):
    """Read and check every file before anything else happens; refuse the batch if one is bad. A file the
    index holds unchanged (``parsed``) is only checked and hashed, not read again."""
    documents: list[Document] = []
    skipped: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for path in files:
        if progress:
            progress("reading", 1, len(files))
        try:
            data = check_file(path, settings.max_file_mb)
            sha = hashlib.sha256(data).hexdigest()
            known = parsed.document(str(path), sha)
            raw = None if known is not None else read_document(path, settings.max_file_mb, data)
        except InputFileError as exc:
            skipped.append((str(path), str(exc)))
            continue
        if sha in seen:
            duplicates.append((str(path), seen[sha]))
            continue
        seen[sha] = str(path)
        documents.append(known if known is not None else parse_sections(raw))
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
