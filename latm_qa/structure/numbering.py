"""Sections from a report's numbering: "2." opens chapter 2, "2.4." its part 4; a heading that does not
continue the numbering is text. Under a part titled as case studies, a strong or dated heading is a
named example (a case study); an unnumbered strong heading after the numbered ones is a chapter of
its own ("About the Authors")."""

from __future__ import annotations

import re

from ..types import Block
from .levels import CASE_STUDIES_TITLE, DATED, front_section, numbered_heading


def is_numbered(blocks: list[Block]) -> bool:
    """Whether the report numbers its headings ("1. Introduction", "2.1 Key features")."""
    headings = [re.sub(r"\s+", " ", b.text).strip() for b in blocks if b.kind == "heading"]
    return sum(numbered_heading(text) is not None for text in headings) >= 2


class Numbering:
    """Tracks the section numbering seen so far and accepts only headings that continue it."""

    def __init__(self) -> None:
        self.chapter = 0
        self.sub = 0
        self.chapter_label = ""
        self.chapter_title = ""
        self.sub_label = ""
        self.sub_title = ""
        self.sub_number = ""
        self.seen_numbered = False
        self.front_used = False

    def classify(self, block: Block, doc_title: str) -> dict | None:
        text = re.sub(r"\s+", " ", block.text).strip()
        match = numbered_heading(text)
        if match:
            chapter, sub, title = int(match.group(1)), match.group(2), match.group(3).strip()
            if sub is None and chapter > self.chapter:
                self.chapter, self.sub, self.seen_numbered = chapter, 0, True
                self.chapter_label, self.chapter_title = f"{chapter}. {title}", title
                self.sub_label = self.sub_title = self.sub_number = ""
                return {
                    "number": str(chapter),
                    "title": title,
                    "level": 1,
                    "kind": "chapter",
                    "path": [self.chapter_label],
                    "chapter_title": title,
                    "label": self.chapter_label,
                }
            if sub is not None and (chapter == self.chapter and int(sub) > self.sub or chapter > self.chapter):
                if chapter != self.chapter:  # the chapter heading itself was not found
                    self.chapter, self.chapter_label, self.chapter_title = chapter, f"{chapter}.", ""
                self.sub, self.seen_numbered = int(sub), True
                self.sub_number = f"{chapter}.{int(sub)}"
                self.sub_label, self.sub_title = f"{self.sub_number}. {title}", title
                return {
                    "number": self.sub_number,
                    "title": title,
                    "level": 2,
                    "kind": "subsection",
                    "path": [self.chapter_label, self.sub_label],
                    "chapter_title": self.chapter_title,
                    "label": self.sub_label,
                }
            return None
        strong = block.heading_hint > 0
        if not self.seen_numbered:
            if self.front_used or not (strong or text == doc_title):
                return None
            self.front_used = True
            return front_section(text)
        if CASE_STUDIES_TITLE.search(self.sub_title) and (strong or DATED.search(text)):
            return {
                "number": self.sub_number,
                "title": text,
                "level": 3,
                "kind": "case_study",
                "path": [self.chapter_label, self.sub_label, text],
                "chapter_title": self.chapter_title,
                "label": text,
            }
        if not strong:
            return None
        self.sub_title = self.sub_label = self.sub_number = ""
        self.chapter_label = self.chapter_title = text
        return {
            "number": text,
            "title": text,
            "level": 1,
            "kind": "unnumbered",
            "path": [text],
            "chapter_title": text,
            "label": text,
        }
