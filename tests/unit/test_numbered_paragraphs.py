"""Numbered paragraphs ("14. Agencies should ...", "8.14 The Government will ...", items "(a)", "b."): body text,
never headings; cited by their numbers; found first when a question names one ("paragraph 8.14(d)")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from latm_qa.answer.cite import citation
from latm_qa.answer.present import hit_to_json
from latm_qa.answer.results import Hit
from latm_qa.build.passages import split_passages
from latm_qa.read.markdown import markdown_blocks
from latm_qa.read.pdf_headings import split_run_in_headings
from latm_qa.read.pdf_lines import Line
from latm_qa.retrieve.labels import PARAGRAPH_SCORE, Labels, paragraph_refs
from latm_qa.structure import parse_sections
from latm_qa.structure.paragraphs import demote_paragraph_headings, follows, paragraph_starts
from latm_qa.types import Block, Passage, RawDocument

_WORDS = "should record what they decide and why, and keep the record with the software it concerns."


def _document(blocks: list[Block], title: str = "Policy"):
    return parse_sections(RawDocument(path="policy.md", title=title, sha256="0" * 64, blocks=tuple(blocks)))


def _markdown(text: str):
    return _document(markdown_blocks(text))


def _policy(chapters: int = 2, per_chapter: int = 4, dotted: bool = True) -> str:
    """A policy of chapters of numbered paragraphs ("8.14 ..." or "14. ..."), paragraph 2 of each with items."""
    lines, n = ["# Policy", ""], 0
    for c in range(1, chapters + 1):
        lines += [f"## Part {c} title", ""]
        for p in range(1, per_chapter + 1):
            n += 1
            number = f"{c}.{p}" if dotted else f"{n}."
            lines += [f"{number} Agencies in part {c} paragraph {p} {_WORDS}", ""]
            if p == 2:
                for letter, topic in zip("abcd", ("licences", "security", "charging", "review"), strict=False):
                    lines += [f"({letter}) the {topic} rule for paragraph {number} applies to every agency.", ""]
    return "\n".join(lines)


def test_paragraph_numbers_follow_one_another():
    assert follows("13", "14") and follows("8.13", "8.14") and follows("8.14", "9.1")
    assert not follows("8.14", "8.16") and not follows("8", "8.1") and not follows("14", "13")


def test_a_report_numbering_its_paragraphs_cites_them():
    doc = _markdown(_policy(dotted=True))
    passages = split_passages(doc, max_words=40, min_words=10)
    held = {number for p in passages for number in p.paragraphs}
    assert {"1.1", "1.2", "1.4", "2.1", "2.4"} <= held
    first = next(p for p in passages if p.text.startswith("1.1 "))
    assert first.paragraphs[0] == "1.1"
    assert ", para 1.1" in citation(first) or ", paras 1.1–" in citation(first)
    items = {item for p in passages for item in p.paragraph_items}
    assert {"1.2(a)", "1.2(d)", "2.2(b)"} <= items and not any(i.startswith("1.1(") for i in items)
    # a passage opening inside paragraph 1.2 (at an item) still holds it
    inside = next(p for p in passages if "1.2(d)" in p.paragraph_items)
    assert "1.2" in inside.paragraphs and "para" in citation(inside)


def test_footnotes_at_a_sections_end_belong_to_no_paragraph():
    notes = "\n\n".join(f"[{n}] This includes bodies covered by paragraph {n} of Schedule 4." for n in range(9))
    passages = split_passages(_markdown(_policy(dotted=False) + "\n\n" + notes), max_words=40, min_words=10)
    assert all(not p.paragraphs for p in passages if p.text.startswith("["))


def test_whole_numbered_paragraphs_and_lettered_items():
    doc = _markdown(_policy(dotted=False))
    passages = split_passages(doc, max_words=40, min_words=10)
    assert {"1", "2", "5", "8"} <= {n for p in passages for n in p.paragraphs}
    assert "6(c)" in {i for p in passages for i in p.paragraph_items}


def test_a_report_without_numbered_paragraphs_cites_as_before():
    text = "# Report\n\n## 1. Introduction\n\n1. First step to take today.\n\n2. Second step.\n\n## 2. Next\n\nText."
    passages = split_passages(_markdown(text))
    assert all(not p.paragraphs for p in passages)
    assert citation(passages[0]) == "§1 Introduction"


def test_an_ordered_list_restarting_is_not_paragraph_numbering():
    text = "x\n\n" + "\n\n".join(f"{n}. Do the thing number {n} before the review begins next week." for n in (1, 2, 3))
    text = text + "\n\n" + text
    assert paragraph_starts(text) == []


def test_a_numbered_paragraph_read_as_a_heading_is_a_paragraph():
    """A PDF's first line of paragraph 2 set apart ("2. This NZGOAL Software Extension") between paragraphs
    1 and 3 is text, and joins the rest of its paragraph; real numbered chapters stay headings."""
    body = [Block("paragraph", f"{n}. Agencies {_WORDS}") for n in range(3, 7)]
    blocks = [Block("heading", "Policy", heading_hint=1), Block("heading", "Purpose", heading_hint=2),
              Block("paragraph", f"1. Agencies {_WORDS}"),
              Block("heading", "2. This Software Extension", heading_hint=6),
              Block("paragraph", "(SE) provides agencies with a means of realising this potential."), *body]
    demoted = demote_paragraph_headings(blocks)
    assert demoted[3].kind == "paragraph"
    doc = _document(blocks)
    assert [s.title for s in doc.sections] == ["Policy", "Purpose"]
    assert "2. This Software Extension (SE) provides agencies" in doc.text


def test_numbered_chapters_beside_a_numbered_note_stay_chapters():
    blocks = [Block("heading", "1. Economy", heading_hint=1), Block("paragraph", "Growth was strong this year."),
              Block("paragraph", "1. Resource spending excluding depreciation is the main control total here."),
              Block("heading", "2. Policy decisions", heading_hint=1), Block("paragraph", "The decisions follow."),
              Block("heading", "3. Tax", heading_hint=1), Block("paragraph", "Taxes rise.")]
    assert demote_paragraph_headings(blocks) == blocks
    assert [s.number for s in _document(blocks).sections] == ["1", "2", "3"]


def test_a_long_numbered_heading_is_not_run_on_into_the_numbered_paragraph_below():
    text = (
        "# Code\n\n## 1. Overview\n\n### 1.1 About the code\n\n1. The code sets out how to share data well.\n\n"
        "### 1.2 Understanding the public service delivery, debt and fraud powers\n\n"
        "33. This part sets out the elements of the Act which apply across the powers.\n"
    )
    assert [s.number for s in _markdown(text).sections if s.number] == ["1", "1.1", "1.2"]


def test_a_lettered_item_is_not_run_on_into_the_item_before():
    text = ("# P\n\n## Intro\n\n4. There are two main forms:\n\n"
            "a. more permissive licences (e.g., MIT); and\n\nb. sharealike licences.\n")
    doc = _markdown(text)
    assert "; and\n\nb. sharealike" in doc.text


def test_a_question_naming_a_paragraph_favours_the_passage_holding_it():
    def passage(i: int, paragraphs: tuple[str, ...], items: tuple[str, ...] = ()) -> Passage:
        text = "Agencies should review the licence."
        return Passage(f"p{i}", "doc", "Doc", "8", "Licensing", "Licensing", ("8 Licensing",), text, 0, len(text),
                       paragraphs=paragraphs, paragraph_items=items)

    passages = [passage(0, ("1.14",)), passage(1, ("8.14",), ("8.14(a)", "8.14(b)")),
                passage(2, ("8.14", "8.15"), ("8.14(c)", "8.14(d)")), passage(3, ("14",))]
    labels, full = Labels(passages), PARAGRAPH_SCORE
    assert list(labels.scores("What does paragraph 8.14(d) recommend?")) == [0.0, full / 2, full, 0.0]
    assert list(labels.scores("What does 8.14(d) recommend?")) == [0.0, full / 2, full, 0.0]
    assert list(labels.scores("What does para 8.14 say?")) == [0.0, full, full, 0.0]
    assert list(labels.scores("What does paragraph 14 say?")) == [0.0, 0.0, 0.0, full]
    assert not labels.scores("What does Table 8.14 show?").any()
    assert not labels.scores("Did costs rise by 8.14 million?").any()


def test_the_forms_a_question_names_a_paragraph_by():
    assert paragraph_refs("What does paragraph 8.14(d) recommend?") == {("8.14", "d")}
    assert paragraph_refs("para 8.14 (d)") == {("8.14", "d")}
    assert paragraph_refs("paras 13 and 14") == {("13", ""), ("14", "")}
    assert paragraph_refs("What is in 14(b)?") == {("14", "b")}
    assert paragraph_refs("a 2.5% rise, £8.14 fees, Table 2.4, year 6") == set()


def test_passages_keep_their_paragraphs_through_json():
    passage = split_passages(_markdown(_policy()), max_words=40, min_words=10)[2]
    assert passage.paragraphs and Passage.from_json(passage.to_json()) == passage
    shown = hit_to_json(Hit(rank=1, score=1.0, passage=passage))  # the CLI's and the API's hit JSON
    assert shown["paragraphs"] == list(passage.paragraphs) and shown["paragraph_items"] == list(passage.paragraph_items)
    old = {k: v for k, v in passage.to_json().items() if k not in ("paragraphs", "paragraph_items")}
    assert Passage.from_json(old) == replace(passage, paragraphs=(), paragraph_items=())


def _line(text: str, y: float, bold: bool = False, lead: str = "") -> Line:
    return Line(page=1, x=310, y=y, size=9.5, bold=bold, text=text, lead=lead)


def test_a_bold_start_the_line_goes_on_from_is_no_run_in_heading():
    lines = [_line("a Creative Commons Attribution", 770), _line("4.0 International licence; and", 757,
                                                                 lead="4.0 International licence")]
    assert [line.text for line in split_run_in_headings(lines)] == [line.text for line in lines]


def test_a_table_header_row_in_a_generated_pdf_is_no_heading(tmp_path: Path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from latm_qa.read import read_document

    body = ParagraphStyle("b", fontName="Times-Roman", fontSize=9.5, leading=11.5, spaceAfter=5)
    head = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=14, leading=16, spaceAfter=4)
    rows = [["Programme", "Budget", "Actual"], ["Digital services", "12.0", "11.5"], ["Platforms", "8.1", "7.9"]]
    table = Table(rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, 0), "Times-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 9.5)]))
    story = [Paragraph("1. Spending", head), Paragraph(f"The agency spent its budget as the table shows; it {_WORDS}",
                                                         body), table,
             Paragraph(f"The figures above are in millions of dollars; agencies {_WORDS}", body),
             Paragraph("2. Staff", head), Paragraph(f"The agency employed staff in several cities; it {_WORDS}", body)]
    SimpleDocTemplate(str(tmp_path / "t.pdf"), pagesize=A4).build(story)
    headings = [b.text for b in read_document(tmp_path / "t.pdf").blocks if b.kind == "heading"]
    assert headings == ["1. Spending", "2. Staff"]
