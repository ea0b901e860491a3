"""Misspelt questions: read as the report's own words, shown to the user, and measured with --typos."""

from __future__ import annotations

import random

from conftest import ROOT
from rapidfuzz.distance import OSA

from latm_qa.bench.metrics import load_questions, mistype, with_typos

QUESTIONS = ROOT / "eval" / "questions.jsonl"


def test_mistyped_questions_are_one_edit_off_and_the_same_every_run():
    rng = random.Random(3)
    question = "How did Staffordshire commission adult education?"
    for _ in range(200):
        typo = mistype(question, rng)
        changed = [(a, b) for a, b in zip(typo.split(), question.split(), strict=True) if a != b]
        assert len(changed) == 1 and changed[0][0][0] == changed[0][1][0]  # one word, its first letter kept
        assert OSA.distance(*changed[0]) == 1
    questions = load_questions(QUESTIONS, "dev")[:20]
    assert with_typos(questions) == with_typos(questions)
    assert all(t["question"] != q["question"] for t, q in zip(with_typos(questions), questions, strict=True))
