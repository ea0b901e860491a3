"""An ingest's sources: the files given (folders expanded), each read and checked before the index is
touched, and documents of one title told apart. A file the index holds unchanged is only hashed."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import InputFileError
from ..read import SUPPORTED, read_document
from ..read.files import check_file
from ..settings import Settings
from ..structure.sections import parse_sections
from ..types import Document
from .reuse import Parsed

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


def read_kept(files: list[Path], settings: Settings, parsed: Parsed) -> tuple[list[Document], list[str]]:
    """The documents a library keeps, read again from their unchanged files (``parsed`` gives them back as
    indexed when the same code wrote them); and the paths of any that cannot be read now, which stay as
    indexed: a file the maintainer did not name never stops an ingest."""
    documents: list[Document] = []
    failed: list[str] = []
    for path in files:
        try:
            documents += read_sources([path], settings, False, None, parsed)[0]
        except InputFileError:
            failed.append(str(path))
    return documents, failed


def read_sources(files: list[Path], settings: Settings, skip_bad: bool, progress: Progress | None, parsed: Parsed,
                 seen: dict[str, str] | None = None):
    """Read and check every file before anything else happens; refuse the batch if one is bad. A file the
    index holds unchanged (``parsed``) is only checked and hashed, not read again. ``seen``: the SHA-256 of
    documents already in the library (a file of the same bytes is named a duplicate of it)."""
    documents: list[Document] = []
    skipped: list[tuple[str, str]] = []
    duplicates: list[tuple[str, str]] = []
    seen = dict(seen or {})
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
    good_files = len(documents) + len(duplicates)  # a copy of a document already read is good, and read once
    if not good_files and len(errors) == 1:
        raise InputFileError(f"{full_stop(errors[0])} {unchanged}")
    if not good_files:
        raise InputFileError(f"None of the {len(files)} files can be ingested. {unchanged}\n  " + "\n  ".join(errors))
    if errors and not skip_bad:
        good = f"pass --skip-bad to ingest the {_files(good_files, 'good')}"
        if len(errors) == 1:
            raise InputFileError(
                f"{full_stop(errors[0])} Nothing was ingested: fix or remove the file, or {good}. {unchanged}"
            )
        raise InputFileError(
            f"{len(errors)} of {len(files)} files cannot be ingested, so nothing was: fix or remove them, or {good}. "
            f"{unchanged}\n  " + "\n  ".join(errors)
        )
    return documents, skipped, duplicates


def full_stop(message: str) -> str:
    """The message ending as a sentence does."""
    return message if message.endswith((".", "?", "!")) else message + "."


def _files(count: int, kind: str) -> str:
    return f"{count} {kind} file" + ("" if count == 1 else "s")
