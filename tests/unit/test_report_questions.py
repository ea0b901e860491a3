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
SETS = sorted((ROOT / "eval" / "reports").glob("*.jsonl"))
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
