"""The ablation table's verdicts (bench/ablation.py), on hand-made figures: a layer keeps its place only when
it is worth +1 point macro Hit@1 and costs no report more than 3 points; a check only when it recognises more
unanswerable questions than it wrongly declines."""

from __future__ import annotations

from latm_qa.bench.ablation import LAYERS, TYPED, judge


def _figures(hits: dict[str, float], recognised: float = 2.0, declined: float = 0.0) -> dict:
    report = {name: {"hit_rate@1": h, "mrr@10": h, "false_abstention_rate": declined / 20,
                     "unanswerable_recognised": recognised, "unanswerable": 5.0, "false_abstained": declined}
              for name, h in hits.items()}
    return {"dev": report, "test": report}


BASE = {"a": 0.80, "b": 0.70, "c": 0.60}


def _rows(**changed: dict) -> dict:
    rows = {"default ranking": _figures(BASE), "default ranking, mistyped": _figures({k: v - 0.1 for k, v in
                                                                                        BASE.items()}),
            "late interaction alone": _figures({k: v - 0.05 for k, v in BASE.items()})}
    for name, *_ in LAYERS:
        rows[name] = changed.get(name, rows["default ranking, mistyped" if name in TYPED else "default ranking"])
    return rows


def _verdicts(rows: dict) -> dict[str, dict]:
    return {row["layer"]: row for row in judge(rows)["rows"]}


def test_a_layer_worth_a_point_everywhere_keeps_its_place_and_one_worth_nothing_goes():
    rows = _rows(**{"sentence scores": _figures({"a": 0.78, "b": 0.68, "c": 0.58})})  # out: 2 points lower
    verdicts = _verdicts(rows)
    assert verdicts["sentence scores"]["dev"]["worth_hit@1"] == 0.02
    assert verdicts["sentence scores"]["verdict"] == "keeps its place"
    assert verdicts["numbered-part labels"]["verdict"] == "does not pay: off by default"  # no change without it
    assert verdicts["places"]["verdict"] == "stays a profile option"
    assert verdicts["late interaction alone"]["verdict"] == "the default ranking is +5.0 points ahead of it"


def test_a_layer_that_costs_one_report_more_than_three_points_goes_whatever_its_macro_gain():
    # without the labels a and b lose 10 points each, c gains 5: worth +5 macro, but it costs c 5 points
    rows = _rows(**{"numbered-part labels": _figures({"a": 0.70, "b": 0.60, "c": 0.65})})
    row = _verdicts(rows)["numbered-part labels"]
    assert row["dev"]["worst"] == (-0.05, "c")
    assert row["verdict"] == "does not pay: off by default"


def test_a_layer_off_by_default_is_judged_by_what_it_adds():
    rows = _rows(**{"BM25 (0.3)": _figures({"a": 0.83, "b": 0.72, "c": 0.61}),
                    "topic step (0.5)": _figures({"a": 0.90, "b": 0.70, "c": 0.60})})
    verdicts = _verdicts(rows)
    assert verdicts["BM25 (0.3)"]["dev"]["worth_hit@1"] == 0.02 and verdicts["BM25 (0.3)"]["verdict"] == \
        "pays: on by default"
    # +10 on one report is +3.3 macro and costs no one: it pays
    assert verdicts["topic step (0.5)"]["verdict"] == "pays: on by default"
    assert verdicts["structure prior (0.1)"]["verdict"] == "stays off"
    assert verdicts["cover step (2.0)"]["verdict"] == "stays off"


def test_spelling_is_judged_on_mistyped_questions_against_the_mistyped_default():
    typed = {k: v - 0.1 for k, v in BASE.items()}
    rows = _rows(spelling=_figures({k: v - 0.05 for k, v in typed.items()}))
    assert _verdicts(rows)["spelling"]["dev"]["worth_hit@1"] == 0.05


def test_a_check_keeps_its_place_when_it_recognises_more_than_it_wrongly_declines():
    # by default: 2 unanswerable recognised a report (6 in all) and 1 answerable declined (3 in all)
    rows = _rows(**{"not in the report": _figures(BASE, recognised=0.5, declined=1.0),  # taken out
                    "not counted": _figures(BASE, recognised=1.0, declined=0.0),  # taken out
                    "not dated": _figures(BASE, recognised=1.0, declined=0.5),  # taken out
                    "low similarity": _figures(BASE, recognised=2.0, declined=1.0)})  # taken out: no change
    rows["default ranking"] = _figures(BASE, recognised=2.0, declined=1.0)
    verdicts = _verdicts(rows)
    assert verdicts["not in the report"]["verdict"] == "keeps its place (recognises 4.5, wrongly declines 0)"
    assert verdicts["not counted"]["verdict"] == "does not pay: off by default (recognises 3, wrongly declines 3)"
    assert verdicts["not dated"]["verdict"] == "keeps its place (recognises 3, wrongly declines 1.5)"
    assert verdicts["low similarity"]["verdict"] == "fires on no question of the suite: no evidence either way"
