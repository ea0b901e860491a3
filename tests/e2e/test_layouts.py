"""Section detection follows the report's numbering in layouts other than the shipped files."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
from conftest import MARKDOWN, REPORTS

from latm_qa.answer.present import citation
from latm_qa.build.passages import split_passages, split_sentences
from latm_qa.read import read_document
from latm_qa.structure.sections import parse_sections


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def reference():
    return parse_sections(read_document(MARKDOWN))


@pytest.mark.parametrize("mode", [[], ["-layout"]], ids=["pdftotext", "pdftotext-layout"])
def test_text_taken_from_the_pdf_by_pdftotext(tmp_path, reference, mode):
    """pdftotext's text of the shipped PDF: pages split by form feeds, a running header and footer and a
    page number on every page, footnotes set apart with their marks glued to words ("Parliament.1",
    "Service).56") and one number glued to the line above ("socio2"),
    headings wrapped over two or three lines, and (without -layout) no blank line between paragraphs.
    The same 54 sections as the markdown, on the same pages as the PDF reader finds, and the text kept."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils; `make test` installs it)")
    path = tmp_path / "report.txt"
    subprocess.run([tool, *mode, str(REPORTS["pdf"]), str(path)], check=True)
    doc = parse_sections(read_document(path))
    pdf = parse_sections(read_document(REPORTS["pdf"]))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert [s.pages for s in doc.sections] == [s.pages for s in pdf.sections]
    text = _norm(doc.text)
    sentences = [_norm(reference.text[s:e]) for s, e in split_sentences(reference.text)]
    sentences = [s for s in sentences if len(s.split()) >= 4]
    assert sum(s in text for s in sentences) / len(sentences) >= 0.97
    assert text.count("Local Government Association") == _norm(reference.text).count("Local Government Association")
    assert "[1] Institute for Fiscal Studies (2015)" in text and "the last Parliament. So it" in text
    # a note's second line in lower case, and one glued to a line that ended in a hyphen ("socio2")
    assert "celebrates its entrepreneurial approach during Global Entrepreneurship Week 2015" in text
    assert "ethnic and/or socio-economic lines" in text and "[2] RSA (2013)" in text
    assert "is taken. 3.3" in text and "Service). 6.2" in text  # their marks gone
    passages = split_passages(doc)
    essex = next(p for p in passages if "net revenue of £7 million" in p.text)
    assert citation(essex).startswith("§4.4 Case studies — Essex County Council (2013-Present), p. ")


def _report_as_html() -> str:
    """The report as a web page: h1-h3 headings, paragraphs, bulleted lists, footnotes in small print."""
    style = "body{font:11pt serif;max-width:40em;margin:auto}.note{font-size:8pt}"
    out = [f"<html><head><meta charset='utf-8'><title>The report</title><style>{style}</style></head><body>"]
    in_list = False
    for block in read_document(MARKDOWN).blocks:
        text = html.escape(block.text)
        if in_list and block.kind != "item":
            out.append("</ul>")
            in_list = False
        if block.kind == "heading":
            level = 1 if re.match(r"\d+\.\s", block.text) or block.text == "About Localis" else 3
            level = 2 if re.match(r"\d+\.\d+", block.text) else level
            out.append(f"<h{level}>{text}</h{level}>")
        elif block.kind == "item":
            out.append(("" if in_list else "<ul>") + f"<li>{text}</li>")
            in_list = True
        else:
            out.append(f"<p class='{'note' if block.kind == 'footnote' else 'body'}'>{text}</p>")
    return "\n".join([*out, "</body></html>"])


def test_chromium_print_to_pdf_draws_bullets_as_shapes(tmp_path, reference):
    """Chromium prints a web page's bullets as shapes, not text: its list items are told apart by their
    left edge, set in from the body's, and end where a sentence or a short entry does."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (`make test` installs it)")
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(_report_as_html(), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-pdf-header-footer"]
    command = [chromium, *flags, f"--print-to-pdf={pdf}", page.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    raw = read_document(pdf)
    doc = parse_sections(raw)
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    items = [b.text for b in raw.blocks if b.kind == "item"]
    assert "It can be hard to get relevant information to make informed commissioning decisions." in items
    assert "Localis (2011) Commission Impossible" in items  # a reading list's short entries, one each
    assert "Opportunities to engage in joint commissioning with other local public sector organisations, including " \
        "selling commissioning support services." in items
