"""A report printed to PDF gives the same section tree as its markdown: the five development reports'
Chromium prints (shared/reports/more/<name>/report.{md,pdf}), read from their tagged structure and,
with the tags taken out, from their fonts alone; with a running header and a page footer stamped on
every page; and a footnote mark just before a heading in a two-column layout.

Tolerance: none. The maths curriculum's 47 "Notes and guidance (non-statutory)" headings, which the
markdown sets inside blockquotes ("> #### ...") and the PDF tags H4, are headings in both.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

from latm_qa.read import read_document
from latm_qa.read.pdf_tags import tagged_headings
from latm_qa.structure.sections import parse_sections

MORE = ROOT.parent / "shared" / "reports" / "more"
NAMES = [
    "dwp-single-departmental-plan",
    "18f-derisking-state-tech-handbook",
    "national-curriculum-maths",
    "spring-budget-2017",
    "summer-budget-2015",
]

pytestmark = pytest.mark.skipif(not MORE.is_dir(), reason=f"the development reports are not at {MORE}")


def _tree_and_headings(path: Path) -> tuple[list[tuple[str, ...]], list[tuple[int, str]]]:
    """Its sections (number, kind, heading path) and its reader's headings (level, title)."""
    raw = read_document(path)
    tree = [(s.number, s.kind, *s.heading_path) for s in parse_sections(raw).sections]
    return tree, [(b.heading_hint, re.sub(r"\s+", " ", b.text)) for b in raw.blocks if b.kind == "heading"]


def _untagged(source: Path, out: Path, stamp: bool = False) -> Path:
    """The PDF without its structure tree (as a printer that does not tag writes it); with ``stamp``, a
    running header and a "Page N of M" footer drawn on every page, as Chromium's header and footer are."""
    writer = PdfWriter(clone_from=source)
    for key in ("/StructTreeRoot", "/MarkInfo"):
        writer._root_object.pop(NameObject(key), None)
    if stamp:
        total = len(writer.pages)
        for number, page in enumerate(writer.pages, 1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            buffer = io.BytesIO()
            sheet = canvas.Canvas(buffer, pagesize=(width, height))
            sheet.setFont("Helvetica", 8)
            sheet.drawString(36, height - 20, "GOV.UK publication")
            sheet.drawRightString(width - 36, height - 20, "4 December 2026")
            sheet.drawCentredString(width / 2, 16, f"Page {number} of {total}")
            sheet.save()
            page.merge_page(PdfReader(io.BytesIO(buffer.getvalue())).pages[0])
    writer.write(out)
    return out


def _assert_same_tree(markdown: Path, pdf: Path) -> None:
    (md, md_headings), (got, got_headings) = _tree_and_headings(markdown), _tree_and_headings(pdf)
    assert got == md
    assert got_headings == md_headings  # same titles, same levels


@pytest.mark.parametrize("name", NAMES)
def test_tagged_pdf_gives_the_markdowns_tree(name):
    """Chromium tags h1-h6 in the PDF's structure tree: every heading, at its markdown '#' depth."""
    _assert_same_tree(MORE / name / "report.md", MORE / name / "report.pdf")


@pytest.mark.parametrize("name", NAMES)
def test_untagged_pdf_gives_the_same_tree_from_its_fonts(tmp_path, name):
    """Without tags, the headings are found by their fonts (a size rank each, bold at the body's size
    included), never the numbered rows of a table, its notes or a numbered paragraph."""
    _assert_same_tree(MORE / name / "report.md", _untagged(MORE / name / "report.pdf", tmp_path / "untagged.pdf"))


@pytest.mark.parametrize("name", ["dwp-single-departmental-plan", "18f-derisking-state-tech-handbook"])
def test_running_header_footer_and_page_numbers_never_headings(tmp_path, name):
    pdf = _untagged(MORE / name / "report.pdf", tmp_path / "stamped.pdf", stamp=True)
    _assert_same_tree(MORE / name / "report.md", pdf)
    text = parse_sections(read_document(pdf)).text
    assert "GOV.UK publication" not in text and "Page 3 of" not in text


def test_a_footnote_mark_before_a_heading_does_not_hide_it(tmp_path):
    """Two columns: a paragraph ending in a raised footnote mark ("Service.⁵⁶") at the foot of the first
    column, the numbered heading at the top of the next. The mark is no footnote's number, the heading
    keeps its number and the note at the foot stays a note."""
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=9.5, leading=11.5, spaceAfter=5)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=12, leading=14, spaceBefore=6, spaceAfter=4)
    note = ParagraphStyle("note", parent=body, fontSize=7.5, leading=9)
    width, height = A4
    column = (width - 36 * mm - 8 * mm) / 2
    frames = [Frame(18 * mm + i * (column + 8 * mm), 18 * mm, column, height - 36 * mm, id=f"c{i}") for i in range(2)]
    story = [Paragraph("6. Sharing councils", head), Paragraph("6.1. Key features", head)]
    story += [Paragraph("Sharing councils share services with other councils and public bodies. " * 6, body)] * 3
    story += [
        Paragraph("The partners set up a joint committee to run the Shared Service.<super>56</super>", body),
        FrameBreak(),
        Paragraph("6.2. Benefits", head),
        Paragraph("Some of the benefits of adopting a sharing approach can include savings. " * 5, body),
        Paragraph("<super>56</super> Sharing services, LGA (2016).", note),
    ]
    path = tmp_path / "columns.pdf"
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=frames)])
    doc.build(story)
    raw = read_document(path)
    headings = [b.text for b in raw.blocks if b.kind == "heading"]
    assert headings == ["6. Sharing councils", "6.1. Key features", "6.2. Benefits"]
    assert [b.text for b in raw.blocks if b.kind == "footnote"] == ["[56] Sharing services, LGA (2016)."]
    sections = parse_sections(raw).sections
    assert [s.number for s in sections] == ["6", "6.1", "6.2"]


def test_custom_heading_types_read_through_the_role_map(tmp_path):
    """A tagging tool's own element types ("/Heading2") mapped to the standard ones in the tree's RoleMap
    give the same headings and levels as H1-H6."""
    source = MORE / "dwp-single-departmental-plan" / "report.pdf"
    writer = PdfWriter(clone_from=source)
    tree = writer._root_object["/StructTreeRoot"].get_object()
    roles = DictionaryObject()

    def rename(node) -> None:  # noqa: ANN001 - pypdf objects
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                rename(kid)
        elif hasattr(node, "get") and "/K" in node:
            kind = str(node.get("/S", ""))
            if re.fullmatch(r"/H[1-6]", kind):
                custom = NameObject(f"/Heading{kind[2:]}")
                node[NameObject("/S")] = custom
                roles[custom] = NameObject(kind)
            rename(node["/K"])

    rename(tree["/K"])
    tree[NameObject("/RoleMap")] = roles
    writer.write(tmp_path / "roles.pdf")
    assert len(roles) == 3
    mapped, standard = tagged_headings(PdfReader(tmp_path / "roles.pdf")), tagged_headings(PdfReader(source))
    assert len({h.ordinal for h in standard.values()}) == 19 and mapped == standard
