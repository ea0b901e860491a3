"""Section levels on small documents of the shapes that misled the tree on reports nobody tuned on: a
markdown heading's "#" depth is kept (a bold line is a sub-heading of the section it sits in), "Part 4.
Fraud" is chapter 4, numbers restarting in an annex are its own items, back matter with chapters after it
is no back matter, a PDF's lone H1 is its title and a date is no chapter number; a title heading nothing
but deeper headings leaves them sections of their own. Each passage is asserted by the chapter it is cited
by."""

from __future__ import annotations

from pathlib import Path

from latm_qa.bench.metrics import chapter_key
from latm_qa.read import read_document
from latm_qa.structure import parse_sections
from latm_qa.types import Block, Document, RawDocument


def _markdown(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    return parse_sections(read_document(path))


def _path_of(doc: Document, words: str) -> tuple[str, ...]:
    """The heading path of the section holding ``words``."""
    at = doc.text.index(words)
    return next(s.heading_path for s in doc.sections if s.start <= at < s.end)


def _chapter_of(doc: Document, words: str) -> str:
    return chapter_key(_path_of(doc, words)[0])


def test_bold_lines_under_a_deep_heading_stay_in_its_chapter(tmp_path):
    doc = _markdown(
        tmp_path,
        "# Office Annual Report\n\n## 1. Introduction and overview\n\nThe year in brief.\n\n"
        "#### Executive management\n\n**Chief Executive Officer**\n\n**Paul Shetler**\n\n"
        "Paul was appointed in July 2015.\n\n**Head of Delivery**\n\n**Dan Pulham**\n\n"
        "Dan joined in April 2016.\n\n## 2. Report on program performance\n\nThe program met its targets.\n\n"
        "### Financial statements\n\n**Accounting policy**\n\nRevenue is recognised when earned.\n",
    )
    assert _path_of(doc, "Paul was appointed") == (
        "1. Introduction and overview",
        "Executive management",
        "Paul Shetler",
    )
    assert _chapter_of(doc, "Dan joined") == "1"
    assert _chapter_of(doc, "The program met") == "2"
    assert _path_of(doc, "Revenue is recognised") == (
        "2. Report on program performance",
        "Financial statements",
        "Accounting policy",
    )
    assert [s.number for s in doc.sections if s.kind == "chapter"] == ["1", "2"]


def test_bold_lines_are_headings_of_their_own_where_no_heading_is_marked(tmp_path):
    doc = _markdown(
        tmp_path,
        "**Report**\n\n**1. Introduction**\n\nWhy we wrote it.\n\n**2. Findings**\n\nWhat we found.\n\n"
        "**2.1. Savings**\n\nWhat was saved.\n",
    )
    assert _path_of(doc, "What was saved") == ("2. Findings", "2.1. Savings")
    assert _chapter_of(doc, "Why we wrote") == "1"


def test_a_numbered_part_is_a_chapter_its_subsections_nest_under(tmp_path):
    doc = _markdown(
        tmp_path,
        "# Code of Practice\n\n## 1. Overview\n\nThe code.\n\n## 2. Debt\n\n### 2.1 Using the debt power\n\n"
        "The debt power.\n\n## Part 3. Fraud\n\nThe fraud chapter.\n\n### 3.1 Understanding the fraud power\n\n"
        "#### Purpose of the fraud power\n\nTo fight fraud.\n\n### 3.2 Process\n\n#### Step 1: Identify the "
        "objective\n\nSay what it is for.\n\n## Part 4 - Fairness and transparency\n\n### 4.1 Register\n\n"
        "Keep a register.\n\n## 5. Governance\n\nGovern it.\n",
    )
    assert _path_of(doc, "To fight fraud") == (
        "Part 3. Fraud",
        "3.1 Understanding the fraud power",
        "Purpose of the fraud power",
    )
    assert _chapter_of(doc, "Say what it is for") == "part 3"
    assert _path_of(doc, "Keep a register") == ("Part 4 - Fairness and transparency", "4.1 Register")
    assert [s.number for s in doc.sections if s.kind == "chapter"] == ["1", "2", "3", "4", "5"]
    assert _chapter_of(doc, "Govern it") == "5"


def test_a_part_holding_chapters_of_the_same_numbers_stays_a_named_part(tmp_path):
    doc = _markdown(
        tmp_path,
        "# Plan\n\n## Part 1 The context\n\nWhere we are.\n\n## 1. Economy\n\nGrowth.\n\n## 2. Jobs\n\n"
        "Employment.\n\n## Part 2 The plan\n\nWhat we will do.\n\n## 3. Spending\n\nMoney.\n",
    )
    assert [s.number for s in doc.sections if s.kind == "chapter"] == ["1", "2", "3"]
    assert _chapter_of(doc, "Money") == "3"
    assert _chapter_of(doc, "What we will do") == "part 2"


def test_numbers_restarting_in_an_annex_are_its_own_items(tmp_path):
    numbered = _markdown(
        tmp_path,
        "# Guidance\n\n## 1. Introduction\n\nWhy.\n\n## 2. Policy\n\nWhat.\n\n## Annex A: specimen clauses\n\n"
        "Use these clauses.\n\n### 1. Service Provider Warranties\n\nThe provider warrants.\n\n"
        "### 2. IP Indemnity\n\nThe provider indemnifies.\n",
    )
    assert _path_of(numbered, "The provider indemnifies") == ("Annex A: specimen clauses", "2. IP Indemnity")
    assert [s.number for s in numbered.sections if s.kind == "chapter"] == ["1", "2"]
    unnumbered = _markdown(
        tmp_path,
        "# Software Extension\n\n## Introduction\n\nWhy.\n\n## Annexure: specimen IP clauses\n\n### Context\n\n"
        "Some context.\n\n**1. Service Provider Warranties**\n\nThe provider warrants.\n\n"
        "**2. IP Indemnity**\n\nThe provider indemnifies.\n\n## Specimen clauses\n\nClauses follow.\n\n"
        "**3. Open Source Software**\n\nOpen source terms.\n",
    )
    assert _chapter_of(unnumbered, "The provider indemnifies") == "annexure: specimen ip clauses"
    assert _path_of(unnumbered, "Open source terms") == ("Specimen clauses", "3. Open Source Software")
    assert not any(s.kind == "chapter" for s in unnumbered.sections)


def test_back_matter_with_chapters_after_it_stays_in_its_chapter(tmp_path):
    doc = _markdown(
        tmp_path,
        "# Annual Report\n\n## 1. Introduction\n\nHello.\n\n### About this report\n\nThis report covers 2016.\n\n"
        "### Overview\n\nWe are an agency.\n\n## 2. Performance\n\nWe did well.\n\n### About the Authors\n\n"
        "Written by staff.\n",
    )
    assert _path_of(doc, "This report covers") == ("1. Introduction", "About this report")
    assert _chapter_of(doc, "We are an agency") == "1"
    assert _path_of(doc, "Written by staff") == ("About the Authors",)


def test_a_title_heading_nothing_but_deeper_headings_leaves_them_sections_of_their_own(tmp_path):
    doc = _markdown(
        tmp_path,
        "# Mathematics programmes of study\n\n### Purpose of study\n\nMaths matters.\n\n### Aims\n\n"
        "Fluency.\n\n## Key stage 1\n\n### Number\n\nCount to 100.\n",
    )
    assert _path_of(doc, "Maths matters") == ("Purpose of study",)
    assert _path_of(doc, "Count to 100") == ("Key stage 1", "Number")


def _pdf_like(title: str, blocks: list[tuple[str, int, str]]) -> Document:
    """A reader's blocks as a tagged PDF gives them: (kind, level, text)."""
    raw = RawDocument(
        path="report.pdf",
        title=title,
        sha256="0" * 64,
        blocks=tuple(Block(kind=kind, text=text, heading_hint=level) for kind, level, text in blocks),  # type: ignore[arg-type]
    )
    return parse_sections(raw)


def test_a_pdfs_lone_top_heading_is_its_title_whatever_its_metadata_says():
    doc = _pdf_like(
        "TechFAR Handbook",
        [
            ("heading", 1, "TechFAR: Handbook for Procuring Digital Services"),
            ("heading", 2, "Executive Summary"),
            ("paragraph", 0, "The handbook helps agencies."),
            ("heading", 2, "Pricing considerations"),
            ("heading", 3, "Must agencies use fixed-price contracts?"),
            ("paragraph", 0, "No, they need not."),
        ],
    )
    assert _path_of(doc, "The handbook helps") == ("Executive Summary",)
    assert _path_of(doc, "No, they need not") == ("Pricing considerations", "Must agencies use fixed-price contracts?")


def test_a_date_set_as_a_heading_is_no_chapter_number():
    doc = _pdf_like(
        "DTO Annual Report 2015-16",
        [
            ("heading", 1, "Digital Transformation Office Annual Report 2015-16"),
            ("heading", 2, "Cover and letter of transmittal"),
            ("paragraph", 0, "Dear Minister, I present the report."),
            ("heading", 6, "21 October 2016"),
            ("heading", 2, "1. Introduction and overview"),
            ("heading", 3, "Overview"),
            ("paragraph", 0, "We are an agency."),
            ("heading", 2, "2. Report on program performance"),
            ("paragraph", 0, "We met our targets."),
        ],
    )
    assert [s.number for s in doc.sections if s.kind == "chapter"] == ["1", "2"]
    assert _path_of(doc, "We are an agency") == ("1. Introduction and overview", "Overview")
    assert _chapter_of(doc, "Dear Minister") == "cover and letter of transmittal"
