"""The scale benchmark's copies of a report: deterministic, really varied, still the same markdown shape."""

from __future__ import annotations

import argparse
import importlib.util
import re

import pytest
from conftest import MARKDOWN, ROOT

from latm_qa.bench.scale_data import make_variation, swap_names, vary_text

HEADING = re.compile(r"^(#{1,6})\s+((?:\d+\.)*\d*\.?)", re.MULTILINE)


@pytest.fixture(scope="module")
def source() -> str:
    return MARKDOWN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def copies(source) -> dict[int, str]:
    return {n: vary_text(source, make_variation(n)) for n in (1, 2)}


def test_a_copy_is_the_same_text_on_every_run(source, copies):
    assert vary_text(source, make_variation(1)) == copies[1]
    assert make_variation(1, seed=1) != make_variation(1)


def test_headings_keep_their_levels_and_numbers(source, copies):
    for text in copies.values():
        assert HEADING.findall(text) == HEADING.findall(source)
        assert text.count("<sup>") == source.count("<sup>")


def test_each_copy_has_its_own_title_names_and_figures(source, copies):
    one, two = copies[1], copies[2]
    titles = {text.lstrip().splitlines()[0] for text in (source, one, two)}
    assert len(titles) == 3 and all(t.startswith("# ") for t in titles)
    for n, text in copies.items():
        essex = make_variation(n).names["Essex"]
        assert "Essex" not in text and essex in text
    assert "more than 35 percent" in source
    figures = {re.search(r"more than (\d+) percent", text)[1] for text in (one, two)}
    assert len(figures) == 2 and "35" not in figures
    years = [re.search(r"between November (\d{4}) and June (\d{4})", text).groups() for text in (source, one, two)]
    assert years[1] != years[0] != years[2]
    prose = [{p for p in text.split("\n\n") if len(p.split()) >= 20 and "#" not in p} for text in (one, two)]
    assert len(prose[0] & prose[1]) < 0.1 * len(prose[0])  # not just names and figures: the prose differs too


def test_a_question_is_asked_with_the_copys_names():
    variation = make_variation(3)
    asked = swap_names("How much did Essex earn from traded services?", variation)
    assert asked == f"How much did {variation.names['Essex']} earn from traded services?"


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("scale_bench", ROOT / "eval" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sizes_are_read_and_a_bad_one_is_named(scale):
    assert scale.parse_sizes("report, 0.3k,1k,2000") == [("report", 0), ("0.3k", 300), ("1k", 1000), ("2k", 2000)]
    with pytest.raises(argparse.ArgumentTypeError, match="'ten'"):
        scale.parse_sizes("report,ten")


def test_a_large_library_is_built_in_ingests_of_about_the_batch(scale):
    estimates = {"a": 100.0, "b": 250.0}
    plan = ["a", "b"] * 10  # 3,500 passages
    counts = scale.batches(plan, estimates, 1000)
    assert sum(counts) == len(plan) and len(counts) == 4
    assert all(sum(estimates[s] for s in plan[sum(counts[:i]):sum(counts[:i + 1])]) >= 1000 for i in range(3))
    assert scale.batches(plan, estimates, 10_000) == [20]


def test_results_keep_the_sizes_a_run_did_not_measure(scale, tmp_path):
    import json

    before = {"created": "then", "commit": "abc", "rows": [{"size": "1k", "passages": 1000, "p50_ms": 9},
                                                            {"size": "10k", "passages": 10000, "p50_ms": 20}]}
    (tmp_path / "scale.json").write_text(json.dumps(before))
    now = {"created": "now", "commit": "def", "rows": [{"size": "1k", "passages": 1050, "p50_ms": 8},
                                                       {"size": "report", "passages": 80, "p50_ms": 5}]}
    rows = scale.merged(tmp_path, now)["rows"]
    assert [(r["size"], r["p50_ms"]) for r in rows] == [("report", 5), ("1k", 8), ("10k", 20)]
    assert rows[2]["commit"] == "abc" and rows[2]["created"] == "then"
