"""A tagged PDF's tables are read as tables, as their markdown is: the budgets' Chromium prints
(shared/reports/more/<name>/report.{md,pdf}) give the markdown's rows, cell for cell, with empty cells
(which the printer does not tag) set under their columns, a header row the printer repeats on the next
page read once, and a row broken over two pages read whole."""

from __future__ import annotations

import pytest
from conftest import ROOT

from latm_qa.read import read_document

MORE = ROOT.parent / "shared" / "reports" / "more"

pytestmark = pytest.mark.skipif(not MORE.is_dir(), reason=f"the development reports are not at {MORE}")


def _tables(name: str, suffix: str) -> list[str]:
    return [b.text for b in read_document(MORE / name / f"report.{suffix}").blocks if b.kind == "table"]


@pytest.mark.parametrize("name, least", [("spring-budget-2017", 12), ("summer-budget-2015", 16)])
def test_pdf_tables_are_the_markdown_tables(name, least):
    md, pdf = _tables(name, "md"), _tables(name, "pdf")
    assert len(pdf) == len(md)
    assert sum(a == b for a, b in zip(md, pdf, strict=True)) >= least  # of 13 and 17


def test_empty_cells_keep_their_columns_and_repeated_headers_are_read_once():
    table = next(t for t in _tables("spring-budget-2017", "pdf") if "Memo: Total policy decisions" in t)
    assert "| Memo: Total policy decisions (3) |  |  | -0.1 | 0.0 | 0.0 | 0.0 | 0.0 |" in table.split("\n")
    long = next(t for t in _tables("spring-budget-2017", "pdf") if t.count("\n") > 80)
    assert "Head Head" not in long and "2017-18 2017-18" not in long


def test_a_row_broken_over_two_pages_is_read_whole():
    table = next(t for t in _tables("summer-budget-2015", "pdf") if "Inheritance Tax: £1m" in t)
    assert "new main residence nil-rate band phased in from 2017 | Tax |" in table
