"""Sections from a report's numbering: "2." (or "Chapter 2") opens chapter 2, "2.4" its part 4, "Annex A"
a lettered part whose own parts are "A.1", "A.2"; a number that does not continue the numbering is text.
Under a part titled as case studies, a strong or dated heading is a named example (a case study), as is a
boxed example anywhere ("Box 1.A: ..."); an unnumbered heading set deeper than its chapter's heading sits
inside it, and one no deeper is a chapter of its own ("About the Authors", where no chapter follows it).
"Part 4. Fraud" is chapter 4 where the report has no other; numbers restarting in an annex, set deeper
than its heading, are its own items. A run of numbers restarting from 1 right under a numbered chapter
("4 The press and the police", then "1. Introduction", "2. Background") are its sections, "4.1", "4.2".
Headings before the first number (a foreword, an executive summary) nest by their level."""

from __future__ import annotations

import re

from ..text import DATED
from ..types import Block
from .headings import ANNEX, BACK_MATTER, CASE_STUDIES_TITLE, Number, heading_number, is_named_example
from .levels import front_section

_PART = re.compile(r"^part\s+\d+\b\.?\s*[:.–—-]?\s*", re.IGNORECASE)


def is_numbered(blocks: list[Block]) -> bool:
    """Whether the report numbers its headings ("1. Introduction", "2.1 Key features", "Chapter 3"), before any
    annex: the numbers restarting in one ("Annexure: specimen clauses", "1. Warranties") are its own items."""
    headings = _heading_texts(blocks)
    annex = next((i for i, text in enumerate(headings) if ANNEX.match(text)), len(headings))
    numbers = [heading_number(text) for text in headings[:annex]]
    return sum(n is not None and not n.name and not n.letter for n in numbers) >= 2


def _heading_texts(blocks: list[Block]) -> list[str]:
    return [re.sub(r"\s+", " ", b.text).strip() for b in blocks if b.kind == "heading"]


def _chapter_of(number: Number | None, plain: set[int]) -> Number | None:
    """A chapter's number: "2." or "Chapter 2", or "Part 4. Fraud" where the report has no other chapter 4
    (its "4.1" nests under it); None for any other heading."""
    if number is None or number.letter or number.sub is not None:
        return None
    if not number.name:
        return number
    kind, _, mark = number.name.partition(" ")
    if kind == "Part" and mark.isdigit() and int(mark) not in plain:
        return Number(_PART.sub("", number.title) or number.title, int(mark))
    return None


def _section(number: str, title: str, kind: str, path: list[str], chapter_title: str) -> dict:
    return {
        "number": number,
        "title": title,
        "level": len(path),
        "kind": kind,
        "path": path,
        "chapter_title": chapter_title,
        "label": path[-1],
    }


