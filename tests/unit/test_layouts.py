"""Section detection follows the report's numbering in layouts other than the shipped files."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

import pytest
from conftest import MARKDOWN, REPORTS
from pdf_layouts import HEADER, render_pdf

from latm_qa.answer.present import citation
from latm_qa.app.chat import build_filters
from latm_qa.build.passages import split_passages, split_sentences
from latm_qa.read import read_document
from latm_qa.structure.sections import parse_sections
from latm_qa.types import Passage

LAYOUTS = {
    "two-columns": {"columns": 2},
    "three-columns-wrapped-headings": {"columns": 3},
    "bold-headings-at-body-size": {"columns": 1, "heading_scale": 0.905},
    "indented-paragraphs-no-gap": {"columns": 2, "paragraphs": "indented"},
    "paragraphs-with-no-gap-or-indent": {"columns": 2, "paragraphs": "flush"},
    "case-studies-titled-in-the-body-font": {"columns": 1, "heading_scale": 0.905, "heading_font": "Times-Roman"},
    "word-processor-bold-headings-curly-quotes": {
        "columns": 1, "heading_size": 9.5, "chapter_size": 12, "heading_gap": 6, "curly": True,
    },
    "latex-case-study-titles-run-in": {"columns": 2, "run_in": True},
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


@pytest.mark.parametrize("columns", [1, 2])
def test_headings_in_the_body_font_and_size_are_found_by_their_numbering(tmp_path, reference, columns):
    """Every heading set exactly like the body text: numbered titles standing on a line of their own
    (the rest of a long one on the next), case studies by their dates, and "About Localis", which neither
    numbering nor date marks, as a short title on its own between a sentence's end and a full line of text
    (in two columns, at a column's foot). All 54 sections, with the markdown's text."""
    path = render_pdf(MARKDOWN, tmp_path / "plain.pdf", columns=columns, heading_font="Times-Roman", heading_size=9.5)
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert doc.text == reference.text


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
    """Paragraphs are told apart by a gap a little wider than a line, by an indented first line, or,
    with neither, by a sentence ending short of the column's width, and run on across page and column
    breaks: each of the report's paragraphs starts a block, and no block starts mid-paragraph."""
    name, raw = rendered
    report = {_norm(b.text)[:60] for b in read_document(MARKDOWN).blocks if b.kind == "paragraph"}
    starts = {_norm(b.text)[:60] for b in raw.blocks}
    # with neither gap nor indent, a paragraph whose last line runs nearly full cannot be told from the next
    assert len(report & starts) / len(report) >= (0.85 if name == "paragraphs-with-no-gap-or-indent" else 0.97)
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


def test_markdown_with_bold_lines_for_headings(tmp_path, reference):
    """A converter that sets every heading as a bold line ("**2.4. Case studies**", "__About Localis__"),
    with or without a blank line before the text under it: the same sections and text as the markdown."""
    md = MARKDOWN.read_text(encoding="utf-8")
    heading = re.compile(r"^#+[ \t]*(?:\*\*)?(.*?)(?:\*\*)?[ \t]*$", re.M)
    variants = {
        "blank-line-after": heading.sub(r"**\1**", md),
        "text-right-under": heading.sub(r"**\1**", md).replace("**\n\n", "**\n"),
        "underscores": heading.sub(r"__\1__", md),
    }
    for name, text in variants.items():
        path = tmp_path / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        doc = parse_sections(read_document(path))
        assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections], name
        assert doc.text == reference.text, name
    # a bold sentence, a bold lead-in and two bold phrases on one line stay text
    path = tmp_path / "emphasis.md"
    path.write_text(
        "# 1. Introduction\n\n**Councils must act now.**\n\n**Note:** the figures are estimates.\n\n"
        "**Essex** and **Kent**\n\n# 2. Commissioning councils\n\nText.\n",
        encoding="utf-8",
    )
    doc = parse_sections(read_document(path))
    assert [s.number for s in doc.sections] == ["1", "2"]
    assert "Councils must act now." in doc.text and "Essex and Kent" in doc.text


