"""Other layouts of the report for tests: the markdown rendered to PDF by reportlab in 1-3 columns,
no outline, a running header and a "Page N" footer, headings larger than the body, bold at body size, or
in the body's own font and size (numbered ones a little larger),
paragraphs set apart by a small gap, by an indented first line with no gap, or by nothing at all,
headings with or without their numbers; as a word processor sets it (every heading bold at the body's
size, one just below another, curly quotes), or as LaTeX runs a case study's title in to its first
paragraph ("**Oldham Council (2011-Present)** The Oldham Model ...")."""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from latm_qa.read import read_document

HEADER = "Local Authority Transformational Models — LGA"


def _level(heading: str) -> int:
    if re.match(r"^\d+\.\s", heading) or heading == "About Localis":
        return 1
    return 2 if re.match(r"^\d+\.\d+", heading) else 3


def render_pdf(
    markdown: Path,
    out: Path,
    columns: int = 2,
    heading_scale: float = 1.0,
    paragraphs: str = "spaced",
    numbered: bool = True,
    heading_font: str = "Helvetica-Bold",
    heading_size: float | None = None,
    chapter_size: float | None = None,
    heading_gap: float = 5,
    run_in: bool = False,
    curly: bool = False,
) -> Path:
    blocks = read_document(markdown).blocks
    spacing = {
        "spaced": {"spaceAfter": 5},
        "indented": {"spaceAfter": 0, "firstLineIndent": 12},
        "flush": {"spaceAfter": 0},  # neither a gap nor an indent between paragraphs
    }[paragraphs]
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=9.5, leading=11.5, **spacing)
    item = ParagraphStyle("item", parent=body, leftIndent=10, bulletIndent=2, firstLineIndent=0)
    note = ParagraphStyle("note", parent=body, fontSize=7.5, leading=9)
    heads = {
        level: ParagraphStyle(
            f"h{level}",
            fontName=heading_font,
            fontSize=heading_size or size * heading_scale,
            leading=(heading_size + 2) if heading_size else (size + 2) * heading_scale,
            spaceBefore=heading_gap + 1,
            spaceAfter=heading_gap - 1,
        )
        for level, size in ((1, 14), (2, 12), (3, 10.5))
    }
    if chapter_size:  # a word processor's "Heading 1" larger than the rest
        heads[1] = ParagraphStyle("h1", parent=heads[1], fontSize=chapter_size, leading=chapter_size + 2)

    def esc(text: str) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if curly:  # as a word processor types them: ‘council’s’, “quoted”
            text = re.sub(r"(?<![\w.,])'", "‘", text).replace("'", "’")
            text = re.sub(r'(?<![\w.,])"', "“", text).replace('"', "”")
        return text

    story = []
    run_in_title = ""
    for block in blocks:
        if block.kind == "heading" and run_in and re.search(r"\(\d{4}-Present\)$", block.text):
            run_in_title = f"<b>{esc(block.text)}</b> "  # set at the start of the paragraph below it
        elif block.kind == "heading":
            title = block.text if numbered else re.sub(r"^\d{1,2}(\.\d{1,2})*\.?\s+", "", block.text)
            story.append(Paragraph(esc(title), heads[_level(block.text)]))
        elif block.kind == "item":
            story.append(Paragraph(esc(block.text), item, bulletText="•"))
        elif block.kind == "footnote":
            number, text = re.match(r"\[(\d+)\]\s*(.*)", block.text).groups()
            story.append(Paragraph(f"<super>{number}</super> {esc(text)}", note))
        else:
            story.append(Paragraph(run_in_title + esc(block.text), body))
            run_in_title = ""
    width, height = A4
    margin, gap = 18 * mm, 8 * mm
    column = (width - 2 * margin - (columns - 1) * gap) / columns
    frames = [
        Frame(margin + i * (column + gap), margin, column, height - 2 * margin, id=f"c{i}") for i in range(columns)
    ]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(margin, height - 12 * mm, HEADER)
        canvas.drawRightString(width - margin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(str(out), pagesize=A4, title="Local Authority Transformational Models")
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=decorate)])
    doc.build(story)
    return out
