"""What an ingest changes: documents, sections and passages of the new index against the old one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..types import Document


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
    changed: bool = True
    version: str = ""
    previous_version: str = ""
    sentences_embedded: int = 0
    profiles: tuple[str, ...] = ()  # the profile files read (see profile.py)
    mode: str = "add"  # "add" (the files given added or updated), "sync" (exactly them), "remove" (library.py)
    purged: bool = False  # no copy of text the index no longer holds is left on disk (older versions deleted)
    versions_deleted: tuple[str, ...] = ()  # the versions a purge deleted

    def summary(self, limit: int = 12) -> list[str]:
        """The lines `latm-qa ingest` prints: what changed, then the next command."""
        size = f"{self.documents} document(s), {self.sections} sections, {self.passages} passages"
        if not self.changed:
            head = (f"Index at {self.index_dir} is up to date ({size}): nothing changed, nothing embedded, "
                    f"nothing written ({self.seconds:.1f} s).")
            return [head, *self._duplicates(), *(f"  note: {note}" for note in self.notes)]
        lines = [f"Index at {self.index_dir} is now version {self.version} ({size}), in {self.seconds:.1f} s."]
        if self.full_rebuild_reason:
            lines.append(f"  Full rebuild: {self.full_rebuild_reason}.")
        named = {"added": self.documents_added, "updated": self.documents_updated, "removed": self.documents_removed}
        docs = [f"{len(v)} {k} ({', '.join(v)})" for k, v in named.items() if v]
        lines.append(f"  documents: {'; '.join(docs) or 'none added, updated or removed'}")
        if self.mode == "sync" and self.documents_removed:
            lines.append(f"  --sync dropped {len(self.documents_removed)} document(s) not among the files given")
        sections = (("+", self.sections_added), ("-", self.sections_removed), ("~", self.sections_changed))
        if any(v for _, v in sections):
            lines.append(f"  sections: {len(self.sections_added)} added, {len(self.sections_removed)} removed, "
                         f"{len(self.sections_changed)} changed")
            for mark, labels in sections:
                lines += [f"    {mark} {label}" for label in labels[:limit]]
                lines += [f"    {mark} ... and {len(labels) - limit} more"] if len(labels) > limit else []
        lines.append(f"  passages: {self.kept} kept, {self.embedded} embedded, {self.dropped} dropped")
        lines.append(f"  profile: {', '.join(self.profiles) or 'none (everything derived from the reports)'}")
        lines += [
            f"  {r['file']}: {r['sections']} sections, {r['passages']} passages{_read_as(r.get('encoding', ''))}"
            for r in self.per_document
        ]
        lines += self._duplicates()
        lines += [f"  note: {note}" for note in self.notes]
        if self.purged:
            deleted = ", ".join(self.versions_deleted) or "none were kept"
            lines.append(f"  Purged: the word pieces and sentence vectors were written anew with only these passages' "
                         f"rows, and every older version deleted ({deleted}): no copy of removed text is left in "
                         f"{self.index_dir}. There is nothing to roll back to.")
        if self.previous_version:
            lines.append(f"  Previous version kept: `latm-qa ingest --rollback --index {self.index_dir}` restores it.")
        lines.append(f'Next: latm-qa search "your question" --index {self.index_dir}')
        return lines

    def _duplicates(self) -> list[str]:
        return [f"  {path}: same content as {original}; ingested once" for path, original in self.duplicates]



def document_keys(documents: list[Document]) -> dict[str, Document]:
    """Documents by file name (by path where two share a name): how old and new are matched."""
    names = Counter(Path(d.path).name for d in documents)
    return {(Path(d.path).name if names[Path(d.path).name] == 1 else d.path): d for d in documents}


def section_texts(doc: Document) -> dict[tuple[str, ...], str]:
    """Each section's body text by heading path (a repeated heading path gets "#2", "#3"...)."""
    seen: Counter[tuple[str, ...]] = Counter()
    out = {}
    for section in doc.sections:
        seen[section.heading_path] += 1
        key = section.heading_path + ((f"#{seen[section.heading_path]}",) if seen[section.heading_path] > 1 else ())
        out[key] = doc.text[section.start : section.end]
    return out


def compare_documents(old: list[Document], new: list[Document]) -> dict[str, tuple[str, ...]]:
    """Documents added/updated/removed (by file name) and, in updated ones, sections added/removed/changed.

    A section is matched by (file name, heading path) and changed when its body text differs;
    sections of added or removed documents are not listed one by one.
    """
    before, after = document_keys(old), document_keys(new)
    updated = [key for key in after if key in before and after[key].sha256 != before[key].sha256]
    out: dict[str, list[str]] = {"sections_added": [], "sections_removed": [], "sections_changed": []}
    for key in updated:
        was, now = section_texts(before[key]), section_texts(after[key])
        out["sections_added"] += [_label(key, p) for p in now if p not in was]
        out["sections_removed"] += [_label(key, p) for p in was if p not in now]
        out["sections_changed"] += [_label(key, p) for p in now if p in was and now[p] != was[p]]
    return {
        "documents_added": tuple(key for key in after if key not in before),
        "documents_updated": tuple(updated),
        "documents_removed": tuple(key for key in before if key not in after),
        **{name: tuple(items) for name, items in out.items()},
    }


def _label(document: str, heading_path: tuple[str, ...]) -> str:
    return f"{document}: {' > '.join(heading_path)}"


def _read_as(encoding: str) -> str:
    """A note for a text file that was not UTF-8 ("(read as Windows-1252)"); nothing for UTF-8 or a PDF."""
    return f" (read as {encoding})" if encoding not in ("", "UTF-8") else ""