def test_markdown_with_pandoc_footnotes_and_heading_attributes(tmp_path, reference):
    """Pandoc's markdown: footnote marks "[^2]", definitions "[^2]: RSA (2013) ...", and headings with
    attributes ("## 2.4. Case studies {#case-studies}"): the same sections and text as the markdown."""
    md = MARKDOWN.read_text(encoding="utf-8")
    md = re.sub(r"^<sup>(\d+)</sup>", r"[^\1]:", md, flags=re.M)
    md = re.sub(r"<sup>(\d+)</sup>", r"[^\1]", md)
    md = re.sub(r"^(#+ .*?)\s*$", lambda m: m.group(1) + " {#id .unnumbered}", md, flags=re.M)
    assert "[^2]: [RSA" in md and "## 2.4. Case studies {#id .unnumbered}" in md
    path = tmp_path / "pandoc.md"
    path.write_text(md, encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert doc.text == reference.text


def test_markdown_converted_with_running_header_footer_and_page_numbers(tmp_path, reference):
    """A PDF-to-markdown conversion that keeps each page's footer ("Local Government Association 3",
    "Page 3"), header and page number as paragraphs of their own, some of them cutting a sentence: they
    are dropped and the sentence rejoins ("... set up the" / "1000 Club", "... save" / "£2.5 million")."""
    paragraphs = MARKDOWN.read_text(encoding="utf-8").split("\n\n")
    for footer, header in (("Local Government Association {}", "Local Authority Transformational Models"),
                           ("Page {}", "*Local Authority Transformational Models*"), ("{}", "")):
        out, page = [], 1
        for number, paragraph in enumerate(paragraphs):
            words = paragraph.split(" ")
            cuts = [
                i for i in range(20, len(words) - 5) if words[i - 1][-1] not in ".!?:;" and not words[i][0].isupper()
            ]
            if number % 7 == 6 and not paragraph.startswith("#") and cuts:  # a page break mid-sentence
                out += [" ".join(words[: cuts[0]]), footer.format(page), header, " ".join(words[cuts[0] :])]
                page += 1
            else:
                out.append(paragraph)
        assert page >= 5
        path = tmp_path / "converted.md"
        path.write_text("\n\n".join(part for part in out if part), encoding="utf-8")
        doc = parse_sections(read_document(path))
        assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections], footer
        assert doc.text == reference.text, footer


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
    assert doc.encoding == "UTF-8"
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    # saved by Windows' Notepad as "ANSI" (Windows-1252, with CRLF line ends) or as "Unicode" (UTF-16)
    for encoding, name in (("cp1252", "Windows-1252"), ("utf-16", "UTF-16")):
        saved = tmp_path / f"{encoding}.txt"
        saved.write_bytes("\r\n".join("\n\n".join(parts).split("\n")).encode(encoding))
        other = parse_sections(read_document(saved))
        assert (other.encoding, other.text) == (name, doc.text)
    about = next(s for s in doc.sections if s.number == "About Localis")
    assert doc.text[about.start : about.end].startswith("Localis is an independent think-tank")
    # "[2] RSA (2013) - ..." is a footnote: kept at the end of its section, not glued to "economic lines"
    assert doc.text == reference.text
    # the same text saved as .md (no heading marked): read as the plain text it is
    markdown = tmp_path / "report.md"
    markdown.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert parse_sections(read_document(markdown)).text == reference.text


