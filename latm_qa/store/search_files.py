"""What a load would otherwise rebuild, stored by ingest in the version directory: each passage's text
as embedded and indexed (its heading path, the councils of its case study, then the passage), the
BM25 indexes of the passages and of the sentences (bm25s's own files, read memory-mapped), and each
document's lexicon (build/lexicon.py: its vocabulary and acronyms).

An index version written without them (before they were stored) still loads: the loader builds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .bm25 import Bm25

EMBEDDED = "embedded.json"
BM25_PASSAGES = "bm25-passages"
BM25_SENTENCES = "bm25-sentences"
LEXICON = "lexicon.jsonl"


@dataclass(frozen=True)
class SearchFiles:
    embedded: list[str] | None
    passages_bm25: Bm25 | None
    sentences_bm25: Bm25 | None
    lexicons: list[dict] | None


def write_search_files(out: Path, embedded: list[str], sentences: list[dict], lexicons: list[dict]) -> None:
    (out / EMBEDDED).write_text(json.dumps(embedded, ensure_ascii=False), encoding="utf-8")
    with open(out / LEXICON, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(lexicon, ensure_ascii=False) + "\n" for lexicon in lexicons)
    Bm25(embedded).save(out / BM25_PASSAGES)
    if sentences:
        Bm25([s["text"] for s in sentences]).save(out / BM25_SENTENCES)


def read_search_files(data: Path, passages: int, sentences: int) -> SearchFiles:
    """What the version directory ``data`` holds of them (None for each it does not, or not for these
    ``passages`` and ``sentences``)."""
    embedded = None
    try:
        found = json.loads((data / EMBEDDED).read_text(encoding="utf-8"))
        embedded = found if isinstance(found, list) and len(found) == passages else None
    except (OSError, ValueError):
        pass
    return SearchFiles(
        embedded, Bm25.read(data / BM25_PASSAGES, passages), Bm25.read(data / BM25_SENTENCES, sentences),
        read_lexicons(data),
    )


def read_lexicons(data: Path) -> list[dict] | None:
    """The documents' lexicons the version directory ``data`` holds, or None."""
    try:
        with open(data / LEXICON, encoding="utf-8") as fh:
            found = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError):
        return None
    return found if all(isinstance(item, dict) and "sha256" in item for item in found) else None
