"""The answer's kind read from a question, and the sentences chosen as its short answer."""

import numpy as np
import pytest

from latm_qa.answer.kinds import answer_form, answer_kind, parts
from latm_qa.answer.select import answer_span, gives_kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much did the council expect to save from its contracts?", "money"),
        ("What percentage of pupils reached the standard?", "percentage"),
        ("How many staff work in the traded services?", "count"),
        ("When did the partnership start?", "date"),
        ("In what year was the company set up?", "date"),
        ("How long does the contract run?", "duration"),
        ("Who should I speak to about the shared service?", "contact"),
        ("Who commissioned the research?", "who"),
        ("Which organisation carried out the fieldwork?", "who"),
        ("Where is the new factory?", "place"),
        ("Why do councils set up companies to trade?", "other"),
        ("What did the county earn from traded services?", "money"),  # a sum asked without "how much"
        ("What do pupils make of fractions?", "other"),
        ("What savings were the two contracts expected to deliver?", "money"),
        ("How far did youth unemployment fall?", "figure"),
        ("How much did the county make from trading?", "figure"),  # an amount, its unit unsaid
        ("What funding model does the county use?", "other"),
        ("What did councils do about IT problems?", "other"),
        ("What is a cooperative council?", "other"),
    ],
)
def test_the_kind_of_answer_is_read_from_the_wording(question, kind):
    assert answer_kind(question) == kind


def test_a_sentence_holds_the_kind_asked_or_not():
    assert gives_kind("money", "The council saved £3.8 million over two years.")
    assert not gives_kind("money", "The council shares one chief executive with its neighbour.")
    assert gives_kind("count", "A team of 40 staff runs the service.")
    assert gives_kind("figure", "Youth unemployment fell by 35 percent.")
    assert not gives_kind("figure", "Youth unemployment fell sharply.")
    assert gives_kind("date", "The contract began in April 2013.")
    assert not gives_kind("date", "The contract covers back-office services.")
    assert gives_kind("contact", "For further information, contact J. Smith: j.smith@example.gov.uk.")
    assert gives_kind("contact", "Call 0207 340 2660 for more.")
    assert gives_kind("who", "The research was commissioned by the Local Government Association.")
    assert not gives_kind("who", "It was commissioned by a national body.")
    # a table's row of bare numbers is a sum of money when its caption says so
    assert gives_kind("money", "| Schools | 120 | 130 | 140 |", "Table 1.7: Budgets (£ billion)")


SENTENCES = [{"start": 0, "end": 10, "text": "Northshire pooled its services."},
             {"start": 11, "end": 20, "text": "The council saved £2 million."},
             {"start": 21, "end": 30, "text": "Residents were consulted."}]


def test_the_short_answer_is_the_best_sentence_alone_when_its_neighbours_score_far_below():
    scores = np.array([0.2, 0.9, 0.3])
    assert answer_span(scores, [0, 1, 2], SENTENCES, margin=0.2) == (11, 20)


def test_the_neighbour_scoring_nearly_as_well_joins_the_short_answer():
    scores = np.array([0.1, 0.9, 0.8])
    assert answer_span(scores, [0, 1, 2], SENTENCES, margin=0.2) == (11, 30)
    scores = np.array([0.85, 0.9, 0.1])
    assert answer_span(scores, [0, 1, 2], SENTENCES, margin=0.2) == (0, 20)


def test_only_the_passages_own_sentences_are_read():
    scores = np.array([0.1, 0.9, 0.8, 5.0])  # row 3 belongs to another passage
    assert answer_span(scores, [0, 1, 2], SENTENCES + [{"start": 0, "end": 5, "text": "Other."}], margin=0.05) == (
        11, 20)


def test_a_sentence_that_leans_on_the_answer_or_on_which_the_answer_leans_joins_it():
    """ "This ..." says what the sentence before it is about: the two are given together."""
    leaning = [SENTENCES[0], SENTENCES[1], {"start": 21, "end": 30, "text": "This paid for two libraries."}]
    scores = np.array([0.2, 0.9, 0.3])
    assert answer_span(scores, [0, 1, 2], leaning, margin=0.2) == (11, 30)  # the next one leans on the best
    leaning = [SENTENCES[0], {"start": 11, "end": 20, "text": "It saved £2 million."}, SENTENCES[2]]
    assert answer_span(scores, [0, 1, 2], leaning, margin=0.2) == (0, 20)  # the best leans on the one before


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("What are the pros and cons of sharing services?", "two_sided"),
        ("What are the benefits and risks of a trading company?", "two_sided"),
        ("Compare commissioning and enabling", "comparison"),
        ("What is the difference between a cooperative council and a commissioning council?", "comparison"),
        ("Which council saved the most?", "most"),
        ("What are the main challenges of becoming a commercial council?", "list"),
        ("Which services do the councils share?", "list"),
        ("What is a cooperative council?", "definition"),
        ("What does co-production mean?", "definition"),
        ("What is the email address for the think tank?", "single"),
        ("What is the county trying to achieve with its approach?", "single"),
        ("How much did the council save?", "single"),
    ],
)
def test_the_form_of_answer_is_read_from_the_wording(question, form):
    assert answer_form(question) == form


def test_a_two_sided_question_is_asked_side_by_side_in_plain_words():
    assert parts("What are the pros and cons of sharing services?") == [
        "What are the advantages of sharing services?",
        "What are the disadvantages of sharing services?",
    ]
    assert parts("Compare commissioning and enabling") == ["What is commissioning?", "What is enabling?"]
    assert parts("How much did the council save?") == []
