"""Retrieval extras: metrics against hand-computed values, highlights, short answers, abstention."""

from __future__ import annotations

import pytest

from latm_qa.bench.metrics import RunResult, breakdown, is_relevant, score_run


def test_judging_rule_collapses_whitespace_and_case():
    assert is_relevant("saving £165\nmillion  over ten Years.", ["£165 million over ten years"])
    assert not is_relevant("saving £165 million", ["£166 million"])


def test_metrics_equal_hand_computed_values():
    questions = [
        {"id": "a", "question": "?", "answers": ["alpha"], "section": "1"},
        {"id": "b", "question": "?", "answers": ["beta"], "section": "2"},
        {"id": "c", "question": "?", "answers": [], "section": None},
    ]
    run = RunResult(name="t", passage_words=[10, 20, 30])
    run.ranked = {
        "a": [("p1", 3.0, "1", "alpha here"), ("p2", 2.0, "2", "nothing")],  # relevant at rank 1
        "b": [("p1", 3.0, "1", "nothing"), ("p3", 2.0, "3", "x"), ("p2", 1.0, "2", "beta")],  # rank 3
        "c": [("p1", 1.0, "1", "nothing")],
    }
    run.abstained = {"a": False, "b": False, "c": True}
    run.latency_ms = [1.0, 2.0, 3.0]
    m = score_run(run, questions)
    assert m["hit_rate@1"] == 0.5 and m["hit_rate@3"] == 1.0
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert m["citation_accuracy"] == 1.0 and m["top1_section_accuracy"] == 0.5
    assert m["abstention_precision"] == 1.0 and m["abstention_recall"] == 1.0 and m["false_abstention_rate"] == 0.0
    assert m["median_passage_words"] == 20
    assert breakdown(run, questions, "section")["2"]["hit@1"] == 0.0


def test_the_council_check_reads_names_not_ordinary_words():
    from latm_qa.places.gazetteer import Gazetteer

    gazetteer = Gazetteer.from_texts(["Reading Borough Council keeps a reading list. Barnet shares services."])
    assert [c.name for c in gazetteer.named("Is there a reading list on Barnet?")] == ["Barnet"]
    assert [c.name for c in gazetteer.named("What did Reading publish?")] == ["Reading"]
    essex = next(c for c in Gazetteer.from_texts(["Essex and Colchester"]).councils if c.name == "Essex")
    assert Gazetteer.from_texts(["Essex and Colchester"]).covers("Colchester Borough Council trades", essex)
