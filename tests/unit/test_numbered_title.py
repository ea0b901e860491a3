"""A chapter whose title line carries its number ("4 THE PRESS AND THE POLICE"), then sections numbered from 1
again within it ("1. Introduction" ... "9. Conclusion"): they are its sections, 4.1 ... 4.9, in every format."""

from __future__ import annotations

from pathlib import Path

from latm_qa.read import read_document
from latm_qa.structure import parse_sections
from latm_qa.types import Block, Document, RawDocument

SECTIONS = ["Introduction", "Background", "Leaks", "Off-the-record briefings", "Hospitality", "Gifts",
            "Recommendations", "Training", "Conclusion"]
EXPECTED = [("4", "THE PRESS AND THE POLICE", 1)] + [(f"4.{i}", t, 2) for i, t in enumerate(SECTIONS, 1)]


def _write(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_sections(read_document(path))


def _chapter(heading: str, markdown: bool) -> str:
    mark, sub = ("# ", "## ") if markdown else ("", "")
    body = "".join(
        f"{sub}{i}. {t}\n\nWhat the inquiry heard on {t.lower()} in this part.\n\n" for i, t in enumerate(SECTIONS, 1)
    )
    return f"{mark}{heading}\n\n{body}"


def _tree(doc: Document) -> list[tuple[str, str, int]]:
    return [(s.number, s.title, s.level) for s in doc.sections]


def _section_of(doc: Document, words: str):
    at = doc.text.index(words)
    return next(s for s in doc.sections if s.start <= at < s.end)


def test_sections_restarting_under_a_numbered_title_are_its_own_in_markdown_and_text(tmp_path):
    for name, markdown in (("lev.md", True), ("lev.txt", False)):
        doc = _write(tmp_path, name, _chapter("4 THE PRESS AND THE POLICE", markdown))
        assert _tree(doc) == EXPECTED, name
        leaks = _section_of(doc, "heard on leaks")
        assert (leaks.number, leaks.kind) == ("4.3", "subsection")
        assert leaks.heading_path == ("4 THE PRESS AND THE POLICE", "3. Leaks")  # the heading as printed
        assert _section_of(doc, "heard on introduction").number == "4.1"  # no longer swallowed by §4


def test_the_same_from_a_pdfs_headings():
    blocks = [Block(kind="heading", text="4 THE PRESS AND THE POLICE", heading_hint=1)]
    for i, title in enumerate(SECTIONS, 1):
        blocks += [Block(kind="heading", text=f"{i}. {title}", heading_hint=2),
                   Block(kind="paragraph", text=f"What the inquiry heard on {title.lower()}.")]
    doc = parse_sections(RawDocument(path="lev.pdf", title="Leveson", sha256="0" * 64, blocks=tuple(blocks)))
    assert _tree(doc) == EXPECTED


def test_the_next_chapter_printed_as_its_title_ends_the_run(tmp_path):
    text = _chapter("4 THE PRESS AND THE POLICE", False).replace("8. Training", "7.1 Training")
    text = text.replace("9. Conclusion", "5 THE PRESS AND POLITICIANS")
    text += "1. Introduction\n\nPoliticians and press.\n\n2. Lobbying\n\nMeetings with editors.\n\n"
    doc = _write(tmp_path, "two.txt", text)
    numbers = [s.number for s in doc.sections]
    assert numbers == ["4", *(f"4.{i}" for i in range(1, 8)), "4.7", "5", "5.1", "5.2"]
    assert _section_of(doc, "Meetings with editors").heading_path == ("5 THE PRESS AND POLITICIANS", "2. Lobbying")
    # a numbered part of one of the run's sections sits inside it, cited by its number
    inner = _section_of(doc, "heard on training")
    assert (inner.number, inner.kind, inner.title) == ("4.7", "subheading", "7.1 Training")


def test_a_run_ends_where_a_heading_is_set_stronger_than_its_sections(tmp_path):
    text = _chapter("4 THE PRESS AND THE POLICE", True).replace("## 5. Hospitality", "# 5. Hospitality")
    doc = _write(tmp_path, "strong.md", text)
    assert _tree(doc)[:6] == EXPECTED[:5] + [("5", "Hospitality", 1)]


def test_one_lone_number_one_under_a_chapter_starts_no_run(tmp_path):
    text = "# 1. Introduction\n\nThe start.\n\n# 2. Findings\n\nWhat we found.\n\n## 1. A first point\n\nOne.\n\n"
    text += "# 3. Next steps\n\nWhat follows.\n\n"
    doc = _write(tmp_path, "lone.md", text)
    assert [s.number for s in doc.sections] == ["1", "2", "3"]  # "1. A first point" stays text in chapter 2


def test_ordinary_chapters_and_their_parts_are_unchanged(tmp_path):
    text = "# 1. Introduction\n\nThe start.\n\n## 1.1 Scope\n\nWhat it covers.\n\n# 2. Findings\n\nWhat we found.\n\n"
    text += "## 2.1 Costs\n\nThe costs.\n\n# 01 Annex of numbers\n\nA table.\n\n"
    doc = _write(tmp_path, "plain.md", text)
    assert [s.number for s in doc.sections] == ["1", "1.1", "2", "2.1"]
