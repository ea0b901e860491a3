"""The chat page, driven by Streamlit's AppTest on the real model and a real index, plus its pure helpers."""

from __future__ import annotations

from datetime import datetime

import pytest

from latm_qa import LatmQaError
from latm_qa.answer.confidence import words
from latm_qa.answer.results import Hit, SearchResult
from latm_qa.app import chat, render
from latm_qa.app.feedback import latest_votes, read_feedback, record_feedback
from latm_qa.app.followup import named_subject, read_question
from latm_qa.types import Passage

WARRINGTON = "Which council runs commercial skills training for its staff?"


# --- the pure helpers behind the page --------------------------------------------------------------


def _passage(text: str, **kw) -> Passage:
    base = dict(
        passage_id="p1", document="d", document_title="Report", section="3.4",
        section_title="Oldham Council (2011-Present)", chapter_title="Cooperative councils",
        heading_path=("3. Cooperative councils", "3.4. Case studies", "Oldham"),
        text=text, start=0, end=len(text), pages=(7,), section_kind="case_study",
    )
    return Passage(**{**base, **kw})


def _turn(question: str, query: str | None = None, passage: Passage | None = None) -> chat.Turn:
    hits = (Hit(rank=1, score=1.0, passage=passage),) if passage else ()
    return chat.Turn(question=question, query=query or question, result=SearchResult(question=question, hits=hits))


PREVIOUS = "How much did West Suffolk save?"
PARTS = frozenset({"case studies", "benefits", "challenges", "key features"})


@pytest.mark.parametrize(
    ("question", "kind", "expected"),
    [
        # leans on a pronoun: the previous subject is added
        ("Who do I contact about that?", "refers_back", "Who do I contact about that? (West Suffolk)"),
        ("How much did they save?", "refers_back", "How much did they save? (West Suffolk)"),
        ("Who should I speak to there?", "refers_back", "Who should I speak to there? (West Suffolk)"),
        ("When did that partnership start?", "refers_back", "When did that partnership start? (West Suffolk)"),
        # keeps the aspect, swaps the subject
        ("And Plymouth?", "ellipsis", "How much did Plymouth save?"),
        ("what about Oldham?", "ellipsis", "How much did Oldham save?"),
        # stands alone, however short, capitalised or with "IT"/"that"
        ("savings", "standalone", "savings"),
        ("What did councils do about IT problems?", "standalone", "What did councils do about IT problems?"),
        ("Is it true that councils share staff?", "standalone", "Is it true that councils share staff?"),
        ("Are there any councils that trade?", "standalone", "Are there any councils that trade?"),
        (WARRINGTON, "standalone", WARRINGTON),  # a full question of its own, though it has "its"
        ("How does Oldham fund its work?", "standalone", "How does Oldham fund its work?"),  # names its subject
    ],
)
def test_a_question_is_read_in_its_conversation(question, kind, expected, home_knowledge):
    reading = read_question(question, PARTS, PREVIOUS, "West Suffolk", _passage("x"))
    assert (reading.kind, reading.query) == (kind, expected)


def test_a_followup_carries_the_previous_answers_subject_when_the_question_named_none(home_knowledge):
    reading = read_question("Who do I contact about it?", PARTS, "Who runs a trading company?", "",
                            _passage("x"))
    assert reading.query == "Who do I contact about it? (Oldham)" and reading.subject == "Oldham"
    assert named_subject("Tell me about South Hams") == "South Hams"
    assert named_subject("What do year 6 pupils learn?") == "year 6"
    assert named_subject("What was Barnet's budget?") == "Barnet"
    assert named_subject("What did councils do about IT problems?") == ""


def test_the_page_says_how_a_followup_was_read_and_copies_the_answer_with_citations():
    turn = chat.Turn(question="And Plymouth?", query="How much did Plymouth save?", result=None,
                     reading="ellipsis", subject="Plymouth")
    assert chat.reading_note(turn) == "Read as a follow-up about “Plymouth”: searched “How much did Plymouth save?”"
    assert chat.reading_note(chat.Turn(question="q", query="q", result=None)) == ""
    result = SearchResult(question="q", hits=(Hit(1, 1.0, _passage("It saved £1m.")),), answer="It saved £1m.")
    assert chat.answer_for_copy(result) == (
        "It saved £1m. [1]\n\n[1] §3.4 Case studies — Oldham Council (2011-Present), p. 7 · Report"
    )


def test_html_escapes_document_text_and_marks_highlights():
    text = "Plain *star* # hash <script>x()</script> & then the best sentence.\n\nNext."
    start = text.index("the best")
    out = render.highlight_html(text, ((start, start + len("the best sentence.")),))
    assert "<script>" not in out and "&lt;script&gt;x()&lt;/script&gt;" in out
    assert "*star* # hash" in out and "&amp; then" in out
    assert "<mark>the best sentence.</mark>" in out and out.endswith("<br><br>Next.")
    hit = Hit(rank=2, score=0.5, passage=_passage(text, section_title="<b>Bad</b>"), probability=0.5)
    card = render.hit_html(hit, "t1")
    assert "<b>Bad</b>" not in card and "&lt;b&gt;Bad&lt;/b&gt;" in card and "width:50%" in card
    assert 'id="card-t1-2"' in card


