"""`latm-qa eval --suite`: every report of a suite file, in each format, in its own index; one row per
report, format and retriever plus the macro-average."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from latm_qa.bench.ablation import LAYERS

ROOT = Path(__file__).resolve().parents[2]
DWP = ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan"
QUESTIONS = ROOT / "eval" / "reports" / "dwp-single-departmental-plan.jsonl"
EVAL_TIMEOUT = 1800  # two ingests and two evaluations; a busy 2-core machine takes many times a quiet one's


def test_suite_runs_each_report_and_format_and_averages_them(tmp_path):
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines()]
    taken: dict[tuple, dict] = {}
    for row in rows:
        taken.setdefault((row["kind"], row["split"]), row)
    (tmp_path / "suite.toml").write_text(
        f'[reports.dwp]\ntitle = "DWP plan"\nquestions = "q.jsonl"\n\n'
        f'[reports.dwp.sources]\nmd = "{DWP / "report.md"}"\npdf = "{DWP / "report.pdf"}"\n'
    )
    # the questions name their document; the suite's report name differs, so say which one they are for
    (tmp_path / "q.jsonl").write_text(
        "".join(json.dumps({**r, "document": "dwp"}) + "\n" for r in taken.values())
    )
    out, work = tmp_path / "out", tmp_path / "work"
    done = run_cli("eval", "--suite", tmp_path / "suite.toml", "--work", work, "--out", out,
                   "--retrievers", "bm25,fused", timeout=EVAL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    result = json.loads((out / "suite.json").read_text())
    test = result["table"]["test"]
    assert {(r["report"], r["format"], r["retriever"]) for r in test["rows"]} == {
        ("dwp", fmt, name) for fmt in ("md", "pdf") for name in ("bm25", "fused")
    }
    macro = {(m["format"], m["retriever"]): m["metrics"] for m in test["macro"]}
    assert set(macro) == {(fmt, name) for fmt in ("md", "pdf", "all") for name in ("bm25", "fused")}
    fused = [r["metrics"] for r in test["rows"] if r["retriever"] == "fused"]
    # the macro-average over formats is the mean of the two runs, and counts their unanswerable questions
    assert abs(macro[("all", "fused")]["hit_rate@1"] - sum(m["hit_rate@1"] for m in fused) / 2) < 1e-3
    assert macro[("all", "fused")]["unanswerable"] == sum(m["unanswerable"] for m in fused) > 0
    assert all(m["hit_rate@5"] >= 0.8 and m["citation_accuracy"] >= 0.8 for m in fused)
    table = (out / "suite.md").read_text()
    assert "| dwp | pdf | fused |" in table and "**macro-average** over 2 report-formats | all | fused |" in table
    assert (work / "dwp-md" / "manifest.json").exists() and (work / "dwp-pdf" / "manifest.json").exists()


def test_suite_names_a_missing_source_and_how_to_leave_it_out(tmp_path):
    (tmp_path / "q.jsonl").write_text(QUESTIONS.read_text())
    (tmp_path / "suite.toml").write_text(
        '[reports.gone]\nquestions = "q.jsonl"\n\n[reports.gone.sources]\nmd = "nowhere/report.md"\n'
    )
    done = run_cli("eval", "--suite", tmp_path / "suite.toml", "--work", tmp_path / "w", "--out", tmp_path / "o")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "nowhere/report.md" in done.stderr and "--reports" in done.stderr
    assert not (tmp_path / "w").exists()


def test_leave_one_report_out_scores_each_report_with_the_weights_its_others_choose(tmp_path):
    """Two reports, a few questions each: every report gets a row with the weights the other chose, and the
    confidence model fitted without it; and every layer's worth over both (--ablations) with its verdict."""
    suite, names = "", []
    for name, folder in (("dwp", DWP), ("curriculum", DWP.parent / "national-curriculum-maths")):
        rows = [json.loads(line) for line in (ROOT / "eval" / "reports" / f"{folder.name}.jsonl").read_text()
                .splitlines()]
        taken: dict[tuple, dict] = {}
        for row in rows:
            taken.setdefault((row["kind"], row["split"]), row)
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps({**r, "document": name}) + "\n"
                                                         for r in taken.values()))
        suite += (f'[reports.{name}]\nquestions = "{name}.jsonl"\n'
                  f'[reports.{name}.sources]\nmd = "{folder / "report.md"}"\n')
        names.append(name)
    (tmp_path / "suite.toml").write_text(suite)
    out = tmp_path / "out"
    done = run_cli("eval", "--suite", tmp_path / "suite.toml", "--loo", "--ablations", "--work", tmp_path / "work",
                   "--out", out, "--retrievers", "fused", timeout=EVAL_TIMEOUT)
    assert done.returncode == 0, done.stderr
    loo = json.loads((out / "suite.json").read_text())["leave_one_out"]
    assert loo["configurations"] == 20
    assert [(r["report"], r["format"]) for r in loo["rows"]] == [(n, "md") for n in names]
    assert all(0 <= r["test"]["hit_rate@1"] <= 1 and isinstance(r["chosen"], dict) for r in loo["rows"])
    assert {r["format"] for r in loo["macro"]} == {"md", "all"}
    assert [r["report"] for r in loo["calibration"]["rows"]] == names
    assert all(0 <= r["test"] <= 1 for r in loo["calibration"]["rows"])
    table = (out / "suite.md").read_text()
    assert "### leave-one-report-out" in table and "| dwp | md |" in table and "calibration error (ECE)" in table
    ablations = json.loads((out / "suite.json").read_text())["ablations"]
    assert [r["layer"] for r in ablations["rows"]] == ["late interaction alone", *(name for name, *_ in LAYERS)]
    for row in ablations["rows"]:
        assert -1 <= row["dev"]["worth_hit@1"] <= 1 and row["dev"]["worst"][1] in names
        assert set(row["figures"]["dev"]) == set(names)
        assert row["verdict"].startswith(("keeps its place", "does not pay", "stays off", "stays a profile option",
                                          "pays", "the default", "fires on no question"))
    assert "### every layer earns its place" in table and "| numbered-part labels |" in table
