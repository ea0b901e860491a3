"""A PDF's outline (bookmarks): read with pypdf, and each entry's title found among the page's lines."""

from __future__ import annotations

import re

from ..types import OutlineEntry
from .pdf_lines import Line


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def apply_outline_entry(lines: list[Line], entry: OutlineEntry, key: int) -> int:
    """Mark the line(s) that spell an outline title on its page as one heading."""
    target = _norm(entry.title)
    if not target:
        return key
    for i, line in enumerate(lines):
        if not entry.page - 1 <= line.page <= entry.page + 1:
            continue
        joined = ""
        for j in range(i, min(i + 4, len(lines))):
            joined += _norm(lines[j].text)
            if joined == target:
                span = lines[i : j + 1]
                if not span[0].heading or any(ln.heading != span[0].heading for ln in span):
                    key += 1
                    for ln in span:
                        ln.heading = key
                return key
            if not target.startswith(joined):
                break
    return key


def read_outline(reader) -> tuple[OutlineEntry, ...]:
    entries: list[OutlineEntry] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item) + 1
            except Exception:  # noqa: BLE001 - a broken bookmark is skipped, not fatal
                continue
            title = re.sub(r"\s+", " ", str(item.title or "")).strip()
            if title:
                entries.append(OutlineEntry(title=title, depth=depth, page=page))

    try:
        walk(reader.outline, 0)
    except Exception:  # noqa: BLE001 - an unreadable outline means: detect from text
        return ()
    return tuple(entries)
