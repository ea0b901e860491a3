"""Abstention that transfers to reports the project was not built for: which words are names, a misspelt
name read as the report's before any check, place words outside the report, and figures the best passages
never give. Small inputs, no model."""

from __future__ import annotations

import pytest

from latm_qa.answer.checks import is_name, not_in_report, unknown_names
from latm_qa.answer.figures import asked_figure, gives_figure, unfigured
from latm_qa.answer.spelling import Speller
from latm_qa.build.lexicon import corpus_vocabulary
from latm_qa.places.councils import related_places
from latm_qa.places.gazetteer import Gazetteer, names_related

REPORT = (
    "Further devolution to Greater Manchester: Greater Manchester will receive further powers over fire and "
    "planning. The existing contracts of the councils end in 2019, and the city region will receive £30 million."
)


def _not_in_report(question: str, text: str = REPORT) -> list[str]:
    return not_in_report(question, corpus_vocabulary([text]), Gazetteer.none(), {}, lambda word: False)


@pytest.mark.parametrize(
    "question",
    [
        "We are reviewing suppliers. Our IT contracts end in 2019: what powers does the city region receive?",
        "Our IT contracts end in 2019 - what will Greater Manchester receive?",
        'Is this still true: "Your councils will receive further powers"?',
        "Background: Their contracts end in 2019. What does the plan say?",
    ],
)
def test_a_capitalised_word_opening_a_pasted_sentence_is_no_name(question):
    assert _not_in_report(question) == []


def test_a_name_inside_a_sentence_is_still_a_name():
    assert _not_in_report("We are reviewing suppliers. What will Glasgow and Tunbridge Wells receive?") == [
        "Glasgow", "Tunbridge Wells"
    ]
    assert unknown_names("What did the council say? Does Leeds get powers in 2021?", {"does", "get"}) == [
        "Leeds", "2021"
    ]


def test_pronouns_and_articles_are_never_names():
    question = "What powers will Greater Manchester and Our partners get?"
    assert not is_name(question, question.index("Our"), "Our")
    assert is_name(question, question.index("Greater"), "Greater")
    assert not is_name("Our IT contracts", 0, "Our")


def test_a_misspelt_name_the_report_has_is_read_as_the_reports_before_the_name_check():
    speller = Speller.from_texts([REPORT])
    read, corrections = speller.correct("What is devolved to Greater Manchesteer?")
    assert read == "What is devolved to Greater Manchester?"
    assert [(c.typed, c.meant) for c in corrections] == [("Manchesteer", "Manchester")]
    assert _not_in_report(read) == []
    # an ordinary word with an ending is still kept as typed: the same stem is the same word to the search
    assert speller.correct("which contract ends first?")[0] == "which contract ends first?"


def test_a_nations_adjective_is_known_when_the_report_names_the_nation():
    text = "The Scottish and Welsh governments and the Northern Ireland Executive receive funding."
    assert _not_in_report("How do the Scottish, Welsh and Northern Irish governments get money?", text) == []
    assert _not_in_report("How do Irish councils get money?", "The Scottish government receives funding.") == [
        "Irish"
    ]


def test_places_related_by_the_gazetteer():
    assert "Northern Ireland" in related_places("Belfast")
    assert "Norwich" in related_places("Norfolk") and "Norfolk" in related_places("Norwich")
    assert "Northern Ireland" in related_places("Irish")
    assert related_places("Asian") is None and related_places("Canadian") is None
    assert names_related("Belfast", "the Northern Ireland parties agreed a package") is True
    assert names_related("Norfolk", "journey times to Norwich in 90 minutes") is True
    assert names_related("Kent", "Essex County Council trades its services") is False  # a neighbour is not it
    assert names_related("Wales", "the UK employment rate rose") is False
    assert names_related("Canadian", "provinces") is None  # not a UK place: the embedder decides


def test_a_place_the_report_never_names_describing_councils_it_does():
    places = Gazetteer.from_texts(["Adur District Council and Worthing Borough Council share services."])
    readings = places.described("What does the south coast Sussex service share?")
    assert [(r.words, r.councils) for r in readings] == [("Sussex", ("Adur", "Worthing"))]
    assert places.uncovered("What did East Sussex save?") == ["East Sussex"]  # Adur and Worthing are West Sussex


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much did it cost to rebuild the website?", "money"),
        ("How much is the city deal worth?", "money"),
        ("What is the dollar amount of the threshold?", "money"),
        ("What percentage of pupils meet the standard?", "percentage"),
        ("What hourly rate cap should a contract use?", "rate"),
        ("What GDP growth does the forecast expect for 2022?", "rate"),
        ("By how much did the deficit fall?", ""),  # any figure, or a word, may answer
        ("How much of the money goes to schools?", ""),
        ("How many staff work there?", ""),  # the count check's
        ("What does the plan say about contracts?", ""),
    ],
)
def test_the_kind_of_figure_asked(question, kind):
    assert asked_figure(question) == kind


def test_figures_of_each_kind():
    assert gives_figure("money", "The city region will receive £30 million.")
    row = "Research and development | 0.1 | 0.4 | 0.9"
    assert gives_figure("money", row, "Table 1.7: Capital budgets (£ billion)")
    assert not gives_figure("money", row, "Table 1.7: Capital budgets")
    assert not gives_figure("money", "Budgets in 2019 and 2020 | 3 staff", "Table 1.7: Capital budgets (£ billion)")
    assert gives_figure("percentage", "Around half of pupils meet it.") and gives_figure("rate", "growth of 2.0%")
    assert not gives_figure("percentage", "The city region will receive £30 million.")
    assert gives_figure("money", "grants were cut by more than 35 percent")


def test_a_figure_question_is_unanswered_when_no_sentence_gives_one_on_its_topic():
    said = [("Vendors should work in short iterations.", "", ""), ("The state paid $2 million for licences.", "", "")]
    assert unfigured("money", "How much did it cost to rebuild the website?", said)
    assert not unfigured("money", "How much did the state pay for licences?", said)
    assert not unfigured("money", "How much?", said)  # no topic: nothing to decide


def test_a_common_acronym_the_report_writes_in_words_is_the_reports():
    from latm_qa.build.lexicon import spelt_out

    text = "We want to increase the number of people from ethnic minority backgrounds in work by 20% by 2020."
    table = spelt_out([text])
    assert table["BME"] == "ethnic minority"
    question = "By how much should employment of BME people rise?"
    assert not_in_report(question, corpus_vocabulary([text]), Gazetteer.none(), table, lambda word: False) == []
    # an acronym the report neither uses nor spells out is still not in the report
    assert "TUPE" in not_in_report("Does TUPE apply to BME staff?", corpus_vocabulary([text]), Gazetteer.none(),
                                   table, lambda word: False)
