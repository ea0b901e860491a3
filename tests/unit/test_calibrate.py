"""The confidence model: fitting, its reliability table, and a damaged model file; the conversation file."""

import json

import numpy as np
import pytest

from latm_qa import LatmQaError
from latm_qa.answer import confidence
from latm_qa.bench.calibrate import fit_logistic, reliability
from latm_qa.bench.conversations import load_conversations, score_turns


def test_a_logistic_fit_recovers_how_often_a_score_is_right():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, size=(4000, 1))
    y = (rng.uniform(size=4000) < 1 / (1 + np.exp(-(0.5 + 2.0 * x[:, 0])))).astype(float)
    intercept, weight = fit_logistic(x, y)
    assert intercept == pytest.approx(0.5, abs=0.15) and weight == pytest.approx(2.0, abs=0.2)
    chances = confidence.Calibration((intercept, weight)).probability(x)
    _, error = reliability(list(chances), list(y.astype(bool)))
    assert error < 0.03  # calibrated on the data it describes


def test_the_reliability_table_says_how_often_each_probability_was_right():
    table, error = reliability([0.95, 0.95, 0.15, 0.15], [True, False, False, False])
    assert [(r["bin"], r["n"], r["observed"]) for r in table] == [("0.1–0.2", 2, 0.0), ("0.9–1.0", 2, 0.5)]
    assert error == pytest.approx(0.5 * 0.45 + 0.5 * 0.15)


def test_words_mean_the_same_probability_everywhere():
    assert [confidence.words(p) for p in (0.95, 0.8, 0.79, 0.5, 0.49)] == ["high", "high", "medium", "medium", "low"]


def test_a_damaged_model_file_is_named_with_the_fix(tmp_path, monkeypatch):
    broken = tmp_path / "calibration.json"
    broken.write_text('{"answer": {"weights": [1, 2]}}', encoding="utf-8")
    monkeypatch.setattr(confidence, "CALIBRATION_FILE", broken)
    confidence.shipped.cache_clear()
    try:
        with pytest.raises(LatmQaError, match="latm-qa calibrate"):
            confidence.shipped()
    finally:
        confidence.shipped.cache_clear()


def test_the_shipped_model_has_a_weight_per_feature():
    models = confidence.shipped()
    assert set(models) == {"answer", "cards"}
    assert all(len(m.weights) == len(confidence.FEATURES) + 1 for m in models.values())


def test_a_conversation_file_is_checked_line_by_line(tmp_path):
    good = {"id": "c1", "document": "r", "split": "dev",
            "turns": [{"question": "q", "answers": ["a"], "followup": False}]}
    path = tmp_path / "conversations.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"id": "c2", "turns": []}\n', encoding="utf-8")
    with pytest.raises(LatmQaError, match="conversations.jsonl:2"):
        load_conversations(path)
    with pytest.raises(LatmQaError, match="no conversation file"):
        load_conversations(tmp_path / "missing.jsonl")


def test_follow_ups_and_standalone_turns_are_scored_apart():
    turns = [
        {"conversation": "c1", "question": "q1", "searched": "q1", "followup": False, "first_turn": True,
         "right": True},
        {"conversation": "c1", "question": "and it?", "searched": "and it? (X)", "followup": True, "first_turn": False,
         "right": True},
        {"conversation": "c1", "question": "savings", "searched": "savings (X)", "followup": False,
         "first_turn": False, "right": False},
    ]
    scored = score_turns(turns)
    assert scored["followup_right"] == 1.0 and scored["standalone_kept"] == 0.0 and scored["first_turn_right"] == 1.0
