"""Citations: where a passage sits ("§4.4 Case studies — Kirklees Council (2013-Present), p. 8") and, in an
index of several reports, which report it is in ("§1.1 What DWP is doing · DWP single departmental plan")."""

from __future__ import annotations

import re

from ..retrieve.prior import passage_part
from ..types import Passage

SHORT_TITLE = 60  # characters: a longer document title is cited by its head, or cut at a word


def section_label(passage: Passage) -> str:
    """ "§4.4 Case studies — Kirklees Council (2013-Present)", "§2.2 Benefits", "About us"; in a
    report without numbered headings, the heading path: "Shared services › Case studies — Rutland"."""
    numbered = bool(re.match(r"\d", passage.section))
    if passage.section_kind == "case_study":
        part = passage_part(passage.heading_path, True)
        where = f"§{passage.section} {part}" if numbered else " › ".join(passage.heading_path[:-1])
        return f"{where} — {passage.section_title}"
    if passage.section_kind == "subheading":  # "§1 Economic context and public finances — Growth"
        where = f"§{passage.section} {passage_part(passage.heading_path, True)}" if numbered else ""
        return f"{where} — {passage.section_title}" if where else " › ".join(passage.heading_path)
    if passage.section_kind in ("chapter", "subsection"):
        return f"§{passage.section} {passage.section_title}"
    if passage.section_kind == "unnumbered":
        return " › ".join(passage.heading_path)
    return passage.section_title


def paragraphs_label(paragraphs: tuple[str, ...]) -> str:
    """The numbered paragraphs a passage holds: "para 8.14", "paras 13–15"; "" for none."""
    if not paragraphs:
        return ""
    return f"para {paragraphs[0]}" if len(paragraphs) == 1 else f"paras {paragraphs[0]}–{paragraphs[-1]}"


def pages_label(pages: tuple[int, ...]) -> str:
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    """A document's title short enough to cite after every passage: whole up to ``limit`` characters, else its
    head before a colon or dash ("Spring Budget 2017: …" -> "Spring Budget 2017"), else cut at a word with "…"."""
    if len(title) <= limit:
        return title
    head = re.split(r"\s*(?::|\s[–—-])\s", title, maxsplit=1)[0]
    if 12 <= len(head) <= limit:
        return head
    return title[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—- ") + "…"


def citation(passage: Passage, with_document: bool = False) -> str:
    """The full citation line of a passage, e.g. "§4.4 Case studies — Kirklees Council (2013-Present), p. 8",
    "§1.1 About the Code, paras 2–3, p. 4" (the numbered paragraphs it holds, in a report that numbers them);
    ``with_document`` (an index of several reports): then " · " and the document's title (short form)."""
    parts = [section_label(passage)]
    if passage.paragraphs:
        parts.append(paragraphs_label(passage.paragraphs))
    if passage.pages:
        parts.append(pages_label(passage.pages))
    text = ", ".join(parts)
    return f"{text} · {short_title(passage.document_title)}" if with_document else text
