"""The development reports' benchmark questions (eval/reports/) are well formed and their answers are the
reports' own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from latm_qa.bench.metrics import load_questions, normalise
from latm_qa.read import read_document
from latm_qa.structure import parse_sections

ROOT = Path(__file__).resolve().parents[2]
ALL_SETS = sorted((ROOT / "eval" / "reports").glob("*.jsonl"))
IMPORTED = [p for p in ALL_SETS if '"chapter": ' in p.read_text(encoding="utf-8")]  # eval/import_questions.py
SETS = [p for p in ALL_SETS if p not in IMPORTED]  # written by the team
REPORTS = ROOT.parent / "shared" / "reports" / "more"
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s|^(Annex|Appendix|Chapter|Part) [A-Z0-9]{1,3}\b")


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_answer_is_in_its_report_and_every_question_says_where(path):
    source = REPORTS / path.stem / "report.md"
    if not source.exists():
        pytest.skip(f"{source} is not beside the project")
    questions = load_questions(path)
    body = normalise(parse_sections(read_document(source)).text)
    unanswerable = [q for q in questions if not q["answers"]]
    assert len(questions) >= 45 and len(unanswerable) == 8
    assert sum(q["split"] == "test" for q in unanswerable) == 5
    assert {q["split"] for q in questions} == {"dev", "test"}
    for q in questions:
        assert q["document"] == path.stem and q["id"].split("-q")[0]
        for answer in q["answers"]:
            assert normalise(answer) in body, (q["id"], answer)
        numbered = [h for h in q["heading_path"] if NUMBERED.match(h)]
        # the gold section is the nearest numbered heading on the answer's path, or none
        assert (q["section"] is None) == (not numbered or not q["answers"]), q["id"]


@pytest.mark.parametrize("path", IMPORTED, ids=[p.stem for p in IMPORTED])
def test_the_sets_written_outside_the_team_keep_their_questions_and_name_a_top_heading(path):
    """40 questions each (35 answered, 5 not covered), dev for odd ids and test for even ones, every answer in
    the report's words, and every chapter a `##` heading of the markdown (its number or title) or its title."""
    source = REPORTS / path.stem / "report.md"
    if not source.exists():
        pytest.skip(f"{source} is not beside the project")
    questions = load_questions(path)
    text = source.read_text(encoding="utf-8")
    body = normalise(parse_sections(read_document(source)).text)
    headings = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
    title = next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))
    named = {normalise(h) for h in [*headings, title]} | {h.split(".")[0] for h in headings if h[:1].isdigit()}
    assert len(questions) == 40 and sum(not q["answers"] for q in questions) == 5
    for q in questions:
        assert q["split"] == ("dev" if int(re.sub(r"\D", "", q["id"])) % 2 else "test"), q["id"]
        assert q["section"] is None and q["document"] == path.stem
        assert all(normalise(a) in body for a in q["answers"]), q["id"]
        assert (q["chapter"] is None) == (not q["answers"]), q["id"]
        chapter = q["chapter"]
        assert chapter is None or normalise(chapter) in named or chapter in named, (q["id"], chapter)
