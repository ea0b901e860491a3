"""Sections from heading levels, for a report whose headings carry no numbers.

The report this tool was built for is numbered ("2.", "2.4."), and its numbering is trusted over
markdown "#" depths or one PDF's fonts. A report without numbered headings falls back to the
levels its reader saw: "#" depth in markdown, font size rank in a PDF, title case in plain text.
A named part ("Appendix A: Questions to ask") still numbers what sits in it.
"""

from __future__ import annotations

import re

from ..types import Block
from .headings import CASE_STUDIES_TITLE, is_named_example, named_number


def title_heading(blocks: list[Block]) -> str:
    """The report's first heading when it is set stronger than every other (a PDF's lone H1, whatever its
    metadata calls the document): its title; "" if none is."""
    hints = [b.heading_hint for b in blocks if b.kind == "heading"]
    first = next((b for b in blocks if b.kind == "heading"), None)
    if first is None or first.heading_hint <= 0 or any(0 < hint <= first.heading_hint for hint in hints[1:]):
        return ""
    return re.sub(r"\s+", " ", first.text).strip()


def front_section(title: str) -> dict:
    """The section for text before the first chapter, named after the document."""
    return {
        "number": "",
        "title": title,
        "level": 0,
        "kind": "front",
        "path": [title],
        "chapter_title": title,
        "label": title,
    }


class HeadingLevels:
    """Nests headings by their reader's level (1 = strongest; 0, a weak heading, the deepest)."""

    def __init__(self, title: str = "") -> None:
        self.title = title  # the title heading (title_heading), besides the document's title
        self.stack: list[tuple[int, str]] = []
        self.front_used = False

    def classify(
        self, block: Block, doc_title: str, follows_heading: bool = False, after: Block | None = None
    ) -> dict | None:
        """The section a heading opens (levels alone decide: what is around it is not needed here); the
        report's title is its heading or, in a PDF, the heading set stronger than every other."""
        text = re.sub(r"\s+", " ", block.text).strip()
        if not self.front_used and not self.stack and text in (doc_title, self.title):
            self.front_used = True
            return front_section(text)
        level = block.heading_hint or 99
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        parents = [label for _, label in self.stack]
        self.stack.append((level, text))
        path = [*parents, text]
        case_study = any(CASE_STUDIES_TITLE.search(label) for label in parents) or is_named_example(text)
        named = next((number for label in reversed(path) if (number := named_number(label))), "")
        return {
            "number": named or path[0],
            "title": text,
            "level": min(len(path), 3),
            "kind": "case_study" if case_study and parents else "unnumbered",
            "path": path,
            "chapter_title": path[0],
            "label": text,
        }