def test_markdown_export_escapes_and_cites():
    passage = _passage("Costs fell by 10% * 2 <b>x</b>\n- not a list\n# not a heading")
    result = SearchResult(
        question="q", hits=(Hit(1, 1.0, passage, ((0, 17),)),), answer="Costs fell by 10%", answer_citation="§3.4 X"
    )
    turn = chat.Turn(question="Why *bold* <i>?", query="Why *bold* <i>?", result=result)
    md = render.conversation_markdown([turn], now=datetime(2026, 1, 2, 3, 4))
    assert "## 1. Why \\*bold\\* \\<i\\>?" in md
    assert "1\\. **§3.4 Case studies — Oldham Council (2011-Present), p. 7**" in md
    assert "> **Costs fell by 10%** \\* 2 \\<b\\>x\\</b\\>" in md
    assert "> \\- not a list" in md and "> \\# not a heading" in md
    assert "Exported 02 Jan 2026, 03:04 UTC" in md


def test_section_passages_are_the_whole_section_in_order():
    a = _passage("a", passage_id="a", ordinal=5)
    b = _passage("b", passage_id="b", ordinal=3)
    other = _passage("c", passage_id="c", ordinal=4, heading_path=("3. Cooperative councils", "3.1. Key features"))
    assert [p.passage_id for p in chat.section_passages([a, other, b], a)] == ["b", "a"]


def test_confidence_words_and_progress():
    assert [words(p) for p in (0.93, 0.8, 0.62, 0.2)] == ["high", "high", "medium", "low"]
    tracker = chat.IngestProgress()
    assert tracker.update("reading", 1, 1)[0] == pytest.approx(0.05)
    assert tracker.update("embedding passages", 40, 80) == (pytest.approx(0.2), "Embedding passages: 40 of 80")
    assert tracker.update("embedding sentences", 300, 300)[0] == pytest.approx(1.0)


def test_feedback_round_trip_and_latest_vote(tmp_path):
    assert read_feedback(tmp_path) == []
    record_feedback(tmp_path, "q1", ["a", "b"], 1, turn_id="t1")
    record_feedback(tmp_path, "q1", ["a", "b"], 0, turn_id="t1")  # changed their mind
    record_feedback(tmp_path, "q2", ["c"], "up", turn_id="t2")
    record_feedback(tmp_path, "q2", ["c"], None, turn_id="t2")  # withdrawn
    (tmp_path / "feedback.jsonl").open("a", encoding="utf-8").write('{"cut short\n')
    records = read_feedback(tmp_path)
    assert [r.vote for r in records] == ["up", "down", "up", None]
    assert records[0].passage_ids == ("a", "b")
    assert {k: r.vote for k, r in latest_votes(records).items()} == {"t1": "down"}
    with pytest.raises(LatmQaError, match="feedback.jsonl:5"):
        read_feedback(tmp_path, strict=True)
    with pytest.raises(LatmQaError, match="not understood"):
        record_feedback(tmp_path, "q", [], 3)


@pytest.mark.parametrize(
    ("previous", "subject", "question", "expected"),
    [
        # a topic in small letters swaps the previous topic and keeps the name or numbered part
        ("What should Year 4 pupils learn about angles?", "Year 4", "And symmetry?",
         "What should Year 4 pupils learn about symmetry?"),
        ("What is the Northshire Trust spending on training?", "Northshire Trust", "What about older residents?",
         "What is the Northshire Trust spending on older residents?"),
        # a date is no topic: the phrase before it is swapped
        ("What is happening to the fuel allowance in 2019-20?", "", "And the winter payment?",
         "What is happening to the winter payment in 2019-20?"),
        # a phrase led by a preposition takes the place of the last one
        ("How much can a trust borrow for a new building?", "", "And per year?",
         "How much can a trust borrow per year?"),
        # a name still stands in for a name, and for a name when there is no topic to swap
        ("How far behind Ruritania is Borduria's output?", "Ruritania", "And Syldavia?",
         "How far behind Syldavia is Borduria's output?"),
        ("What was the Northshire employment rate?", "Northshire", "What about disabled people?",
         "What was the disabled people employment rate?"),
        # a name never stands in for a topic: it leads the previous question (ask_turn may then answer it on
        # its own words)
        ("What are the risks of pooling budgets?", "", "what about Southtown?",
         "Southtown: What are the risks of pooling budgets?"),
    ],
)
def test_an_ellipsis_swaps_what_it_stands_in_for(previous, subject, question, expected):
    reading = read_question(question, PARTS, previous, subject, None)
    assert (reading.kind, reading.query) == ("ellipsis", expected)


def test_the_sidebar_names_one_report_or_the_reports_of_a_library():
    from latm_qa.app.chat import index_summary

    one = index_summary({"sources": [{"title": "A plan", "file": "a.md"}], "documents": 1})
    assert one["Report"] == "A plan"
    two = index_summary({"sources": [{"title": "B plan", "file": "b.md"}, {"title": "A plan", "file": "a.md"}]})
    assert "Report" not in two and two["Reports"] == "A plan; B plan" and two["Documents"] == "2"
