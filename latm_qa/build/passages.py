"""Split each section's body into passages of roughly 40-200 words, never crossing a section."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..settings import Settings
from ..structure.paragraphs import held, item_starts, note_starts, paragraph_starts
from ..text import LEANS_BACK, SENTENCE_BREAK, TABLE_ROW, row_cells, strip_number, table_header_size, word_count
from ..types import Document, Passage, Section


def split_passages(doc: Document, max_words: int = 120, min_words: int = 40) -> list[Passage]:
    """All passages of a document, in reading order, each with the numbered paragraphs it holds."""
    passages: list[Passage] = []
    bodies = [(section.start, section.end) for section in doc.sections]
    starts = paragraph_starts(doc.text, bodies)
    items = item_starts(doc.text, starts, bodies)
    fresh = ({at for at, _ in starts} | note_starts(doc.text, bodies)) if starts else set()
    for section in doc.sections:
        seen: dict[str, int] = {}
        for start, end, lead in _section_spans(doc.text, section, max_words, min_words):
            text = doc.text[start:end]
            key = passage_key(doc.path, section.heading_path, text)
            seen[key] = seen.get(key, 0) + 1
            passages.append(
                Passage(
                    passage_id=passage_id(key, seen[key]),
                    document=doc.doc_id,
                    document_title=doc.title,
                    section=section.number,
                    section_title=section.title,
                    chapter_title=section.chapter_title,
                    heading_path=section.heading_path,
                    text=text,
                    start=start,
                    end=end,
                    pages=doc.pages_for(start, end),
                    section_kind=section.kind,
                    ordinal=len(passages),
                    table_header=lead,
                    paragraphs=held(starts, start, end, section.start, fresh),
                    paragraph_items=held(items, start, end, section.start, fresh | {at for at, _ in items}),
                )
            )
    return passages


def passage_key(path: str, heading_path: tuple[str, ...], text: str) -> str:
    """Identity of a passage: file name, heading path and text; not its offset, so unrelated edits keep it."""
    return f"{Path(path).name}|{' / '.join(heading_path)}|{text}"


def passage_id(key: str, nth: int) -> str:
    """The id of the ``nth`` passage of a section with that key (passage_key)."""
    return hashlib.sha1(f"{key}|{nth}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Unit:
    """A span the splitter groups into passages: a paragraph, a sentence of a long one, or a table's
    header (``table`` 1) or one of its rows (``table`` 2, with ``lead``: the header, and the row naming the
    group of rows it is in, that a passage starting at it repeats)."""

    start: int
    end: int
    leans: bool = False  # a sentence that continues a paragraph and leans on the sentence before it
    table: int = 0
    lead: str = ""


def _units(text: str, start: int, end: int, max_words: int) -> Iterator[_Unit]:
    """Paragraph spans; a paragraph longer than max_words is cut into sentence spans, a table into its
    header and its rows."""
    pos = start
    for match in [*re.finditer(r"\n\s*\n", text[start:end]), None]:
        stop = start + match.start() if match else end
        para = text[pos:stop]
        if para.strip():
            lead = len(para) - len(para.lstrip())
            p_start, p_end = pos + lead, pos + len(para.rstrip())
            rows = text[p_start:p_end].split("\n")
            if all(TABLE_ROW.fullmatch(row) for row in rows):
                yield from _table_units(rows, p_start)
            elif word_count(para) <= max_words:
                yield _Unit(p_start, p_end)
            else:
                found = SENTENCE_BREAK.finditer(text, p_start, p_end)
                cuts = [(c.start() + len(c.group(0).rstrip()), c.end()) for c in found]
                s_pos = p_start
                for stop, following in [*cuts, (p_end, p_end)]:
                    yield _Unit(s_pos, stop, s_pos > p_start and bool(LEANS_BACK.match(text, s_pos)))
                    s_pos = following
        pos = start + match.end() if match else end


def _table_units(rows: list[str], start: int) -> Iterator[_Unit]:
    """A table's header as one unit, then each row. A row with one cell filled, above a row with more,
    names the group of rows below it ("| Main components of GDP |"), and is repeated with the header."""
    size = table_header_size(rows)
    header = "\n".join(rows[:size])
    filled = [sum(bool(cell) for cell in row_cells(row)) for row in rows] + [0]
    pos = start + len(header)
    yield _Unit(start, pos, table=1)
    group = ""
    for i in range(size, len(rows)):
        pos += 1  # the newline before the row
        yield _Unit(pos, pos + len(rows[i]), table=2, lead=header + (f"\n{group}" if group else ""))
        pos += len(rows[i])
        if filled[i] == 1 and filled[i + 1] > 1:
            group = rows[i]


def _section_spans(text: str, section: Section, max_words: int, min_words: int) -> list[tuple[int, int, str]]:
    """Passage spans of a section, each with the table header it repeats ("" unless it continues a
    table). A table starts a passage of its own and is cut only between rows."""
    units = [u for u in _units(text, section.start, section.end, max_words) if text[u.start : u.end].strip()]
    if not units:
        return []
    total = sum(word_count(text[u.start : u.end]) for u in units)
    target = total / max(1, math.ceil(total / max_words))
    spans: list[list] = []  # [start, end, lead, starts a table]
    count = 0
    for u in units:
        n = word_count(text[u.start : u.end])
        if u.table == 1:
            spans.append([u.start, u.end, "", True])
            count = n
        elif spans and u.leans and count + n <= max_words * 1.5:
            spans[-1][1] = u.end
            count += n
        elif spans and count + n <= max(target * 1.15, min_words) and count + n <= max_words * 1.3:
            spans[-1][1] = u.end
            count += n
        elif spans and count < min_words and count + n <= max_words * 1.5:
            spans[-1][1] = u.end
            count += n
        else:
            spans.append([u.start, u.end, u.lead, False])
            count = n + word_count(u.lead)
    if len(spans) > 1 and not spans[-1][3] and word_count(text[spans[-1][0] : spans[-1][1]]) < min_words:
        tail = spans.pop()
        spans[-1][1] = tail[1]
    return [(s, e, lead) for s, e, lead, _ in spans]


# What is embedded: 1, the heading path's titles and the passage; 2, also the councils of a case study
# named after a partnership (see embedding_texts). Indexes record theirs, so an older one reads as written.
EMBEDDING_TEXT = 2


def embedding_text(passage: Passage, with_headings: bool = True, councils: str = "") -> str:
    """What is embedded and indexed for BM25: the heading path's titles (and the councils of its case
    study, when its title names none), then the passage (after the header of the table it continues)."""
    if not with_headings:
        return passage.shown_text
    titles = [strip_number(label) for label in passage.heading_path] + [councils]
    return " > ".join(t for t in titles if t) + "\n" + passage.shown_text


def chunking(settings) -> dict:
    """The settings that decide passages and vectors (stored in the manifest): a change needs a rebuild."""
    return {
        "max_words": settings.max_words,
        "min_words": settings.min_words,
        "embed_headings": settings.embed_headings,
        "embedding_text": EMBEDDING_TEXT,
    }


def embedding_texts(passages: list[Passage], with_headings: bool, councils: dict[tuple, str]) -> list[str]:
    """embedding_text of every passage; ``councils`` by (document, heading path), from
    places.case_study_councils ({} for an index written before EMBEDDING_TEXT 2)."""
    return [embedding_text(p, with_headings, councils.get((p.document, p.heading_path), "")) for p in passages]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a passage (list items and paragraphs end a sentence too; a table's row is one)."""
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        pos = para.start()
        if TABLE_ROW.fullmatch(para.group(0)):
            spans.append((pos, para.end()))
            continue
        for cut in SENTENCE_BREAK.finditer(text, para.start(), para.end()):
            spans.append((pos, cut.start() + len(cut.group(0).rstrip())))
            pos = cut.end()
        spans.append((pos, para.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def library_passages(documents: list[Document], settings: Settings,
                     split: Callable[[Document], list[Passage] | None] | None = None) -> list[Passage]:
    """Every document's passages, numbered through the library, with ids unique across it; ``split`` gives
    an unchanged document's passages as split before (Parsed.split), or None to split it."""
    passages: list[Passage] = []
    seen: set[str] = set()
    for doc in documents:
        known = split(doc) if split is not None else None
        for passage in known if known is not None else split_passages(doc, settings.max_words, settings.min_words):
            pid = passage.passage_id
            if pid in seen:  # two files of one name in different folders: keep ids unique
                pid = hashlib.sha1(f"{doc.path}|{pid}".encode()).hexdigest()[:16]
            seen.add(pid)
            passages.append(replace(passage, passage_id=pid, ordinal=len(passages)))
    return passages
