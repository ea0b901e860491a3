"""A time after the last year the report mentions: nothing in it is dated later, so it abstains."""

from __future__ import annotations

from latm_qa.answer.checks import after_the_report
from latm_qa.answer.report import last_year

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
