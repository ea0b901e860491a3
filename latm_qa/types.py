"""Frozen dataclasses passed between pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from .codes import pq_decode, quantise  # noqa: F401  (quantise: imported from here too)

DECODED_ROWS = 250_000  # word pieces (~2,500 passages, 375 MB) a loaded index keeps decoded as float32
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

    @property
    def shown_text(self) -> str:
        """The passage as it is read: the header of the table it continues, if any, then its text."""
        return f"{self.table_header}\n{self.text}" if self.table_header else self.text

    def to_json(self) -> dict:
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        data["pages"] = list(self.pages)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        return cls(
            **{
                **data,
                "heading_path": tuple(data["heading_path"]),
                "pages": tuple(data["pages"]),
            }
        )


@dataclass(frozen=True)
class PlaceReading:
    """How a place the question describes was read: "north-west" as North West: Lancashire, Cumbria."""

    words: str
    place: str
    councils: tuple[str, ...]


@dataclass(frozen=True)
class TokenVectors:
    """Every passage's word-piece vectors, stacked passage by passage: ``counts[i]`` rows for passage i.

    Kept as int8 codes with one scale per row (a row is ``codes * scale``), or, with a ``codebook``, as
    product-quantised codes (one byte per slice of the row; ``scales`` then empty): codes.py. A loaded
    index memory-maps them from disk; ``block`` decodes only the passages a question scores.
    """

    codes: np.ndarray  # (word pieces, dimension) int8, or (word pieces, subspaces) uint8 with a codebook
    scales: np.ndarray  # (word pieces,) float32; empty with a codebook
    counts: np.ndarray  # (passages,) int
    codebook: np.ndarray | None = None  # (subspaces, 256, slice width) float32: product quantisation

    @classmethod
    def stack(cls, rows: list, dim: int, codebook: np.ndarray | None = None) -> TokenVectors:
        """From each passage's rows as stored (``stored``): (int8 codes, scales), or (codes, None) under
        ``codebook``; float rows are quantised here (int8)."""
        pairs = [row if isinstance(row, tuple) else quantise(row) for row in rows]
        counts = np.array([len(c) for c, _ in pairs], "int64")
        if codebook is not None:
            codes = np.concatenate([c for c, _ in pairs]) if pairs else np.zeros((0, codebook.shape[0]), "uint8")
            return cls(codes.astype("uint8"), np.zeros(0, "float32"), counts, codebook)
        codes = np.concatenate([c for c, _ in pairs]) if pairs else np.zeros((0, dim), "int8")
        scales = np.concatenate([s for _, s in pairs]) if pairs else np.zeros(0, "float32")
        return cls(codes.astype("int8"), scales.astype("float32"), counts)

    @cached_property
    def starts(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype("int64") if len(self.counts) else self.counts

    @property
    def encoding(self) -> str:
        return "int8" if self.codebook is None else "pq"

    def decode(self, codes: np.ndarray, scales: np.ndarray | None) -> np.ndarray:
        """Float32 rows from codes as stored (``scales`` unused under a codebook)."""
        if self.codebook is not None:
            return pq_decode(codes, self.codebook)
        return np.asarray(codes).astype("float32") * np.asarray(scales)[:, None]

    @property
    def matrix(self) -> np.ndarray:
        """Every row decoded (float32): for small indexes and tests; scorers use ``block``."""
        return self.decode(self.codes, self.scales)

    def stored(self, i: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Passage i's rows as stored: (int8 codes, scales), or (codes, None) under the codebook."""
        start, end = int(self.starts[i]), int(self.starts[i] + self.counts[i])
        return self.codes[start:end], (None if self.codebook is not None else self.scales[start:end])

    def rows(self, i: int) -> np.ndarray:
        return self.decode(*self.stored(i))

    @cached_property
    def decoded(self) -> np.ndarray | None:
        """Every row decoded once and kept, for an index small enough (DECODED_ROWS); else None."""
        return self.matrix if len(self.codes) <= DECODED_ROWS else None

    def block(self, passages: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The decoded rows of the given passages (default: all), one after another, and where each
        passage's rows begin."""
        if passages is None and self.decoded is not None:
            return self.decoded, self.starts
        passages = np.arange(len(self.counts)) if passages is None else passages
        counts = self.counts[passages]
        begins = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype("int64") if len(counts) else counts
        if self.decoded is not None:
            picked = np.arange(int(counts.sum())) + np.repeat(self.starts[passages] - begins, counts)
            return self.decoded[picked], begins
        return self.decode(*self._gather(passages)), begins

    def coded_block(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given passages' int8 codes (as float32, not yet scaled) and their rows' scales: a product
        with the codes scaled afterwards, per column, costs a fraction of scaling every row first."""
        codes, scales = self._gather(passages)
        return codes.astype("float32"), scales

    def _gather(self, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        spans = [(int(start), int(start + count)) for start, count in zip(self.starts[passages], self.counts[passages],
                                                                            strict=True)]
        codes, scales = np.asarray(self.codes), np.asarray(self.scales)  # plain views of a memory map: faster slicing
        if self.codebook is not None:
            return (np.concatenate([codes[a:b] for a, b in spans]) if spans else codes[:0]), None
        if not spans:
            return codes[:0], scales[:0]
        return np.concatenate([codes[a:b] for a, b in spans]), np.concatenate([scales[a:b] for a, b in spans])
