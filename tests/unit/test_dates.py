"""The years a question asks about, and whether a passage speaks of them however the report writes them."""

from latm_qa.answer.dates import asked_years, unspoken_years


def test_years_as_typed():
    typed = [y.typed for y in asked_years("What did DWP spend in 2014 to 2015, and what was it in 2010-11 and 2016?")]
    assert typed == ["2014 to 2015", "2010-11", "2016"]


def test_money_and_percentages_are_not_years():
    assert asked_years("Which councils saved £2015 or 2020% or 1,2019 of it?") == []


def test_financial_year_however_written():
    for text in ["planned for 2019-20", "in 2019–20", "2019/20 budget", "from 2019 to 2020", "2019-2020"]:
        assert unspoken_years("What is the limit for 2019 to 2020?", [text]) == [], text
    # the years on their own are not that financial year
    assert unspoken_years("What is the limit for 2019-20?", ["in 2019 and in 2021"]) == ["2019-20"]


def test_plain_year_includes_the_financial_year_ending_in_it():
    assert unspoken_years("What growth for 2022?", ["| GDP | 2021-22 |"]) == []
    assert unspoken_years("What growth for 2022?", ["growth of 1.9% in 2020 and 2.0% in 2021"]) == ["2022"]
    assert unspoken_years("What growth for 2022?", ["revenue of £2022 million"]) == ["2022"]


def test_span_is_spoken_of_by_either_end():
    assert unspoken_years("How much did Barnet save 2010-15?", ["savings since 2010"]) == []
    assert unspoken_years("How much was saved between 2010 and 2015?", ["since 2010"]) == ["2015"]


def test_no_year_asks_nothing():
    assert unspoken_years("How much did Barnet save?", []) == []


def test_a_span_in_a_passage_speaks_of_every_year_in_it():
    passage = "traded income has increased by 10 percent from 2013/14 to 2015/16"
    assert unspoken_years("What traded income was made in 2014/15?", [passage]) == []
    assert unspoken_years("What was planned for 2018?", ["our plan for 2015 to 2020"]) == []
    assert unspoken_years("What was planned for 2021?", ["our plan for 2015 to 2020"]) == ["2021"]
    assert unspoken_years("What was saved in 2012?", ["savings between 2010 and 2015"]) == []
