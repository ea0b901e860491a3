"""Reading and section detection on the real report: markdown and both PDFs."""

from __future__ import annotations

import re

import pytest
from conftest import REPORTS

from latm_qa.build.passages import split_passages
from latm_qa.read import read_document
from latm_qa.structure.sections import parse_sections
from latm_qa.text import word_count as words

NUMBERED = ["1"] + [f"{c}{s}" for c in range(2, 8) for s in ["", ".1", ".2", ".3", ".4", ".5"]] + ["8"]
CASE_STUDIES = {
    "2.4": ["London Borough of Barnet", "Staffordshire County Council", "The 2020 Vision Partnership"],
    "3.4": ["Plymouth City Council", "Oldham Council"],
    "4.4": ["Essex County Council", "Warrington Borough Council", "Colchester Borough Council"],
    "5.4": ["Suffolk Coastal District Council"],
    "6.4": [
        "Adur and Worthing Councils",
        "West Suffolk: Forest Heath and St Edmundsbury Councils",
        "North Dorset District Council",
    ],
    "7.4": ["Croydon LBC", "South Hams/West Devon"],
}


@pytest.fixture(scope="module", params=list(REPORTS))
def document(request):
    return request.param, parse_sections(read_document(REPORTS[request.param]))


def test_all_38_numbered_sections_in_order(document):
    _, doc = document
    numbered = [s.number for s in doc.sections if s.kind in ("chapter", "subsection")]
    assert numbered == [n.rstrip(".") for n in NUMBERED]
    assert len(numbered) == 38
    titles = {s.number: s.title for s in doc.sections if s.kind in ("chapter", "subsection")}
    assert titles["4.4"] == "Case studies" and titles["7"] == "Holistic/person-centred councils"
    assert titles["8"] == "Recurrent themes across Local Authority Transformational Models"


def test_all_14_case_studies_under_their_parent(document):
    _, doc = document
    found = [(s.number, s.title) for s in doc.sections if s.kind == "case_study"]
    assert len(found) == 14
    for parent, names in CASE_STUDIES.items():
        titles = [t for n, t in found if n == parent]
        assert len(titles) == len(names)
        for name, title in zip(names, titles, strict=True):
            assert title.startswith(name) and re.search(r"\(\d{4}-Present\)$", title)
    essex = next(s for s in doc.sections if s.title.startswith("Essex"))
    assert essex.heading_path == (
        "4. Entrepreneurial councils",
        "4.4. Case studies",
        "Essex County Council (2013-Present)",
    )


def test_about_localis_is_a_section(document):
    _, doc = document
    about = [s for s in doc.sections if s.title == "About Localis"]
    assert len(about) == 1 and "independent think-tank" in doc.text[about[0].start : about[0].end]


def test_no_running_headers_footers_or_bullets_in_passages(document):
    _, doc = document
    for passage in split_passages(doc):
        assert "Local Government Association 1" not in passage.text
        assert not re.search(r"Local Government Association \d+$", passage.text, re.M)
        assert "•" not in passage.text and "\uf0b7" not in passage.text
    body = doc.text[next(s for s in doc.sections if s.number == "1").start :]
    assert body.count("Local Authority Transformational Models") <= 3  # title mentions in the prose only


def test_footnote_split_sentence_is_rejoined_and_footnote_kept(document):
    _, doc = document
    text = re.sub(r"\s+", " ", doc.text)
    assert "along ethnic and/or socio-economic lines. Members have a key role" in text
    assert "650 trainee and work experience opportunities, which has helped to facilitate" in text
    challenges = next(s for s in doc.sections if s.number == "3.3")
    assert "RSA (2013) - New approaches to commissioning" in doc.text[challenges.start : challenges.end]


def test_pound_percent_and_dashes_survive(document):
    _, doc = document
    assert "£165 million over ten years" in doc.text
    assert "A 2-3% efficiency gain" in doc.text
    assert "the borough – in consultation" in re.sub(r"\s+", " ", doc.text)
    assert "person-centred" in doc.text


def test_page_breaks_inside_sentences_are_joined(document):
    name, doc = document
    text = re.sub(r"\s+", " ", doc.text)
    assert "funded music services delivered by a charitable trust and brought recycling services in-house" in text
    assert "members largely saw the benefits of an entrepreneurial approach" in text


def test_passages_respect_sections_and_size(document):
    _, doc = document
    passages = split_passages(doc)
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        section = next(s for s in doc.sections if s.heading_path == p.heading_path)
        assert section.start <= p.start and p.end <= section.end
        assert words(p.text) <= 200
    sizes = sorted(words(p.text) for p in passages)
    assert 40 <= sizes[len(sizes) // 2] <= 150
    ids = [p.passage_id for p in passages]
    assert len(set(ids)) == len(ids)


def test_a_sentence_leaning_on_the_one_before_stays_with_it(document):
    _, doc = document
    passages = split_passages(doc)
    road = next(p for p in passages if "link road between the M54" in p.text)
    assert "This will help to support 1,400 local jobs" in road.text  # what the road will do
    for p in passages:
        mid_paragraph = "\n" not in doc.text[max(0, p.start - 2) : p.start]
        assert not (mid_paragraph and re.match(r"(This|These|It|They|Such)\b", p.text)), p.text[:60]


def test_pdf_pages_are_right_for_known_passages():
    doc = parse_sections(read_document(REPORTS["pdf"]))
    passages = split_passages(doc)

    def pages_of(snippet: str) -> tuple[int, ...]:
        return next(p.pages for p in passages if snippet in p.text)

    assert pages_of("generated net revenue of £7 million per year") == (8,)
    assert pages_of("Local government funding has been heavily squeezed") == (1,)
    assert pages_of("funded music services delivered by a charitable") == (2, 3)
    assert pages_of("Localis is an independent think-tank") == (17,)
    essex = next(s for s in doc.sections if s.title.startswith("Essex"))
    assert essex.pages == (8,)


def test_both_pdfs_give_the_same_text_as_each_other():
    a = parse_sections(read_document(REPORTS["pdf"]))
    b = parse_sections(read_document(REPORTS["pdf_no_outline"]))
    assert a.text == b.text
    assert [s.heading_path for s in a.sections] == [s.heading_path for s in b.sections]


def test_plain_text_report_follows_numbering(tmp_path):
    md = REPORTS["md"].read_text(encoding="utf-8")
    plain = re.sub(r"^#+\s*", "", md, flags=re.M).replace("**", "")
    path = tmp_path / "report.txt"
    path.write_text(plain, encoding="utf-8")
    doc = parse_sections(read_document(path))
    assert len([s for s in doc.sections if s.kind in ("chapter", "subsection")]) == 38
    assert len([s for s in doc.sections if s.kind == "case_study"]) == 14
