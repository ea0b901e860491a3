"""What a new index version holds: the library as it stands, changed only as the maintainer asked.

Three ways to change a library, and only two of them drop a document:

- ``add`` (``latm-qa ingest FILES``, the default): the files given are added, or update the document read
  from the same path; every other document stays.
- ``sync`` (``latm-qa ingest --sync FILES``): the index becomes exactly the files given; what else it held
  is dropped, and the report names it.
- ``remove`` (``latm-qa remove NAME``): the documents named (by path, file name, document id or title) are
  dropped; the rest stay.

A document that stays is read again from its file when the file is where it was and unchanged (cheap:
``Parsed`` gives it back as indexed); when the file has gone or changed since, it stays as indexed, and
the report says so (it is updated only when its file is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..errors import InputFileError, LatmQaError
from ..settings import Settings
from ..store.files import data_dir, read_texts, readable_manifest
from ..types import Document
from .fingerprint import file_digest, forget_digests

Mode = Literal["add", "sync", "remove"]


@dataclass(frozen=True)
class Plan:
    """The files an ingest reads and the documents it keeps as indexed, in the library's order."""

    order: tuple[str, ...]  # each document's source path, in the library's order
    read: tuple[Path, ...]  # the files to read (given, or kept and unchanged on disk)
    given: tuple[str, ...] = ()  # those of them named in this ingest (the rest: kept, read again when they can be)
    kept: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of each kept document read again
    stored: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of a document kept as indexed
    removed: tuple[str, ...] = ()  # file names of the documents dropped on purpose (sync, remove)
    kept_as_indexed: tuple[str, ...] = ()  # notes: documents whose file has gone or changed since
    not_given: tuple[str, ...] = ()  # file names of documents kept although not among the files given
    based_on: str = ""  # the version the plan was made from: the ingest refuses to write over another

    @property
    def notes(self) -> tuple[str, ...]:
        """What the maintainer should know of the documents kept without being named."""
        if not self.not_given:
            return self.kept_as_indexed
        more = len(self.not_given) - 5
        names = ", ".join(self.not_given[:5]) + (f" and {more} more" if more > 0 else "")
        return (*self.kept_as_indexed, f"{len(self.not_given)} other document(s) kept ({names}): `latm-qa remove "
                "FILE` drops one, `latm-qa ingest --sync FILES` makes the index exactly those files")


def plan_for(settings: Settings, given: list[Path], mode: Mode, names: tuple[str, ...] = ()) -> Plan:
    """``plan_library`` for the index in ``settings.index_dir`` as it is now."""
    forget_digests()  # each ingest hashes the files as they are now, once
    manifest = readable_manifest(settings.index_dir) or {}
    plan = plan_library(given, list(manifest.get("sources") or []), mode, names)
    return replace(plan, based_on=str(manifest.get("current") or ""))


def plan_library(given: list[Path], sources: list[dict], mode: Mode, names: tuple[str, ...] = ()) -> Plan:
    """What the new version reads and keeps. ``given``: the files named (add, sync); ``names``: the
    documents to remove (remove)."""
    if mode == "sync":
        replaced = _replacements(sources, given)
        as_indexed = {_resolved(str(p)): p for p in replaced.values()}  # a file indexed before keeps its path
        read = tuple(as_indexed.get(_resolved(str(p)), p) for p in given)
        removed = tuple(s["file"] for s in sources if id(s) not in replaced)
        return Plan(order=tuple(map(str, read)), read=read, given=tuple(map(str, read)), removed=removed)
    dropped = select_documents(sources, names) if mode == "remove" else []
    if mode == "remove" and len(dropped) == len(sources):
        raise LatmQaError(
            "that would remove every document, and an index needs at least one: add the new report first "
            "(`latm-qa ingest FILE`), or make the index exactly some files with `latm-qa ingest --sync FILES`"
        )
    replaced = _replacements(sources, given)
    order: list[str] = []
    read: list[Path] = []
    named: list[str] = []
    kept: dict[str, str] = {}
    stored: dict[str, str] = {}
    notes: list[str] = []
    not_given: list[str] = []
    dropped_ids = {id(s) for s in dropped}
    for source in sources:
        if id(source) in dropped_ids:
            continue
        if id(source) in replaced:
            path = replaced[id(source)]
            order.append(str(path))
            read.append(path)
            named.append(str(path))
            continue
        order.append(source["path"])
        not_given.append(source["file"])
        state = _on_disk(Path(source["path"]), source.get("sha256", ""))
        if state == "unchanged":
            read.append(Path(source["path"]))
            kept[source["path"]] = source.get("sha256", "")
        else:
            stored[source["path"]] = source.get("sha256", "")
            notes.append(f"{source['path']}: kept as indexed ({state} since); `latm-qa ingest FILE` updates it")
    placed = {_resolved(str(p)) for p in replaced.values()}
    for path in given:
        if _resolved(str(path)) not in placed:
            order.append(str(path))
            read.append(path)
            named.append(str(path))
    return Plan(
        order=tuple(order), read=tuple(read), given=tuple(named), kept=kept, stored=stored,
        removed=tuple(s["file"] for s in dropped),
        kept_as_indexed=tuple(notes), not_given=tuple(not_given) if mode == "add" else (),
    )


