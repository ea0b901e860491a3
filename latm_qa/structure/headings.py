"""What a heading's own words say of its place in a report: a number ("2.4", "Chapter 3", "Annex A",
"A.1"), a named example ("Box 1.A: ...", "Case study 2: ..."), back matter ("References"), or a numbered
paragraph set where a heading might be ("1.27 The Government will ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERED = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?\.?\s+(\S.*)$")
# "Chapter 3: Tax", "Annex A: Financing", "Appendix B", "Part G – Scotland", "Schedule 2": a named part and
# its number or letter; what follows it, if anything, is set apart by a colon or dash or starts upper-case.
_NAMED = re.compile(
    r"^((?i:chapter|part|annex|appendix|schedule))\s+(\d{1,2}|[A-Z]|[IVX]{1,4})\b\.?"
    r"(?:\s*[:.–—-]\s*(\S.*)|\s+([A-Z0-9‘'\"“(].*))?$"
)
_LETTERED = re.compile(r"^([A-Z])\.(\d{1,2})\.?\s+(\S.*)$")  # "A.1 Financing arithmetic", inside "Annex A"
# A named example set in a panel: "Box 1.A: The long-term fiscal outlook", "Case study 3 – Leeds", "Box 2".
_EXAMPLE = re.compile(r"^(?i:box|panel|case study|example|spotlight)(?:\s+[A-Z0-9][\w.]*?)?\.?(?:\s*[:–—-]\s*\S.*)?$")
CASE_STUDIES_TITLE = re.compile(r"case stud", re.I)
# Back matter, which belongs to no chapter however deep a converter set its heading ("About the Authors",
# "Annex B", "References"): a report's own part, as a numbered chapter is.
BACK_MATTER = re.compile(
    r"(about\b|acknowledge?ments?\b|annex(es|ure)?\b|appendi(x|ces)\b|bibliography\b|endnotes\b|glossary\b|"
    r"references\b|further information\b)",
    re.IGNORECASE,
)
# A part of its own whose numbered items are its own ("Annexure: specimen clauses", then "1. Warranties").
ANNEX = re.compile(r"^(annex(es|ure)?|appendi(x|ces)|schedule)\b", re.IGNORECASE)
# "21 October 2016": a date on a line of its own, not chapter 21
_DATE = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b", re.IGNORECASE)
PARAGRAPH_WORDS = 8  # a numbered line of this many words or more that ends a sentence is a paragraph
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


@dataclass(frozen=True)
class Number:
    """A heading's number: ``chapter`` and ``sub`` for "2." and "2.4" (or "Chapter 2"); ``name`` for a
    named part ("Annex A"), ``letter`` and ``sub`` for a lettered one's part ("A.1")."""

    title: str
    chapter: int = 0
    sub: int | None = None
    name: str = ""
    letter: str = ""

    @property
    def number(self) -> str:
        if self.letter:
            return f"{self.letter}.{self.sub}"
        if self.name:
            return self.name
        return str(self.chapter) if self.sub is None else f"{self.chapter}.{self.sub}"


def reads_as_paragraph(text: str) -> bool:
    """A numbered paragraph, not a heading: "1.27 The Government will raise the personal allowance." (a
    sentence of several words), or more words than any heading has."""
    words = text.split()
    return len(words) > 40 or len(words) >= PARAGRAPH_WORDS and bool(_SENTENCE_END.search(text))


def numbered_heading(text: str) -> re.Match[str] | None:
    """ "2.1. Key features" -> groups (chapter "2", sub "1" or None, title "Key features"); the title starts
    upper-case, and a numbered paragraph is none."""
    match = _NUMBERED.match(text)
    return match if match and match.group(3)[:1].isupper() and not reads_as_paragraph(text) else None


def heading_number(text: str) -> Number | None:
    """The number a heading's words give it: "2.4 Case studies", "Chapter 3: Tax", "Annex A: Financing",
    "A.1 Financing arithmetic"; None for an unnumbered heading or a numbered paragraph."""
    if reads_as_paragraph(text):
        return None
    match = _NUMBERED.match(text)
    if match and match.group(3)[:1].isupper() and not (match.group(2) is None and _DATE.match(match.group(3))):
        return Number(match.group(3).strip(), int(match.group(1)), int(match.group(2)) if match.group(2) else None)
    named = _NAMED.match(text)
    if named:
        kind, mark, title = named.group(1).capitalize(), named.group(2), (named.group(3) or named.group(4) or "")
        if kind == "Chapter" and mark.isdigit():
            return Number(title.strip() or text, int(mark))
        return Number(text, name=f"{kind} {mark}")
    lettered = _LETTERED.match(text)
    if lettered and lettered.group(3)[:1].isupper():
        return Number(lettered.group(3).strip(), sub=int(lettered.group(2)), letter=lettered.group(1))
    return None


def named_number(text: str) -> str:
    """ "Annex A" of "Annex A: Financing", "Appendix B" of "Appendix B: Sample plan"; "" for any other."""
    number = heading_number(text)
    return number.name if number and number.name else ""


def is_named_example(text: str) -> bool:
    """A boxed or panelled example named by its heading: "Box 1.A: The long-term fiscal outlook"."""
    return bool(_EXAMPLE.match(text))
