"""A time after the last year the report mentions: nothing in it is dated later, so it abstains."""

from __future__ import annotations

from latm_qa.answer.present import format_plain, result_to_json
from latm_qa.app import render


def test_a_question_about_after_the_report_abstains_with_the_reason(md_index):
    result = md_index.ask("How did Barnet's Capita contracts perform after 2020?")
    assert result.abstained and not result.hits and result.after_the_report == "after 2020"
    assert any("Barnet" in p.section_title for p in result.suggestions)
    assert result_to_json(result)["after_the_report"] == "after 2020"
    assert "(it speaks of nothing dated after 2020)" in format_plain(result)
    assert "It speaks of nothing dated after 2020." in render.abstain_html(result, filtered=False)


def test_the_report_s_own_years_are_still_answered(md_index):
    result = md_index.ask("What do the councils of the 2020 Vision partnership aim to save by 2020?")
    assert not result.abstained and result.after_the_report == ""
    assert "2020 Vision" in result.hits[0].passage.section_title
    result = md_index.ask("Since when have Forest Heath and St Edmundsbury shared one staff team?")
    assert not result.abstained and "Forest Heath" in result.hits[0].passage.section_title