def library_status(settings: Settings, given: list[Path]) -> list[str]:
    """How the index stands against the files given (``make run``'s check; nothing is written): files new
    or changed since, documents indexed from elsewhere, and a rollback in force. Empty when it matches them."""
    manifest = readable_manifest(settings.index_dir) or {}
    sources = list(manifest.get("sources") or [])
    by_path = {_resolved(s["path"]): s for s in sources}
    new = [p for p in given if _resolved(str(p)) not in by_path]
    changed = [p for p in given if (s := by_path.get(_resolved(str(p)))) and _digest(p) != s.get("sha256")]
    given_paths = {_resolved(str(p)) for p in given}
    others = [s["file"] for s in sources if _resolved(s["path"]) not in given_paths]
    lines = []
    if new:
        lines.append(f"{len(new)} file(s) not in the index: {', '.join(p.name for p in new[:5])}")
    if changed:
        names = ", ".join(p.name for p in changed[:5])
        lines.append(f"{len(changed)} file(s) changed since they were indexed: {names}")
    if others:
        lines.append(f"{len(others)} indexed document(s) from elsewhere: {', '.join(others[:5])}")
    last = (manifest.get("history") or [{}])[-1]
    if lines and last.get("action") == "rollback":
        lines.insert(0, f"the index was rolled back to version {manifest.get('current')} on {last.get('created')}; "
                        "it stays so until you ingest again")
    return lines


def select_documents(sources: list[dict], names: tuple[str, ...]) -> list[dict]:
    """The indexed documents ``names`` stand for: each a path, file name, document id or title."""
    if not names:
        raise LatmQaError("name the documents to remove: latm-qa remove FILE|DOCUMENT (`latm-qa sections` lists them)")
    chosen: list[dict] = []
    for name in names:
        found = [s for s in sources if _names(s, name)]
        listed = "; ".join(f"{s['file']} ({s.get('title', '')})" for s in sources[:8])
        more = f" and {len(sources) - 8} more" if len(sources) > 8 else ""
        if not found:
            raise LatmQaError(
                f"{name!r} names no document in the index; it holds {listed}{more}. Nothing was removed."
            )
        if len(found) > 1:
            paths = ", ".join(s["path"] for s in found)
            raise LatmQaError(f"{name!r} names {len(found)} documents ({paths}): give its path. Nothing was removed.")
        if found[0] not in chosen:
            chosen.append(found[0])
    return chosen


def stored_documents(settings: Settings, stored: dict[str, str], indexed: list[Document] | None = None
                     ) -> dict[str, Document]:
    """The current version's documents kept as indexed (``Plan.stored``), by path; ``indexed``: that
    version's documents when already read (reuse.Parsed), else they are read here."""
    if not stored:
        return {}
    manifest = readable_manifest(settings.index_dir)
    try:
        documents = indexed if indexed else read_texts(data_dir(settings.index_dir, manifest or {}))[0]
    except (OSError, ValueError, KeyError, TypeError, LatmQaError) as exc:
        first = next(iter(stored))
        raise InputFileError(
            f"{first}: the file has gone or changed since it was indexed, and the index's copy cannot be read "
            f"({exc.__class__.__name__}): give the file again, or remove it with `latm-qa remove {Path(first).name}`. "
            "The index was not changed."
        ) from None
    return {d.path: d for d in documents if d.path in stored and d.sha256 == stored[d.path]}


def _replacements(sources: list[dict], given: list[Path]) -> dict[int, Path]:
    """Indexed document (by id of its source entry) -> the given file that updates it: the file at the
    same path, else (for a document whose file has gone) a file of the same bytes, moved."""
    out: dict[int, Path] = {}
    taken: set[str] = set()
    by_path = {_resolved(s["path"]): s for s in sources}
    for path in given:
        source = by_path.get(_resolved(str(path)))
        if source is not None and id(source) not in out:
            out[id(source)] = Path(source["path"])  # the same file as indexed: its path written as before
            taken.add(str(path))
    gone = [s for s in sources if id(s) not in out and not Path(s["path"]).exists()]
    if gone:
        for path in (p for p in given if str(p) not in taken):
            sha = _digest(path)
            match = next((s for s in gone if s.get("sha256") == sha and id(s) not in out), None)
            if match is not None:
                out[id(match)] = path
    return out


def _names(source: dict, name: str) -> bool:
    folded = name.casefold()
    return (
        _resolved(source["path"]) == _resolved(name)
        or folded in (source.get("file", "").casefold(), source.get("document", "").casefold(),
                      source.get("title", "").casefold())
    )


def _on_disk(path: Path, sha: str) -> Literal["unchanged", "changed", "gone"]:
    digest = _digest(path)
    return "gone" if not digest else "unchanged" if digest == sha else "changed"


def _digest(path: Path) -> str:
    try:
        return file_digest(path) if path.is_file() else ""
    except OSError:
        return ""


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path
