"""What an ingest changes: documents, sections and passages of the new index against the old one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .types import Document


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
