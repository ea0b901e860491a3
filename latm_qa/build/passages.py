"""Split each section's body into passages of roughly 40-200 words, never crossing a section."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from pathlib import Path

from ..text import SENTENCE_BREAK, strip_number, word_count
from ..types import Document, Passage, Section


def split_passages(doc: Document, max_words: int = 120, min_words: int = 40) -> list[Passage]:
    """All passages of a document, in reading order."""
    passages: list[Passage] = []
    for section in doc.sections:
        seen: dict[str, int] = {}
        for start, end in _section_spans(doc.text, section, max_words, min_words):
            text = doc.text[start:end]
            key = passage_key(doc.path, section, text)
            seen[key] = seen.get(key, 0) + 1
            passages.append(
                Passage(
                    passage_id=hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:16],
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
                )
            )
    return passages


def passage_key(path: str, section: Section, text: str) -> str:
    """Identity of a passage: file name, heading path and text; not its offset, so unrelated edits keep it."""
    return f"{Path(path).name}|{' / '.join(section.heading_path)}|{text}"




# A sentence opening with one of these words leans on the one before ("This will help to support 1,400
# local jobs" says what the road before it will do): a passage does not begin with it mid-paragraph.
_LEANS_BACK = re.compile(r"(?:This|These|That|Those|It|Its|They|Their|Such|He|She|Both)\b")


def _units(text: str, start: int, end: int, max_words: int) -> Iterator[tuple[int, int, bool]]:
    """Paragraph spans; a paragraph longer than max_words is cut into sentence spans. The flag is True for
    a sentence that continues a paragraph and leans on the sentence before it."""
    pos = start
    for match in [*re.finditer(r"\n\s*\n", text[start:end]), None]:
        stop = start + match.start() if match else end
        para = text[pos:stop]
        if para.strip():
            lead = len(para) - len(para.lstrip())
            p_start, p_end = pos + lead, pos + len(para.rstrip())
            if word_count(para) <= max_words:
                yield p_start, p_end, False
            else:
                found = SENTENCE_BREAK.finditer(text, p_start, p_end)
                cuts = [(c.start() + len(c.group(0).rstrip()), c.end()) for c in found]
                s_pos = p_start
                for stop, following in [*cuts, (p_end, p_end)]:
                    yield s_pos, stop, s_pos > p_start and bool(_LEANS_BACK.match(text, s_pos))
                    s_pos = following
        pos = start + match.end() if match else end


def _section_spans(text: str, section: Section, max_words: int, min_words: int) -> list[tuple[int, int]]:
    units = [unit for unit in _units(text, section.start, section.end, max_words) if text[unit[0] : unit[1]].strip()]
    if not units:
        return []
    total = sum(word_count(text[s:e]) for s, e, _ in units)
    target = total / max(1, math.ceil(total / max_words))
    spans: list[list[int]] = []
    count = 0
    for s, e, leans in units:
        n = word_count(text[s:e])
        if spans and leans and count + n <= max_words * 1.5:
            spans[-1][1] = e
            count += n
        elif spans and count + n <= max(target * 1.15, min_words) and count + n <= max_words * 1.3:
            spans[-1][1] = e
            count += n
        elif spans and count < min_words and count + n <= max_words * 1.5:
            spans[-1][1] = e
            count += n
        else:
            spans.append([s, e])
            count = n
    if len(spans) > 1 and word_count(text[spans[-1][0] : spans[-1][1]]) < min_words:
        tail = spans.pop()
        spans[-1][1] = tail[1]
    return [(s, e) for s, e in spans]


# What is embedded: 1, the heading path's titles and the passage; 2, also the councils of a case study
# named after a partnership (see embedding_texts). Indexes record theirs, so an older one reads as written.
EMBEDDING_TEXT = 2


def embedding_text(passage: Passage, with_headings: bool = True, councils: str = "") -> str:
    """What is embedded and indexed for BM25: the heading path's titles (and the councils of its case
    study, when its title names none), then the passage."""
    if not with_headings:
        return passage.text
    titles = [strip_number(label) for label in passage.heading_path] + [councils]
    return " > ".join(t for t in titles if t) + "\n" + passage.text


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
    """Sentence spans of a passage (list items and paragraphs end a sentence too)."""
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        pos = para.start()
        for cut in SENTENCE_BREAK.finditer(text, para.start(), para.end()):
            spans.append((pos, cut.start() + len(cut.group(0).rstrip())))
            pos = cut.end()
        spans.append((pos, para.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]
