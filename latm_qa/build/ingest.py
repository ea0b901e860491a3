"""Ingest: source files -> sections -> passages -> vectors -> a new index version (atomic swap).

Incremental (reuse.py): a passage (or sentence) whose embedded text is already in the index keeps its vector;
only new text is embedded, and the model is loaded only then. Every input is read and checked
before the index is touched, so a bad file changes nothing. An ingest that would produce exactly the
index on disk writes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ..errors import InputFileError, LatmQaError
from ..profile import derive_library
from ..profile_file import ProfileChoice, document_profiles, stored_tables
from ..settings import Settings
from ..store.files import SCHEMA_VERSION, VersionFiles, read_knowledge, readable_manifest
from ..store.versions import forget_previous, lock_index, refresh_inputs, remove_stale, write_index
from .changes import IngestReport, compare_documents
from .fingerprint import code_digest, inputs_digest, new_manifest, up_to_date
from .lexicon import lexicons
from .library import Mode, Plan, plan_for, stored_documents
from .passages import chunking, embedding_texts, library_passages, split_sentences
from .resume import EmbedCache, discard_cache
from .reuse import Parsed, Previous, case_study_names, embed_reusing, vector_key
from .sources import (
    PROFILE_SUFFIX,
    Progress,
    collect_sources,
    distinct_titles,
    full_stop,
    read_kept,
    read_sources,
)
from .tokens import settle_sentences, settle_tokens, token_manifest


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    progress: Progress | None = None,
    skip_bad: bool = False,
    profile: Path | dict | None = None,
    sync: bool = False,
    purge: bool = False,
) -> IngestReport:
    """Add the given files and folders to the index in settings.index_dir, or update the documents read
    from the same paths; every other document stays (library.py). With ``sync``, the index becomes exactly
    these files, and the report names what it dropped. With ``purge``, no copy of text the new version no
    longer holds stays on disk: its word pieces are written anew and older versions deleted (no rollback).

    Each report given has its own profile (profile_file.py): ``profile`` (a file, or its tables already read)
    or a .toml file among ``paths``, else its own ``<stem>.toml`` and its folder's ``profile.toml``; every
    other document keeps the profile it was indexed with."""
    began = time.perf_counter()
    _check_limit(settings)
    paths = [Path(p) for p in paths]
    try:
        given = collect_sources([p for p in paths if p.suffix.lower() != PROFILE_SUFFIX])
        plan = plan_for(settings, given, "sync" if sync else "add")
        if not isinstance(profile, dict):
            profile = _given_profile(paths, profile)
    except InputFileError as exc:
        raise InputFileError(f"{full_stop(str(exc))} The index was not changed.") from None
    choice = ProfileChoice(tuple(given), profile)
    return _build(plan, settings, progress, skip_bad, choice, began, "sync" if sync else "add", purge)


def remove(
    names: Iterable[str], settings: Settings, progress: Progress | None = None, purge: bool = False
) -> IngestReport:
    """Drop the documents ``names`` stand for (each a path, file name, document id or title); the rest stay.
    With ``purge``, as ``ingest``'s: no copy of them stays in any version on disk."""
    began = time.perf_counter()
    _check_limit(settings)
    from ..store.files import read_manifest

    read_manifest(settings.index_dir)  # a clear error when there is no index at all
    plan = plan_for(settings, [], "remove", tuple(names))
    return _build(plan, settings, progress, False, None, began, "remove", purge)


