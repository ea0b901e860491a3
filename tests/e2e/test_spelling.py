"""Misspelt questions: read as the report's own words, shown to the user, and measured with --typos."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import ROOT, run_cli

from latm_qa.answer.present import format_plain, result_to_json
from latm_qa.answer.results import Correction
from latm_qa.app import render

QUESTIONS = ROOT / "eval" / "questions.jsonl"


def test_a_misspelt_council_is_read_as_the_reports_and_answered(md_index):
    result = md_index.ask("Which adult education services did Stafordshire commission?")
    assert result.corrections == (Correction("Stafordshire", "Staffordshire"),)
    assert not result.abstained and not result.not_in_report
    assert result.hits[0].passage.section_title.startswith("Staffordshire County Council")
    assert result.question == "Which adult education services did Stafordshire commission?"  # as typed
    assert result_to_json(result)["corrections"] == [{"typed": "Stafordshire", "meant": "Staffordshire"}]
    assert format_plain(result).startswith("(read “Stafordshire” as “Staffordshire”)")


def test_without_correction_the_typo_reads_as_a_council_the_report_never_mentions(md_index):
    as_typed = replace(md_index.settings, correct_spelling=False)
    settings, md_index.settings = md_index.settings, as_typed
    try:
        result = md_index.ask("Which adult education services did Stafordshire commission?")
    finally:
        md_index.settings = settings
    assert result.abstained and result.not_in_report == ("Stafordshire",) and not result.corrections


@pytest.mark.parametrize(
    ("question", "typed", "section"),
    [
        ("what are the benifits of councils sharing servises?", ("benifits", "servises"), "6.2"),
        ("Which enterpreneurial council lends to housing associations?", ("enterpreneurial",), "4.4"),
        ("What did Oldam's trading company save in its first year?", ("Oldam",), "3.4"),
        ("Who is the chief executive of Forest Heth and St Edmundsbury?", ("Heth",), "6.4"),
        ("How much does Essex County Conucil earn from traded services?", ("Conucil",), "4.4"),
        ("What has the Suffolk Coastal Enablinng Communities Budget paid for?", ("Enablinng",), "5.4"),
    ],
)
def test_typos_in_words_and_names_are_put_right(md_index, question, typed, section):
    result = md_index.ask(question)
    assert tuple(c.typed for c in result.corrections) == typed
    assert not result.abstained and result.hits[0].passage.section == section


@pytest.mark.parametrize(
    "question",
    [
        "What have Brent, Leeds and Dorset done?",  # UK places the report does not name
        "Do councils lend money to each other?",  # an English word the report does not use
        "What did Sajid Javid and Mears say?",  # names, not misspelt report words ("said", "David", "means")
        "Is a localist approach outsourcing by another name?",  # a report word with an ending ("Localis")
        "Which LEPs and ALMOs work with councils?",  # acronyms
        "How do councils restructure?",  # more than one edit from "structure"
        "did anyone think it wasnt worthwhile and doesnt pay",  # contractions without apostrophes ("want")
    ],
)
def test_words_that_may_be_right_are_kept_as_typed(md_index, question):
    assert md_index.spell(question) == (question, ())


def test_no_benchmark_question_is_changed(md_index):
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    changed = {q: md_index.spell(q)[1] for q in questions if md_index.spell(q)[1]}
    assert not changed


def test_an_unknown_council_still_abstains_naming_it(md_index):
    result = md_index.ask("What transformation model has Glasgow adopted?")
    assert result.abstained and result.not_in_report == ("Glasgow",) and not result.corrections
    assert not result.did_you_mean and "Did you mean" not in format_plain(result)


def test_a_name_two_edits_off_is_offered_not_searched(md_index):
    result = md_index.ask("What did Stafordshir commission?")
    assert result.abstained and result.not_in_report == ("Stafordshir",) and not result.corrections
    assert result.did_you_mean == ("Staffordshire",)
    assert any(p.section_title.startswith("Staffordshire") for p in result.suggestions)
    assert result_to_json(result)["did_you_mean"] == ["Staffordshire"]
    assert "(it never mentions Stafordshir). Did you mean Staffordshire?" in format_plain(result)
    assert "It never mentions Stafordshir. Did you mean Staffordshire?" in render.abstain_html(result, False)
    # in a name of two unknown words, each word is offered on its own
    assert md_index.ask("What did Stafordshir Moorlands commission?").did_you_mean == ("Staffordshire",)


def test_eval_typos_rows_show_what_spelling_correction_is_worth(md_index, tmp_path):
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    names = ("Staffordshire", "Oldham", "Barnet", "Warrington", "Croydon", "Plymouth")
    picked = [q for q in rows if q["answers"] and any(n in q["question"] for n in names)][:12]
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in picked))
    done = run_cli("eval", "--index", md_index.path, "--questions", questions, "--retrievers", "fused",
                   "--typos", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    result = json.loads(next((tmp_path / "out").glob("*.json")).read_text())
    table = result["table"]["all"]
    assert set(table) == {"fused", "fused-typos", "fused-typos-as-typed"}
    assert result["search_settings"]["correct_spelling"] is True
    corrected, as_typed = table["fused-typos"], table["fused-typos-as-typed"]
    assert corrected["hit_rate@1"] >= as_typed["hit_rate@1"]
    assert corrected["false_abstention_rate"] <= as_typed["false_abstention_rate"]
    assert 0 < table["fused"]["short_answer_accuracy"] <= 1  # the short answer holds an answer string
