"""Leave-one-report-out (bench/loo.py): the configurations tried, and each report judged with the choice of
the others, on a hand-made grid of figures (no model)."""

from __future__ import annotations

from latm_qa.bench.loo import CANDIDATES, _macro_objective, _macro_rows, configurations, objective
from latm_qa.settings import load_settings


def test_the_defaults_come_first_then_each_weight_moved_alone():
    settings = load_settings()
    configs = configurations(settings)
    base = configs[0]
    assert base == {name: getattr(settings, name) for name in CANDIDATES}
    assert all(sum(c[k] != base[k] for k in base) == 1 for c in configs[1:])
    assert len(configs) == 1 + sum(len([v for v in vs if v != base[k]]) for k, vs in CANDIDATES.items())


def _figures(hit: float) -> dict:
    return {"hit_rate@1": hit, "mrr@10": hit}


def test_a_report_gets_the_configuration_its_others_prefer_not_its_own_best():
    # config 0 is best for report a alone; config 1 for b and c (and for a's pdf it is bad)
    grid = {
        ("a", "md"): [_figures(0.9), _figures(0.5)], ("a", "pdf"): [_figures(0.8), _figures(0.2)],
        ("b", "md"): [_figures(0.4), _figures(0.7)], ("c", "md"): [_figures(0.5), _figures(0.6)],
    }
    reports = ["a", "b", "c"]
    best_for = {r: max(range(2), key=lambda i, r=r: _macro_objective(grid, reports, r, i)) for r in reports}
    # a is judged by b and c, who prefer config 1; b and c by others that include a, who prefers 0 by far
    assert best_for == {"a": 1, "b": 0, "c": 0}
    # a report's formats count as one report: a's two formats are averaged before the others are
    assert _macro_objective(grid, reports, "b", 0) == (0.85 + 0.5) / 2
    assert objective(_figures(0.6)) == 0.6


def test_the_macro_counts_each_report_once_and_names_the_lowest():
    shown = {"hit_rate@1": 0.0, "hit_rate@5": 0.0, "mrr@10": 0.0, "citation_accuracy": 0.0,
             "false_abstention_rate": 0.0}
    rows = [{"report": r, "format": f, "dev": {**shown, "hit_rate@1": h}, "test": {**shown, "hit_rate@1": h},
             "dev_defaults": shown} for r, f, h in (("a", "md", 1.0), ("a", "pdf", 0.5), ("b", "md", 0.25))]
    macro = {row["format"]: row for row in _macro_rows(rows)}
    assert macro["all"]["test"]["hit_rate@1"] == (0.75 + 0.25) / 2 and macro["all"]["reports"] == 2
    assert macro["md"]["test"]["hit_rate@1"] == (1.0 + 0.25) / 2
    assert macro["all"]["lowest_test_hit@1"] == (0.25, "b")