def test_plain_text_with_underlined_headings_and_rules(tmp_path, reference):
    """Plain text whose headings are underlined ("====" under a chapter, "----" under the rest), right
    above their text or not, with "-----" rules between parts: the same sections and text."""
    parts = []
    for number, block in enumerate(read_document(MARKDOWN).blocks):
        if block.kind == "heading":
            mark = "=" if re.match(r"\d+\.\s", block.text) else "-"
            parts.append(f"{block.text}\n{mark * len(block.text)}" + ("\n" if number % 2 else "\n\n") + "@@")
        elif block.kind == "item":
            parts.append(textwrap.fill(block.text, 72, initial_indent="- ", subsequent_indent="  "))
        else:
            parts.append(textwrap.fill(block.text, 72) + ("\n\n-----" if block.kind == "footnote" else ""))
    path = tmp_path / "underlined.txt"
    path.write_text("\n\n".join(parts).replace("@@\n\n", ""), encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert doc.text == reference.text


def test_ligatures_and_soft_hyphens_read_as_plain_letters(tmp_path):
    """Text copied out of a typeset PDF keeps its ligatures ("ﬁnancial") and soft hyphens: they are read
    as the plain letters they stand for, so the words match the question's."""
    path = tmp_path / "typeset.txt"
    text = "1. Introduction\n\nThe ﬁnancial challenge aﬀects eﬃcient ﬂexible coun\u00adcils.\n"
    path.write_text(text, encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert doc.text.endswith("The financial challenge affects efficient flexible councils.")


@pytest.mark.parametrize("bullet", ["• ", "    • "], ids=["bullet", "indented-bullet"])
def test_plain_text_with_a_paragraph_a_line(tmp_path, reference, bullet):
    """A word processor's "plain text" export: every paragraph, item and heading on one line, no blank
    lines between them, list items indented or not ("    • ", as LibreOffice exports them), and a
    numbered heading right above its text in a wrapped file."""
    lines = [(bullet if b.kind == "item" else "") + b.text for b in read_document(MARKDOWN).blocks]
    path = tmp_path / "export.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert doc.text == reference.text
    wrapped = "Front matter of the report.\n\n1. Introduction\nLocal government funding has been\nheavily squeezed.\n"
    path.write_text(wrapped + "\n2. Commissioning councils\nCouncils commission services.\n", encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.number for s in doc.sections if s.number] == ["1", "2"]
    intro = next(s for s in doc.sections if s.number == "1")
    assert doc.text[intro.start : intro.end] == "Local government funding has been heavily squeezed."


def test_report_without_numbered_headings_nests_by_heading_level(tmp_path, home_knowledge):
    """A report whose headings carry no numbers (PDF: by font size; markdown: by "#" depth) still gets
    chapters, their parts and case studies, cited by heading path."""
    pdf = render_pdf(MARKDOWN, tmp_path / "unnumbered.pdf", columns=1, numbered=False)
    md = tmp_path / "unnumbered.md"
    numbers = re.compile(r"^(#+\s*(?:\*\*)?)\d+(?:\.\d+)*\.?\s*", re.M)
    md.write_text(numbers.sub(r"\1", MARKDOWN.read_text(encoding="utf-8")), encoding="utf-8")
    for path in (pdf, md):
        doc = parse_sections(read_document(path))
        paths = [s.heading_path for s in doc.sections]
        assert ("About Localis",) in paths and not any(re.match(r"\d", s.number) for s in doc.sections)
        essex = next(s for s in doc.sections if s.title.startswith("Essex County Council"))
        assert essex.kind == "case_study" and "Case studies" in essex.heading_path
        if path == pdf:  # the markdown's own "#" depths put "Further reading" beside its case studies
            assert sum(s.kind == "case_study" for s in doc.sections) == 14
            assert ("Entrepreneurial councils", "Benefits") in paths
            assert essex.heading_path[0] == "Entrepreneurial councils"
        chunk = doc.text[essex.start : essex.end]
        assert "traded services" in chunk and "Colchester" not in chunk
    # the page's "Council model" filter names chapters by number and by title; the title finds them here
    passages = split_passages(parse_sections(read_document(pdf)))
    keep = build_filters(home_knowledge, ["4"], ["case studies"]).mask(passages)
    assert {p.section_title.split(" (")[0] for p, k in zip(passages, keep, strict=True) if k} == {
        "Essex County Council",
        "Colchester Borough Council",
        "Warrington Borough Council",
    }


def test_citation_of_an_unnumbered_case_study():
    passage = Passage(
        passage_id="p",
        document="r.pdf#1",
        document_title="R",
        section="Entrepreneurial councils",
        section_title="Essex County Council (2013-Present)",
        chapter_title="Entrepreneurial councils",
        heading_path=("Entrepreneurial councils", "Case studies", "Essex County Council (2013-Present)"),
        pages=(5,),
        start=0,
        end=1,
        text="x",
        section_kind="case_study",
    )
    assert citation(passage) == "Entrepreneurial councils › Case studies — Essex County Council (2013-Present), p. 5"
    benefits = replace(passage, section_title="Benefits", heading_path=("Entrepreneurial councils", "Benefits"))
    assert citation(replace(benefits, section_kind="unnumbered")) == "Entrepreneurial councils › Benefits, p. 5"


def test_footnote_at_a_page_foot_ends_there(tmp_path):
    """A word processor's footnote at the foot of a page, in the body's size, cut off from the rest of
    the item it notes by the page break: the footnote ends at the page's foot, the next page's first line
    goes on with the item it continues, and the paragraph after it stands on its own."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14, spaceAfter=8)
    item = ParagraphStyle("item", parent=body, leftIndent=14)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceAfter=8)
    story = [
        Paragraph("3.3. Challenges", head),
        Paragraph("Some of the challenges councils can face include:", body),
        Paragraph("Involving residents in decisions when there is no manual, according to a senior council", item,
                  bulletText="•"),
        Paragraph("<super>2</super> RSA (2013) - New approaches to commissioning and public service", body),
        PageBreak(),
        Paragraph("official. It is important to create a framework for involving residents.", item),
        Paragraph("For further information, contact the policy team.", body),
    ]
    path = tmp_path / "footnote.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    blocks = read_document(path).blocks
    assert [b.kind for b in blocks] == ["heading", "paragraph", "item", "footnote", "paragraph", "paragraph"]
    assert blocks[3].text == "[2] RSA (2013) - New approaches to commissioning and public service"
    doc = parse_sections(read_document(path))
    assert "according to a senior council official. It is important" in doc.text
    assert "policy team.\n\n[2] RSA (2013) - New approaches to commissioning and public service" in doc.text


def test_words_broken_at_a_line_end_rejoin():
    """A typesetter's hyphenation ("conversa-" / "tions", "Entrepreneur-" / "ship") rejoins even when the
    whole word occurs nowhere else; a compound keeps its hyphen ("socio-" / "economic"), and an e-mail
    address broken after its "@" rejoins without a space."""
    from latm_qa.read.pdf_blocks import Vocabulary, join_wrapped

    vocab = Vocabulary(frozenset({"difficult", "socio", "economic"}))
    assert join_wrapped("difficult conversa-", "tions about cost.", vocab) == "difficult conversations about cost."
    assert join_wrapped("Global Entrepreneur-", "ship Week 2015", vocab) == "Global Entrepreneurship Week 2015"
    assert join_wrapped("ethnic and/or socio-", "economic lines", vocab) == "ethnic and/or socio-economic lines"
    address = "Councils: Alex.Bailey@adur-worthing.gov.uk"
    assert join_wrapped("Councils: Alex.Bailey@", "adur-worthing.gov.uk", vocab) == address


def test_a_typesetter_that_breaks_words_at_line_ends():
    """Where most line-end hyphens rejoin into words the document uses (TeX hyphenates as it justifies),
    a broken word rejoins even when it occurs nowhere else ("supe-" / "rior"); a hyphenated word the
    document writes whole, one whose halves are both its words, or one after an apostrophe keeps its
    hyphen. A word processor that does not hyphenate keeps every hyphen it cannot account for."""
    from latm_qa.read.pdf_blocks import join_wrapped, vocabulary

    lines = [
        "councils have trans-", "formation plans and a long-", "term view of the commis-", "sioning cycle with",
        "partners and the trans-", "formation of services; long-term plans, outcome based budgets and the commis-",
        "sioning of services", "as transformation and commissioning go on",
    ]
    tex = vocabulary(lines)
    assert tex.breaks_words and "supe" not in tex and "rior" not in tex
    assert join_wrapped("one model is supe-", "rior to", tex) == "one model is superior to"
    assert join_wrapped("a long-", "term view", tex) == "a long-term view"  # written whole elsewhere
    assert join_wrapped("an outcome-", "based budget", tex) == "an outcome-based budget"  # two words of its own
    assert join_wrapped("an arm's-", "length body", tex) == "an arm's-length body"
    word = vocabulary(["the councils joined", "their services in a cost-", "effective way"])
    assert not word.breaks_words
    assert join_wrapped("in a cost-", "effective way", word) == "in a cost-effective way"
    joined = "Stephen.Evans@Barnet.gov.uk. Staffordshire"
    assert join_wrapped("Stephen.Evans@Barnet.", "gov.uk. Staffordshire", word) == joined
    assert join_wrapped("Programme: Peter.", "Hibberd@fdean.gov.uk", word) == "Programme: Peter.Hibberd@fdean.gov.uk"
    assert join_wrapped("the Council.", "Its staff", word) == "the Council. Its staff"


def test_a_line_whose_words_ran_together_gets_its_spaces_back(tmp_path):
    """A justified line set so tight that the extractor finds no space between its words
    ("Forfurtherinformation, contactSteveMullineux"): its words are found again from the document's own,
    and lines with their spaces, addresses and long words of the document are left as they are."""
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "tight.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Times-Roman", 11)
    prose = [
        "1. Introduction",
        "For further information about the programme, contact the Group Manager for Support Services.",
        "The councils set up a transformation programme to support services for residents and staff.",
        "For further details on the programme, contact Steve at the council: steve.mullineux@swdevon.gov.uk.",
    ]
    y = 780
    for text in prose:
        canvas.drawString(72, y, text)
        y -= 14
    # one line as TeX sets it: no space characters, the pen moved a tenth of an em between words
    words = "For further information, contact Steve Mullineux, Group Manager, Support Services.".split()
    canvas._code.append(f"BT /F1 11 Tf 72 {y} Td [" + "-100".join(f"({w})" for w in words) + "] TJ ET")
    canvas.save()
    assert "Forfurtherinformation" in PdfReader(path).pages[0].extract_text()
    doc = parse_sections(read_document(path))
    assert "For further information, contact Steve Mullineux, Group Manager, Support Services." in doc.text
    assert "transformation programme" in doc.text and "steve.mullineux@swdevon.gov.uk." in doc.text


def test_paged_text_from_a_word_processor_or_latex_pdf(tmp_path):
    """pdftotext's text of PDFs other tools made: a footnote at a page's foot whose second line runs on in
    lower case, then a case study heading the next page; a contact line ending in an address right above a
    case study's title; a title run in to its paragraph (LaTeX); a long title wrapped so its first line
    reads as a title itself. Each case study is found, and the footnote keeps all of its text."""
    body = "The council set up a company to trade its services with schools and other councils nearby. " * 3
    wide = textwrap.fill(body, 110)  # a full line is longer than any heading's
    pages = [
        "Local Authority Transformational Models\n\n4. Entrepreneurial councils\n\n4.4. Case studies\n"
        "Essex County Council (2013-Present)\n" + wide + "\nIt earned £7 million.1\n\n\n"
        "1\n Essex County Council (2015) - Essex County Council celebrates its\n"
        "entrepreneurial approach during Global Entrepreneurship Week 2015\n",
        "Warrington Borough Council (2011-Present)\n" + wide + "\n"
        "For further information, contact Danny Mather, Corporate Finance Manager:\n"
        "dzmather@warrington.gov.uk.\nColchester Borough Council (2009-Present)\n" + wide + "\n",
        "6. Sharing councils\n\n6.4. Case studies\nAdur and Worthing Councils (2007-Present) "
        + wide + "\n\nNorth Dorset District Council, West Dorset District Council, Weymouth and Portland\n"
        "Borough Council (Dorset Councils Partnership) (2015-Present)\n" + wide + "\n",
    ]
    path = tmp_path / "pdftotext.txt"
    path.write_text("\f".join(pages) + "\f", encoding="utf-8")
    doc = parse_sections(read_document(path))
    studies = [s.title for s in doc.sections if s.kind == "case_study"]
    assert studies == [
        "Essex County Council (2013-Present)", "Warrington Borough Council (2011-Present)",
        "Colchester Borough Council (2009-Present)", "Adur and Worthing Councils (2007-Present)",
        "North Dorset District Council, West Dorset District Council, Weymouth and Portland Borough Council "
        "(Dorset Councils Partnership) (2015-Present)",
    ]
    note = ("[1] Essex County Council (2015) - Essex County Council celebrates its entrepreneurial approach during "
            "Global Entrepreneurship Week 2015")
    assert note in doc.text and "It earned £7 million." in doc.text and "million.1" not in doc.text
    assert "dzmather@warrington.gov.uk." in doc.text


def test_markdown_as_pandoc_and_commonmark_write_it(tmp_path, reference):
    """The report as pandoc writes markdown from a Word file: e-mail addresses as autolinks
    ("<Stephen.Evans@Barnet.gov.uk>"), en dashes as "--", line breaks as a backslash, and (CommonMark,
    plain text) footnote marks and notes as bracketed numbers ("Parliament.[1]", "[1] Institute ...").
    The same sections and text as the markdown: no address lost, no mark left in a sentence."""
    md = MARKDOWN.read_text(encoding="utf-8")
    md = re.sub(r"\[([^\]]*@[^\]]*)\]\(mailto:[^)]*\)", r"\1", md)  # the markdown's own mailto links
    md = re.sub(r"([\w.-]+@[\w-]+(?:\.[\w-]+)+?)(?=\.?(?:\s|$))", r"<\1>", md)
    md = md.replace(" – ", " -- ").replace("  \n", "\\\n")
    md = re.sub(r"^<sup>(\d+)</sup>", r"[\1]", md, flags=re.M)
    md = re.sub(r"<sup>(\d+)</sup>", lambda m: "".join(f"[{d}]" for d in m.group(1)), md)
    assert "<Stephen.Evans@Barnet.gov.uk>." in md and "Parliament.[1] So" in md and "borough -- in" in md
    path = tmp_path / "pandoc.md"
    path.write_text(md, encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert [s.heading_path for s in doc.sections] == [s.heading_path for s in reference.sections]
    assert doc.text == reference.text


def test_a_label_above_an_address_is_no_heading(tmp_path):
    """A word processor's plain text, a paragraph a line: the publisher's name in capitals above its
    address lines reads as a title but heads no text, so the address stays in "About Localis"; a title
    line above a paragraph still heads its section."""
    path = tmp_path / "export.txt"
    path.write_text(
        "Local Authority Transformational Models\n1. Introduction\n"
        + "Councils have changed how they work.\nThey share services and trade them.\n" * 3
        + "About Localis\nLocalis is an independent think-tank dedicated to issues related to local government.\n"
        "LOCALIS RESEARCH LIMITED\n10 Storey's Gate, Westminster, SW1P 3AY\nT: 0207 340 2660\nE: info@localis.org.uk\n",
        encoding="utf-8",
    )
    doc = parse_sections(read_document(path))
    assert [s.title for s in doc.sections][-1] == "About Localis"
    about = doc.sections[-1]
    assert doc.text[about.start : about.end].endswith("T: 0207 340 2660\n\nE: info@localis.org.uk")
