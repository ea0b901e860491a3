"""What the manifest records of an ingest (new_manifest), and what an ingest reads as one digest: an
unchanged library is known to be unchanged before it is read.

The digest covers each source file (its path and a SHA-256 of its bytes), the profile tables, the
settings and model that shape the index, the index format and the code that reads, splits and embeds
(latm_qa's build-side modules). The manifest keeps it with what the ingest reported, so re-ingesting
the same files with the same settings and code answers "up to date" from the manifest alone, in the
time it takes to hash the files, however many passages they hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..settings import Settings
from ..store.files import SCHEMA_VERSION, readable_manifest
from .changes import IngestReport

PACKAGE = Path(__file__).resolve().parent.parent
# the code that decides what an index holds: reading, structure, passages, knowledge, embedding, storing
BUILD_CODE = ("read", "structure", "build", "embed", "store", "places", "data", "profile.py", "profile_file.py",
              "text.py", "types.py")


def file_digest(path: Path) -> str:
    """A file's SHA-256, hashed once per ingest while its size and modification time are unchanged (its plan
    and its inputs' digest both ask for every file of the library); ``forget_digests`` starts each ingest."""
    found = os.stat(path)
    return _digest(str(Path(path).resolve()), found.st_size, found.st_mtime_ns)


def forget_digests() -> None:
    """Hash files anew (a file rewritten within one tick of the clock keeps its modification time)."""
    _digest.cache_clear()


@lru_cache(maxsize=65536)
def _digest(path: str, size: int, modified_ns: int) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    digest = hashlib.sha256()
    for name in BUILD_CODE:
        root = PACKAGE / name
        found = sorted(root.rglob("*")) if root.is_dir() else [root] if root.exists() else []
        for path in (p for p in found if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_digest(files: list[Path], profile: dict | None, settings: Settings, skip_bad: bool, shape: dict,
                  stored: dict[str, str] | None = None, order: tuple[str, ...] = ()) -> str:
    """One digest of everything an ingest of ``files`` would read ("" when a file cannot be read: the
    ingest then reads everything and names the file); ``shape`` the index settings and format; ``stored``
    the documents kept as indexed (path -> SHA-256) and ``order`` the library's order of all of them."""
    limit = settings.max_file_mb * 1024 * 1024
    try:  # only regular files within the size limit (a pipe or a huge file is for the full read to refuse)
        if not all(stat.S_ISREG(s.st_mode) and s.st_size <= limit for s in (os.stat(f) for f in files)):
            return ""
        hashes = [[str(Path(f).resolve()), file_digest(Path(f))] for f in files]
    except OSError:
        return ""
    payload = {
        "files": hashes,
        "stored": sorted((stored or {}).items()),
        "order": list(order),
        "profile": profile or {},
        "model": settings.model,
        "skip_bad": skip_bad,
        "shape": shape,
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def up_to_date(settings: Settings, digest: str, began: float) -> IngestReport | None:
    """The report of an ingest that would change nothing, known from the manifest's digest of the same
    inputs (fingerprint.py) without reading a report; None when it cannot be known so."""
    manifest = readable_manifest(settings.index_dir)
    inputs = (manifest or {}).get("inputs") or {}
    current = (manifest or {}).get("current")
    if inputs.get("digest") != digest or not current or not (settings.index_dir / current).is_dir():
        return None
    if manifest.get("schema_version") != SCHEMA_VERSION:
        return None
    return IngestReport(
        index_dir=str(settings.index_dir), documents=int(manifest["documents"]), sections=int(manifest["sections"]),
        passages=int(manifest["passages"]), embedded=0, kept=int(manifest["passages"]), dropped=0,
        seconds=round(time.perf_counter() - began, 2), per_document=tuple(inputs.get("per_document", ())),
        skipped=tuple(map(tuple, inputs.get("skipped", ()))),
        duplicates=tuple(map(tuple, inputs.get("duplicates", ()))),
        profiles=tuple(inputs.get("profiles", ())), changed=False, version=current,
    )


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


def library_versions() -> dict[str, str]:
    out = {}
    for name in ("latm-qa", "sentence-transformers", "torch", "faiss-cpu", "bm25s", "pypdf", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
