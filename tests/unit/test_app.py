"""The chat page, driven by Streamlit's AppTest on the real model and a real index, plus its pure helpers."""

from __future__ import annotations

from datetime import datetime

import pytest

from latm_qa import LatmQaError
from latm_qa.answer.results import Hit, SearchResult
from latm_qa.app import chat, render
from latm_qa.app.feedback import latest_votes, read_feedback, record_feedback
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


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("and what did Oldham do?", "and what did Oldham do? (Cooperative councils)"),
        ("What about Plymouth?", "What about Plymouth? (Cooperative councils)"),
        ("Challenges?", "Challenges? (Cooperative councils)"),
        ("How much did they save?", "How much did they save? (Cooperative councils)"),
        ("and what about commissioning councils?", "and what about commissioning councils?"),  # names a model
        (WARRINGTON, WARRINGTON),  # a full question of its own, though it has "its"
        ("Who wrote the report?", "Who wrote the report?"),
    ],
)
def test_rewrite_followup(question, expected, home_knowledge):
    previous = _turn("What is a co-operative council?")
    context = chat.followup_context(home_knowledge, previous)
    assert chat.rewrite_followup(home_knowledge, question, context) == expected


def test_followup_context_comes_from_the_named_model_or_the_top_hit(home_knowledge):
    def context(turn):
        return chat.followup_context(home_knowledge, turn)

    assert context(None) == ""
    assert context(_turn("Tell me about holistic councils")) == "Holistic/person-centred councils"
    assert context(_turn("Who trains staff?", passage=_passage("x"))) == "Cooperative councils"
    intro = _passage("x", section="1", chapter_title="Introduction", section_kind="chapter")
    assert context(_turn("Who wrote it?", passage=intro)) == ""  # not a topic chapter: no context
    chained = _turn("and Oldham?", query="and Oldham? (Cooperative councils)")
    assert context(chained) == "Cooperative councils"


def test_html_escapes_document_text_and_marks_highlights():
    text = "Plain *star* # hash <script>x()</script> & then the best sentence.\n\nNext."
    start = text.index("the best")
    out = render.highlight_html(text, ((start, start + len("the best sentence.")),))
    assert "<script>" not in out and "&lt;script&gt;x()&lt;/script&gt;" in out
    assert "*star* # hash" in out and "&amp; then" in out
    assert "<mark>the best sentence.</mark>" in out and out.endswith("<br><br>Next.")
    card = render.hit_html(Hit(rank=2, score=0.5, passage=_passage(text, section_title="<b>Bad</b>")), 0.5)
    assert "<b>Bad</b>" not in card and "&lt;b&gt;Bad&lt;/b&gt;" in card and "width:50%" in card


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


def test_relevance_confidence_and_progress():
    assert chat.relevance(0.5, 1.0) == 0.5 and chat.relevance(2.0, 1.0) == 1.0 and chat.relevance(1.0, 0.0) == 0.0
    assert [chat.confidence_label(c) for c in (0.7, 0.45, 0.2)] == ["high", "medium", "low"]
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
