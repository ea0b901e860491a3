"""Filters on a search: by document, chapter (number or title) and part of a model."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import QueryError
from ..types import Passage
from .prior import passage_part


def _part_of(passage: Passage) -> str:
    return passage_part(passage.heading_path, passage.section_kind == "case_study")


def _part_key(part: str) -> str:
    """A part's name as compared: case, spacing, plural and a bracketed qualifier aside ("Case study" is
    "case studies", "notes and guidance" is "Notes and guidance (non-statutory)")."""
    words = re.sub(r"[\s_-]+", " ", re.sub(r"\([^()]*\)", " ", part)).strip().casefold().split()
    return " ".join(re.sub(r"(?<!s)s$", "", re.sub(r"(?<=[^aeiou])ies$", "y", w)) for w in words)


@dataclass(frozen=True)
class Filters:
    """Restrict a search: by document (id or file name), chapter number ("2", or an unnumbered title: "About us"), part.

    ``chapter_titles`` ("Shared services") also match a chapter, in reports without numbered headings.
    """

    documents: tuple[str, ...] = ()
    chapters: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    chapter_titles: tuple[str, ...] = ()

    def mask(self, passages: list[Passage]) -> np.ndarray:
        keep = np.ones(len(passages), dtype=bool)
        parts = {_part_key(part) for part in self.parts}
        for i, p in enumerate(passages):
            if self.documents and not any(d in (p.document, p.document.split("#")[0]) for d in self.documents):
                keep[i] = False
            elif (self.chapters or self.chapter_titles) and not (
                p.section.split(".")[0] in self.chapters
                or p.section in self.chapters
                or p.chapter_title in self.chapter_titles
            ):
                keep[i] = False
            elif self.parts and _part_key(_part_of(p)) not in parts:
                keep[i] = False
        return keep

    def check(self, passages: list[Passage]) -> None:
        """Refuse a document, chapter or part that no passage has: it would filter everything out and
        read as "the report does not answer this". In a library, refuse a chapter that more than one of the
        documents searched has (every report has a §1): the document filter must say whose."""
        wanted = [("document", "documents", v) for v in self.documents] + [
            ("chapter", "chapters", v) for v in self.chapters
        ] + [("part", "parts", v) for v in self.parts]
        for label, field, value in wanted:
            if not Filters(**{field: (value,)}).mask(passages).any():
                if field == "documents":
                    known = [p.document.split("#")[0] for p in passages]
                elif field == "chapters":
                    known = [p.section.split(".")[0] for p in passages]
                else:
                    known = [_part_of(p).lower() for p in passages]
                choices = ", ".join(f'"{k}"' for k in dict.fromkeys(known) if k)
                raise QueryError(f"no {label} {value!r} in this index: choose from {choices}")
            if field == "chapters":
                _one_document(value, passages, Filters(documents=self.documents, chapters=(value,)).mask(passages))


def _one_document(chapter: str, passages: list[Passage], keep: np.ndarray) -> None:
    """Refuse a chapter that several documents have, naming them and the fix."""
    found = list(dict.fromkeys(p.document for p, kept in zip(passages, keep, strict=True) if kept))
    if len(found) > 1:
        files = [d.split("#")[0] for d in found]
        names = [f if files.count(f) == 1 else d for f, d in zip(files, found, strict=True)]
        raise QueryError(
            f"chapter {chapter!r} is in {len(found)} documents of this index ({', '.join(names)}): say which with a "
            f"document filter (--document {names[0]}; `document` in the API; the page's Document filter), "
            f"or ask without the chapter"
        )
