"""Pasted text read for the question it asks."""

from latm_qa.answer.pasted import asked_part

EMAIL = (
    "Hi Sam, Following Tuesday's Cabinet meeting, Councillor Jones asked me to look into shared services. "
    "Our IT contracts end next March and the Leader wants options. Could you find out how much councils have "
    "saved by sharing a single staffing structure? Thanks, Priya"
)


def test_an_email_is_read_for_its_question_not_its_names():
    asked = "Could you find out how much councils have saved by sharing a single staffing structure?"
    assert asked_part(EMAIL) == asked


def test_a_request_without_a_question_mark_is_found_and_a_greeting_dropped():
    text = ("Dear colleague, I am writing a paper for the finance committee on trading companies this month. "
            "Hello Jo, Please list the challenges councils face when they trade services.")
    assert asked_part(text) == "Please list the challenges councils face when they trade services."


def test_a_short_question_takes_the_sentence_it_leans_on():
    text = "Our IT contracts with the supplier end in March next year, and we must decide soon. What did others do?"
    assert asked_part(text) == text


def test_a_plain_question_is_read_whole():
    assert asked_part("Which council uses an outcome-based budgeting process?") == ""
    assert asked_part("Tell me about shared services. Anything on savings?") == ""  # too short to be pasted
