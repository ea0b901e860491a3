"""Counting questions: "how many X" abstains when the passages on X give no count of it."""

from __future__ import annotations

from latm_qa.answer.counts import counted_thing, counted_words


def test_the_thing_counted_is_read_up_to_its_noun():
    assert counted_thing("How many staff work in Essex CC's traded services?") == "staff"
    assert counted_thing("How many community champions sit on the board?") == "community champions"
    assert counted_thing("how many councils share a chief executive") == "councils"
    assert counted_thing("How much did it cost?") == ""
    assert counted_thing("How many of the councils merged?") == ""


def test_a_count_is_no_sum_of_money_percentage_or_year():
    assert "staffing" not in counted_words("savings of £1.4 million in West Devon. A new staffing structure")
    assert "staff" not in counted_words("cut by 30 percent, mostly staff")
    assert "staff" not in counted_words("In 2015 staff moved")
    assert "jobs" in counted_words("This has helped to support 1,200 jobs, 350 apprenticeships")
    # the count may come a few words after the thing, or several words before it
    assert "drinkers" in counted_words("the number of hardened street drinkers has reduced from 36 to 4")
    assert "families" in counted_words("helped over 1,100 of Croydon's most severely affected families")
