"""Frozen dataclasses passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .codes import TokenVectors, quantise  # noqa: F401  (imported from here too)

BlockKind = Literal["heading", "paragraph", "item", "footnote", "table"]
SectionKind = Literal["front", "chapter", "subsection", "subheading", "case_study", "unnumbered"]


@dataclass(frozen=True)
class Block:
    """A unit of text as a reader found it: a heading, a paragraph, a list item, a footnote or a table
    (its rows, header first, one a line: "| Total policy decisions | -1,710 | -665 |"; see text.table_row).

    ``pages`` lists (offset into ``text``, page number) where a new page begins; empty for
    sources without pages. ``heading_hint`` is the reader's guess of heading strength (1 = most
    prominent, 0 = not a heading).
    """

    kind: BlockKind
    text: str
    pages: tuple[tuple[int, int], ...] = ()
    heading_hint: int = 0


@dataclass(frozen=True)
class OutlineEntry:
    """One bookmark of a PDF outline: its title, depth and 1-based page."""

    title: str
    depth: int
    page: int


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: the blocks of one source file, in reading order."""

    path: str
    title: str
    sha256: str
    blocks: tuple[Block, ...]
    outline: tuple[OutlineEntry, ...] = ()
    page_count: int = 0
    encoding: str = ""  # how a text file was decoded ("UTF-8", "UTF-16", "Windows-1252"); "" for a PDF


@dataclass(frozen=True)
class Section:
    """A detected section: a numbered chapter or subsection, an unnumbered heading inside one (a
    subheading), a case study, or an unnumbered part.

    ``number`` is the printed number without its trailing dot ("2", "4.4"); case studies and
    subheadings carry their nearest numbered ancestor's number; unnumbered top-level sections ("About
    the Authors") carry their title.
    ``start``/``end`` are character offsets of the section's body in the document's cleaned text.
    """

    document: str
    number: str
    title: str
    level: int
    kind: SectionKind
    heading_path: tuple[str, ...]
    chapter_title: str
    start: int
    end: int
    pages: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """The heading as printed, e.g. "4.4. Case studies" or "Lancashire County Council (2013-Present)"."""
        return self.heading_path[-1] if self.heading_path else self.title


@dataclass(frozen=True)
class Document:
    """A source file after section detection: its cleaned text and section tree."""

    doc_id: str
    path: str
    title: str
    sha256: str
    text: str
    sections: tuple[Section, ...]
    page_marks: tuple[tuple[int, int], ...] = ()
    encoding: str = ""  # the source's text encoding, as read (see RawDocument)

    def pages_for(self, start: int, end: int) -> tuple[int, ...]:
        """Pages touched by the character span [start, end) of ``text``; () without pages."""
        if not self.page_marks:
            return ()
        first = 0
        for offset, page in self.page_marks:
            if offset <= start:
                first = page
        pages = [first] if first else []
        pages += [p for off, p in self.page_marks if start < off < end and p not in pages]
        return tuple(pages)


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: a slice of one section's body text with everything needed to cite it.

    ``table_header``: for a passage that continues a table, the table's header rows (and the row naming
    the group of rows it continues), which it is read, shown and embedded after; "" otherwise.
    ``paragraphs``: in a report that numbers its paragraphs, the numbers of those the passage holds ("8.14",
    the one it opens inside first); ``paragraph_items`` their lettered items it holds ("8.14(d)").
    """

    passage_id: str
    document: str
    document_title: str
    section: str
    section_title: str
    chapter_title: str
    heading_path: tuple[str, ...]
    text: str
    start: int
    end: int
    pages: tuple[int, ...] = ()
    section_kind: SectionKind = "subsection"
    ordinal: int = 0
    table_header: str = ""
    paragraphs: tuple[str, ...] = ()
    paragraph_items: tuple[str, ...] = ()

    @property
    def shown_text(self) -> str:
        """The passage as it is read: the header of the table it continues, if any, then its text."""
        return f"{self.table_header}\n{self.text}" if self.table_header else self.text

    def to_json(self) -> dict:
        data = dict(vars(self))  # every field is a plain value or a tuple of them: no deep copy needed
        data["heading_path"] = list(self.heading_path)
        data["pages"] = list(self.pages)
        data["paragraphs"] = list(self.paragraphs)
        data["paragraph_items"] = list(self.paragraph_items)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        return cls(
            **{
                **data,
                "heading_path": tuple(data["heading_path"]),
                "pages": tuple(data["pages"]),
                "paragraphs": tuple(data.get("paragraphs", ())),
                "paragraph_items": tuple(data.get("paragraph_items", ())),
            }
        )


@dataclass(frozen=True)
class PlaceReading:
    """How a place the question describes was read: "north-west" as North West: Lancashire, Cumbria."""

    words: str
    place: str
    councils: tuple[str, ...]
