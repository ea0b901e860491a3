"""The suite file: read and checked, reports chosen, and the macro-average over reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from latm_qa.bench.suite import SUITE_FILE, _chosen, macro_average, read_suite, suite_table
from latm_qa.errors import LatmQaError


def test_the_shipped_suite_names_every_development_report_and_the_home_report_in_md_and_pdf():
    reports = {r.name: r for r in read_suite(SUITE_FILE)}
    # the home report, and every report with a question set in eval/reports/ (the team's five, and the six
    # whose questions were written outside the team)
    sets = {path.stem for path in (SUITE_FILE.parent / "reports").glob("*.jsonl")}
    assert set(reports) == {"local-authority-transformational-models", *sets} and len(reports) == 12
    for report in reports.values():
        assert set(report.sources) == {"md", "pdf"}
        assert report.questions.exists() and all(p.exists() for p in report.sources.values())
    assert reports["local-authority-transformational-models"].profile.exists()
    assert reports["spring-budget-2017"].profile is None  # read as a new maintainer would ingest it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[reports", "not valid TOML"),
        ("title = 'x'", "no [reports.<name>] tables"),
        ("[reports.a]\nquestions = 'q.jsonl'", "[reports.a.sources]"),
        ("[reports.a.sources]\nmd = 'a.md'", "needs questions"),
    ],
)
def test_a_bad_suite_file_is_named_with_its_fix(tmp_path: Path, text: str, expected: str):
    (tmp_path / "suite.toml").write_text(text)
    with pytest.raises(LatmQaError) as caught:
        read_suite(tmp_path / "suite.toml")
    assert expected in str(caught.value) and "suite.toml" in str(caught.value)


def test_reports_and_formats_are_chosen_by_name_and_unknown_ones_named(tmp_path: Path):
    for name in ("a.md", "a.pdf", "b.md", "q.jsonl"):
        (tmp_path / name).write_text("x")
    (tmp_path / "suite.toml").write_text(
        "[reports.a]\nquestions = 'q.jsonl'\n[reports.a.sources]\nmd = 'a.md'\npdf = 'a.pdf'\n"
        "[reports.b]\nquestions = 'q.jsonl'\n[reports.b.sources]\nmd = 'b.md'\n"
    )
    reports = read_suite(tmp_path / "suite.toml")
    assert [(r.name, f) for r, f in _chosen(reports, None, None)] == [("a", "md"), ("a", "pdf"), ("b", "md")]
    assert [(r.name, f) for r, f in _chosen(reports, "b,a", "pdf")] == [("a", "pdf")]
    with pytest.raises(LatmQaError, match="unknown report 'c'.*the suite has a, b"):
        _chosen(reports, "c", None)
    (tmp_path / "b.md").unlink()
    with pytest.raises(LatmQaError, match="b.md: named by the suite for b"):
        _chosen(reports, None, "md")


def test_the_macro_average_weighs_each_report_once():
    big = {"hit_rate@1": 1.0, "citation_accuracy": 1.0, "unanswerable": 5, "unanswerable_recognised": 4}
    small = {"hit_rate@1": 0.5, "citation_accuracy": 0.8, "unanswerable": 5, "unanswerable_recognised": 1}
    macro = macro_average([big, small])
    assert macro["hit_rate@1"] == 0.75 and macro["citation_accuracy"] == 0.9
    assert (macro["unanswerable_recognised"], macro["unanswerable"], macro["reports"]) == (5, 10, 2)


def test_the_table_tells_ingest_speed_only_for_indexes_built_in_the_run():
    metrics = {"hit_rate@1": 1.0}
    rows = [{"report": "a", "format": "md", "retriever": "fused", "metrics": metrics}]
    results = {
        "suite": "s.toml",
        "table": {"test": {"rows": rows, "macro": []}},
        "reports": {
            "a/md": {"ingest": {"passages": 120, "embedded": 120, "seconds": 6.0}},
            "a/pdf": {"ingest": {"passages": 118, "embedded": 0, "seconds": 0.4}},  # reused: nothing embedded
        },
    }
    text = suite_table(results)
    assert "| a | md | 120 | 6.0 | 20.0 |" in text
    assert "| a | pdf |" not in text
