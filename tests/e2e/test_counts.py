"""Counting questions: "how many X" abstains when the passages on X give no count of it."""

from __future__ import annotations

import copy
from dataclasses import replace

from latm_qa.answer.present import format_plain, result_to_json
from latm_qa.app import render


def test_a_count_the_report_never_gives_abstains_with_the_reason(md_index):
    result = md_index.ask("How many staff work in Essex CC's traded services?")
    assert result.abstained and not result.hits and result.not_counted == "staff"
    assert result.suggestions[0].section_title.startswith("Essex County Council")
    assert result_to_json(result)["not_counted"] == "staff"
    assert "(the passages closest to it give no number of staff)" in format_plain(result)
    assert "The passages closest to it give no number of staff." in render.abstain_html(result, filtered=False)


def test_counts_the_report_gives_are_answered_however_the_thing_is_called(md_index):
    for question, section in [
        ("How many households did Croydon keep out of homelessness?", "Croydon"),  # "1,100 ... families"
        ("How many posts will the Staffordshire road support?", "Staffordshire"),  # never says posts: no check
        ("How many street drinkers were there in Lowestoft?", "Suffolk Coastal"),  # "from 36 to 4"
        ("How many councils share a chief executive in the South Hams partnership?", "South Hams"),
        ("How many apprentices has the Plymouth 1000 Club created?", "Plymouth"),  # "900 apprenticeships"
    ]:
        result = md_index.ask(question)
        assert not result.abstained and not result.not_counted, question
        assert section in result.hits[0].passage.section_title, question
    assert result_to_json(md_index.ask("How many homes is Community Build Werneth putting up?"))["not_counted"] == ""


def test_the_count_check_can_be_turned_off(md_index):
    unchecked = copy.copy(md_index)
    unchecked.settings = replace(md_index.settings, abstain_uncounted=False)
    result = unchecked.ask("How many staff work in Essex CC's traded services?")
    assert not result.abstained and not result.not_counted
