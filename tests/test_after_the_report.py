"""A time after the last year the report mentions: nothing in it is dated later, so it abstains."""

from __future__ import annotations

from latm_qa.answer.checks import after_the_report
from latm_qa.answer.present import format_plain, result_to_json
from latm_qa.answer.report import last_year
from latm_qa.app import render

LAST = last_year({"2013", "2016", "2020", "barnet", "vision"})


def test_only_a_time_from_the_last_year_on_counts():
    assert after_the_report("How did Barnet's contracts perform after 2020?", LAST) == "after 2020"
    assert after_the_report("What has changed since 2020?", LAST) == "since 2020"
    assert after_the_report("Plans beyond the end of 2020?", LAST) == "beyond the end of 2020"
    assert after_the_report("What will the post-2020 settlement be?", LAST) == "post-2020"
    # a year the report reaches past, and the year itself, are its to speak of
    assert after_the_report("What happened after 2016?", LAST) == ""
    assert after_the_report("What should be saved by 2020?", LAST) == ""
    assert after_the_report("What is the 2020 Vision?", LAST) == ""
    assert last_year({"barnet"}) is None and after_the_report("Anything after 2020?", None) == ""  # no years


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