def purge(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Leave no copy on disk of text the current version no longer holds: its word pieces and sentence
    vectors written anew (only its own rows), every other version deleted. Nothing is embedded."""
    began = time.perf_counter()
    from ..store.files import read_manifest

    read_manifest(settings.index_dir)
    return _build(plan_for(settings, [], "add"), settings, progress, False, None, began, "purge", True)


def _build(plan: Plan, settings: Settings, progress: Progress | None, skip_bad: bool,
           profile: ProfileChoice | None, began: float, mode: Mode | Literal["purge"], purge: bool = False
           ) -> IngestReport:
    """The new version ``plan`` describes: read, split, embed what is new, write, swap (or nothing, when the
    index is already as the plan would make it)."""
    files = list(plan.read)
    try:
        previous = readable_manifest(settings.index_dir) or {}  # a document kept keeps its profile as stored
        stored = stored_tables(previous and read_knowledge(settings.index_dir, previous), previous.get("sources", []))
        profiles, tables = document_profiles([*files, *map(Path, plan.stored)], profile, stored)
    except InputFileError as exc:
        raise InputFileError(f"{full_stop(str(exc))} The index was not changed.") from None
    shape = {**chunking(settings), "schema": SCHEMA_VERSION, "compress_tokens_above": settings.compress_tokens_above,
             "approximate_above": settings.approximate_above}
    digest = inputs_digest(files, tables, settings, skip_bad, shape, plan.stored, plan.order)
    if digest and not purge and (settings.index_dir / "manifest.json").is_file():
        with lock_index(settings.index_dir):
            remove_stale(settings.index_dir)
            if known := up_to_date(settings, digest, began):
                return replace(known, mode=mode, notes=plan.notes)
    parsed = Parsed.read(settings)  # unchanged files are not read or split again
    kept, unreadable = read_kept([p for p in files if str(p) not in plan.given], settings, parsed)
    stored = stored_documents(settings, {**plan.stored, **{path: plan.kept[path] for path in unreadable}},
                              parsed.documents if parsed.version == plan.based_on else None)
    library = {d.sha256: d.path for d in [*kept, *stored.values()]}
    named = [p for p in files if str(p) in plan.given]
    read, skipped, duplicates = (
        read_sources(named, settings, skip_bad, progress, parsed, library) if named else ([], [], [])
    )
    read += kept
    by_path = {**stored, **{d.path: d for d in read}}
    documents = distinct_titles([by_path[path] for path in dict.fromkeys(plan.order) if path in by_path])
    knowledge = derive_library(documents, tables)
    passages = library_passages(documents, settings, parsed.split)
    placed = [d for d in documents if d.doc_id in knowledge.placed]  # whose own profile names the gazetteer
    councils = case_study_names(placed, [p for p in passages if p.document in knowledge.placed]) if placed else {}
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
        if str((readable_manifest(settings.index_dir) or {}).get("current") or "") != plan.based_on:
            raise LatmQaError(
                f"the index at {settings.index_dir} changed while this ingest read its files (another ingest "
                "finished meanwhile): run it again. The index was not changed."
            )
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
            mode=mode, notes=(*plan.notes, *(f"{path}: kept as indexed (cannot be read now)" for path in unreadable)),
            **changes,
        )
        compress = len(passages) > settings.compress_tokens_above
        approximate = len(passages) > settings.approximate_above
        inputs = {"digest": digest, "per_document": list(per_doc), "skipped": skipped, "duplicates": duplicates,
                  "profiles": list(map(str, profiles)), "code": code_digest()}
        if not purge and old.same_as(documents, passages, settings, knowledge.to_json()):
            version = old.manifest.get("current", "") if old.manifest else ""
            stored = (old.manifest or {}).get("inputs") or {}
            if digest and stored.get("code") != inputs["code"]:  # the same index from new code: known next time
                refresh_inputs(settings.index_dir, version, inputs)
            discard_cache(settings.index_dir)  # what a killed run embedded is of no use now
            return replace(report, changed=False, version=version, seconds=round(time.perf_counter() - began, 2))

        todo = [i for i, key in enumerate(keys) if key not in old.vectors]
        sentence_todo = [i for i, key in enumerate(sentence_keys) if key not in old.sentences]
        embedder = None
        if todo or sentence_todo or old.dimension is None:
            from ..embed.model import load_embedder

            embedder = load_embedder(settings.model, settings.backend)
        dim = embedder.dim if embedder is not None else int(old.dimension or 0)
        cache = EmbedCache.open(settings.index_dir, settings) if todo or sentence_todo else None  # resume.py
        vectors, token_rows = embed_reusing(
            keys, texts, todo, old.vectors, dim, embedder, progress, "embedding passages", old_tokens=old.tokens,
            cache=cache,
        )
        tokens = settle_tokens(token_rows, dim, old.token_vectors, compress, compact=purge)
        del token_rows
        sentence_vectors = settle_sentences(
            sentence_keys, [s["text"] for s in sentences], sentence_todo, old, dim, embedder, progress, cache=cache,
            compact=purge,
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
        manifest["inputs"] = inputs
        history = {"mode": mode, "embedded": len(todo), "kept": len(passages) - len(todo), "dropped": dropped,
                   **{k: list(v) for k, v in changes.items() if k.startswith("documents_")}}
        files = VersionFiles(
            documents, passages, vectors, sentences, sentence_vectors, tokens, knowledge.to_json(), texts,
            lexicons(documents, old.lexicons), old.data, approximate,
        )
        written = write_index(settings.index_dir, manifest, files, history)
        discard_cache(settings.index_dir)  # the new version holds it all
        deleted = forget_previous(settings.index_dir) if purge else []
    return replace(
        report, embedded=len(todo), kept=len(passages) - len(todo), sentences_embedded=len(sentence_todo),
        version=written["current"], previous_version="" if purge else written.get("previous") or "",
        seconds=round(time.perf_counter() - began, 2), purged=purge,
        versions_deleted=tuple(name for name in deleted if name.startswith("v-")),
    )


def rollback(settings: Settings) -> dict:
    """Make the previous index version current again; returns the manifest now in force."""
    from ..store.files import read_manifest
    from ..store.versions import rollback_index

    read_manifest(settings.index_dir)  # a clear error when there is no index at all
    with lock_index(settings.index_dir):
        return rollback_index(settings.index_dir)


def _check_limit(settings: Settings) -> None:
    if not settings.max_file_mb > 0:
        raise LatmQaError(
            f"the file size limit must be a positive number of MB, got {settings.max_file_mb!r}: set --max-file-mb "
            "or LATM_QA_MAX_FILE_MB to e.g. 50. The index was not changed."
        )


def _given_profile(paths: list[Path], profile: Path | None) -> Path | None:
    """The profile given: ``profile``, or the one .toml file among the paths."""
    given = [p for p in paths if p.suffix.lower() == PROFILE_SUFFIX]
    if len(given) + (profile is not None) > 1:
        names = ", ".join(str(p) for p in [*given, *([profile] if profile else [])])
        raise InputFileError(f"more than one profile given ({names}): give one, or merge them into one file")
    return profile if profile is not None else (given[0] if given else None)