class Numbering:
    """Tracks the section numbering seen so far and accepts only headings that continue it."""

    def __init__(self, blocks: list[Block] | None = None) -> None:
        numbers = [heading_number(text) for text in _heading_texts(blocks or [])]
        self.numbers = numbers
        self.plain = {n.chapter for n in numbers if n is not None and not n.name and not n.letter and n.sub is None}
        # the highest chapter number set after each heading: back matter with chapters after it is no back matter
        self.later = [0] * len(numbers)
        for i in range(len(numbers) - 2, -1, -1):
            chapter = _chapter_of(numbers[i + 1], self.plain)
            self.later[i] = max(self.later[i + 1], chapter.chapter if chapter else 0)
        self.seen = 0  # headings classified so far
        self.annex = False  # the open chapter is an annex, whose numbered items are its own
        self.chapter = 0
        self.sub = 0
        self.letter = ""  # the open lettered part's letter ("A" of "Annex A"), whose parts are "A.1", "A.2"
        self.chapter_label = self.chapter_title = self.chapter_number = ""
        self.sub_label = self.sub_title = self.sub_number = ""
        self.seen_numbered = False
        self.front_used = False
        self.chapter_hint: float = 0  # how strong the open chapter's heading is (its reader's level; 0: not known)
        self.sub_hint: float = 0
        self.inner: list[tuple[int, str]] = []  # unnumbered headings open inside the numbered section
        self.front: list[tuple[int, str]] = []  # headings open before the first numbered one
        self.bare = 0  # the level of a numbered heading that nothing has followed yet (0: none)
        self.run = 0  # the last number of a run restarting from 1 under the open chapter (0: none)
        self.run_hint: float = 0  # how strong the run's first heading is
        self.run_dot = False  # whether the run's numbers are printed with a dot ("1." rather than "1")

    def classify(
        self, block: Block, doc_title: str, follows_heading: bool = False, after: Block | None = None
    ) -> dict | None:
        """The section a heading opens, or None when it is text. ``follows_heading``: no text came between
        this heading and the one before it; ``after``: the block after it."""
        text = re.sub(r"\s+", " ", block.text).strip()
        hint, bare = block.heading_hint, self.bare if follows_heading else 0
        self.bare = 0
        number = heading_number(text)
        later = self.later[self.seen] if self.seen < len(self.later) else 0
        self.seen += 1
        if (chapter := _chapter_of(number, self.plain)) is not None and number.name:
            number = chapter  # "Part 4. Fraud", chapter 4
        if number is not None and not number.letter:
            if self.annex and not number.name and self.chapter_hint and hint > self.chapter_hint:
                return self._inner_heading(text, hint)  # an annex's own numbered item ("1. Warranties")
            if number.name:
                return self._named(number, text, hint)
            return self._restarted(number, text, hint) or self._numbered(number, text, hint)
        if number is not None and number.letter == self.letter and number.sub > self.sub:
            return self._lettered(number, text, hint)
        strong = hint > 0
        example = is_named_example(text)
        if not self.seen_numbered:
            return self._front(text, hint, doc_title, example, after if follows_heading else None)
        if CASE_STUDIES_TITLE.search(self.sub_title) and (strong or DATED.search(text)):
            path = [self.chapter_label, self.sub_label, text]
            return _section(self.sub_number, text, "case_study", path, self.chapter_title)
        if not strong:
            return None
        if example:  # a boxed example sits in the section it is set in, however strong its heading
            return self._inner_heading(text, max(hint, self.chapter_hint + 1), "case_study")
        back = BACK_MATTER.match(text) and later <= self.chapter  # back matter: no chapter follows it
        if bare and hint == bare and not back:
            self._widen()
        if self.chapter_hint and hint > self.chapter_hint and not back:
            return self._inner_heading(text, hint)
        self.annex = bool(ANNEX.match(text))
        return self._chapter(text, text, text, text, hint, "unnumbered")

    def _widen(self) -> None:
        """A numbered heading with no text of its own, set as strong as the unnumbered heading right after it
        ("3.2 How DWP is doing", then "Forecast welfare spending"), heads it and the headings like it that
        follow, up to the next numbered one: it counts as a level stronger than it was set."""
        if self.sub_number:
            self.sub_hint -= 0.5
        else:
            self.chapter_hint -= 0.5

    def _chapter(self, number: str, title: str, label: str, chapter_title: str, hint: float, kind: str) -> dict:
        self.sub_title = self.sub_label = self.sub_number = ""
        self.chapter_label, self.chapter_title, self.chapter_number = label, chapter_title, number
        self.chapter_hint, self.sub_hint, self.inner, self.run = hint, 0, [], 0
        return _section(number, title, kind, [label], chapter_title)

    def _restarted(self, number: Number, text: str, hint: float) -> dict | None:
        """A heading of a run numbered from 1 again right under a numbered chapter ("4 The press and the police",
        then "1. Introduction", "2. Background" ... "9. Conclusion"): a section of that chapter, "4.1" ... "4.9".
        The run starts at a "1." that comes before any of the chapter's own sections, is set no stronger than
        the chapter's heading and is followed by a "2."; it goes on while each number is the last one plus 1,
        unless that heading is set stronger than the run's or printed as the chapter's number is and the run's
        are not ("5 The press and politicians" after "4. Leaks"): a chapter of its own. A run's section's own
        parts ("5.1 Contingent assets" under "5. Managing uncertainties") are headings inside it. None for any other."""
        if number.sub is not None and self.run and number.chapter == self.run:
            return self._inner_heading(text, max(hint, self.sub_hint + 0.5))
        if number.sub is not None or self.annex or not self.chapter:
            return None
        dot = text.split(" ", 1)[0].endswith(".")
        if self.run:
            stronger = hint > 0 and (self.run_hint <= 0 or hint < self.run_hint)
            as_chapter = dot == self.chapter_label.split(" ", 1)[0].endswith(".") != self.run_dot
            if number.chapter != self.run + 1 or stronger or as_chapter:
                return None
        elif not (
            number.chapter == 1
            and not self.sub
            and self.chapter_number == str(self.chapter)
            and not (hint > 0 and self.chapter_hint > 0 and hint < self.chapter_hint)
            and self._next_plain() == 2
        ):
            return None
        else:
            self.run_hint, self.run_dot = hint, dot
        self.run = self.sub = number.chapter
        self.seen_numbered, self.letter, self.bare = True, "", hint
        return self._sub(f"{self.chapter}.{number.chapter}", number.title, text, hint)

    def _next_plain(self) -> int:
        """The number of the next heading numbered as a chapter is ("2."), after the one being read; 0 if none."""
        plain = (n for n in self.numbers[self.seen :] if n is not None and not n.name and not n.letter)
        return next((n.chapter for n in plain if n.sub is None), 0)

    def _numbered(self, number: Number, text: str, hint: int) -> dict | None:
        chapter, sub, title = number.chapter, number.sub, number.title
        if sub is None and chapter > self.chapter:
            self.chapter, self.sub, self.seen_numbered, self.letter, self.bare = chapter, 0, True, "", hint
            self.annex = False
            return self._chapter(str(chapter), title, text, title, hint, "chapter")
        if sub is not None and (chapter == self.chapter and sub > self.sub or chapter > self.chapter):
            if chapter != self.chapter:  # the chapter heading itself was not found
                self.chapter, self.letter = chapter, ""
                self._chapter(str(chapter), "", f"{chapter}.", "", 0, "chapter")
            self.sub, self.seen_numbered, self.bare = sub, True, hint
            return self._sub(number.number, title, text, hint)
        return None

    def _named(self, number: Number, text: str, hint: int) -> dict:
        """ "Annex A: Financing", "Part G": a part of the report of its own, cited by its name; a "Part" set
        deeper than the open chapter's heading is a heading inside that chapter."""
        if number.name.startswith("Part") and self.chapter_hint and hint > self.chapter_hint:
            return self._inner_heading(text, hint)
        self.seen_numbered, self.sub, self.annex = True, 0, bool(ANNEX.match(text))
        self.letter = number.name.split()[-1] if number.name[-1].isalpha() else ""
        return self._chapter(number.name, text, text, text, hint, "unnumbered")

    def _lettered(self, number: Number, text: str, hint: int) -> dict:
        self.sub = number.sub or 0
        return self._sub(number.number, number.title, text, hint)

    def _sub(self, number: str, title: str, label: str, hint: int) -> dict:
        self.sub_hint, self.inner = hint, []
        self.sub_number, self.sub_label, self.sub_title = number, label, title
        return _section(number, title, "subsection", [self.chapter_label, label], self.chapter_title)

    def _front(self, text: str, hint: int, doc_title: str, example: bool, after: Block | None) -> dict | None:
        """Before the first numbered heading: the document's title opens the front matter, and the strong
        headings after it (a foreword, an executive summary and its parts) nest by their level. One right
        under the title that heads nothing (a numbered heading, or one as strong as it, comes next) is a line
        of the cover, a subtitle. ``after``: the block after it, if it follows a heading directly."""
        if not self.front_used and (hint > 0 or text == doc_title):
            self.front_used = True
            return front_section(text)
        heads_nothing = (
            after is not None
            and not self.front
            and after.kind == "heading"
            and (heading_number(after.text) is not None or 0 < after.heading_hint <= hint)
        )
        if hint <= 0 or heads_nothing:
            return None
        while self.front and self.front[-1][0] >= hint:
            self.front.pop()
        self.front.append((hint, text))
        path = [title for _, title in self.front]
        kind = "case_study" if example and len(path) > 1 else "unnumbered"
        return _section(path[0], text, kind, path, path[0])

    def _inner_heading(self, text: str, hint: int, kind: str = "subheading") -> dict:
        """An unnumbered heading set deeper than its chapter's: a heading inside the numbered section it sits
        in ("Growth" under "1. Economic context", "Table 1.2: ..." under "1.3 Labour market"), cited by that
        section's number. One set no deeper than an open numbered subsection closes it."""
        if self.sub_number and hint <= self.sub_hint:
            self.sub_title = self.sub_label = self.sub_number = ""
        while self.inner and self.inner[-1][0] >= hint:
            self.inner.pop()
        self.inner.append((hint, text))
        path = [self.chapter_label, *([self.sub_label] if self.sub_number else []), *(t for _, t in self.inner)]
        return _section(self.sub_number or self.chapter_number, text, kind, path, self.chapter_title)
