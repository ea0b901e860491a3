"""Sections from a report's numbering: "2." opens chapter 2, "2.4." its part 4; a heading that does not
continue the numbering is text. Under a part titled as case studies, a strong or dated heading is a
named example (a case study); an unnumbered strong heading after the numbered ones is a chapter of
its own ("About the Authors")."""

from __future__ import annotations

import re

from ..types import Block
from .levels import CASE_STUDIES_TITLE, DATED, front_section, numbered_heading

# Back matter, which belongs to no chapter however deep a converter set its heading ("About the Authors",
# "Annex B", "References"): a report's own part, as a numbered chapter is.
BACK_MATTER = re.compile(
    r"(about\b|acknowledge?ments?\b|annex(es)?\b|appendi(x|ces)\b|bibliography\b|endnotes\b|glossary\b|"
    r"references\b|further information\b)",
    re.IGNORECASE,
)


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
        self.chapter_number = ""
        self.chapter_hint = 0  # how strong the open chapter's heading is (its reader's level; 0: not known)
        self.sub_hint = 0
        self.inner: list[tuple[int, str]] = []  # unnumbered headings open inside the numbered section

    def classify(self, block: Block, doc_title: str) -> dict | None:
        text = re.sub(r"\s+", " ", block.text).strip()
        match = numbered_heading(text)
        if match:
            chapter, sub, title = int(match.group(1)), match.group(2), match.group(3).strip()
            if sub is None and chapter > self.chapter:
                self.chapter, self.sub, self.seen_numbered = chapter, 0, True
                self.chapter_label, self.chapter_title = f"{chapter}. {title}", title
                self.sub_label = self.sub_title = self.sub_number = ""
                self.chapter_number, self.chapter_hint = str(chapter), block.heading_hint
                self.sub_hint, self.inner = 0, []
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
                    self.chapter_number, self.chapter_hint = str(chapter), 0
                self.sub, self.seen_numbered = int(sub), True
                self.sub_hint, self.inner = block.heading_hint, []
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
        if self.chapter_hint and block.heading_hint > self.chapter_hint and not BACK_MATTER.match(text):
            return self._inner_heading(text, block.heading_hint)
        self.sub_title = self.sub_label = self.sub_number = ""
        self.chapter_label = self.chapter_title = self.chapter_number = text
        self.chapter_hint, self.sub_hint, self.inner = block.heading_hint, 0, []
        return {
            "number": text,
            "title": text,
            "level": 1,
            "kind": "unnumbered",
            "path": [text],
            "chapter_title": text,
            "label": text,
        }

    def _inner_heading(self, text: str, hint: int) -> dict:
        """An unnumbered heading set deeper than its chapter's: a heading inside the numbered section it sits
        in ("Growth" under "1. Economic context", "Table 1.2: ..." under "1.3 Labour market"), cited by that
        section's number. One set no deeper than an open numbered subsection closes it."""
        if self.sub_number and hint <= self.sub_hint:
            self.sub_title = self.sub_label = self.sub_number = ""
        while self.inner and self.inner[-1][0] >= hint:
            self.inner.pop()
        self.inner.append((hint, text))
        path = [self.chapter_label, *([self.sub_label] if self.sub_number else []), *(t for _, t in self.inner)]
        return {
            "number": self.sub_number or self.chapter_number,
            "title": text,
            "level": len(path),
            "kind": "subheading",
            "path": path,
            "chapter_title": self.chapter_title,
            "label": text,
        }
