"""Sections from the report's numbering: rebuild the cleaned text and the section tree."""

from __future__ import annotations

from pathlib import Path

from ..text import NUMBERED, ends_sentence
from ..types import Block, Document, RawDocument, Section
from .levels import HeadingLevels, front_section, title_heading
from .numbering import Numbering, is_numbered
from .paragraphs import demote_paragraph_headings, opens_item, paragraph_number

SEPARATOR = "\n\n"
# words a sentence goes on from but no title ends with
_NO_TITLE_ENDS = frozenset(
    "a an the of to and or nor but with for by from that which who will would shall is are was were".split()
)


def document_id(path: str, sha256: str) -> str:
    """A short stable id: the file name plus the start of its content hash."""
    return f"{Path(path).name}#{sha256[:8]}"


def parse_sections(raw: RawDocument) -> Document:
    """Turn a reader's blocks into a Document: cleaned text plus numbered sections and case studies
    (or, in a report without numbered headings, sections nested by heading level)."""
    blocks = _rejoin_interrupted(demote_paragraph_headings(list(raw.blocks)))
    doc_id = document_id(raw.path, raw.sha256)
    text_parts: list[str] = []
    page_marks: list[tuple[int, int]] = []
    offset = 0
    open_section: dict | None = None
    finished: list[dict] = []
    pending_footnotes: list[Block] = []
    state = Numbering(blocks) if is_numbered(blocks) else HeadingLevels(title_heading(blocks))

    def append(block: Block) -> int:
        nonlocal offset
        if text_parts:
            text_parts.append(SEPARATOR)
            offset += len(SEPARATOR)
        start = offset
        for rel, page in block.pages:
            if not page_marks or page_marks[-1][1] != page:
                page_marks.append((start + rel, page))
        text_parts.append(block.text)
        offset += len(block.text)
        return start

    def close_section() -> None:
        nonlocal open_section
        for footnote in pending_footnotes:
            append(footnote)
        pending_footnotes.clear()
        if open_section is not None:
            open_section["end"] = offset
            finished.append(open_section)
        open_section = None

    follows_heading = False  # no text since the last heading
    for i, block in enumerate(blocks):
        after = next((b for b in blocks[i + 1 :] if b.kind != "footnote"), None)
        heading = state.classify(block, raw.title, follows_heading, after) if block.kind == "heading" else None
        if heading is not None:
            follows_heading = True
            close_section()
            heading_start = append(Block(kind="heading", text=heading["label"], pages=block.pages))
            open_section = {**heading, "heading_start": heading_start, "start": offset + len(SEPARATOR)}
            continue
        if block.kind == "heading":  # a heading the numbering rejects is kept as text
            block = Block(kind="paragraph", text=block.text, pages=block.pages)
        if block.kind == "footnote":
            pending_footnotes.append(block)
            continue
        if open_section is None:
            state.front_used = True
            open_section = {**front_section(raw.title), "heading_start": offset, "start": offset}
        follows_heading = False
        append(block)
    close_section()

    text = "".join(text_parts)
    doc = Document(
        doc_id=doc_id,
        path=raw.path,
        title=raw.title,
        sha256=raw.sha256,
        text=text,
        sections=(),
        page_marks=tuple(page_marks),
        encoding=raw.encoding,
    )
    sections = []
    for sec in finished:
        start = min(sec["start"], sec["end"])
        sections.append(
            Section(
                document=doc_id,
                number=sec["number"],
                title=sec["title"],
                level=sec["level"],
                kind=sec["kind"],
                heading_path=tuple(sec["path"]),
                chapter_title=sec["chapter_title"],
                start=start,
                end=sec["end"],
                pages=doc.pages_for(sec["heading_start"], max(sec["end"], sec["heading_start"] + 1)),
            )
        )
    return Document(**{**doc.__dict__, "sections": tuple(sections)})


def _rejoin_interrupted(blocks: list[Block]) -> list[Block]:
    """Rejoin a sentence split by a footnote block or a page break ("socio-" ... "economic lines", "set up
    the" ... "1000 Club"): a block that opens as no sentence does runs on from one that ends no sentence,
    but a list item never runs on from the item before it (lists of lower-case items end no sentence).
    A numbered paragraph whose first line was read as a heading ("1.27 The Government will raise the" ...
    "personal allowance") is one paragraph again. A numbered paragraph ("33. This part sets out ...") or a
    lettered item ("b. sharealike licences ...") never runs on from the block before it."""
    out: list[Block] = []
    for block in blocks:
        target = next((i for i in range(len(out) - 1, -1, -1) if out[i].kind != "footnote"), None)
        prev = out[target] if target is not None else None
        joins = prev is not None and block.kind in ("paragraph", "item") and _continues(prev, block.text)
        # a list's next item is its own ("count to 100" / "read numbers"), as are a numbered paragraph and
        # a paragraph's lettered item ("a. more permissive licences ...; and" / "b. sharealike licences")
        if joins and not (block.kind == prev.kind == "item" or paragraph_number(block.text) or opens_item(block.text)):
            glue = "" if prev.text.endswith("-") else " "
            shift = len(prev.text) + len(glue)
            out[target] = Block(
                kind="paragraph" if prev.kind == "heading" else prev.kind,
                text=prev.text + glue + block.text,
                pages=prev.pages + tuple((rel + shift, page) for rel, page in block.pages),
            )
            continue
        out.append(block)
    return out


def _continues(prev: Block, text: str) -> bool:
    """Whether ``text`` goes on with the sentence ``prev`` left unfinished: a paragraph or item that ends no
    sentence, or a numbered line taken for a heading that is a paragraph's first line (what follows it
    opens in lower case, the line ends on a word no title ends with, "the", "of", "will", or it is a
    line of ten words or more and what follows opens as no sentence does: "2017 and will raise")."""
    if prev.kind in ("paragraph", "item"):
        return _runs_on(text) and not ends_sentence(prev.text)
    if prev.kind != "heading" or not NUMBERED.match(prev.text) or ends_sentence(prev.text):
        return False
    words = prev.text.split()
    return text[:1].islower() or words[-1].lower() in _NO_TITLE_ENDS or len(words) >= 10 and _runs_on(text)


def _runs_on(text: str) -> bool:
    """Whether a block may open mid-sentence: in lower case, with a number or sum ("£2.5 million a
    year"), a bracket or a quotation mark."""
    first = text[:1]
    return first.islower() or first.isdigit() or first in "£$€(\"'“‘"
