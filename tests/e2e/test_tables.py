"""A figure in a row of a long budget table is found, cited to the table's caption, and read with the
table's header row, which every passage of the table repeats (real model, real report, no profile)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from latm_qa import Index, ingest, load_settings
from latm_qa.answer.present import hit_to_json

SOURCE = ROOT.parent / "shared" / "reports" / "more" / "spring-budget-2017" / "report.md"
HEADER = "|  | Head | 2017-18 | 2018-19 | 2019-20 | 2020-21 | 2021-22 |"
CAPTION = "Table 2.2: Measures announced at Autumn Statement 2016 or earlier"

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason=f"{SOURCE} is not beside the project")


@pytest.fixture(scope="module")
def budget_index(tmp_path_factory, embedder) -> Index:
    settings = load_settings(index_dir=tmp_path_factory.mktemp("budget") / "index")
    ingest([SOURCE], settings)
    return Index.load(settings.index_dir, settings=settings)


def test_every_passage_of_a_table_reads_after_its_header_row(budget_index):
    table = [p for p in budget_index.passages if p.heading_path[-1].startswith(CAPTION)]
    assert len(table) > 5  # 86 rows, cut between rows
    assert table[0].text.startswith(HEADER) and not table[0].table_header
    assert all(p.shown_text.startswith(HEADER + "\n") for p in table)
    assert all(p.text.startswith("| ") for p in table[1:])  # each continuation starts on a row


@pytest.mark.parametrize(
    ("question", "row", "figure"),
    [
        (
            "How much does removing the tax and NICs advantages of salary sacrifice raise in 2018-19?",
            "| i Salary Sacrifice: remove tax and NICs advantages | Tax | +85 | +235 |",
            "2018-19: +235",
        ),
        ("What will the Gift Aid reforms cost in 2019-20?", "| s Gift Aid: reforms | Tax | * | -10 |", "2019-20: -15"),
    ],
)
def test_a_figure_in_a_table_row_is_found_with_its_columns(budget_index, question, row, figure):
    result = budget_index.ask(question, k=5)
    assert not result.abstained
    found = next(h for h in result.hits[:3] if row in h.passage.text)
    passage = found.passage
    assert passage.heading_path[-1].startswith(CAPTION) and CAPTION in result.answer_citation
    # the row sits past the table's first passage, yet is read under the years of its columns
    assert passage.table_header.startswith(HEADER) and hit_to_json(found)["table_header"] == passage.table_header
    assert result.hits[0].passage == passage
    assert figure in result.answer and row.split(" | ")[0][2:] in result.answer  # the row, read with its labels
