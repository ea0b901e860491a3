"""Properties of reading, sections and passages on generated reports (hypothesis)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latm_qa.build.passages import split_passages
from latm_qa.errors import InputFileError
from latm_qa.read import read_document
from latm_qa.structure.sections import parse_sections

VOCAB = (
    "council services budget residents savings partnership trading model local authority revenue staff community "
    "digital housing care schools libraries commissioning cooperative enterprise outcomes providers contract "
    "million annual shared leisure planning energy transport waste health social income growth pressure"
).split()
FIGURES = ("£7 million", "£2.6 million", "30 percent", "1,400 jobs", "2015/16")

words = st.lists(st.sampled_from(VOCAB), min_size=3, max_size=28)
sentences = st.builds(
    lambda ws, figure: " ".join([ws[0].capitalize(), *ws[1:], *([figure] if figure else [])]) + ".",
    words,
    st.one_of(st.none(), st.sampled_from(FIGURES)),
)
paragraphs = st.lists(sentences, min_size=1, max_size=9).map(" ".join)
bodies = st.lists(st.one_of(paragraphs, paragraphs.map(lambda p: "- " + p)), min_size=1, max_size=4)
titles = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=4).map(lambda ws: " ".join(ws).capitalize())


@st.composite
def reports(draw) -> list[tuple[str, list[str]]]:
    """A report as (heading line, body paragraphs) sections: numbered chapters, subsections, case studies."""
    sections = [("# Test Report on Councils", draw(bodies))]
    for chapter in range(1, draw(st.integers(1, 4)) + 1):
        sections.append((f"## {chapter}. {draw(titles)}", draw(bodies)))
        subsections = draw(st.integers(0, 3))
        for sub in range(1, subsections + 1):
            sections.append((f"### {chapter}.{sub}. {draw(titles)}", draw(bodies)))
        if draw(st.booleans()):
            sections.append((f"### {chapter}.{subsections + 1}. Case studies", draw(bodies)))
            for n in range(draw(st.integers(1, 3))):
                sections.append((f"#### {draw(titles)} Council {n} (2013-Present)", draw(bodies)))
    return sections


def markdown(sections: list[tuple[str, list[str]]]) -> str:
    return "\n\n".join(heading + "\n\n" + "\n\n".join(body) for heading, body in sections) + "\n"


def word_counts(text: str) -> Counter[str]:
    return Counter(re.findall(r"[A-Za-z]+|\d[\d,./]*", text))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


def build(workdir, text: str, max_words: int, min_words: int, name: str = "report.md"):
    path = workdir / name
    path.write_text(text, encoding="utf-8")
    doc = parse_sections(read_document(path))
    return doc, split_passages(doc, max_words, min_words)


SIZES = st.tuples(st.integers(15, 200), st.integers(1, 60)).map(lambda t: (t[0], min(t[1], t[0])))
RUN = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@RUN
@given(reports(), SIZES)
def test_offsets_map_back_to_the_text(workdir, report, sizes):
    doc, passages = build(workdir, markdown(report), *sizes)
    assert passages
    for row, p in enumerate(passages):
        assert doc.text[p.start : p.end] == p.text and p.text.strip() == p.text and p.ordinal == row
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(doc.text)


@RUN
@given(reports(), SIZES)
def test_no_body_text_is_lost(workdir, report, sizes):
    doc, passages = build(workdir, markdown(report), *sizes)
    body = sum((word_counts(p.removeprefix("- ")) for _, ps in report for p in ps), Counter())
    assert not body - word_counts(doc.text), "words of the input missing from the document text"
    in_sections = sum((word_counts(doc.text[s.start : s.end]) for s in doc.sections), Counter())
    in_passages = sum((word_counts(p.text) for p in passages), Counter())
    assert in_passages == in_sections == body  # every body word in exactly one passage, no heading in a body


@RUN
@given(reports(), SIZES)
def test_no_passage_crosses_a_section(workdir, report, sizes):
    doc, passages = build(workdir, markdown(report), *sizes)
    assert len(doc.sections) == len(report)
    for p in passages:
        owners = [s for s in doc.sections if s.start <= p.start and p.end <= s.end]
        assert len(owners) == 1 and owners[0].heading_path == p.heading_path and owners[0].number == p.section
    assert len({p.passage_id for p in passages}) == len(passages)


@RUN
@given(reports(), SIZES, st.data())
def test_passage_ids_survive_unrelated_edits(workdir, report, sizes, data):
    doc, before = build(workdir, markdown(report), *sizes)
    edited_at = data.draw(st.integers(0, len(report) - 1), label="edited section")
    extra = data.draw(sentences, label="added sentence")
    heading, body = report[edited_at]
    changed = [*report[:edited_at], (heading, [body[0] + " " + extra, *body[1:]]), *report[edited_at + 1 :]]
    _, after = build(workdir, markdown(changed), *sizes)
    edited_path = doc.sections[edited_at].heading_path

    def ids(passages):
        return [(p.passage_id, p.text) for p in passages if p.heading_path != edited_path]

    assert ids(after) == ids(before)


@RUN
@given(reports(), SIZES)
def test_plain_text_reader_keeps_offsets_and_words(workdir, report, sizes):
    text = "\n\n".join(heading.lstrip("# ") + "\n\n" + "\n\n".join(body) for heading, body in report) + "\n"
    doc, passages = build(workdir, text, *sizes, name="report.txt")
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
    body = sum((word_counts(p.removeprefix("- ")) for _, ps in report for p in ps), Counter())
    assert not body - word_counts(doc.text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000), st.sampled_from([".md", ".txt", ".pdf", ".markdown"]), st.booleans())
def test_any_bytes_read_cleanly_or_fail_with_a_clear_error(workdir, data, suffix, pdf_frame):
    if suffix == ".pdf" and pdf_frame:
        data = b"%PDF-1.4\n" + data + b"\n%%EOF\n"
    path = workdir / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        raw = read_document(path)
    except InputFileError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        return
    doc = parse_sections(raw)
    for p in split_passages(doc):
        assert doc.text[p.start : p.end] == p.text
