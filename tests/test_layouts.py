"""Section detection follows the report's numbering in layouts other than the shipped files."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import MARKDOWN, REPORTS
from pdf_layouts import HEADER, render_pdf

from latm_qa.chunk import split_sentences
from latm_qa.read import read_document
from latm_qa.sections import parse_sections

LAYOUTS = {
    "two-columns": {"columns": 2},
    "three-columns-wrapped-headings": {"columns": 3},
    "bold-headings-at-body-size": {"columns": 1, "heading_scale": 0.905},
    "indented-paragraphs-no-gap": {"columns": 2, "paragraphs": "indented"},
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def reference():
    return parse_sections(read_document(MARKDOWN))


@pytest.fixture(scope="module", params=list(LAYOUTS))
def rendered(request, tmp_path_factory):
    path = render_pdf(MARKDOWN, tmp_path_factory.mktemp("layouts") / f"{request.param}.pdf", **LAYOUTS[request.param])
    return request.param, read_document(path)


@pytest.fixture(scope="module")
def layout(rendered):
    name, raw = rendered
    return name, parse_sections(raw)


def test_numbered_sections_and_case_studies_found(layout, reference):
    _, doc = layout

    def paths(document) -> list[tuple[str, ...]]:  # reportlab may break an over-long word in a narrow column
        return [tuple(re.sub(r"\s+", "", label) for label in s.heading_path) for s in document.sections]

    assert paths(doc) == paths(reference)
    assert sum(s.kind in ("chapter", "subsection") for s in doc.sections) == 38
    assert sum(s.kind == "case_study" for s in doc.sections) == 14


def test_running_header_and_page_footer_dropped(layout):
    _, doc = layout
    assert HEADER not in doc.text and not re.search(r"Page \d+", doc.text)


def test_text_survives_columns_and_page_breaks(layout, reference):
    name, doc = layout
    text = _norm(doc.text)
    sentences = [_norm(reference.text[s:e]) for s, e in split_sentences(reference.text)]
    sentences = [s for s in sentences if len(s.split()) >= 4]
    kept = sum(s in text for s in sentences) / len(sentences)
    # narrow columns split long e-mail addresses without a hyphen; nothing else is lost
    assert kept >= (0.97 if name.startswith("three") else 0.995)
    assert "ethnic and/or socio-economic lines" in text and "•" not in text and "\x7f" not in text


def test_paragraphs_start_where_the_reports_do(rendered):
    """Paragraphs are told apart by a gap a little wider than a line or by an indented first line,
    and run on across page and column breaks: each of the report's paragraphs starts a block."""
    _, raw = rendered
    report = {_norm(b.text)[:60] for b in read_document(MARKDOWN).blocks if b.kind == "paragraph"}
    starts = {_norm(b.text)[:60] for b in raw.blocks}
    assert len(report & starts) / len(report) >= 0.97
    every_start = {_norm(b.text)[:60] for b in read_document(MARKDOWN).blocks}
    assert not [b.text[:60] for b in raw.blocks if b.kind == "paragraph" and _norm(b.text)[:60] not in every_start]


def test_shipped_pdfs_read_exactly_as_the_markdown(reference):
    for name in ("pdf", "pdf_no_outline"):
        assert parse_sections(read_document(REPORTS[name])).text == reference.text


def test_markdown_with_setext_and_flat_headings(tmp_path, reference):
    md = MARKDOWN.read_text(encoding="utf-8")
    flat = re.sub(
        r"^#+\s*(\*\*)?(\d+\.\d*)\.?\s*", lambda m: f"## {m.group(1) or ''}{m.group(2).rstrip('.')} ", md, flags=re.M
    )
    setext = re.sub(r"^## (\d+ [^\n]+)$", lambda m: f"{m.group(1)}\n{'=' * len(m.group(1))}", flat, flags=re.M)
    assert setext.count("\n====") == 8
    for variant in (flat, setext):
        path = tmp_path / "variant.md"
        path.write_text(variant, encoding="utf-8")
        doc = parse_sections(read_document(path))
        assert [s.number for s in doc.sections] == [s.number for s in reference.sections]


def test_plain_text_report_wrapped_at_72_columns(tmp_path, reference):
    """The report as plain text (lines wrapped, "•" items, blank lines between blocks): the same
    sections as the markdown, "About Localis" included as its own section."""
    parts = []
    for block in read_document(MARKDOWN).blocks:
        if block.kind == "heading":
            parts.append(block.text)
        elif block.kind == "item":
            parts.append(textwrap.fill(block.text, 72, initial_indent="• ", subsequent_indent="  "))
        else:
            parts.append(textwrap.fill(block.text, 72))
    path = tmp_path / "report.txt"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    about = next(s for s in doc.sections if s.number == "About Localis")
    assert doc.text[about.start : about.end].startswith("Localis is an independent think-tank")
