"""The index directory as versions: write one in full, then make it current with one os.replace.

A version is written (and fsynced) under a temporary name, renamed to v-<UTC time>, and only then made
current by replacing manifest.json. The previous version is kept for `latm-qa ingest --rollback`;
older ones, and whatever a killed run left, are removed by the next ingest. One writer at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..errors import IndexMismatchError, LatmQaError
from .files import (
    MANIFEST,
    SCHEMA_VERSION,
    VersionFiles,
    data_dir,
    fsync,
    read_manifest,
    read_version_files,
    readable_manifest,
    write_json,
    write_version_files,
)

LOCK = ".lock"
BUILDING = ".building-"
HISTORY_LENGTH = 50


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
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / LOCK, "a")  # noqa: SIM115 - closed below, after the lock is released
    except OSError as exc:
        raise LatmQaError(f"cannot write an index at {index_dir} ({exc.strerror}); choose another --index") from None
    with fh:
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
    files: VersionFiles,
    history: dict | None = None,
) -> dict:
    """Write a new version and make it current; the old current becomes the previous. Call under lock_index.

    Returns the manifest now in force (with "current", "previous" and "history").
    """
    index_dir = Path(index_dir)
    old = readable_manifest(index_dir)
    previous = old.get("current") if old else None
    name = _new_version_name(index_dir)
    entry = {"version": name, "created": manifest["created"], "action": "ingest", **_counts(manifest)}
    entry.update(history or {})
    manifest = {**manifest, "current": name, "previous": previous, "history": _history(old, entry)}
    tmp = index_dir / f"{BUILDING}{name}-{os.getpid()}"
    try:
        tmp.mkdir(parents=True)
        write_version_files(tmp, manifest, files)
        os.rename(tmp, index_dir / name)
        _publish(index_dir, manifest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise LatmQaError(
            f"could not write the index at {index_dir} ({exc.strerror or exc}); the index was not changed"
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    remove_stale(index_dir)
    return manifest


def refresh_inputs(index_dir: Path, version: str, inputs: dict) -> bool:
    """Record in manifest.json the inputs of an ingest that found the index already as they would make it
    (their digest, the code that read them, what was skipped), so that the next such ingest is known from
    the manifest without reading a report; the version itself is not touched. Call under lock_index.
    Returns whether the manifest was rewritten."""
    index_dir = Path(index_dir)
    manifest = readable_manifest(index_dir)
    if not manifest or manifest.get("current") != version or manifest.get("inputs") == inputs:
        return False
    _publish(index_dir, {**manifest, "inputs": inputs})
    return True


def rollback_index(index_dir: Path) -> dict:
    """Make the previous version current again (and the current one the previous). Call under lock_index."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    previous = manifest.get("previous")
    if not previous or not (index_dir / str(previous) / MANIFEST).exists():
        raise LatmQaError(f"index at {index_dir} has no previous version to roll back to; nothing was changed")
    kept = _version_manifest(index_dir, str(previous))
    target = {**kept, "schema_version": kept.get("schema_version", SCHEMA_VERSION), "current": previous}
    read_version_files(index_dir, data_dir(index_dir, target), target)  # refuse a damaged version
    entry = {"version": previous, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "action": "rollback",
             "from": manifest.get("current"), **_counts(target)}
    restored = {**target, "previous": manifest.get("current"), "history": _history(manifest, entry)}
    _publish(index_dir, restored)
    return restored


def forget_previous(index_dir: Path) -> list[str]:
    """Delete every version but the current one (a purge: no copy of text the current version no longer
    holds stays on disk; rollback is then impossible). Call under lock_index. Returns what was deleted."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    previous = manifest.get("previous")
    entry = {"version": manifest.get("current"), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "action": "purge",
             "deleted": previous, **_counts(manifest)}
    _publish(index_dir, {**manifest, "previous": None, "history": _history(manifest, entry)})
    return remove_stale(index_dir)


def remove_stale(index_dir: Path) -> list[str]:
    """Delete what killed runs left (temporary dirs and files) and versions older than the previous."""
    index_dir = Path(index_dir)
    manifest = readable_manifest(index_dir)
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
    return removed


def _version_manifest(index_dir: Path, name: str) -> dict:
    try:
        return json.loads((index_dir / name / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(f"version {name} of {index_dir} is unreadable ({exc.__class__.__name__})") from None


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
    return [*earlier, entry][-HISTORY_LENGTH:]


def _new_version_name(index_dir: Path) -> str:
    base = "v-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    name, n = base, 1
    while (index_dir / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _publish(index_dir: Path, manifest: dict) -> None:
    """Atomically replace manifest.json: the moment the new version becomes current."""
    tmp = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    write_json(tmp, manifest)
    fsync(tmp)
    os.replace(tmp, index_dir / MANIFEST)
    fsync(index_dir)


def _is_ours(name: str) -> bool:
    return name in (LOCK, ".embedded") or name.startswith((BUILDING, "v-", f".{MANIFEST}."))  # build/resume.py
