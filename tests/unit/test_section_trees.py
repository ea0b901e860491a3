"""Section trees: every heading of the home report's markdown and of each development report's markdown is
in its tree, in order, under the right parent; and every benchmark question's gold heading path is a
section of the tree, cited by its gold section number. Markdown levels decide a heading's parent except
where numbering says otherwise: "2.4" sits under "2." whatever its "#" depth, a dated heading under a
"Case studies" part is one of its case studies, and in a numbered report back matter ("About Localis",
"Annex A", "Endnotes") sits under no chapter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import MARKDOWN

from latm_qa.read import read_document
from latm_qa.read.markdown import clean_inline
from latm_qa.structure import parse_sections
from latm_qa.structure.headings import BACK_MATTER, heading_number
from latm_qa.text import DATED

ROOT = Path(__file__).resolve().parents[2]
MORE = ROOT.parent / "shared" / "reports" / "more"
DEV = [
    "dwp-single-departmental-plan",
    "18f-derisking-state-tech-handbook",
    "national-curriculum-maths",
    "spring-budget-2017",
    "summer-budget-2015",
]
SOURCES = {"home": MARKDOWN, **{name: MORE / name / "report.md" for name in DEV}}
_HEADING = re.compile(r"^(?:\s{0,3}>\s?)*(#{1,6})\s+(.*?)\s*#*\s*$")  # in a blockquote too ("> #### Notes")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip()


def markdown_tree(text: str) -> list[tuple[str, str | None]]:
    """(heading, parent heading) for every "#" heading of a markdown file (blockquoted ones too), by the rules
    above, written
    independently of the engine: the first heading is the title, which parents nothing. A numbered heading
    with no text of its own heads the unnumbered headings set as deep as it right after it."""
    headings: list[tuple[int, str, bool]] = []  # ("#" depth, title, whether it follows a heading directly)
    follows = False
    for line in text.split("\n"):
        match = _HEADING.match(line)
        if match:
            headings.append((len(match.group(1)), _plain(clean_inline(match.group(2))), follows))
            follows = True
        elif line.strip():
            follows = False
    numbers = [heading_number(title) for _, title, _ in headings]
    numbered = sum(n is not None and not n.name and not n.letter for n in numbers) >= 2
    tree: list[tuple[str, str | None]] = [(headings[0][1], None)]
    stack: list[tuple[float, str]] = []  # open headings: ("#" depth, title)
    chapters: dict[str, str] = {}  # the number (or letter) of each chapter seen -> its title
    case_studies = ""  # the open "Case studies" part, if any
    bare = False  # the last heading was numbered and nothing has followed it
    for (level, title, follows), number in zip(headings[1:], numbers[1:], strict=True):
        if number is not None and (number.sub is None or number.letter):
            parent, stack, case_studies = None, [(level, title)], ""
            chapters[(number.name[-1:] if number.name else str(number.chapter))] = title
        elif number is not None:
            parent = chapters[str(number.chapter)]
            stack = [(0, parent), (level, title)]
            case_studies = title if "case stud" in title.lower() else ""
        elif case_studies and DATED.search(title):
            parent = case_studies
        elif numbered and chapters and BACK_MATTER.match(title):
            parent, stack, case_studies = None, [(level, title)], ""
        else:
            if bare and follows and stack[-1][0] == level:
                stack[-1] = (level - 0.5, stack[-1][1])
            while stack and stack[-1][0] >= level:
                if stack.pop()[1] == case_studies:
                    case_studies = ""
            parent = stack[-1][1] if stack else None
            stack.append((level, title))
        bare = number is not None and not number.name
        tree.append((title, parent))
    return tree


def section_tree(path: Path) -> list[tuple[str, str | None]]:
    doc = parse_sections(read_document(path))
    paths = [tuple(_plain(h) for h in s.heading_path) for s in doc.sections]
    return [(path[-1], path[-2] if len(path) > 1 else None) for path in paths]


@pytest.fixture(scope="module", params=list(SOURCES))
def source(request):
    path = SOURCES[request.param]
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    return request.param, path


def test_every_markdown_heading_is_in_the_tree_under_its_parent(source):
    _, path = source
    expected = markdown_tree(path.read_text(encoding="utf-8"))
    found = section_tree(path)
    assert [title for title, _ in found] == [title for title, _ in expected]
    assert found == expected


def test_every_gold_heading_path_is_a_section_cited_by_its_gold_number(source):
    name, path = source
    questions = ROOT / "eval" / "reports" / f"{name}.jsonl"
    if not questions.exists():
        pytest.skip("the home report's questions carry no heading path")
    doc = parse_sections(read_document(path))
    numbers = {tuple(_plain(h) for h in s.heading_path): s.number for s in doc.sections}
    for line in questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if not q["heading_path"]:
            continue
        where = tuple(_plain(h) for h in q["heading_path"])
        assert where in numbers, (q["id"], where)
        if q["section"] is not None:
            assert numbers[where] == q["section"], (q["id"], where)


def test_boxes_are_named_examples_in_the_section_they_sit_in():
    path = SOURCES["spring-budget-2017"]
    if not path.exists():
        pytest.skip(f"{path} is not beside the project")
    doc = parse_sections(read_document(path))
    boxes = [s for s in doc.sections if s.title.startswith("Box ")]
    assert [(s.number, s.kind) for s in boxes] == [("1", "case_study"), ("1", "case_study"), ("4", "case_study")]
    assert boxes[2].heading_path[:2] == ("4. Productivity", "Further and Higher Education")
    annex = [s for s in doc.sections if s.heading_path[0].startswith("Annex A")]
    assert {s.number for s in annex} == {"Annex A"} and len(annex) == 8


def test_numbered_paragraphs_stay_paragraphs_in_markdown_and_plain_text(tmp_path):
    """A budget's numbered paragraphs ("1.2 The Government will ...") are text, whether a line of their own,
    wrapped with the first line alone, or set bold; the numbered headings around them still open sections."""
    text = (
        "Spring Budget\n\n1. Economic context\n\n1.1 The economy has continued to grow. The forecast is 2.0%.\n\n"
        "1.2 The Government will increase the personal allowance to £11,500 from April\n"
        "2017 and will raise the higher rate threshold to £45,000.\n\n"
        "1.3 The Government will work with the\nNHS to cut waiting times in every region.\n\n"
        "2. Tax\n\n2.1 The Government will introduce a new allowance\nfor trading income of £1,000 each.\n"
    )
    markdown = (
        "# Spring Budget\n\n## 1. Economic context\n\n**1.2 The Government will increase the personal allowance.**\n\n"
        "## 2. Tax\n\n2.1 The Government will introduce a new allowance.\n"
    )
    for name, body in (("budget.txt", text), ("budget.md", markdown)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        doc = parse_sections(read_document(path))
        assert [(s.kind, s.number) for s in doc.sections] == [("front", ""), ("chapter", "1"), ("chapter", "2")]
        if name == "budget.txt":
            assert "from April 2017 and will raise" in doc.text and "work with the NHS to cut" in doc.text


def test_named_parts_number_their_sections_and_boxes_are_named_examples(tmp_path):
    """ "Chapter 2" numbers like "2.", "Annex A" and "Part G" name their parts, "A.1" is Annex A's first
    part, and "Box 2.A: ..." is a named example inside the section it is set in."""
    path = tmp_path / "report.md"
    path.write_text(
        "# Report\n\n## Foreword\n\nA word first.\n\n## Chapter 1: Growth\n\nText.\n\n### 1.1 Jobs\n\nText.\n\n"
        "## Chapter 2: Tax\n\nText.\n\n### Box 2.A: A household's tax bill\n\nShe pays less.\n\n"
        "### Income tax\n\nText.\n\n## Part G: Scotland\n\nText.\n\n### Devolution\n\nText.\n\n"
        "## Annex A: Financing\n\nText.\n\n### A.1 Gilts\n\nText.\n\n### A.2 Bills\n\nText.\n",
        encoding="utf-8",
    )
    doc = parse_sections(read_document(path))
    found = [(s.number, s.kind, s.heading_path[-2:]) for s in doc.sections[1:]]
    assert found == [
        ("Foreword", "unnumbered", ("Foreword",)),
        ("1", "chapter", ("Chapter 1: Growth",)),
        ("1.1", "subsection", ("Chapter 1: Growth", "1.1 Jobs")),
        ("2", "chapter", ("Chapter 2: Tax",)),
        ("2", "case_study", ("Chapter 2: Tax", "Box 2.A: A household's tax bill")),
        ("2", "subheading", ("Chapter 2: Tax", "Income tax")),
        ("Part G", "unnumbered", ("Part G: Scotland",)),
        ("Part G", "subheading", ("Part G: Scotland", "Devolution")),
        ("Annex A", "unnumbered", ("Annex A: Financing",)),
        ("A.1", "subsection", ("Annex A: Financing", "A.1 Gilts")),
        ("A.2", "subsection", ("Annex A: Financing", "A.2 Bills")),
    ]
